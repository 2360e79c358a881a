"""Payroll runs: create, compute (the pay engine on the stored inputs and results), close."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jixiao.pay import PayError, Slip
from jixiao.pay import run as pay_run
from jixiao.web.access import UserLike, require_payroll_admin, signed_in
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Cycle, Participant
from jixiao.web.locking import lock
from jixiao.web.payroll.models import (
    PayComponent,
    PayInput,
    PayPlanVersion,
    PayrollRun,
    Payslip,
)
from jixiao.web.payroll.services._common import (
    PayrollError,
    ensure_payable,
    issues_text,
    lock_draft,
    prepare_data,
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
    ensure_payable(cycle, _("创建工资核算"))
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
    obj = PayrollRun.objects.create(
        cycle=cycle, plan_version=version, name=name, created_by=signed_in(user)
    )
    audit_record(
        actor=user,
        entity="payroll_run",
        entity_id=obj.pk,
        action="create",
        after={"name": name, "plan": version.plan.code, "version": version.number},
        cycle_id=cycle.pk,
    )
    return obj


@transaction.atomic
def payroll_run_compute(*, user: UserLike, run: PayrollRun) -> PayrollRun:
    """Run the pay engine on the stored inputs and the cycle's results; store every component."""
    require_payroll_admin(user=user)
    run_obj = lock_draft(run)
    ensure_payable(run_obj.cycle, pgettext_lazy("doing", "计算工资"))
    inputs = list(
        PayInput.objects.filter(run=run_obj).select_related("employee").order_by("employee__number")
    )
    if not inputs:
        raise PayrollError(_("还没有工资输入：请先上传工资输入表（CSV/XLSX）或逐项录入。"))
    rows = [(i.employee, i.values) for i in inputs]
    plan, data = prepare_data(run_obj, rows)
    try:
        payroll = pay_run(plan, data)
    except PayError as exc:
        raise PayrollError(
            _("工资无法计算：%(problems)s"), params={"problems": issues_text(exc)}
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
    run_obj.computed_by = signed_in(user)
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


def _check_amounts(slips: Sequence[Slip]) -> None:
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
    run_obj = lock_draft(run)
    if run_obj.needs_compute:
        raise PayrollError(_("工资输入在上次计算之后有改动（或尚未计算）：请先重新计算，再关闭。"))
    run_obj.status = PayrollRun.Status.CLOSED
    run_obj.closed_at = timezone.now()
    run_obj.closed_by = signed_in(user)
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
