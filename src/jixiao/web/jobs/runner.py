"""Running a job, once: the same code in a Celery worker and in the web process.

A job runs its step inside one transaction that also marks the job done, holding the job's
row lock. So a job is either done with all its rows written, or not done with none of them:
a task delivered twice (a worker lost mid-way and the message redelivered, a retry, two
workers racing) finds the job done — or waits for the lock, then finds it done — and does
nothing. The steps themselves refuse a second effect too (a committed batch cannot be
committed again, a cycle already in review cannot start it).

Progress: the row count is known before the step starts (participants, payslips, rows); the
step runs in one transaction (all or nothing), so progress moves queued → running (0 / n) →
done (n / n); a failure keeps the reason in Chinese and English.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.errors import UserError
from jixiao.web.errors import in_both
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.steps import STEPS

__all__ = ["job_execute"]

log = logging.getLogger("jixiao.jobs")
S = Job.Status


def _start(job_id: int) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == S.DONE:
            return None
        job.status = S.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "attempts"])
    return job


def _fail(job_id: int, zh: str, en: str) -> None:
    Job.objects.filter(pk=job_id).exclude(status=S.DONE).update(
        status=S.FAILED, message=zh, message_en=en, finished_at=timezone.now()
    )


def job_execute(*, job_id: int, reraise: bool = False) -> Job | None:
    """Run job ``job_id`` unless it is done; ``reraise``: a user error propagates (in-process,
    so the form shows it next to its field as before)."""
    if _start(job_id) is None:
        return Job.objects.filter(pk=job_id).first()
    try:
        with transaction.atomic():
            job = Job.objects.select_for_update().select_related("started_by").get(pk=job_id)
            if job.status == S.DONE:  # another delivery finished it while we waited
                return job
            STEPS[job.kind].run(job, job.started_by)
            job.status = S.DONE
            job.rows_done = job.rows_total
            job.finished_at = timezone.now()
            job.message = job.message_en = ""
            job.save()
    except UserError as exc:
        _fail(job_id, exc.message, exc.message_en or exc.message)
        if reraise:
            raise
    except PermissionDenied as exc:  # rights withdrawn between start and run
        zh, en = in_both(_("您已无权执行这个任务：%(reason)s"), {"reason": str(exc)})
        _fail(job_id, zh, en)
        if reraise:
            raise
    except Exception:
        log.exception("job %s failed", job_id)
        zh, en = in_both(
            _(
                "任务 #%(id)s 执行时出错，已记录错误，数据没有改动。请稍后重试；如果一直失败，请联系系统管理员。"
            ),
            {"id": job_id},
        )
        _fail(job_id, zh, en)
        if reraise:
            raise
    return Job.objects.filter(pk=job_id).first()
