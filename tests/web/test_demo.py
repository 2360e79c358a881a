"""The demo shop: about 40 staff, three monthly cycles in different states, idempotent."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles.models import Appeal, Cycle
from jixiao.web.org.models import Department, Employee


def test_load_demo_twice(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "用户名: hr" in out and "用户名: gm" in out and "用户名: yunying" in out
    n_emp, n_audit = Employee.objects.count(), AuditEntry.objects.count()
    assert 35 <= n_emp <= 50
    names = set(Department.objects.values_list("name", flat=True))
    assert {"运营部", "推广部", "客服部", "美工部", "文案部", "新媒体部", "直播部"} <= names
    states = sorted(Cycle.objects.values_list("state", flat=True))
    assert states == ["archived", "planning", "rating"]
    archived = Cycle.objects.get(state="archived")
    assert Appeal.objects.filter(participant__cycle=archived, status="upheld").count() == 1
    assert archived.participants.filter(eligible=False).exists()  # absent > 20 days
    call_command("load_demo")
    assert Employee.objects.count() == n_emp and Cycle.objects.count() == 3
    assert AuditEntry.objects.count() == n_audit


def test_months_wrap_the_year():
    from jixiao.web.demo import _month

    assert _month(dt.date(2026, 1, 15), 2) == (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert _month(dt.date(2026, 3, 1), 1) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert _month(dt.date(2026, 12, 9), 0) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
