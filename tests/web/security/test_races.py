"""Double submit: ten identical POSTs at once (one session, ten threads, ten database
connections) have one effect and never a 500 (issue 9, item 6).

PostgreSQL only: SQLite runs one writer at a time (the other threads would wait on the file
lock or fail with "database is locked", which is not what is being tested). Run with
``DATABASE_URL=postgres://…/test_x pytest tests/web/security/test_races.py``.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles.models import Appeal, Cycle, MetricValue, PlanItem, TargetChange
from jixiao.web.payroll.models import PayPlanVersion, PayrollRun
from jixiao.web.schemes.models import Scheme, SchemeVersion

from ..factories import (
    client_for,
    go,
    make_cycle,
    participant,
    published_version,
    sample_yaml,
    walk,
)
from ..payroll.helpers import published_plan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL (SQLite serialises writers on a file lock)",
    ),
]

N = 10


def storm(user, url: str, data: dict | None = None, n: int = N) -> list[int]:
    """``n`` identical posts released together; their status codes."""
    cookies = client_for(user).cookies
    barrier = threading.Barrier(n)

    def one(_: int) -> int:
        c = Client(raise_request_exception=False)
        c.cookies = cookies
        barrier.wait()
        try:
            return c.post(url, data or {}).status_code
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(n) as pool:
        codes = list(pool.map(one, range(n)))
    assert 500 not in codes, codes
    return codes


def _audits(action: str, **kw) -> int:
    return AuditEntry.objects.filter(action=action, **kw).count()


def test_new_scheme(org):
    data = {"yaml_text": sample_yaml(), "code": "s1", "name": "s"}
    codes = storm(org.hr.user, reverse("schemes:new"), data)
    assert codes.count(302) == 1 and Scheme.objects.filter(code="s1").count() == 1


def test_new_scheme_draft(org):
    v = published_version(org)
    storm(org.hr.user, reverse("schemes:new_draft", args=[v.pk]))
    assert SchemeVersion.objects.filter(scheme=v.scheme).count() == 2
    assert _audits("new_draft") == 1


def test_new_pay_plan_draft(org):
    v = published_plan(org)
    storm(org.hr.user, reverse("payroll:plan_new_draft", args=[v.pk]))
    assert PayPlanVersion.objects.filter(plan=v.plan).count() == 2


def test_new_cycle(org):
    v = published_version(org)
    data = {"name": "2026年11月", "period": "month", "start": "2026-11-01", "end": "2026-11-30"}
    codes = storm(org.hr.user, reverse("cycles:new"), {**data, "versions": [v.pk]})
    assert codes.count(302) == 1 and Cycle.objects.filter(name="2026年11月").count() == 1


def test_plan_item_and_signature(org):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    data = {"kind": "kpi", "code": "new1", "name": "新指标", "weight": "10", "target": "5"}
    storm(org.head.user, reverse("cycles:plan_item", args=[p.pk]), data)
    assert PlanItem.objects.filter(participant=p, code="new1").count() == 1
    codes = storm(org.employee.user, reverse("cycles:sign", args=[p.pk]))
    assert codes.count(302) == 1
    assert _audits("sign", employee_id=org.employee.pk) == 1


def test_metric(org):
    cycle = walk(org, make_cycle(org), "running")
    p = participant(cycle, org.employee)
    storm(org.head.user, reverse("cycles:metric", args=[p.pk]), {"code": "sales", "value": "7"})
    assert MetricValue.objects.filter(participant=p).count() == 1


def test_target_change_request_and_approval(org):
    cycle = make_cycle(org, version=published_version(org, "ops-monthly"))
    cycle.scheme_versions.add(published_version(org))
    cycle = walk(org, cycle, "running")
    item = participant(cycle, org.employee).plan_items.get(code="sales_target")
    data = {"new_target": "120000", "reason": "市场变化"}
    storm(org.head.user, reverse("cycles:target_change", args=[item.pk]), data)
    assert TargetChange.objects.filter(plan_item=item).count() == 1
    change = TargetChange.objects.get()
    codes = storm(
        org.gm.user, reverse("cycles:target_change_decide", args=[change.pk]), {"approve": "1"}
    )
    assert codes.count(302) == 1 and _audits("change_approved") == 1


def _confirmation(org) -> Cycle:
    return go(org, walk(org, make_cycle(org), "published"), "open_confirmation")


def test_appeal_decision_and_second_appeal(org):
    cycle = _confirmation(org)
    p = participant(cycle, org.employee)
    storm(org.employee.user, reverse("cycles:appeal", args=[p.pk]), {"reason": "评分不公"})
    assert Appeal.objects.filter(participant=p).count() == 1
    appeal = Appeal.objects.get()
    data = {"upheld": "1", "decision": "成立", "new_total": "88"}
    codes = storm(org.supervisor.user, reverse("cycles:appeal_decide", args=[appeal.pk]), data)
    assert codes.count(302) == 1 and _audits("decide") == 1
    assert _audits("appeal_upheld") == 1
    storm(org.employee.user, reverse("cycles:appeal", args=[p.pk]), {"reason": "仍不满意"})
    assert Appeal.objects.filter(participant=p, round=2).count() == 1


def test_payroll_run(org):
    cycle = walk(org, make_cycle(org), "published")
    version = published_plan(org)
    storm(org.hr.user, reverse("payroll:run_new", args=[cycle.pk]), {"version": version.pk})
    assert PayrollRun.objects.filter(cycle=cycle).count() == 1


def test_transition_and_confirmation(org):
    cycle = walk(org, make_cycle(org), "published")
    codes = storm(
        org.hr.user, reverse("cycles:transition", args=[cycle.pk]), {"name": "open_confirmation"}
    )
    assert codes.count(302) == 1 and _audits("open_confirmation") == 1
    p = participant(cycle, org.employee)
    storm(org.employee.user, reverse("cycles:confirm", args=[p.pk]))
    assert _audits("confirm", employee_id=org.employee.pk) == 1
