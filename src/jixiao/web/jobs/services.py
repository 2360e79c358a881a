"""Starting a job: in a Celery worker when a broker is configured, else right here."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from jixiao.web.access import UserLike, require_job_start, signed_in
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.runner import job_execute
from jixiao.web.jobs.steps import STEPS

__all__ = ["job_submit", "jobs_in_process"]


def jobs_in_process() -> bool:
    """No broker configured (the embedded default, ``make demo``): jobs run in the request."""
    return not settings.CELERY_BROKER_URL


def _enqueue(job_id: int) -> None:
    from jixiao.web.jobs.tasks import RUN_JOB
    from jixiao.web.jobs.worker import app

    app.send_task(RUN_JOB, args=[job_id], queue=settings.CELERY_TASK_DEFAULT_QUEUE)


@transaction.atomic
def job_submit(*, user: UserLike, kind: str, target_id: int) -> Job:
    """Start job ``kind`` on object ``target_id`` for ``user`` (rights checked now and again
    when it runs). In-process the job has finished when this returns, and a user error is
    raised as if the step had been called directly; with a broker it is queued once the
    transaction commits."""
    require_job_start(user=user, kind=kind, target_id=target_id)
    step = STEPS[kind]
    job = Job.objects.create(
        kind=kind, target_id=target_id, started_by=signed_in(user), rows_total=step.total(target_id)
    )
    if jobs_in_process():
        job_execute(job_id=job.pk, reraise=True)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job
