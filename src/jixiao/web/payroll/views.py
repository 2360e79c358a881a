"""Payroll pages: pay plans (HR), runs per cycle, pay sheet, pay slips, Excel export.

Thin: fetch through ``access_*``, read through selectors, write through services.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.files import DocumentError, check_document, load_document
from jixiao.web.access import (
    access_cycle,
    access_payplan_version,
    access_payroll_run,
    access_payslip,
    can_export,
    can_manage_payroll,
    can_read_pay_sheets,
    can_see_pay_totals,
    find_employee,
    require_export,
    require_pay_sheet_reader,
    require_payroll_admin,
)
from jixiao.web.errors import either
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.services import job_submit
from jixiao.web.numbers import AMOUNT, parse_number
from jixiao.web.payroll import selectors, services
from jixiao.web.payroll.plans import builtin_plans, compile_text, validate_plan_yaml
from jixiao.web.viewutils import (
    back,
    form_post,
    int_or_none,
    queued_response,
    shown_value,
    upload_of,
)

MAX_YAML = 200_000
MAX_UPLOAD = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(request: HttpRequest) -> str:
    text = request.POST.get("yaml_text", "")
    if len(text) > MAX_YAML:
        raise services.PayrollError(
            _("方案文本过长（超过 200 KB），请精简后再保存。"), field="yaml_text"
        )
    try:  # alias bombs and deep nesting are refused before anything validates or stores them
        check_document(text, name="薪酬方案")
    except DocumentError as exc:
        raise services.PayrollError(
            _("无法处理该方案：%(why)s"),
            params={"why": either(exc.message, exc.message_en)},
            field="yaml_text",
        ) from None
    return text.replace("\r\n", "\n")


# --- pay plans (HR) -----------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require_payroll_admin(user=request.user)
    return render(
        request,
        "payroll/plans.html",
        {"plans": selectors.payplan_list(), "builtins": builtin_plans()},
    )


@login_required
@require_POST
@form_post(plan_list)
def plan_new(request: HttpRequest) -> HttpResponse:
    require_payroll_admin(user=request.user)
    key = request.POST.get("builtin", "")
    text = _text(request)
    if key:
        found = next((b for b in builtin_plans() if b.key == key), None)
        if found is None:
            raise services.PayrollError(
                _("没有这个内置薪酬方案，请从列表中选择。"), field="builtin"
            )
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


def _plan_version_page(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access_payplan_version(user=request.user, version_id=version_id)
    text = shown_value(request, "yaml_text", version.yaml_text)  # what the editor shows
    return render(
        request,
        "payroll/plan_version.html",
        {
            "version": version,
            "messages_list": validate_plan_yaml(text),
            "checked": True,
            "others": version.plan.versions.order_by("-number"),
        },
    )


@form_post(_plan_version_page)
def _plan_version_save(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access_payplan_version(user=request.user, version_id=version_id)
    services.payplan_version_update(user=request.user, version=version, yaml_text=_text(request))
    return back(request, gettext("已保存草稿。"))


@login_required
@require_http_methods(["GET", "POST"])
def plan_version(request: HttpRequest, version_id: int) -> HttpResponse:
    if request.method == "POST":
        return _plan_version_save(request, version_id=version_id)
    return _plan_version_page(request, version_id=version_id)


@login_required
@require_POST
@form_post(partial="schemes/_messages.html")
def plan_validate(request: HttpRequest, version_id: int) -> HttpResponse:
    """HTMX: validate the text in the editor with ``jixiao.pay`` without saving."""
    access_payplan_version(user=request.user, version_id=version_id)
    messages = validate_plan_yaml(_text(request))
    return render(request, "schemes/_messages.html", {"messages_list": messages, "checked": True})


@login_required
@require_POST
@form_post(_plan_version_page)
def plan_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access_payplan_version(user=request.user, version_id=version_id)
    services.payplan_version_publish(user=request.user, version=version)
    return back(request, gettext("已发布，该版本从此冻结。"))


@login_required
@require_POST
@form_post(_plan_version_page)
def plan_new_draft(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access_payplan_version(user=request.user, version_id=version_id)
    draft = services.payplan_version_new_draft(user=request.user, plan=version.plan)
    return redirect("payroll:plan_version", version_id=draft.pk)


# --- runs ---------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Every payroll run, newest cycle first (managers); employees go to their own slips."""
    if not can_read_pay_sheets(user=request.user):
        return redirect("payroll:me")
    return render(
        request,
        "payroll/home.html",
        {
            "runs": selectors.runs_overview(),
            "cycles": selectors.payable_cycles(),
            "show_totals": can_see_pay_totals(user=request.user),
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
    require_pay_sheet_reader(user=request.user)
    versions = (
        selectors.published_payplan_versions() if can_manage_payroll(user=request.user) else []
    )
    return render(
        request,
        "payroll/cycle_runs.html",
        {
            "cycle": cycle,
            "runs": selectors.cycle_runs(cycle=cycle),
            "versions": versions,
            "payable": cycle.state in services.PAYABLE_STATES,
            "show_totals": can_see_pay_totals(user=request.user),
        },
    )


@login_required
@require_POST
@form_post(cycle_runs)
def run_new(request: HttpRequest, cycle_id: int) -> HttpResponse:
    require_payroll_admin(user=request.user)
    cycle = access_cycle(user=request.user, cycle_id=cycle_id)
    version_id = int_or_none(request.POST.get("version"))
    if version_id is None:
        raise services.PayrollError(_("请选择一个已发布的薪酬方案版本。"), field="version")
    version = access_payplan_version(user=request.user, version_id=version_id)
    obj = services.payroll_run_create(
        user=request.user, cycle=cycle, version=version, name=request.POST.get("name", "")
    )
    return redirect("payroll:run", run_id=obj.pk)


@login_required
@require_GET
def run_sheet(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_payroll_run(user=request.user, run_id=run_id)
    sheet = selectors.pay_sheet(user=request.user, run=run)
    return render(
        request,
        "payroll/run.html",
        {
            "run": run,
            "sheet": sheet,
            "is_hr": can_manage_payroll(user=request.user),
            "can_export": can_export(user=request.user),
            "input_names": [s.name for s in compile_text(run.plan_version.yaml_text).plan.inputs],
        },
    )


run_form = form_post(run_sheet)


@login_required
@require_POST
@form_post(run_sheet, file_fields=("file",))
def run_inputs(request: HttpRequest, run_id: int) -> HttpResponse:
    require_payroll_admin(user=request.user)
    run = access_payroll_run(user=request.user, run_id=run_id)
    if "file" not in request.FILES:
        raise services.PayrollError(_("请选择要上传的工资输入文件（CSV 或 XLSX）。"), field="file")
    upload = upload_of(request, error=services.PayrollError)
    if upload.size > MAX_UPLOAD:
        raise services.PayrollError(_("文件超过 10 MB，请分批上传。"), field="file")
    n = services.payroll_inputs_import(
        user=request.user, run=run, filename=upload.name, content=upload.read()
    )
    return back(request, gettext("已导入 %(n)s 人的工资输入，请重新计算。") % {"n": n})


@login_required
@require_POST
@run_form
def run_input_set(request: HttpRequest, run_id: int) -> HttpResponse:
    require_payroll_admin(user=request.user)
    run = access_payroll_run(user=request.user, run_id=run_id)
    number = request.POST.get("employee", "").strip()
    emp = find_employee(user=request.user, number=number)
    if emp is None:
        raise services.PayrollError(
            _("没有工号为“%(number)s”的员工。"), params={"number": number}, field="employee"
        )
    services.payroll_input_set(
        user=request.user,
        run=run,
        employee=emp,
        column=request.POST.get("column", ""),
        value=request.POST.get("value", ""),
        reason=request.POST.get("reason", ""),
    )
    return back(request, gettext("已保存，请重新计算。"))


@login_required
@require_POST
@run_form
def run_compute(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_payroll_run(user=request.user, run_id=run_id)
    job = job_submit(user=request.user, kind=Job.Kind.PAYROLL_COMPUTE, target_id=run.pk)
    return queued_response(request, job) or back(
        request, gettext("已计算，每人每项金额与说明已保存。")
    )


@login_required
@require_POST
@run_form
def run_close(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_payroll_run(user=request.user, run_id=run_id)
    services.payroll_run_close(user=request.user, run=run)
    return back(request, gettext("已关闭，本次工资从此冻结；员工可以查看自己的工资条。"))


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
    return render(
        request,
        "payroll/slip.html",
        {
            "slip": s,
            "run": s.run,
            **selectors.payslip_detail(slip=s),
            "is_hr": can_manage_payroll(user=request.user),
            "can_print": can_export(user=request.user, employee_id=s.employee_id),
        },
    )


@login_required
@require_POST
@form_post(slip)
def slip_adjust(request: HttpRequest, payslip_id: int) -> HttpResponse:
    require_payroll_admin(user=request.user)
    s = access_payslip(user=request.user, payslip_id=payslip_id)
    amount = parse_number(
        request.POST.get("amount", ""),
        domain=AMOUNT,
        label=_("金额（奖励填正数、处罚填负数）"),
        field="amount",
        error=services.PayrollError,
    )
    services.payroll_adjustment_set(
        user=request.user,
        run=s.run,
        employee=s.employee,
        component=request.POST.get("component", ""),
        amount=amount,
        reason=request.POST.get("reason", ""),
    )
    return back(request, gettext("已记录奖惩，请重新计算。"))


@login_required
@require_GET
def slip_export(request: HttpRequest, payslip_id: int) -> HttpResponse:
    s = access_payslip(user=request.user, payslip_id=payslip_id)
    require_export(user=request.user, employee_id=s.employee_id)
    slips = selectors.slip_for_export(slip=s)
    return _xlsx(
        selectors.payslips_xlsx(run=s.run, slips=slips),
        f"payslip-{s.run_id}-{s.employee.number}.xlsx",
    )
