"""Background jobs: a job is seen by the person who started it, and nobody else.

What a job does was checked when it was started and is checked again when it runs (the
service it calls checks its own rights); a file a job produced is handed out only while its
owner still may export (``require_export`` is asked again on download).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.web.access._actor import UserLike, deny
from jixiao.web.access.cycles import access_cycle, require_cycle_admin
from jixiao.web.access.imports import access_import_batch, require_import_data
from jixiao.web.access.payroll import access_payroll_run, require_payroll_admin
from jixiao.web.access.roles import require_export
from jixiao.web.jobs.models import Job

__all__ = ["access_job", "require_job_download", "require_job_start"]

K = Job.Kind


def access_job(*, user: UserLike, job_id: int) -> Job:
    """A job the user started (404 when missing, 403 when someone else's)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404(_("没有这个后台任务。"))
    if not user.is_authenticated or job.started_by_id != user.pk:
        deny(_("这个后台任务不是您发起的，只有发起人可以查看。"))
    return job


def require_job_start(*, user: UserLike, kind: str, target_id: int) -> None:
    """Who may start a job: whoever may do the step directly (404/403 as the step's page)."""
    if kind == K.PAYROLL_COMPUTE:
        require_payroll_admin(user=user)
        access_payroll_run(user=user, run_id=target_id)
    elif kind == K.SCORE_COMPUTE:
        require_cycle_admin(user=user)
        access_cycle(user=user, cycle_id=target_id)
    elif kind == K.IMPORT_COMMIT:
        require_import_data(user=user)
        access_import_batch(user=user, batch_id=target_id)
    elif kind == K.PAY_SHEET_XLSX:
        access_payroll_run(user=user, run_id=target_id)
        require_export(user=user)
    elif kind == K.RESULTS_CSV:
        access_cycle(user=user, cycle_id=target_id)
        require_export(user=user)
    else:
        raise Http404(_("没有这种后台任务。"))


def require_job_download(*, user: UserLike, job: Job) -> None:
    """A job's file goes to its owner only while they still may export."""
    if job.kind in (K.PAY_SHEET_XLSX, K.RESULTS_CSV):
        require_export(user=user)
