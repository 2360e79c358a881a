"""A run's inputs: the uploaded table, single values and one-off rewards or penalties."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.files import (
    EMPLOYEE_ALIASES,
    PERSON_ALIASES,
    FileError,
    find_column,
    read_table,
)
from jixiao.pay import cell_text
from jixiao.web.access import UserLike, require_payroll_admin
from jixiao.web.audit.services import audit_record
from jixiao.web.errors import either, in_both, joined, text_of
from jixiao.web.numbers import AMOUNT, PAY_INPUT, NumberError, parse_number
from jixiao.web.org.models import Employee
from jixiao.web.payroll.models import (
    PayInput,
    PayrollRun,
)
from jixiao.web.payroll.plans import adjustment_specs, compile_text
from jixiao.web.payroll.services._common import (
    INPUT_LIMITS,
    PayrollError,
    lock_draft,
    prepare_data,
)


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


@transaction.atomic
def payroll_inputs_import(*, user: UserLike, run: PayrollRun, filename: str, content: bytes) -> int:
    """Replace the run's inputs with a CSV (UTF-8/GB18030) or XLSX table; all or nothing."""
    require_payroll_admin(user=user)
    run_obj = lock_draft(run)
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
            values = {c: cell_text(raw[header.index(c)]) for c in columns}
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
    prepare_data(run_obj, rows)  # validate values against the plan before storing anything
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
    run_obj = lock_draft(run)
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
    run_obj = lock_draft(run)
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
