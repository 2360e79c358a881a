"""List pages use a fixed number of queries, whatever the number of people (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Appeal, Cycle, Participant, Rating
from jixiao.web.org.models import Department, Employee

from ..factories import published_version


def base(org):
    version = published_version(org)
    depts = [org.ops, org.cs] + [
        Department.objects.create(code=f"3{i}", name=f"部门{i}", parent=org.office)
        for i in range(5)
    ]
    for d in depts[2:]:
        org.supervisor.oversees.add(d)
    return version, depts


def populate(org, n: int, version, depts) -> Cycle:
    Employee.objects.bulk_create(
        Employee(
            number=f"N{n}-{i:04d}",
            name=f"员工{i}",
            department=depts[i % len(depts)],
            manager=org.head,
        )
        for i in range(n)
    )
    cycle = Cycle.objects.create(
        name=f"big-{n}",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        state=Cycle.State.CONFIRMATION,
    )
    cycle.scheme_versions.add(version)
    Participant.objects.bulk_create(
        Participant(
            cycle=cycle,
            employee=e,
            department_id=e.department_id,
            scheme_version=version,
            total=80,
            grade="B",
            eligible=e.pk % 7 != 0,
        )
        for e in Employee.objects.filter(
            ~Q(number__startswith="N") | Q(number__startswith=f"N{n}-")
        )
    )
    parts = list(Participant.objects.filter(cycle=cycle))
    Rating.objects.bulk_create(
        Rating(
            participant=p,
            rater=org.head,
            role="manager",
            item=item,
            score="30" if item == "tasks" else "",
        )
        for p in parts
        for item in ("tasks", "attitude")
    )
    now = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
    Appeal.objects.bulk_create(
        Appeal(participant=p, reason="x", filed_at=now, due_at=now) for p in parts[::50]
    )
    for p in parts[:100]:
        audit_record(
            actor=org.hr.user,
            entity="result",
            entity_id=p.pk,
            action="x",
            cycle_id=cycle.pk,
            employee_id=p.employee_id,
        )
    return cycle


PAGES = {
    "dashboard": lambda c: reverse("cycles:dashboard", args=[c.pk]),
    "team": lambda c: reverse("cycles:team", args=[c.pk]),
    "cycle_list": lambda c: reverse("cycles:list"),
    "me": lambda c: reverse("cycles:me"),
    "ratings": lambda c: reverse("cycles:ratings", args=[c.pk]),
    "api_results": lambda c: reverse("cycles:api_results", args=[c.pk]),
    "export": lambda c: reverse("cycles:export", args=[c.pk]),
    "audit": lambda c: reverse("audit:list"),
}
VIEWER = {"export": "gm", "audit": "hr", "ratings": "head", "team": "supervisor"}


def count_queries(org, cycle, page: str) -> tuple[int, int]:
    client = Client()
    client.force_login(org.user(VIEWER.get(page, "gm")))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PAGES[page](cycle))
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.content)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_fixed_query_count_at_500_employees(org, page, django_assert_num_queries):
    version, depts = base(org)
    small = populate(org, 20, version, depts)
    q_small, size_small = count_queries(org, small, page)
    big = populate(org, 500, version, depts)
    q_big, size_big = count_queries(org, big, page)
    assert q_big == q_small, f"{page}: {q_small} queries for 20 people, {q_big} for 500"
    # and pin the number, so a new query per row (or any new query) is noticed
    client = Client()
    client.force_login(org.user(VIEWER.get(page, "gm")))
    with django_assert_num_queries(q_big):
        client.get(PAGES[page](big))
    if page not in {"cycle_list", "me", "audit"}:
        assert size_big > size_small  # the 500 rows really were rendered
