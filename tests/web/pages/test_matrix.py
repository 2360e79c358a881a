"""The permission matrix: every role × every page and export (seed 000 archive access rules).

200 = allowed, 403 = exists but not yours, 404 = does not exist, 302 = sign in first.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import go, make_cycle, participant, walk

ROLES = [
    "hr",
    "gm",
    "leader",
    "supervisor",
    "head",
    "employee",
    "peer",
    "cs_head",
    "outsider",
    "anonymous",
]
MANAGERS = {"hr", "gm", "leader", "supervisor", "head", "cs_head"}
ALL = set(ROLES) - {"anonymous"}


def allowed(ok: set[str]) -> dict[str, int]:
    return {r: (302 if r == "anonymous" else 200 if r in ok else 403) for r in ROLES}


def missing() -> dict[str, int]:
    return {r: (302 if r == "anonymous" else 404) for r in ROLES}


# page name -> (url builder, expected status per role)
MATRIX = {
    "me": (lambda c, p, q, v: reverse("cycles:me"), allowed(ALL)),
    "cycle_list": (lambda c, p, q, v: reverse("cycles:list"), allowed(ALL)),
    "dashboard": (lambda c, p, q, v: reverse("cycles:dashboard", args=[c.pk]), allowed(ALL)),
    "team": (lambda c, p, q, v: reverse("cycles:team", args=[c.pk]), allowed(MANAGERS)),
    "ratings": (lambda c, p, q, v: reverse("cycles:ratings", args=[c.pk]), allowed(ALL)),
    "result_ops_employee": (
        lambda c, p, q, v: reverse("cycles:participant", args=[p.pk]),
        allowed({"hr", "gm", "leader", "supervisor", "head", "employee"}),
    ),
    "result_cs_outsider": (
        lambda c, p, q, v: reverse("cycles:participant", args=[q.pk]),
        allowed({"hr", "gm", "leader", "cs_head", "outsider"}),
    ),
    "print_ops_employee": (
        lambda c, p, q, v: reverse("cycles:print", args=[p.pk]),
        allowed({"gm", "leader", "employee"}),
    ),
    "export_csv": (
        lambda c, p, q, v: reverse("cycles:export", args=[c.pk]),
        allowed({"gm", "leader"}),
    ),
    # an export like the CSV (issue 9, item 10): the same people only
    "api_results": (
        lambda c, p, q, v: reverse("cycles:api_results", args=[c.pk]),
        allowed({"gm", "leader"}),
    ),
    "employee_history": (
        lambda c, p, q, v: reverse("cycles:employee", args=[p.employee_id]),
        allowed({"hr", "gm", "leader", "supervisor", "head", "employee"}),
    ),
    "hr_setup": (lambda c, p, q, v: reverse("cycles:hr"), allowed({"hr"})),
    "schemes": (lambda c, p, q, v: reverse("schemes:list"), allowed({"hr"})),
    "scheme_version": (lambda c, p, q, v: reverse("schemes:version", args=[v.pk]), allowed({"hr"})),
    "audit": (lambda c, p, q, v: reverse("audit:list"), allowed({"hr", "leader"})),
    "missing_cycle": (lambda c, p, q, v: reverse("cycles:dashboard", args=[999999]), missing()),
    "missing_result": (lambda c, p, q, v: reverse("cycles:participant", args=[999999]), missing()),
    "missing_employee": (lambda c, p, q, v: reverse("cycles:employee", args=[999999]), missing()),
    # payroll (runs, pay sheets, slips and exports: tests/web/payroll/test_matrix.py)
    "payroll_cycle_runs": (
        lambda c, p, q, v: reverse("payroll:cycle_runs", args=[c.pk]),
        allowed(MANAGERS),
    ),
    "payroll_plans": (lambda c, p, q, v: reverse("payroll:plans"), allowed({"hr"})),
    "payroll_me": (lambda c, p, q, v: reverse("payroll:me"), allowed(ALL)),
    "imports_cycle": (
        lambda c, p, q, v: reverse("imports:cycle", args=[c.pk]),
        allowed({"hr", "gm", "supervisor", "head", "cs_head"}),
    ),
    "import_batch_by_hr": (
        lambda c, p, q, v: reverse("imports:batch", args=[_hr_batch(c)]),
        allowed({"hr"}),
    ),
    "missing_import_batch": (lambda c, p, q, v: reverse("imports:batch", args=[999999]), missing()),
}


def _hr_batch(cycle) -> int:
    """A committed import batch uploaded by HR (heads see only their own uploads)."""
    from django.contrib.auth import get_user_model

    from jixiao.web.imports.models import ImportBatch

    batch, _ = ImportBatch.objects.get_or_create(
        cycle=cycle,
        sha256="0" * 64,
        defaults={
            "file_name": "客服.csv",
            "content": b"x",
            "status": ImportBatch.Status.COMMITTED,
            "uploaded_by": get_user_model().objects.get(username="hr"),
        },
    )
    return batch.pk


@pytest.fixture
def world(org):
    cycle = walk(org, make_cycle(org), "published")
    cycle = go(org, cycle, "open_confirmation")
    version = cycle.scheme_versions.get()
    return org, cycle, participant(cycle, org.employee), participant(cycle, org.outsider), version


@pytest.mark.parametrize("page", sorted(MATRIX))
def test_permission_matrix(world, page):
    org, cycle, p, q, version = world
    build, expected = MATRIX[page]
    url = build(cycle, p, q, version)
    wrong = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(org.user(role))
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{role}: got {status}, expected {expected[role]}")
    assert wrong == [], f"{page} {url}"


def test_matrix_covers_every_get_page():
    """Every named GET page of the app is in the matrix (POST actions are tested per service)."""
    from jixiao.web.cycles import urls as cycle_urls

    get_pages = {
        "me",
        "list",
        "dashboard",
        "team",
        "ratings",
        "participant",
        "print",
        "export",
        "api_results",
        "employee",
        "hr",
        "home",
    }
    names = {u.name for u in cycle_urls.urlpatterns}
    assert get_pages <= names


def test_api_results_are_for_exporters_only(world):
    org, cycle, _p, _q, _ = world
    client = Client()
    for role in ("head", "employee"):
        client.force_login(org.user(role))
        assert client.get(reverse("cycles:api_results", args=[cycle.pk])).status_code == 403
    client.force_login(org.gm.user)
    rows = client.get(reverse("cycles:api_results", args=[cycle.pk])).json()["results"]
    assert len(rows) == len(org.everyone)


def test_dashboard_rows_are_filtered(world):
    org, cycle, *_ = world
    client = Client()
    client.force_login(org.cs_head.user)
    html = client.get(reverse("cycles:dashboard", args=[cycle.pk])).content.decode()
    assert "冯外部" in html and "周小冰" not in html


def test_export_contains_everyone_for_gm(world):
    org, cycle, *_ = world
    client = Client()
    client.force_login(org.gm.user)
    body = client.get(reverse("cycles:export", args=[cycle.pk])).content.decode("utf-8-sig")
    assert body.count("\n") == len(org.everyone) + 1


def test_delegated_export(world):
    org, cycle, *_ = world
    org.hr.can_export = True
    org.hr.save()
    client = Client()
    client.force_login(org.hr.user)
    assert client.get(reverse("cycles:export", args=[cycle.pk])).status_code == 200


def test_employee_does_not_see_own_score_before_publication(org):
    cycle = walk(org, make_cycle(org), "review")
    p = participant(cycle, org.employee)
    assert p.total is not None
    client = Client()
    client.force_login(org.employee.user)
    html = client.get(reverse("cycles:participant", args=[p.pk])).content.decode()
    assert "结果将在总经理审批公布后显示" in html
    # the JSON export is not theirs at all (issue 9, item 10)
    assert client.get(reverse("cycles:api_results", args=[cycle.pk])).status_code == 403
