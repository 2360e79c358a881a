"""What every payroll service shares: the states that may be paid, the upload limits, the
errors and the helpers that lock a run and prepare the pay engine's data."""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jixiao.files import (
    Limits,
)
from jixiao.pay import CompiledPlan, PayData, PayError, prepare_table
from jixiao.web.cycles.models import Cycle
from jixiao.web.cycles.services._common import state_params
from jixiao.web.errors import DocumentInvalidError, WebError, either, in_both
from jixiao.web.org.models import Employee
from jixiao.web.payroll.models import (
    PayrollClosedError,
    PayrollRun,
)
from jixiao.web.payroll.plans import compile_text
from jixiao.web.payroll.results import cycle_results

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


def issues_text(exc: PayError, limit: int = 20) -> Promise:
    """The pay engine's issues, in both languages."""
    issues = exc.issues[:limit]
    return either(
        "；".join((f"{i.where}：{i.message}" if i.where else i.message) for i in issues),
        "; ".join(
            (f"{i.where}: {i.message_en or i.message}" if i.where else i.message_en or i.message)
            for i in issues
        ),
    )


# --- runs ---------------------------------------------------------------------------------


def lock_draft(run_obj: PayrollRun) -> PayrollRun:
    locked = (
        PayrollRun.objects.select_for_update()
        .select_related("cycle", "plan_version__plan")
        .get(pk=run_obj.pk)
    )
    if locked.is_closed:
        raise PayrollClosedError(locked.name)
    return locked


def ensure_payable(cycle: Cycle, doing: str | Promise) -> None:
    cycle.refresh_from_db()
    if cycle.state not in PAYABLE_STATES:
        raise PayrollError(
            _(
                "周期“%(cycle)s”当前处于“%(state)s”阶段，不能%(doing)s"
                "（考核结果公布后才能核算工资：只能在“%(allowed)s”阶段进行）。"
            ),
            params=state_params(cycle, PAYABLE_STATES, doing),
        )


def _table(
    run_obj: PayrollRun, rows: list[tuple[Employee, dict[str, str]]]
) -> tuple[list[str], list[list[str]]]:
    plan = compile_text(run_obj.plan_version.yaml_text)
    columns = [s.name for s in plan.plan.inputs]
    header = ["工号", "姓名", *columns]
    data = [[emp.number, emp.name, *[values.get(c, "") for c in columns]] for emp, values in rows]
    return header, data


_ROW = re.compile(r"工资输入 第 (\d+) 行")


def prepare_data(
    run_obj: PayrollRun, rows: list[tuple[Employee, dict[str, str]]]
) -> tuple[CompiledPlan, PayData]:
    """The pay engine's data for ``rows``; problems name the person, not a row number."""
    plan = compile_text(run_obj.plan_version.yaml_text)
    header, data = _table(run_obj, rows)
    results = cycle_results(cycle=run_obj.cycle, numbers=[e.number for e, _ in rows])
    try:
        return plan, prepare_table(plan, header, data, results, None, source="工资输入")
    except PayError as exc:

        def who(m: re.Match) -> str:
            i = int(m.group(1)) - 2
            emp = rows[i][0] if 0 <= i < len(rows) else None
            return f"{emp.number} {emp.name}" if emp else m.group(0)

        text = issues_text(exc)
        named = either(*(_ROW.sub(who, t) for t in in_both(text)))
        raise PayrollError(
            _("工资输入有问题，请改正后再计算：%(problems)s"), params={"problems": named}
        ) from None
