"""Writes for payroll: pay plan documents, runs, inputs, adjustments, compute, close.

Every function is keyword-only and atomic, checks who may act (HR) and leaves an audit entry.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jixiao.files import (
    EMPLOYEE_ALIASES,
    PERSON_ALIASES,
    FileError,
    Limits,
    find_column,
    read_table,
)
from jixiao.pay import PayError, Result, prepare_table
from jixiao.pay import run as pay_run
from jixiao.pay._read import cell_text
from jixiao.web.access import UserLike, require_payroll_admin
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Cycle, Participant
from jixiao.web.cycles.services._common import state_params
from jixiao.web.document_versions import version_new_draft, version_publish, version_update
from jixiao.web.errors import DocumentInvalidError, WebError, either, in_both, joined, text_of
from jixiao.web.locking import lock, unique_or
from jixiao.web.numbers import AMOUNT, PAY_INPUT, NumberError, parse_number
from jixiao.web.org.models import Employee
from jixiao.web.payroll.models import (
    PayComponent,
    PayInput,
    PayPlan,
    PayPlanVersion,
    PayrollClosedError,
    PayrollRun,
    Payslip,
)
from jixiao.web.payroll.plans import adjustment_specs, compile_text, validate_plan_yaml

__all__ = [
    "PAYABLE_STATES",
    "PayPlanInvalidError",
    "PayrollError",
    "payplan_create",
    "payplan_version_new_draft",
    "payplan_version_publish",
    "payplan_version_update",
    "payroll_adjustment_set",
    "payroll_input_set",
    "payroll_inputs_import",
    "payroll_run_close",
    "payroll_run_compute",
    "payroll_run_create",
]

PAYABLE_STATES = (
    Cycle.State.PUBLISHED,
    Cycle.State.CONFIRMATION,
    Cycle.State.APPEALS,
    Cycle.State.ARCHIVED,
)
MAX_ROWS = 20_000
# Uploaded inputs: the view refuses more than 10 MB before reading; rows as the old check.
INPUT_LIMITS = Limits(max_bytes=10 * 2**20, max_rows=MAX_ROWS)


class PayrollError(WebError):
    """A request the payroll rules refuse; the message says what to do instead."""


class PayPlanInvalidError(DocumentInvalidError):
    """A pay plan that cannot be published."""

    detailed = _("薪酬方案有错误，请改正后再发布：%(lines)s")
    counted = _("薪酬方案有 %(n)s 处错误，请改正后再发布。")


def _issues_text(exc: PayError, limit: int = 20) -> Promise:
    """The pay engine's issues, in both languages."""
    issues = exc.issues[:limit]
    return either(
        "；".join((f"{i.where}：{i.message}" if i.where else i.message) for i in issues),
        "; ".join(
            (f"{i.where}: {i.message_en or i.message}" if i.where else i.message_en or i.message)
            for i in issues
        ),
    )


# --- pay plan documents -------------------------------------------------------------------


@transaction.atomic
def payplan_create(*, user: UserLike, code: str, name: str, yaml_text: str) -> PayPlanVersion:
    require_payroll_admin(user=user)
    code, name = code.strip(), name.strip()
    if not code:
        raise PayrollError(_("请填写方案编码（或在 YAML 中写 code:）。"), field="code")

    def taken() -> PayrollError:
        return PayrollError(
            _("薪酬方案编码“%(code)s”已存在，请换一个编码，或打开该方案新建版本。"),
            params={"code": code},
            field="code",
        )

    if PayPlan.objects.filter(code=code).exists():
        raise taken()
    with unique_or(taken):  # the same form posted twice at once: one plan
        plan = PayPlan.objects.create(code=code, name=name or code)
    version = PayPlanVersion.objects.create(plan=plan, number=1, yaml_text=yaml_text)
    audit_record(
        actor=user,
        entity="payplan",
        entity_id=plan.pk,
        action="create",
        after={"code": code, "name": plan.name, "version": 1},
    )
    return version


