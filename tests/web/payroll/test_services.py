"""Payroll services: plans as frozen versions, runs, inputs, compute, close, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles.models import Participant
from jixiao.web.payroll import services as ps
from jixiao.web.payroll.models import (
    PayComponent,
    PayInput,
    PayPlanFrozenError,
    PayrollClosedError,
    PayrollRun,
    Payslip,
)

from ..factories import make_cycle, walk
from .helpers import KEFU, computed_run, inputs_csv, published_plan


@pytest.fixture
def published(org):
    return walk(org, make_cycle(org), "published")


def test_plan_publish_freezes_the_version(org):
    v = published_plan(org)
    assert v.is_published
    v.yaml_text = "code: x"
    with pytest.raises(PayPlanFrozenError, match="已发布，不能再修改"):
        v.save()
    with pytest.raises(PayPlanFrozenError):
        ps.payplan_version_update(user=org.hr.user, version=v, yaml_text="x")
    draft = ps.payplan_version_new_draft(user=org.hr.user, plan=v.plan)
    assert draft.number == 2 and draft.yaml_text == KEFU and not draft.is_published


def test_plan_publish_refuses_invalid_yaml_with_the_engine_messages(org):
    bad = KEFU.replace("kind: tiers", "kind: tierz")
    v = ps.payplan_create(user=org.hr.user, code="bad", name="bad", yaml_text=bad)
    with pytest.raises(ps.PayPlanInvalidError, match="未知的组件类型"):
        ps.payplan_version_publish(user=org.hr.user, version=v)


def test_only_hr_manages_plans(org):
    with pytest.raises(PermissionDenied):
        ps.payplan_create(user=org.gm.user, code="x", name="x", yaml_text=KEFU)


@pytest.mark.parametrize("state", ["planning", "running", "rating", "review", "approval"])
def test_run_refused_before_publication(org, state):
    cycle = walk(org, make_cycle(org), state)
    v = published_plan(org)
    with pytest.raises(ps.PayrollError, match="考核结果公布后才能核算工资"):
        ps.payroll_run_create(user=org.hr.user, cycle=cycle, version=v)


def test_run_needs_a_published_plan(org, published):
    v = ps.payplan_create(user=org.hr.user, code="d", name="d", yaml_text=KEFU)
    with pytest.raises(ps.PayrollError, match="还是草稿"):
        ps.payroll_run_create(user=org.hr.user, cycle=published, version=v)


def test_compute_stores_components_with_traces_and_audits(org, published):
    run = computed_run(org, published)
    slips = {s.employee_id: s for s in Payslip.objects.filter(run=run)}
    assert set(slips) == {org.employee.pk, org.peer.pk, org.outsider.pk}
    slip = slips[org.employee.pk]
    comps = list(slip.components.order_by("index"))
    assert [c.code for c in comps] == ["绩效工资", "销售提成", "中评修改", "差评修改", "奖惩金额"]
    assert comps[1].amount == Decimal("200.00")  # 10000 × 2%
    assert "10000.00 × 2%" in comps[1].trace and comps[1].trace_en
    assert slip.net == sum(c.amount for c in comps)
    p = Participant.objects.get(cycle=published, employee=org.employee)
    assert slip.participant_id == p.pk and slip.department_id == p.department_id
    assert "得分" in comps[0].trace
    entries = AuditEntry.objects.filter(entity="payslip", action="compute")
    assert entries.count() == 3
    e = entries.get(employee_id=org.employee.pk)
    assert e.before is None and e.after["net"] == str(slip.net) and e.actor == org.hr.user
    # recompute: the audit entry holds the previous amounts
    ps.payroll_input_set(
        user=org.hr.user, run=run, employee=org.employee, column="个人销售额", value="20000"
    )
    ps.payroll_run_compute(user=org.hr.user, run=run)
    e2 = AuditEntry.objects.filter(
        entity="payslip", action="compute", employee_id=org.employee.pk
    ).latest("id")
    assert e2.before["components"]["销售提成"] == "200.00"
    assert e2.after["components"]["销售提成"] == "400.00"


def test_manual_adjustment_needs_a_reason_and_is_audited(org, published):
    run = computed_run(org, published)
    with pytest.raises(ps.PayrollError, match="原因"):
        ps.payroll_adjustment_set(
            user=org.hr.user,
            run=run,
            employee=org.employee,
            component="奖惩金额",
            amount=Decimal("100"),
            reason=" ",
        )
    ps.payroll_adjustment_set(
        user=org.hr.user,
        run=run,
        employee=org.employee,
        component="奖惩金额",
        amount=Decimal("-50"),
        reason="漏回消息 2 次",
    )
    e = AuditEntry.objects.get(entity="payroll_adjustment")
    assert e.reason == "漏回消息 2 次" and e.after["amount"] == "-50"
    assert e.before == {"amount": "0", "reason": ""} and e.employee_id == org.employee.pk
    run.refresh_from_db()
    assert run.needs_compute
    with pytest.raises(ps.PayrollError, match="请先重新计算"):
        ps.payroll_run_close(user=org.hr.user, run=run)
    ps.payroll_run_compute(user=org.hr.user, run=run)
    c = PayComponent.objects.get(payslip__run=run, payslip__employee=org.employee, code="奖惩金额")
    assert c.amount == Decimal("-50.00") and "漏回消息 2 次" in c.trace


def test_close_freezes_everything(org, published):
    run = computed_run(org, published)
    run = ps.payroll_run_close(user=org.hr.user, run=run)
    assert run.is_closed and run.closed_by == org.hr.user
    e = AuditEntry.objects.get(entity="payroll_run", action="close")
    assert e.actor == org.hr.user
    run = PayrollRun.objects.get(pk=run.pk)
    run.name = "x"
    with pytest.raises(PayrollClosedError, match="已关闭"):
        run.save()
    with pytest.raises(PayrollClosedError):
        run.delete()
    slip = Payslip.objects.filter(run=run).first()
    slip.net = 1
    with pytest.raises(PayrollClosedError):
        slip.save()
    with pytest.raises(PayrollClosedError):
        Payslip.objects.filter(run=run).update(net=0)
    with pytest.raises(PayrollClosedError):
        PayComponent.objects.filter(payslip__run=run).delete()
    with pytest.raises(PayrollClosedError):
        PayInput.objects.filter(run=run).update(values={})
    with pytest.raises(PayrollClosedError):
        ps.payroll_run_compute(user=org.hr.user, run=run)
    with pytest.raises(PayrollClosedError):
        ps.payroll_input_set(
            user=org.hr.user, run=run, employee=org.employee, column="个人销售额", value="1"
        )
    with pytest.raises(PayrollClosedError):
        ps.payroll_inputs_import(
            user=org.hr.user, run=run, filename="a.csv", content=inputs_csv(org)
        )


def test_import_is_all_or_nothing_and_names_the_problem(org, published):
    v = published_plan(org)
    run = ps.payroll_run_create(user=org.hr.user, cycle=published, version=v)
    bad = inputs_csv(org) + b"E999,nobody,1,0,0,0,\n"
    with pytest.raises(ps.PayrollError, match="第 5 行：没有工号为 E999 的员工"):
        ps.payroll_inputs_import(user=org.hr.user, run=run, filename="a.csv", content=bad)
    bad = inputs_csv(org).replace(b"10000", b"abc", 1)
    with pytest.raises(ps.PayrollError, match="第 2 行：“个人销售额”应是数字"):
        ps.payroll_inputs_import(user=org.hr.user, run=run, filename="a.csv", content=bad)
    assert not PayInput.objects.filter(run=run).exists()
    with pytest.raises(ps.PayrollError, match=r"\.csv 或 \.xlsx"):
        ps.payroll_inputs_import(user=org.hr.user, run=run, filename="a.pdf", content=b"x")
    gbk = inputs_csv(org).decode("utf-8").encode("gb18030")
    assert ps.payroll_inputs_import(user=org.hr.user, run=run, filename="a.csv", content=gbk) == 3


def test_import_xlsx(org, published, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "个人销售额", "奖惩", "奖惩原因"])
    ws.append([org.employee.number, 12000.5, 30, "好评"])
    path = tmp_path / "in.xlsx"
    wb.save(path)
    v = published_plan(org)
    run = ps.payroll_run_create(user=org.hr.user, cycle=published, version=v)
    n = ps.payroll_inputs_import(
        user=org.hr.user, run=run, filename="in.xlsx", content=path.read_bytes()
    )
    assert n == 1
    ps.payroll_run_compute(user=org.hr.user, run=run)
    slip = Payslip.objects.get(run=run)
    assert slip.components.get(code="销售提成").amount == Decimal("240.01")


def test_person_without_score_is_named(org, published):
    p = Participant.objects.get(cycle=published, employee=org.employee)
    Participant.objects.filter(pk=p.pk).update(eligible=False, total=None)
    v = published_plan(org)
    run = ps.payroll_run_create(user=org.hr.user, cycle=published, version=v)
    with pytest.raises(ps.PayrollError, match=f"{org.employee.number}.*没有考核得分"):
        ps.payroll_inputs_import(
            user=org.hr.user, run=run, filename="a.csv", content=inputs_csv(org)
        )


def test_compute_needs_inputs(org, published):
    v = published_plan(org)
    run = ps.payroll_run_create(user=org.hr.user, cycle=published, version=v)
    with pytest.raises(ps.PayrollError, match="还没有工资输入"):
        ps.payroll_run_compute(user=org.hr.user, run=run)
    with pytest.raises(ps.PayrollError, match="请先重新计算"):
        ps.payroll_run_close(user=org.hr.user, run=run)


def test_only_hr_runs_payroll(org, published):
    v = published_plan(org)
    for who in ("gm", "head", "employee"):
        with pytest.raises(PermissionDenied):
            ps.payroll_run_create(user=org.user(who), cycle=published, version=v)


def test_archived_cycle_can_be_paid(org):
    cycle = walk(org, make_cycle(org), "archived")
    run = computed_run(org, cycle)
    assert Payslip.objects.filter(run=run).count() == 3


GROUP_RANK_PLAN = """
code: zunei
name: 组内第一奖
version: "1"
inputs:
  - {name: 底薪}
