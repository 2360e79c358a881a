"""Payroll pages: pay plans (HR), runs per cycle, pay sheet, pay slips, Excel export.

Thin: fetch through ``access_*``, read through selectors, write through services.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.files import DocumentError, check_document, load_document
from jixiao.web.access import (
    access_cycle,
    access_payroll_run,
    access_payslip,
    actor_of,
    can_export,
    reads_pay_sheets,
    require_export,
    require_hr,
)
from jixiao.web.org.models import Employee
from jixiao.web.payroll import selectors, services
from jixiao.web.payroll.models import (
    PayPlanFrozenError,
    PayPlanVersion,
    PayrollClosedError,
    Payslip,
)
from jixiao.web.payroll.plans import builtin_plans, compile_text, validate_plan_yaml
from jixiao.web.viewutils import USER_ERRORS, back, error_page

MAX_YAML = 200_000
MAX_UPLOAD = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS = (
    *USER_ERRORS,
    services.PayrollError,
    services.PayPlanInvalidError,
    PayPlanFrozenError,
    PayrollClosedError,
)


def user_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Errors the user can fix become a 400 page saying what to do (never a 500)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ERRORS as exc:
            return error_page(request, str(exc))

    return wrapper


def _text(request: HttpRequest) -> str:
    text = request.POST.get("yaml_text", "")
    if len(text) > MAX_YAML:
        raise services.PayrollError("方案文本过长（超过 200 KB），请精简后再保存。")
    try:  # alias bombs and deep nesting are refused before anything validates or stores them
        check_document(text, name="薪酬方案")
    except DocumentError as exc:
        raise services.PayrollError(f"无法处理该方案：{exc}") from None
    return text.replace("\r\n", "\n")


def _require_sheet_reader(user: Any) -> None:
    if not reads_pay_sheets(actor_of(user)):
        raise PermissionDenied(
            _("工资表仅限人事行政、总经理、领导小组、部门负责人和分管领导查看。")
        )


# --- pay plans (HR) -----------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require_hr(user=request.user)
    return render(
        request,
        "payroll/plans.html",
        {"plans": selectors.payplan_list(), "builtins": builtin_plans()},
    )


@login_required
@require_POST
@user_errors
def plan_new(request: HttpRequest) -> HttpResponse:
    require_hr(user=request.user)
    key = request.POST.get("builtin", "")
    text = _text(request)
    if key:
        found = next((b for b in builtin_plans() if b.key == key), None)
        if found is None:
            raise services.PayrollError("没有这个内置薪酬方案，请从列表中选择。")
        text = found.yaml_text
    try:
        doc = load_document(text, name="薪酬方案", syntax="yaml") if text.strip() else {}
    except DocumentError:
        doc = {}
    doc = doc if isinstance(doc, dict) else {}
    code = (request.POST.get("code") or str(doc.get("code") or "")).strip()
    name = (request.POST.get("name") or str(doc.get("name") or "") or code).strip()
    version = services.payplan_create(user=request.user, code=code, name=name, yaml_text=text)
    return redirect("payroll:plan_version", version_id=version.pk)


@login_required
@require_http_methods(["GET", "POST"])
@user_errors
def plan_version(request: HttpRequest, version_id: int) -> HttpResponse:
    require_hr(user=request.user)
    version = get_object_or_404(PayPlanVersion.objects.select_related("plan"), pk=version_id)
    if request.method == "POST":
        services.payplan_version_update(
            user=request.user, version=version, yaml_text=_text(request)
        )
        return back(request, _("已保存草稿。"))
    return render(
        request,
        "payroll/plan_version.html",
        {
            "version": version,
            "messages_list": validate_plan_yaml(version.yaml_text),
            "checked": True,
            "others": version.plan.versions.order_by("-number"),
        },
    )


@login_required
@require_POST
def plan_validate(request: HttpRequest, version_id: int) -> HttpResponse:
    """HTMX: validate the text in the editor with ``jixiao.pay`` without saving."""
    require_hr(user=request.user)
    get_object_or_404(PayPlanVersion, pk=version_id)
    try:
        messages = validate_plan_yaml(_text(request))
    except services.PayrollError as exc:
        messages = [{"level": "error", "path": "", "message": str(exc)}]
    return render(request, "schemes/_messages.html", {"messages_list": messages, "checked": True})


@login_required
@require_POST
@user_errors
def plan_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    require_hr(user=request.user)
    version = get_object_or_404(PayPlanVersion, pk=version_id)
    services.payplan_version_publish(user=request.user, version=version)
    return back(request, _("已发布，该版本从此冻结。"))


@login_required
@require_POST
@user_errors
def plan_new_draft(request: HttpRequest, version_id: int) -> HttpResponse:
    require_hr(user=request.user)
    version = get_object_or_404(PayPlanVersion.objects.select_related("plan"), pk=version_id)
    draft = services.payplan_version_new_draft(user=request.user, plan=version.plan)
    return redirect("payroll:plan_version", version_id=draft.pk)


# --- runs ---------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Every payroll run, newest cycle first (managers); employees go to their own slips."""
    actor = actor_of(request.user)
    if not reads_pay_sheets(actor):
        return redirect("payroll:me")
    return render(
        request,
        "payroll/home.html",
        {
            "runs": selectors.runs_overview(),
            "cycles": selectors.payable_cycles(),
            "show_totals": actor.sees_all,
        },
    )


@login_required
@require_GET
def my_slips(request: HttpRequest) -> HttpResponse:
    return render(request, "payroll/me.html", {"slips": selectors.my_payslips(user=request.user)})


