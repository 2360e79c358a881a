"""Reads for payroll. Every list is built with a fixed number of queries (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum

from jixiao.pay import Line, Payroll, PoolSummary, Slip, xlsx_of
from jixiao.web.access import UserLike, actor_of, visible_payslips
from jixiao.web.cycles.models import Cycle
from jixiao.web.payroll.models import (
    PayComponent,
    PayInput,
    PayPlan,
    PayPlanVersion,
    PayrollRun,
    Payslip,
)
from jixiao.web.payroll.plans import adjustment_specs, compile_text
from jixiao.web.payroll.services import PAYABLE_STATES

__all__ = [
    "Column",
    "PaySheet",
    "cycle_runs",
    "my_payslips",
    "pay_sheet",
    "payable_cycles",
    "payplan_list",
    "payslip_detail",
    "payslips_xlsx",
    "published_payplan_versions",
    "runs_overview",
    "slip_for_export",
]


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    memo: bool


@dataclass
class PaySheet:
    run: PayrollRun
    columns: list[Column]
    rows: list[Payslip]  # each with ``amounts`` aligned with ``columns``
    totals: list[Decimal]
    net_total: Decimal
    inputs: int


def payplan_list() -> QuerySet[PayPlan]:
    return PayPlan.objects.prefetch_related("versions").order_by("code")


def _with_totals(qs: QuerySet[PayrollRun]) -> QuerySet[PayrollRun]:
    return qs.select_related("cycle", "plan_version__plan", "closed_by").annotate(
        people=Count("payslips"), net_total=Sum("payslips__net")
    )


def cycle_runs(*, cycle: Cycle) -> list[PayrollRun]:
    return list(_with_totals(PayrollRun.objects.filter(cycle=cycle)).order_by("-created_at"))


def runs_overview() -> list[PayrollRun]:
    return list(_with_totals(PayrollRun.objects.all()).order_by("-cycle__start", "-created_at"))


def payable_cycles() -> list[Cycle]:
    """Cycles whose results are published or later: the ones payroll can be run for."""
    return list(Cycle.objects.filter(state__in=PAYABLE_STATES).order_by("-start", "-id"))


def columns_of(run: PayrollRun) -> list[Column]:
    plan = compile_text(run.plan_version.yaml_text)
    return [Column(c.code, c.spec.name, bool(c.spec.memo)) for c in plan.components]


def _slips(qs: QuerySet[Payslip]) -> QuerySet[Payslip]:
    return qs.select_related("employee", "department").prefetch_related(
        Prefetch("components", queryset=PayComponent.objects.order_by("index"))
    )


def pay_sheet(*, user: UserLike, run: PayrollRun) -> PaySheet:
    """One row per person the user may see, one column per component, and the totals."""
    columns = columns_of(run)
    rows = list(
        _slips(visible_payslips(user=user, run=run)).order_by(
            "department__code", "employee__number"
        )
    )
    totals = [Decimal("0.00")] * len(columns)
    for slip in rows:
        by_code = {c.code: c.amount for c in slip.components.all()}
        slip.amounts = [by_code.get(c.code) for c in columns]
        for i, amount in enumerate(slip.amounts):
            if amount is not None:
                totals[i] += amount
    inputs = PayInput.objects.filter(run=run).count()
    return PaySheet(
        run=run,
        columns=columns,
        rows=rows,
        totals=totals,
        net_total=sum((s.net for s in rows), Decimal("0.00")),
        inputs=inputs,
    )


def payslip_detail(*, slip: Payslip) -> dict[str, Any]:
    components = list(slip.components.order_by("index"))
    values = (
        PayInput.objects.filter(run_id=slip.run_id, employee_id=slip.employee_id)
        .values_list("values", flat=True)
        .first()
    ) or {}
    specs = adjustment_specs(compile_text(slip.run.plan_version.yaml_text))
    return {"components": components, "inputs": values, "adjustments": specs}


def my_payslips(*, user: UserLike) -> list[Payslip]:
    """The signed-in employee's own slips in closed runs, newest first."""
    actor = actor_of(user)
    if actor.employee_id is None:
        return []
    return list(
        Payslip.objects.filter(employee_id=actor.employee_id, run__status=PayrollRun.Status.CLOSED)
        .select_related("run__cycle", "run__plan_version__plan")
        .order_by("-run__cycle__start", "-run__created_at")
    )


def payslips_xlsx(*, run: PayrollRun, slips: list[Payslip]) -> bytes:
    """The pay sheet and slips of ``slips`` as the pay engine's XLSX (from the stored amounts)."""
    plan = compile_text(run.plan_version.yaml_text)
    out = []
    for s in slips:
        lines = tuple(
            Line(c.code, c.name, c.amount, c.trace, c.trace_en, c.memo) for c in s.components.all()
        )
        out.append(Slip(s.employee.number, s.employee.name, s.group, lines, s.net))
    pools = tuple(
        PoolSummary(
            p["code"],
            p["name"],
            Decimal(p["amount"]),
            tuple((g, Decimal(v)) for g, v in p["groups"]),
            Decimal(p["distributed"]),
        )
        for p in run.pools
    )
    payroll = Payroll.of_slips(plan, out, pools, tuple(run.warnings))
    return xlsx_of(payroll)


def export_slips(*, user: UserLike, run: PayrollRun) -> list[Payslip]:
    return list(
        _slips(visible_payslips(user=user, run=run)).order_by(
            "department__code", "employee__number"
        )
    )


def published_payplan_versions() -> QuerySet[PayPlanVersion]:
    """The versions a payroll run may pin."""
    return (
        PayPlanVersion.objects.filter(status=PayPlanVersion.Status.PUBLISHED)
        .select_related("plan")
        .order_by("plan__code", "-number")
    )


def slip_for_export(*, slip: Payslip) -> list[Payslip]:
    """One (already access-checked) slip with its components, as ``payslips_xlsx`` wants."""
    return list(
        Payslip.objects.filter(pk=slip.pk).select_related("employee").prefetch_related("components")
    )