components:
  - {code: base, name: 底薪, kind: formula, amount: 底薪}
  - {code: top, name: 组内第一奖, kind: formula, amount: "if(group_rank == 1, 500, 0)"}
"""


def test_a_plan_using_group_rank_pays_by_the_ranking_within_the_department(org, published):
    # Scoring ranks within the department code; the web must hand pay the same groups.
    Participant.objects.filter(cycle=published).update(total=Decimal("10"))
    totals = {org.employee: "90", org.peer: "80", org.outsider: "70"}
    for emp, total in totals.items():
        Participant.objects.filter(cycle=published, employee=emp).update(total=Decimal(total))
    version = published_plan(org, GROUP_RANK_PLAN, code="zunei")
    run = ps.payroll_run_create(user=org.hr.user, cycle=published, version=version)
    csv = "工号,姓名,底薪\n" + "".join(f"{e.number},{e.name},1000\n" for e in totals)
    ps.payroll_inputs_import(user=org.hr.user, run=run, filename="in.csv", content=csv.encode())
    ps.payroll_run_compute(user=org.hr.user, run=run)
    slips = {s.employee_id: s for s in Payslip.objects.filter(run=run)}
    top = {e: slips[e.pk].components.get(code="top") for e in totals}
    assert top[org.employee].amount == Decimal("500.00")  # first in 运营部 (code 10)
    assert top[org.peer].amount == Decimal("0.00")  # second there
    assert top[org.outsider].amount == Decimal("500.00")  # first in 客服部 (code 20)
    assert "组内排名 1" in top[org.employee].trace
    assert "组内排名 2" in top[org.peer].trace
    assert slips[org.peer.pk].group == org.ops.code
