"""Payroll pages use a fixed number of queries, whatever the number of people (no N+1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixiao.web.cycles.models import Cycle, Participant
from jixiao.web.org.models import Department, Employee
from jixiao.web.payroll.models import PayComponent, PayInput, PayrollRun, Payslip

from ..factories import published_version
from .helpers import published_plan

CODES = ["绩效工资", "销售提成", "中评修改", "差评修改", "奖惩金额"]


def populate(org, n: int, plan_version, scheme_version, depts) -> PayrollRun:
    Employee.objects.bulk_create(
        Employee(number=f"N{n}-{i:04d}", name=f"员工{i}", department=depts[i % len(depts)])
        for i in range(n)
    )
    cycle = Cycle.objects.create(
        name=f"big-{n}",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        state=Cycle.State.CONFIRMATION,
    )
    emps = [*Employee.objects.filter(number__startswith=f"N{n}-"), org.employee]
    Participant.objects.bulk_create(
        Participant(
            cycle=cycle,
            employee=e,
            department_id=e.department_id,
            scheme_version=scheme_version,
            total=80,
            grade="B",
        )
        for e in emps
    )
    run = PayrollRun.objects.create(
        cycle=cycle, plan_version=plan_version, name=f"run-{n}", created_by=org.hr.user
    )
    PayInput.objects.bulk_create(PayInput(run=run, employee=e, values={}) for e in emps)
    now = timezone.now()
    slips = Payslip.objects.bulk_create(
        Payslip(
            run=run,
            employee=e,
            department_id=e.department_id,
            net=Decimal("1000.00"),
            computed_at=now,
        )
        for e in emps
    )
    PayComponent.objects.bulk_create(
        PayComponent(payslip=s, index=k, code=code, name=code, amount=Decimal("200.00"), trace="t")
        for s in slips
        for k, code in enumerate(CODES)
    )
    PayrollRun.objects.filter(pk=run.pk).update(
        computed_at=now, status=PayrollRun.Status.CLOSED, closed_at=now, closed_by=org.hr.user
    )
    return run


PAGES = {
    "pay_sheet": lambda r: reverse("payroll:run", args=[r.pk]),
    "pay_sheet_head": lambda r: reverse("payroll:run", args=[r.pk]),
    "cycle_runs": lambda r: reverse("payroll:cycle_runs", args=[r.cycle_id]),
    "home": lambda r: reverse("payroll:home"),
    "me": lambda r: reverse("payroll:me"),
    "export": lambda r: reverse("payroll:run_export", args=[r.pk]),
}
VIEWER = {"pay_sheet_head": "supervisor", "me": "employee", "home": "hr"}


def count(org, run, page) -> tuple[int, int]:
    client = Client()
    client.force_login(org.user(VIEWER.get(page, "gm")))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PAGES[page](run))
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.content)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_fixed_query_count_at_500_employees(org, page, django_assert_num_queries):
    scheme_version = published_version(org)
    plan_version = published_plan(org)
    depts = [org.ops, org.cs] + [
        Department.objects.create(code=f"3{i}", name=f"部门{i}", parent=org.office)
        for i in range(3)
    ]
    org.supervisor.oversees.add(depts[2])
    small = populate(org, 20, plan_version, scheme_version, depts)
    q_small, size_small = count(org, small, page)
    big = populate(org, 500, plan_version, scheme_version, depts)
    q_big, size_big = count(org, big, page)
    assert q_big == q_small, f"{page}: {q_small} queries for 20 people, {q_big} for 500"
    client = Client()
    client.force_login(org.user(VIEWER.get(page, "gm")))
    with django_assert_num_queries(q_big):
        client.get(PAGES[page](big))
    if page in {"pay_sheet", "pay_sheet_head", "export"}:
        assert size_big > size_small  # the 500 rows really were rendered