@transaction.atomic
def payplan_version_update(
    *, user: UserLike, version: PayPlanVersion, yaml_text: str
) -> PayPlanVersion:
    require_payroll_admin(user=user)
    return version_update(
        actor=user, version=version, yaml_text=yaml_text, entity="payplan_version"
    )


def _publishable(yaml_text: str) -> dict[str, object]:
    messages = validate_plan_yaml(yaml_text)
    if messages:
        raise PayPlanInvalidError(messages)
    return {}


@transaction.atomic
def payplan_version_publish(*, user: UserLike, version: PayPlanVersion) -> PayPlanVersion:
    require_payroll_admin(user=user)
    return version_publish(
        actor=user, version=version, entity="payplan_version", check=_publishable
    )


@transaction.atomic
def payplan_version_new_draft(*, user: UserLike, plan: PayPlan) -> PayPlanVersion:
    """A new draft copied from the latest version (the way to change a published plan)."""
    require_payroll_admin(user=user)
    draft = version_new_draft(actor=user, document=plan, entity="payplan_version")
    assert isinstance(draft, PayPlanVersion)
    return draft


# --- runs ---------------------------------------------------------------------------------


def _lock_draft(run_obj: PayrollRun) -> PayrollRun:
    locked = (
        PayrollRun.objects.select_for_update()
        .select_related("cycle", "plan_version__plan")
        .get(pk=run_obj.pk)
    )
    if locked.is_closed:
        raise PayrollClosedError(locked.name)
    return locked


def _ensure_payable(cycle: Cycle, doing: str | Promise) -> None:
    cycle.refresh_from_db()
    if cycle.state not in PAYABLE_STATES:
        raise PayrollError(
            _(
                "周期“%(cycle)s”当前处于“%(state)s”阶段，不能%(doing)s"
                "（考核结果公布后才能核算工资：只能在“%(allowed)s”阶段进行）。"
            ),
            params=state_params(cycle, PAYABLE_STATES, doing),
        )


def _default_run_name(cycle: Cycle, version: PayPlanVersion) -> str:
    """``2026年10月 · 客服专员 v1``; once that run is closed, a new one is ``… (2)``. While it is
    a draft the name stays taken, so a repeated post is refused instead of making a second run."""
    base = f"{cycle.name} · {version.plan.name} v{version.number}"
    taken = dict(
        PayrollRun.objects.filter(cycle=cycle, name__startswith=base).values_list("name", "status")
    )
    if taken.get(base, PayrollRun.Status.CLOSED) != PayrollRun.Status.CLOSED:
        return base
    n = 1
    name = base
    while name in taken:
        n += 1
        name = f"{base} ({n})"
    return name


@transaction.atomic
def payroll_run_create(
    *, user: UserLike, cycle: Cycle, version: PayPlanVersion, name: str = ""
) -> PayrollRun:
    require_payroll_admin(user=user)
    cycle = lock(cycle)  # identical posts wait here and then find the first one's run
    _ensure_payable(cycle, _("创建工资核算"))
    version = PayPlanVersion.objects.select_related("plan").get(pk=version.pk)
    if not version.is_published:
        raise PayrollError(
            _(
                "薪酬方案 %(code)s 第 %(number)s 版还是草稿：请先发布（发布后冻结），"
                "再用它核算工资。"
            ),
            params={"code": version.plan.code, "number": version.number},
            field="version",
        )
    name = name.strip() or _default_run_name(cycle, version)
    if PayrollRun.objects.filter(cycle=cycle, name=name).exists():
        raise PayrollError(
            _("本周期已有名为“%(name)s”的工资核算（可能是重复提交）：请打开它，或换一个名称。"),
            params={"name": name},
            field="name",
        )
    obj = PayrollRun.objects.create(cycle=cycle, plan_version=version, name=name, created_by=user)
    audit_record(
        actor=user,
        entity="payroll_run",
        entity_id=obj.pk,
        action="create",
        after={"name": name, "plan": version.plan.code, "version": version.number},
        cycle_id=cycle.pk,
    )
    return obj


