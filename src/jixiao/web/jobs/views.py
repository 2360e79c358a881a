"""The job page, its progress partial (polled with htmx), downloads, and starting exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from jixiao.web.access import access_job, require_job_download
from jixiao.web.cycles import views as cycle_views
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.services import job_submit
from jixiao.web.payroll import views as payroll_views
from jixiao.web.viewutils import form_post


def _context(job: Job) -> dict[str, object]:
    english = (get_language() or "").startswith("en")
    return {"job": job, "failure": (job.message_en if english else job.message) or job.message}


@login_required
@require_GET
def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(user=request.user, job_id=job_id)
    return render(request, "jobs/job.html", _context(job))


@login_required
@require_GET
def progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(user=request.user, job_id=job_id)
    return render(request, "jobs/_progress.html", _context(job))


@login_required
@require_GET
def download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(user=request.user, job_id=job_id)
    require_job_download(user=request.user, job=job)
    if not job.has_file:
        return redirect("jobs:detail", job.pk)
    response = HttpResponse(bytes(job.result_data or b""), content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response


@login_required
@require_POST
@form_post(payroll_views.run_sheet)
def export_pay_sheet(request: HttpRequest, run_id: int) -> HttpResponse:
    job = job_submit(user=request.user, kind=Job.Kind.PAY_SHEET_XLSX, target_id=run_id)
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
@form_post(cycle_views.dashboard)
def export_results(request: HttpRequest, cycle_id: int) -> HttpResponse:
    job = job_submit(user=request.user, kind=Job.Kind.RESULTS_CSV, target_id=cycle_id)
    return redirect("jobs:detail", job.pk)
