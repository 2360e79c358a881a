"""The permission matrix for the payroll pages and exports (salary follows seed 000's rules).

Extends ``tests/web/pages/test_matrix.py`` (same roles, same expectations format):
200 = allowed, 403 = exists but not yours, 404 = does not exist, 302 = sign in first.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.payroll import services as ps
from jixiao.web.payroll.models import Payslip

from ..factories import go, make_cycle, walk
from ..pages.test_matrix import ROLES, allowed, missing
from .helpers import computed_run, published_plan

MANAGERS = {"hr", "gm", "leader", "supervisor", "head", "cs_head"}
ALL = set(ROLES) - {"anonymous"}


def redirect_for(roles: set[str], ok: set[str]) -> dict[str, int]:
    out = allowed(ok)
    for r in roles:
        out[r] = 302
    return out


def slip_of(run, emp) -> Payslip:
    return Payslip.objects.get(run=run, employee=emp)


# page name -> (url builder(world), expected status per role)
MATRIX = {
    "payroll_home": (
        lambda w: reverse("payroll:home"),
        redirect_for({"employee", "peer", "outsider"}, MANAGERS),
    ),
    "payroll_me": (lambda w: reverse("payroll:me"), allowed(ALL)),
    "payplans": (lambda w: reverse("payroll:plans"), allowed({"hr"})),
    "payplan_version": (
        lambda w: reverse("payroll:plan_version", args=[w["version"].pk]),
        allowed({"hr"}),
    ),
    "cycle_runs": (
        lambda w: reverse("payroll:cycle_runs", args=[w["cycle"].pk]),
        allowed(MANAGERS),
    ),
    "pay_sheet_draft": (lambda w: reverse("payroll:run", args=[w["draft"].pk]), allowed(MANAGERS)),
    "pay_sheet_closed": (
        lambda w: reverse("payroll:run", args=[w["closed"].pk]),
        allowed(MANAGERS),
    ),
    "export_closed": (
        lambda w: reverse("payroll:run_export", args=[w["closed"].pk]),
        allowed({"gm", "leader"}),
    ),
    "export_draft": (
        lambda w: reverse("payroll:run_export", args=[w["draft"].pk]),
        allowed({"gm", "leader"}),
    ),
    "slip_ops_employee_closed": (
        lambda w: reverse("payroll:slip", args=[slip_of(w["closed"], w["org"].employee).pk]),
        allowed({"hr", "gm", "leader", "supervisor", "head", "employee"}),
    ),
    "slip_ops_employee_draft": (
        lambda w: reverse("payroll:slip", args=[slip_of(w["draft"], w["org"].employee).pk]),
        allowed({"hr", "gm", "leader", "supervisor", "head"}),
    ),
    "slip_ops_head_draft": (
        lambda w: reverse("payroll:slip", args=[slip_of(w["draft"], w["org"].head).pk]),
        allowed({"hr", "gm", "leader", "supervisor"}),
    ),
    "slip_cs_outsider_closed": (
        lambda w: reverse("payroll:slip", args=[slip_of(w["closed"], w["org"].outsider).pk]),
        allowed({"hr", "gm", "leader", "cs_head", "outsider"}),
    ),
    "slip_export_ops_employee": (
        lambda w: reverse("payroll:slip_export", args=[slip_of(w["closed"], w["org"].employee).pk]),
        allowed({"gm", "leader", "employee"}),
    ),
    "slip_export_cs_outsider": (
        lambda w: reverse("payroll:slip_export", args=[slip_of(w["closed"], w["org"].outsider).pk]),
        allowed({"gm", "leader", "outsider"}),
    ),
    "slip_export_ops_employee_draft": (
        lambda w: reverse("payroll:slip_export", args=[slip_of(w["draft"], w["org"].employee).pk]),
        allowed({"gm", "leader"}),
    ),
    "missing_run": (lambda w: reverse("payroll:run", args=[999999]), missing()),
    "missing_run_export": (lambda w: reverse("payroll:run_export", args=[999999]), missing()),
    "missing_slip": (lambda w: reverse("payroll:slip", args=[999999]), missing()),
    "missing_cycle_runs": (lambda w: reverse("payroll:cycle_runs", args=[999999]), missing()),
}


@pytest.fixture
def world(org):
    cycle = walk(org, make_cycle(org), "published")
    cycle = go(org, cycle, "open_confirmation")
    version = published_plan(org)
    people = [org.employee, org.peer, org.head, org.outsider]
    closed = computed_run(org, cycle, version, people)
    closed = ps.payroll_run_close(user=org.hr.user, run=closed)
    draft = computed_run(org, cycle, version, people, name="第二次核算")  # run names are unique
    return {"org": org, "cycle": cycle, "version": version, "closed": closed, "draft": draft}


@pytest.mark.parametrize("page", sorted(MATRIX))
def test_payroll_permission_matrix(world, page):
    build, expected = MATRIX[page]
    url = build(world)
    wrong = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world["org"].user(role))
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{role}: got {status}, expected {expected[role]}")
    assert wrong == [], f"{page} {url}"


def test_matrix_covers_every_get_page():
    from jixiao.web.payroll import urls

    get_pages = {
        "home",
        "me",
        "plans",
        "plan_version",
        "cycle_runs",
        "run",
        "run_export",
        "slip",
        "slip_export",
    }
    assert get_pages <= {u.name for u in urls.urlpatterns}
    # every GET page has a row in MATRIX (by its URL prefix)
    assert {"payroll_home", "payroll_me", "payplans", "payplan_version", "cycle_runs"} <= set(
        MATRIX
    )
    assert any(k.startswith("pay_sheet") for k in MATRIX)
    assert any(k.startswith("export") for k in MATRIX)
    assert any(k.startswith("slip_export") for k in MATRIX)


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("head", {"周小冰", "吴同事"}),  # own department, not their own draft slip
        ("supervisor", {"周小冰", "吴同事", "孙运营"}),
        ("cs_head", {"冯外部"}),
        ("gm", {"周小冰", "吴同事", "孙运营", "冯外部"}),
    ],
)
def test_pay_sheet_rows_are_filtered(world, role, names):
    client = Client()
    client.force_login(world["org"].user(role))
    html = client.get(reverse("payroll:run", args=[world["draft"].pk])).content.decode()
    html = html.split("<tbody>")[1].split("</tbody>")[0]
    everyone = {"周小冰", "吴同事", "孙运营", "冯外部"}
    assert {n for n in everyone if n in html} == names


def test_head_sees_own_slip_row_only_once_closed(world):
    client = Client()
    client.force_login(world["org"].head.user)
    html = client.get(reverse("payroll:run", args=[world["closed"].pk])).content.decode()
    assert "孙运营" in html.split("<tbody>")[1]


def test_totals_of_everyone_are_hidden_from_heads(world):
    client = Client()
    client.force_login(world["org"].head.user)
    html = client.get(reverse("payroll:cycle_runs", args=[world["cycle"].pk])).content.decode()
    assert "实发合计" not in html
    client.force_login(world["org"].gm.user)
    html = client.get(reverse("payroll:cycle_runs", args=[world["cycle"].pk])).content.decode()
    assert "实发合计" in html


def test_delegated_export(world):
    org = world["org"]
    org.hr.can_export = True
    org.hr.save()
    client = Client()
    client.force_login(org.hr.user)
    url = reverse("payroll:run_export", args=[world["closed"].pk])
    assert client.get(url).status_code == 200


def test_employee_slip_list_shows_only_closed_runs(world):
    client = Client()
    client.force_login(world["org"].employee.user)
    html = client.get(reverse("payroll:me")).content.decode()
    closed = slip_of(world["closed"], world["org"].employee)
    draft = slip_of(world["draft"], world["org"].employee)
    assert reverse("payroll:slip", args=[closed.pk]) in html
    assert reverse("payroll:slip", args=[draft.pk]) not in html
