"""Background jobs without a broker (in-process, as ``make demo``): the long steps run through a
job, the job page and its progress partial, failures in Chinese, and a job that runs twice does
its work once."""

from __future__ import annotations

from html import escape

import pytest
from django.urls import reverse

from jixiao.web.audit.models import AuditEntry
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.runner import job_execute
from jixiao.web.jobs.services import job_submit
from jixiao.web.payroll.models import Payslip

from ..factories import client_for


@pytest.fixture(autouse=True)
def _in_process(settings):
    settings.CELERY_BROKER_URL = ""


def test_payroll_compute_runs_as_a_job_in_process(org, run):
    hr = client_for(org.hr.user)
    r = hr.post(reverse("payroll:run_compute", args=[run.pk]))
    assert r.status_code == 302  # answered as before: back to the page, results saved
    job = Job.objects.get()
    assert (job.kind, job.status, job.started_by) == ("payroll_compute", "done", org.hr.user)
    assert job.rows_total == job.rows_done == Payslip.objects.filter(run=run).count() > 0
    assert job.result_url == reverse("payroll:run", args=[run.pk])
    page = hr.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and "hx-trigger" not in page  # finished: no more polling


def test_a_refused_step_shows_on_the_form_as_before(org, run):
    run.status = "closed"
    run.save(update_fields=["status"])
    r = client_for(org.hr.user).post(reverse("payroll:run_compute", args=[run.pk]))
    assert r.status_code == 400  # the page with the message, as without jobs
    assert not Job.objects.exists()  # the refused post left nothing behind


def test_a_job_run_twice_writes_once(org, run, settings, django_capture_on_commit_callbacks):
    settings.CELERY_BROKER_URL = "redis://queue-not-used"  # queued, not run in the request
    from jixiao.web.jobs import services

    sent: list[int] = []
    orig, services._enqueue = services._enqueue, sent.append
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = job_submit(user=org.hr.user, kind=Job.Kind.PAYROLL_COMPUTE, target_id=run.pk)
    finally:
        services._enqueue = orig
    assert sent == [job.pk] and job.status == "queued"
    before = AuditEntry.objects.count()
    job_execute(job_id=job.pk)
    after_first = (AuditEntry.objects.count(), Payslip.objects.filter(run=run).count())
    # a redelivered message (worker lost, retry) finds the job done and does nothing
    job_execute(job_id=job.pk)
    assert (AuditEntry.objects.count(), Payslip.objects.filter(run=run).count()) == after_first
    assert after_first[0] > before
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1


def test_a_failing_job_keeps_a_readable_reason(org, run, settings):
    settings.CELERY_BROKER_URL = "redis://queue-not-used"
    from jixiao.web.jobs import services

    orig, services._enqueue = services._enqueue, lambda job_id: None
    try:
        job = job_submit(user=org.hr.user, kind=Job.Kind.PAYROLL_COMPUTE, target_id=run.pk)
    finally:
        services._enqueue = orig
    hr = client_for(org.hr.user)
    page = hr.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "排队中" in page and "hx-trigger" in page  # still polling
    run.status = "closed"
    run.save(update_fields=["status"])
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "关闭" in job.message and job.message_en
    page = hr.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "失败" in page and escape(job.message) in page and "hx-trigger" not in page
    hr.cookies["django_language"] = "en"
    assert (
        escape(job.message_en) in hr.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    )


def test_results_export_as_a_job(org, run):
    gm = client_for(org.gm.user)
    r = gm.post(reverse("jobs:export_results", args=[run.cycle_id]))
    job = Job.objects.get()
    assert r.status_code == 302 and r.url == reverse("jobs:detail", args=[job.pk])
    page = gm.get(r.url).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    got = gm.get(reverse("jobs:download", args=[job.pk]))
    direct = gm.get(reverse("cycles:export", args=[run.cycle_id]))
    assert got.status_code == 200 and got.content == direct.content
    assert got["Content-Disposition"] == f'attachment; filename="cycle-{run.cycle_id}.csv"'


def test_pay_sheet_export_as_a_job(org, run):
    from jixiao.web.payroll import services as ps

    ps.payroll_run_compute(user=org.hr.user, run=run)
    gm = client_for(org.gm.user)
    gm.post(reverse("jobs:export_pay_sheet", args=[run.pk]))
    job = Job.objects.get()
    got = gm.get(reverse("jobs:download", args=[job.pk]))
    assert got.status_code == 200 and got.content[:2] == b"PK"  # an xlsx (zip)
    assert job.rows_total == Payslip.objects.filter(run=run).count()


def test_jobs_are_their_starters_only(org, run):
    gm = client_for(org.gm.user)
    gm.post(reverse("jobs:export_results", args=[run.cycle_id]))
    job = Job.objects.get()
    for who in ("hr", "leader", "employee"):
        c = client_for(org.user(who))
        assert c.get(reverse("jobs:detail", args=[job.pk])).status_code == 403
        assert c.get(reverse("jobs:download", args=[job.pk])).status_code == 403
    assert gm.get(reverse("jobs:detail", args=[job.pk + 1000])).status_code == 404


def test_starting_a_job_needs_the_steps_rights(org, run):
    # an employee may neither export everyone's results nor compute payroll
    c = client_for(org.employee.user)
    assert c.post(reverse("jobs:export_results", args=[run.cycle_id])).status_code == 403
    assert c.post(reverse("payroll:run_compute", args=[run.pk])).status_code == 403
    assert not Job.objects.exists()


def test_with_a_broker_the_step_goes_to_the_progress_page(
    org, run, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from jixiao.web.jobs import services

    settings.CELERY_BROKER_URL = "redis://queue-not-used"
    sent: list[int] = []
    monkeypatch.setattr(services, "_enqueue", sent.append)
    hr = client_for(org.hr.user)
    with django_capture_on_commit_callbacks(execute=True):
        r = hr.post(reverse("payroll:run_compute", args=[run.pk]))
    job = Job.objects.get()
    assert r.status_code == 302 and r.url == reverse("jobs:detail", args=[job.pk])
    assert sent == [job.pk]  # queued once the request's transaction committed
    assert not Payslip.objects.filter(run=run).exists()  # nothing computed in the request
    page = hr.get(r.url).content.decode()
    assert "排队中" in page and reverse("jobs:progress", args=[job.pk]) in page
