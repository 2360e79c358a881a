"""Demo payroll: the archived demo cycle gets a closed run computed with a built-in plan.

Idempotent: a cycle that already has a payroll run is left alone.
"""

from __future__ import annotations

import random
from decimal import Decimal

from jixiao.pay import LIBRARY
from jixiao.web.access import UserLike
from jixiao.web.cycles.models import Cycle
from jixiao.web.payroll import services as ps
from jixiao.web.payroll.models import PayPlanVersion, PayrollRun

__all__ = ["load_payroll_demo"]

DEMO_PLAN = "kefu_zhuanyuan"


def _plan_version(hr_user: UserLike) -> PayPlanVersion:
    v = PayPlanVersion.objects.filter(plan__code=DEMO_PLAN, status="published").first()
    if v is None:
        text = (LIBRARY / f"{DEMO_PLAN}.yaml").read_text(encoding="utf-8")
        v = ps.payplan_create(user=hr_user, code=DEMO_PLAN, name="客服专员", yaml_text=text)
        v = ps.payplan_version_publish(user=hr_user, version=v)
    return v


def load_payroll_demo(*, hr_user: UserLike, seed: int = 2026) -> PayrollRun | None:
    """A closed run for the customer-service staff of the newest archived cycle."""
    cycle = Cycle.objects.filter(state=Cycle.State.ARCHIVED).order_by("-start").first()
    if cycle is None or PayrollRun.objects.filter(cycle=cycle).exists():
        return None
    rng = random.Random(seed)
    parts = list(
        cycle.participants.filter(eligible=True, employee__position__code__startswith="K")
        .select_related("employee")
        .order_by("employee__number")
    )
    if not parts:
        return None
    version = _plan_version(hr_user)
    run = ps.payroll_run_create(user=hr_user, cycle=cycle, version=version)
    header = "工号,姓名,个人销售额,中评修改个数,差评修改个数,奖惩,奖惩原因\n"
    rows = [
        f"{p.employee.number},{p.employee.name},{rng.randint(18000, 65000)},"
        f"{rng.randint(0, 4)},{rng.randint(0, 2)},0,"
        for p in parts
    ]
    ps.payroll_inputs_import(
        user=hr_user,
        run=run,
        filename="客服工资输入.csv",
        content=(header + "\n".join(rows)).encode(),
    )
    ps.payroll_adjustment_set(
        user=hr_user,
        run=run,
        employee=parts[0].employee,
        component="奖惩金额",
        amount=Decimal("100"),
        reason="月度服务之星",
    )
    if len(parts) > 1:
        ps.payroll_adjustment_set(
            user=hr_user,
            run=run,
            employee=parts[-1].employee,
            component="奖惩金额",
            amount=Decimal("-50"),
            reason="漏回消息 2 次",
        )
    ps.payroll_run_compute(user=hr_user, run=run)
    return ps.payroll_run_close(user=hr_user, run=run)