@login_required
@require_GET
def cycle_runs(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    _require_sheet_reader(request.user)
    actor = actor_of(request.user)
    versions = (
        PayPlanVersion.objects.filter(status=PayPlanVersion.Status.PUBLISHED)
        .select_related("plan")
        .order_by("plan__code", "-number")
        if actor.is_hr
        else []
    )
    return render(
        request,
        "payroll/cycle_runs.html",
        {
            "cycle": cycle,
            "runs": selectors.cycle_runs(cycle=cycle),
            "versions": versions,
            "payable": cycle.state in services.PAYABLE_STATES,
            "show_totals": actor.sees_all,
        },
    )


@login_required
@require_POST
@user_errors
def run_new(request: HttpRequest, cycle_id: int) -> HttpResponse:
    require_hr(user=request.user)
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    version = PayPlanVersion.objects.filter(pk=request.POST.get("version") or 0).first()
    if version is None:
        raise services.PayrollError("请选择一个已发布的薪酬方案版本。")
    obj = services.payroll_run_create(
        user=request.user, cycle=cycle, version=version, name=request.POST.get("name", "")
    )
    return redirect("payroll:run", run_id=obj.pk)


@login_required
@require_GET
def run_sheet(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_payroll_run(user=request.user, run_id=run_id)
    sheet = selectors.pay_sheet(user=request.user, run=run)
    actor = actor_of(request.user)
    return render(
        request,
        "payroll/run.html",
        {
            "run": run,
            "sheet": sheet,
            "is_hr": actor.is_hr,
            "can_export": can_export(user=request.user),
            "input_names": [s.name for s in compile_text(run.plan_version.yaml_text).plan.inputs],
        },
    )


@login_required
@require_POST
@user_errors
def run_inputs(request: HttpRequest, run_id: int) -> HttpResponse:
    require_hr(user=request.user)
    run = access_payroll_run(user=request.user, run_id=run_id)
    upload = request.FILES.get("file")
    if upload is None:
        raise services.PayrollError("请选择要上传的工资输入文件（CSV 或 XLSX）。")
    if upload.size > MAX_UPLOAD:
        raise services.PayrollError("文件超过 10 MB，请分批上传。")
    n = services.payroll_inputs_import(
        user=request.user, run=run, filename=upload.name, content=upload.read()
    )
    return back(request, _("已导入 %(n)s 人的工资输入，请重新计算。") % {"n": n})


@login_required
@require_POST
@user_errors
def run_input_set(request: HttpRequest, run_id: int) -> HttpResponse:
    require_hr(user=request.user)
    run = access_payroll_run(user=request.user, run_id=run_id)
    number = request.POST.get("employee", "").strip()
    emp = Employee.objects.filter(number=number).first()
    if emp is None:
        raise services.PayrollError(f"没有工号为“{number}”的员工。")
    services.payroll_input_set(
        user=request.user,
        run=run,
        employee=emp,
        column=request.POST.get("column", ""),
        value=request.POST.get("value", ""),
        reason=request.POST.get("reason", ""),
    )
    return back(request, _("已保存，请重新计算。"))


@login_required
@require_POST
@user_errors
def run_compute(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_payroll_run(user=request.user, run_id=run_id)
    services.payroll_run_compute(user=request.user, run=run)
    return back(request, _("已计算，每人每项金额与说明已保存。"))


@login_required
@require_POST
@user_errors
def run_close(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_payroll_run(user=request.user, run_id=run_id)
    services.payroll_run_close(user=request.user, run=run)
    return back(request, _("已关闭，本次工资从此冻结；员工可以查看自己的工资条。"))


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def run_export(request: HttpRequest, run_id: int) -> HttpResponse:
    """Pay sheet + slips as XLSX: the GM, the leadership/working group and delegates only."""
    run = access_payroll_run(user=request.user, run_id=run_id)
    require_export(user=request.user)
    slips = selectors.export_slips(user=request.user, run=run)
    return _xlsx(selectors.payslips_xlsx(run=run, slips=slips), f"payroll-{run.pk}.xlsx")


@login_required
@require_GET
def slip(request: HttpRequest, payslip_id: int) -> HttpResponse:
    s = access_payslip(user=request.user, payslip_id=payslip_id)
    actor = actor_of(request.user)
    return render(
        request,
        "payroll/slip.html",
        {
            "slip": s,
            "run": s.run,
            **selectors.payslip_detail(slip=s),
            "is_hr": actor.is_hr,
            "can_print": can_export(user=request.user, employee_id=s.employee_id),
        },
    )


@login_required
@require_POST
@user_errors
def slip_adjust(request: HttpRequest, payslip_id: int) -> HttpResponse:
    require_hr(user=request.user)
    s = access_payslip(user=request.user, payslip_id=payslip_id)
    try:
        amount = Decimal(request.POST.get("amount", "").strip().replace(",", ""))
    except InvalidOperation:
        raise services.PayrollError("金额应为数值，奖励填正数、处罚填负数。") from None
    services.payroll_adjustment_set(
        user=request.user,
        run=s.run,
        employee=s.employee,
        component=request.POST.get("component", ""),
        amount=amount,
        reason=request.POST.get("reason", ""),
    )
    return back(request, _("已记录奖惩，请重新计算。"))


@login_required
@require_GET
def slip_export(request: HttpRequest, payslip_id: int) -> HttpResponse:
    s = access_payslip(user=request.user, payslip_id=payslip_id)
    require_export(user=request.user, employee_id=s.employee_id)
    slips = list(
        Payslip.objects.filter(pk=s.pk).select_related("employee").prefetch_related("components")
    )
    return _xlsx(
        selectors.payslips_xlsx(run=s.run, slips=slips),
        f"payslip-{s.run_id}-{s.employee.number}.xlsx",
    )
