"""Celery tasks. One: run a job by id (the job row says what to do and for whom)."""

from __future__ import annotations

from celery import shared_task

from jixiao.web.jobs.runner import job_execute

RUN_JOB = "jixiao.jobs.run"


@shared_task(name=RUN_JOB)
def run_job(job_id: int) -> str:
    job = job_execute(job_id=job_id)
    return job.status if job is not None else "missing"