def _store_value(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _results_for(cycle: Cycle, employees: list[Employee]) -> dict[str, Result]:
    parts = Participant.objects.filter(
        cycle=cycle, employee_id__in=[e.pk for e in employees]
    ).select_related("employee", "department")

    def dec(v: Any) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    return {
        p.employee.number: Result(
            employee=p.employee.number,
            name=p.employee.name,
            group=p.department.name,
            total=p.total if p.eligible else None,
            grade=p.grade,
            rank=dec(p.rank),
            group_rank=None,
            items={str(k): dec(v) for k, v in (p.items or {}).items()},
            dims={str(k): dec(v) for k, v in (p.dimensions or {}).items()},
        )
        for p in parts
    }


def _table(run_obj: PayrollRun, rows: list[tuple[Employee, dict[str, str]]]) -> tuple[list, list]:
    plan = compile_text(run_obj.plan_version.yaml_text)
    columns = [s.name for s in plan.plan.inputs]
    header = ["工号", "姓名", *columns]
    data = [[emp.number, emp.name, *[values.get(c, "") for c in columns]] for emp, values in rows]
    return header, data


def _number_problems(row: int, values: dict[str, str], numeric: set[str]) -> list[tuple[str, str]]:
    """(Chinese, English) for each number of an input row outside the pay-input domain."""
    out = []
    for column in sorted(numeric):
        try:
            parse_number(values[column], domain=PAY_INPUT, label=column, required=False)
        except NumberError as exc:
            out.append(
                in_both(_("第 %(row)s 行：%(problem)s"), {"row": row, "problem": text_of(exc)})
            )
    return out


_ROW = re.compile(r"工资输入 第 (\d+) 行")


def _prepare(run_obj: PayrollRun, rows: list[tuple[Employee, dict[str, str]]]) -> Any:
    """The pay engine's data for ``rows``; problems name the person, not a row number."""
    plan = compile_text(run_obj.plan_version.yaml_text)
    header, data = _table(run_obj, rows)
    results = _results_for(run_obj.cycle, [e for e, _ in rows])
    try:
        return plan, prepare_table(plan, header, data, results, None, source="工资输入")
    except PayError as exc:

        def who(m: re.Match) -> str:
            i = int(m.group(1)) - 2
            emp = rows[i][0] if 0 <= i < len(rows) else None
            return f"{emp.number} {emp.name}" if emp else m.group(0)

        text = _issues_text(exc)
        named = either(*(_ROW.sub(who, t) for t in in_both(text)))
        raise PayrollError(
            _("工资输入有问题，请改正后再计算：%(problems)s"), params={"problems": named}
        ) from None


@transaction.atomic
def payroll_inputs_import(*, user: UserLike, run: PayrollRun, filename: str, content: bytes) -> int:
    """Replace the run's inputs with a CSV (UTF-8/GB18030) or XLSX table; all or nothing."""
    require_payroll_admin(user=user)
    run_obj = _lock_draft(run)
    suffix = Path(filename or "").suffix.lower()
    if suffix not in {".csv", ".txt", ".xlsx", ".xlsm"}:
        raise PayrollError(
            _("只支持 .csv 或 .xlsx 文件，请另存为其中一种格式后上传。"), field="file"
        )
    plan = compile_text(run_obj.plan_version.yaml_text)
    try:
        table = read_table(
            content,
            name=filename or "上传的文件",
            known_headers=PERSON_ALIASES | {s.name for s in plan.plan.inputs},
            limits=INPUT_LIMITS,
        )
    except FileError as exc:
        raise PayrollError(
            _("无法读取上传的文件“%(file)s”：%(why)s"),
            params={"file": filename, "why": either(exc.message, exc.message_en)},
            field="file",
        ) from None
    header = list(table.header)
    emp_col = find_column(header, EMPLOYEE_ALIASES)
    if emp_col is None:
        raise PayrollError(
            _("文件“%(file)s”第 %(row)s 行（表头）缺少“工号”列；现有列：%(columns)s"),
            params={"file": filename, "row": table.header_row, "columns": joined(header)},
            field="file",
        )
    columns = [s.name for s in plan.plan.inputs if s.name in header]
    numeric = {s.name for s in plan.plan.inputs if s.name in header and s.type == "number"}
    read = table.rows()
    numbers = [cell_text(cells[emp_col]) for _, cells in read]
    known = {e.number: e for e in Employee.objects.filter(number__in=[n for n in numbers if n])}
    problems: list[tuple[str, str]] = []  # (Chinese, English)
    seen: dict[str, int] = {}
    rows = []
    for (i, raw), number in zip(read, numbers, strict=True):
        if not number:
            problems.append(in_both(_("第 %(row)s 行：工号为空"), {"row": i}))
        elif number not in known:
            problems.append(
                in_both(
                    _("第 %(row)s 行：没有工号为 %(number)s 的员工"), {"row": i, "number": number}
                )
            )
        elif number in seen:
            problems.append(
                in_both(
                    _("第 %(row)s 行：工号 %(number)s 与第 %(first)s 行重复"),
                    {"row": i, "number": number, "first": seen[number]},
                )
            )
        else:
            seen[number] = i
            values = {c: _store_value(raw[header.index(c)]) for c in columns}
            problems.extend(_number_problems(i, values, numeric))
            rows.append((known[number], values))
    if problems:
        raise PayrollError(
            _("文件“%(file)s”未导入：%(problems)s"),
            params={
                "file": filename,
                "problems": either(
                    "；".join(zh for zh, _en in problems[:20]),
                    "; ".join(en for _zh, en in problems[:20]),
                ),
            },
            field="file",
        )
    if not rows:
        raise PayrollError(
            _("文件“%(file)s”没有任何员工行。"), params={"file": filename}, field="file"
        )
    _prepare(run_obj, rows)  # validate values against the plan before storing anything
    before = PayInput.objects.filter(run=run_obj).count()
    PayInput.objects.filter(run=run_obj).delete()
    PayInput.objects.bulk_create(
        PayInput(run=run_obj, employee=emp, values=values) for emp, values in rows
    )
    run_obj.inputs_changed_at = timezone.now()
    run_obj.save(update_fields=["inputs_changed_at"])
    audit_record(
        actor=user,
        entity="payroll_run",
        entity_id=run_obj.pk,
        action="inputs_import",
        before={"rows": before},
        after={"rows": len(rows), "file": filename, "columns": columns},
        cycle_id=run_obj.cycle_id,
    )
    return len(rows)


@transaction.atomic
def payroll_input_set(
    *,
    user: UserLike,
    run: PayrollRun,
    employee: Employee,
    column: str,
    value: str,
    reason: str = "",
) -> PayInput:
    """Enter or correct one value of one person's pay inputs (adds the person if needed)."""
    require_payroll_admin(user=user)
    run_obj = _lock_draft(run)
    plan = compile_text(run_obj.plan_version.yaml_text)
    specs = {s.name: s for s in plan.plan.inputs}
    if column not in specs:
        raise PayrollError(
            _("薪酬方案没有输入项“%(column)s”；可填写：%(columns)s。"),
            params={"column": column, "columns": joined(specs) if specs else _("（无）")},
            field="column",
        )
    value = (value or "").strip()
    if specs[column].type == "number" and value:
        parse_number(value, domain=PAY_INPUT, label=column, field="value", error=PayrollError)
    row, _created = PayInput.objects.get_or_create(run=run_obj, employee=employee)
    before = row.values.get(column)
    row.values = {**row.values, column: value}
    row.save(update_fields=["values"])
    run_obj.inputs_changed_at = timezone.now()
    run_obj.save(update_fields=["inputs_changed_at"])
    audit_record(
        actor=user,
        entity="payroll_input",
        entity_id=row.pk,
        action="set",
        before={column: before},
        after={column: value},
        reason=reason,
        cycle_id=run_obj.cycle_id,
        employee_id=employee.pk,
    )
    return row


@transaction.atomic
def payroll_adjustment_set(
    *,
    user: UserLike,
    run: PayrollRun,
    employee: Employee,
    component: str,
    amount: Decimal,
    reason: str,
) -> PayInput:
    """A manual one-off reward (+) or penalty (−) with its reason (shown on the pay slip)."""
    require_payroll_admin(user=user)
    amount = parse_number(
        amount, domain=AMOUNT, label=_("金额"), field="amount", error=PayrollError
    )
    run_obj = _lock_draft(run)
    reason = (reason or "").strip()
    if not reason:
        raise PayrollError(_("一次性奖惩必须填写原因。"), field="reason")
    specs = {s.code: s for s in adjustment_specs(compile_text(run_obj.plan_version.yaml_text))}
    if component not in specs:
        raise PayrollError(
            _("该薪酬方案没有这个奖惩（adjustment）项；可选：%(choices)s"),
            params={"choices": joined(specs) if specs else _("（无，本方案不能录入一次性奖惩）")},
            field="component",
        )
    spec = specs[component]
    row = PayInput.objects.filter(run=run_obj, employee=employee).first()
    if row is None:
        raise PayrollError(
            _("%(name)s 不在本次工资输入中，请先上传或录入其工资输入。"),
            params={"name": employee.name},
        )
    before = {"amount": row.values.get(spec.amount_column), "reason": None}
    values = {**row.values, spec.amount_column: str(amount)}
    if spec.reason_column:
        before["reason"] = row.values.get(spec.reason_column)
        values[spec.reason_column] = reason
    row.values = values
    row.save(update_fields=["values"])
    run_obj.inputs_changed_at = timezone.now()
    run_obj.save(update_fields=["inputs_changed_at"])
    audit_record(
        actor=user,
        entity="payroll_adjustment",
        entity_id=row.pk,
        action=spec.code,
        before=before,
        after={"amount": str(amount), "reason": reason},
        reason=reason,
        cycle_id=run_obj.cycle_id,
        employee_id=employee.pk,
    )
    return row


@transaction.atomic
def payroll_run_compute(*, user: UserLike, run: PayrollRun) -> PayrollRun:
    """Run the pay engine on the stored inputs and the cycle's results; store every component."""
    require_payroll_admin(user=user)
    run_obj = _lock_draft(run)
    _ensure_payable(run_obj.cycle, pgettext_lazy("doing", "计算工资"))
    inputs = list(
        PayInput.objects.filter(run=run_obj).select_related("employee").order_by("employee__number")
    )
    if not inputs:
        raise PayrollError(_("还没有工资输入：请先上传工资输入表（CSV/XLSX）或逐项录入。"))
    rows = [(i.employee, i.values) for i in inputs]
    plan, data = _prepare(run_obj, rows)
    try:
        payroll = pay_run(plan, data)
    except PayError as exc:
        raise PayrollError(
            _("工资无法计算：%(problems)s"), params={"problems": _issues_text(exc)}
        ) from None
    _check_amounts(payroll.slips)
    by_number = {e.number: e for e, _ in rows}
    parts = {
        p.employee_id: p
        for p in Participant.objects.filter(
            cycle_id=run_obj.cycle_id, employee_id__in=[e.pk for e, _ in rows]
        )
    }
    old = {
        s.employee_id: s for s in Payslip.objects.filter(run=run_obj).prefetch_related("components")
    }
    before = {
        emp_id: {
            "net": s.net,
            "components": {c.code: c.amount for c in s.components.all()},
        }
        for emp_id, s in old.items()
    }
    Payslip.objects.filter(run=run_obj).delete()
    now = timezone.now()
    slips = []
    for s in payroll.slips:
        emp = by_number[s.employee]
        part = parts.get(emp.pk)
        slips.append(
            Payslip(
                run=run_obj,
                employee=emp,
                participant=part,
                department_id=part.department_id if part else emp.department_id,
                group=s.group,
                net=s.net,
                computed_at=now,
            )
        )
    Payslip.objects.bulk_create(slips)
    comps = []
    for slip, s in zip(slips, payroll.slips, strict=True):
        for k, line in enumerate(s.lines):
            comps.append(
                PayComponent(
                    payslip=slip,
                    index=k,
                    code=line.code,
                    name=line.name,
                    memo=line.memo,
                    amount=line.amount,
                    trace=line.text,
                    trace_en=line.text_en,
                )
            )
    PayComponent.objects.bulk_create(comps)
    for slip, s in zip(slips, payroll.slips, strict=True):
        audit_record(
            actor=user,
            entity="payslip",
            entity_id=slip.pk,
            action="compute",
            before=before.get(slip.employee_id),
            after={"net": s.net, "components": {x.code: x.amount for x in s.lines}},
            reason=run_obj.name,
            cycle_id=run_obj.cycle_id,
            employee_id=slip.employee_id,
        )
    run_obj.computed_at = now
    run_obj.computed_by = user
    run_obj.warnings = list(payroll.warnings)
    run_obj.pools = [
        {
            "code": p.code,
            "name": p.name,
            "amount": str(p.amount),
            "distributed": str(p.distributed),
            "groups": [[g, str(v)] for g, v in p.groups],
        }
        for p in payroll.pools
    ]
    run_obj.save(update_fields=["computed_at", "computed_by", "warnings", "pools"])
    audit_record(
        actor=user,
        entity="payroll_run",
        entity_id=run_obj.pk,
        action="compute",
        after={"people": len(slips), "net_total": sum((s.net for s in payroll.slips), Decimal(0))},
        cycle_id=run_obj.cycle_id,
    )
    return run_obj


_COLUMN_MAX = Decimal("999999999999.99")  # PayComponent.amount / Payslip.net: (14, 2)


def _check_amounts(slips: Any) -> None:
    """Every computed amount fits its column, or the run is refused naming the person."""
    for s in slips:
        for code, amount in [("net", s.net), *((x.code, x.amount) for x in s.lines)]:
            if not amount.is_finite() or abs(amount) > _COLUMN_MAX:
                raise PayrollError(
                    _(
                        "工资无法保存：%(who)s 的“%(code)s”算出 %(amount)s，超出可保存的范围"
                        "（绝对值不超过 999,999,999,999.99）；请检查其工资输入。"
                    ),
                    params={"who": s.employee, "code": code, "amount": amount},
                )


@transaction.atomic
def payroll_run_close(*, user: UserLike, run: PayrollRun) -> PayrollRun:
    """Close (freeze) the run; employees then see their own pay slips."""
    require_payroll_admin(user=user)
    run_obj = _lock_draft(run)
    if run_obj.needs_compute:
        raise PayrollError(_("工资输入在上次计算之后有改动（或尚未计算）：请先重新计算，再关闭。"))
    run_obj.status = PayrollRun.Status.CLOSED
    run_obj.closed_at = timezone.now()
    run_obj.closed_by = user
    run_obj.save(update_fields=["status", "closed_at", "closed_by"])
    audit_record(
        actor=user,
        entity="payroll_run",
        entity_id=run_obj.pk,
        action="close",
        after={"status": run_obj.status, "people": run_obj.payslips.count()},
        cycle_id=run_obj.cycle_id,
    )
    return run_obj
