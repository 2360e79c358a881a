"""What each kind of job does: count the rows, call the service (rights: ``access.jobs``).

The work itself stays in the services (``payroll_run_compute``, ``cycle_transition``,
``import_batch_commit``) and selectors (the exports): a job only calls them, so a step run as a
job and a step run in the request do exactly the same thing, with the same checks and audit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from jixiao.web.access import (
    UserLike,
    access_cycle,
    access_import_batch,
    access_payroll_run,
    require_export,
)
from jixiao.web.jobs.models import Job

__all__ = ["STEPS", "Step"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Step:
    total: Callable[[int], int]  # rows the step goes through, for the progress bar
    run: Callable[[Job, UserLike], None]  # does it; fills the job's result fields


def _participants(cycle_id: int) -> int:
    from jixiao.web.cycles.models import Participant

    return Participant.objects.filter(cycle_id=cycle_id).count()


def _run_participants(run_id: int) -> int:
    from jixiao.web.payroll.models import PayrollRun

    cycle_id = PayrollRun.objects.filter(pk=run_id).values_list("cycle_id", flat=True).first()
    return _participants(cycle_id) if cycle_id else 0


def _batch_rows(batch_id: int) -> int:
    from jixiao.web.imports.models import ImportBatch

    return ImportBatch.objects.filter(pk=batch_id).values_list("rows_used", flat=True).first() or 0


def _payroll_compute(job: Job, user: UserLike) -> None:
    from jixiao.web.payroll import services

    run = access_payroll_run(user=user, run_id=job.target_id)
    services.payroll_run_compute(user=user, run=run)
    job.rows_total = run.payslips.count()
    job.result_url = reverse("payroll:run", args=[run.pk])


def _score_compute(job: Job, user: UserLike) -> None:
    from jixiao.web.cycles import services

    cycle = access_cycle(user=user, cycle_id=job.target_id)
    services.cycle_transition(user=user, cycle=cycle, name="start_review")
    job.result_url = reverse("cycles:dashboard", args=[cycle.pk])


def _import_commit(job: Job, user: UserLike) -> None:
    from jixiao.web.imports import services

    batch = access_import_batch(user=user, batch_id=job.target_id)
    batch = services.import_batch_commit(user=user, batch=batch)
    job.rows_total = batch.values_written
    job.result_url = reverse("imports:batch", args=[batch.pk])


def _file(job: Job, data: bytes, name: str, content_type: str) -> None:
    job.result_data = data
    job.result_name = name
    job.result_type = content_type
    job.result_url = reverse("jobs:download", args=[job.pk])


def _pay_sheet(job: Job, user: UserLike) -> None:
    from jixiao.web.payroll import selectors

    run = access_payroll_run(user=user, run_id=job.target_id)
    require_export(user=user)
    slips = selectors.export_slips(user=user, run=run)
    job.rows_total = len(slips)
    data = selectors.payslips_xlsx(run=run, slips=slips)
    _file(job, data, f"payroll-{run.pk}.xlsx", XLSX)


def _results(job: Job, user: UserLike) -> None:
    from jixiao.web.cycles import selectors

    cycle = access_cycle(user=user, cycle_id=job.target_id)
    require_export(user=user)
    data, rows = selectors.results_csv(user=user, cycle=cycle)
    job.rows_total = rows
    _file(job, data, f"cycle-{cycle.pk}.csv", "text/csv; charset=utf-8")


# keyed by Job.Kind's values
STEPS: dict[str, Step] = {
    "payroll_compute": Step(_run_participants, _payroll_compute),
    "score_compute": Step(_participants, _score_compute),
    "import_commit": Step(_batch_rows, _import_commit),
    "pay_sheet_xlsx": Step(_run_participants, _pay_sheet),
    "results_csv": Step(_participants, _results),
}
