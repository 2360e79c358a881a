"""Import pages. Thin: fetch through ``access_*``, read through selectors, write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.ingest import load_profiles
from jixiao.web.access import (
    access_cycle,
    access_import_batch,
    require_import_data,
    upload_limit,
)
from jixiao.web.imports import selectors, services
from jixiao.web.imports.models import ImportBatch
from jixiao.web.imports.selectors import ImportRefused
from jixiao.web.imports.stored import shown_preview, stored_preview
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.services import job_submit
from jixiao.web.viewutils import form_post, int_or_none, queued_response, upload_of


def _preview_context(request: HttpRequest, batch: ImportBatch, stored: dict) -> dict[str, Any]:
    """The batch page from the preview stored at upload (never the file parsed again)."""
    shown = shown_preview(stored)
    return {
        "batch": batch,
        **shown,
        "earlier": selectors.earlier_commit(batch=batch),
        "employees": selectors.mappable_employees(user=request.user),
        "can_commit": batch.status == ImportBatch.Status.PREVIEW
        and not shown["plan"].blockers
        and batch.cycle.state in services.DATA_STATES,
    }


@login_required
@require_GET
def cycle_imports(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    require_import_data(user=request.user)
    return render(
        request,
        "imports/cycle.html",
        {
            "cycle": cycle,
            "batches": selectors.batches_for(user=request.user, cycle=cycle),
            "profiles": load_profiles(),
            "open": cycle.state in services.DATA_STATES,
            "max_mb": upload_limit(user=request.user) // 2**20,
        },
    )


@login_required
@require_POST
@form_post(cycle_imports, partial="imports/_error.html", file_fields=("file",))
def upload(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Read the file and show the preview. With HTMX the preview replaces the indicator
    (and a refused file is said there, too)."""
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    require_import_data(user=request.user)
    htmx = request.headers.get("HX-Request") == "true"
    f = upload_of(request, error=ImportRefused)
    batch, _plan = services.import_batch_upload(
        user=request.user,
        cycle=cycle,
        data=f.read(),
        file_name=f.name or "",
        profile=(request.POST.get("profile") or "").strip() or None,
    )
    if not htmx:
        return redirect("imports:batch", batch.pk)
    response = render(
        request, "imports/_preview.html", _preview_context(request, batch, batch.preview)
    )
    response["HX-Push-Url"] = reverse("imports:batch", args=[batch.pk])
    return response


@login_required
@require_GET
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_import_batch(user=request.user, batch_id=batch_id)
    ctx: dict[str, Any] = {"batch": batch, "cycle": batch.cycle}
    if batch.status == ImportBatch.Status.PREVIEW:
        try:
            # batches uploaded before previews were stored are parsed (not saved: a GET)
            stored = batch.preview or stored_preview(
                selectors.import_plan(
                    user=request.user,
                    cycle=batch.cycle,
                    data=bytes(batch.content),
                    file_name=batch.file_name,
                    profile=batch.profile_requested or None,
                )
            )
            ctx.update(_preview_context(request, batch, stored))
        except ImportRefused as exc:
            ctx["error"] = exc.localized(get_language() or "zh")
    else:
        ctx["values"] = batch.values.select_related("participant__employee").order_by(
            "participant__employee__number", "code"
        )
    return render(request, "imports/batch.html", ctx)


@login_required
@require_POST
@form_post(batch_detail)
def commit(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_import_batch(user=request.user, batch_id=batch_id)
    job = job_submit(user=request.user, kind=Job.Kind.IMPORT_COMMIT, target_id=batch.pk)
    if (queued := queued_response(request, job)) is not None:
        return queued
    batch = access_import_batch(user=request.user, batch_id=batch_id)
    messages.success(
        request,
        gettext("已提交导入批次 #%(id)d：写入 %(n)d 个数值。")
        % {"id": batch.pk, "n": batch.values_written},
    )
    return redirect("imports:batch", batch.pk)


@login_required
@require_POST
@form_post(batch_detail)
def discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_import_batch(user=request.user, batch_id=batch_id)
    cycle_id = batch.cycle_id
    services.import_batch_discard(user=request.user, batch=batch)
    messages.success(request, gettext("已删除未提交的上传。"))
    return redirect("imports:cycle", cycle_id)


@login_required
@require_POST
@form_post(batch_detail)
def map_account(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_import_batch(user=request.user, batch_id=batch_id)
    emp_id = int_or_none(request.POST.get("employee"))
    if emp_id is None:
        raise ImportRefused(_("请选择员工。"), field="employee")
    employee = selectors.mappable_employees(user=request.user).filter(pk=emp_id).first()
    if employee is None:
        raise Http404(gettext("没有这名员工，或您不能为其设置子账号。"))
    sa = services.shop_account_map(
        user=request.user, employee=employee, account=request.POST.get("account", ""), batch=batch
    )
    services.import_batch_refresh(user=request.user, batch=batch)  # the mapping changed it
    messages.success(
        request,
        gettext("已把子账号“%(acc)s”对应到 %(emp)s；预览已按新的对应关系重新计算。")
        % {"acc": str(sa), "emp": str(employee)},
    )
    return redirect("imports:batch", batch.pk)
