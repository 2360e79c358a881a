"""A real Celery worker (in a thread) against the Redis at 127.0.0.1:6379: a job submitted
from a request runs in the worker, and the same job delivered twice does its work once."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import transaction

from jixiao.web.audit.models import AuditEntry
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.services import job_submit
from jixiao.web.payroll.models import Payslip

from ..localredis import REDIS_URL, redis_up

REDIS = REDIS_URL


pytestmark = [
    pytest.mark.skipif(not redis_up(), reason="Redis is not running at 127.0.0.1:6379"),
    pytest.mark.django_db(transaction=True),  # the worker thread has its own connection
]


@pytest.fixture
def worker(settings):
    from celery.contrib.testing.worker import start_worker

    from jixiao.web.jobs.worker import app

    queue = f"jixiao-test-{uuid.uuid4().hex[:12]}"  # Redis is shared: our own queue
    settings.CELERY_BROKER_URL = REDIS
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    old = app.conf.broker_url
    app.conf.broker_url = REDIS
    try:
        with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
            yield app
    finally:
        app.conf.broker_url = old


def _wait_finished(job_id: int, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.finished:
            return job
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not finish in {seconds} s: {Job.objects.get(pk=job_id)}")


def test_a_job_runs_in_the_celery_worker(org, run, worker):
    with transaction.atomic():
        job = job_submit(user=org.hr.user, kind=Job.Kind.PAYROLL_COMPUTE, target_id=run.pk)
    assert job.status == "queued"  # not run in the request
    job = _wait_finished(job.pk)
    assert job.status == "done", job.message
    assert job.rows_done == job.rows_total == Payslip.objects.filter(run=run).count() > 0


def test_a_job_delivered_twice_writes_once(org, run, worker, settings):
    from jixiao.web.jobs.tasks import RUN_JOB

    with transaction.atomic():
        job = job_submit(user=org.hr.user, kind=Job.Kind.PAYROLL_COMPUTE, target_id=run.pk)
    _wait_finished(job.pk)
    counts = (AuditEntry.objects.count(), Payslip.objects.filter(run=run).count())
    # the broker hands the same message out again (a lost acknowledgement, a retry)
    worker.send_task(RUN_JOB, args=[job.pk], queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    worker.send_task(RUN_JOB, args=[job.pk], queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    # one worker, one task at a time, in order: once a later job is done, both were handled
    with transaction.atomic():
        later = job_submit(user=org.gm.user, kind=Job.Kind.RESULTS_CSV, target_id=run.cycle_id)
    assert _wait_finished(later.pk).status == "done"
    assert (AuditEntry.objects.count(), Payslip.objects.filter(run=run).count()) == counts
    job.refresh_from_db()
    assert job.attempts == 1
