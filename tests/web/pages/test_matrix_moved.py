"""The permission matrix for the checks moved into ``jixiao.web.access``: the records form posts
fetch (ratings, plan items, target changes, scheme and pay plan versions), the services that
now check their own rights (schemes, organisation, scoring), and what the menus offer.

Same conventions as ``test_matrix.py``: 200/302 allowed, 403 not yours, 404 does not exist.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from jixiao.web.access import abilities_of
from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Rating, TargetChange
from jixiao.web.org import services as org_services
from jixiao.web.schemes import services as scheme_services

from ..factories import make_cycle, participant, published_version, sample_yaml, walk
from ..payroll.helpers import published_plan
from .test_matrix import ROLES

SIGNED_IN = [r for r in ROLES if r != "anonymous"]


def statuses(org, url: str, data: dict | None = None, method: str = "post") -> dict[str, int]:
    out = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(org.user(role))
        response = getattr(client, method)(url, data or {})
        out[role] = response.status_code
    return out


@pytest.fixture
def rating_cycle(org):
    return walk(org, make_cycle(org), "rating")


def test_rating_post_fetches_through_access(org, rating_cycle):
    """Only the rater submits; readers of the record who are not the rater get 403 from the
    service, strangers from the fetch; a missing rating is 404."""
    r = Rating.objects.filter(participant__employee=org.employee, rater=org.head).first()
    got = statuses(org, reverse("cycles:rate", args=[r.pk]), {"score": "30"})
    assert got["anonymous"] == 302
    assert got["head"] == 302  # submitted, back to the ratings page
    assert {k: v for k, v in got.items() if k not in {"anonymous", "head"}} == {
        k: 403 for k in SIGNED_IN if k != "head"
    }
    assert statuses(org, reverse("cycles:rate", args=[999999]))["head"] == 404


@pytest.fixture
def running(org):
    return walk(org, make_cycle(org), "running")


def test_target_change_request_fetches_the_plan_item_through_access(org, running):
    p = participant(running, org.employee)
    item = p.plan_items.first()
    url = reverse("cycles:target_change", args=[item.pk])
    got = statuses(org, url, {"new_target": "5", "reason": "改"})
    # readers who may not request (GM, leadership) 403 from the service; strangers from the
    # fetch; the first requester files it (302), the next ones are told it is pending (400)
    expected_ok = {"employee", "head", "hr", "supervisor"}
    wrong = {
        role: status
        for role, status in got.items()
        if role != "anonymous" and (status not in {403, 404}) != (role in expected_ok)
    }
    assert wrong == {}
    assert got["hr"] == 302 and TargetChange.objects.count() == 1
    assert statuses(org, reverse("cycles:target_change", args=[999999]))["hr"] == 404


def test_target_change_decision_fetches_the_change_through_access(org, running):
    p = participant(running, org.employee)
    item = p.plan_items.first()
    got = {}
    for role in SIGNED_IN:
        if not TargetChange.objects.filter(status="pending").exists():
            cs.target_change_request(user=org.employee.user, item=item, new_target="5", reason="改")
        change = TargetChange.objects.get(status="pending")
        client = Client()
        client.force_login(org.user(role))
        url = reverse("cycles:target_change_decide", args=[change.pk])
        got[role] = client.post(url, {"approve": "0"}).status_code
    # strangers cannot read the plan (fetch), readers who may not decide are refused (service)
    assert got == {r: 302 if r in {"gm", "leader", "supervisor"} else 403 for r in SIGNED_IN}
    assert statuses(org, reverse("cycles:target_change_decide", args=[999999]))["gm"] == 404


def test_scheme_and_pay_plan_versions_are_hr_only_and_404_when_missing(org):
    version = published_version(org)
    plan = published_plan(org)
    for name, obj in [("schemes:version", version), ("payroll:plan_version", plan)]:
        got = statuses(org, reverse(name, args=[obj.pk]), method="get")
        assert got == {r: (302 if r == "anonymous" else 200 if r == "hr" else 403) for r in ROLES}
        assert statuses(org, reverse(name, args=[999999]), method="get")["hr"] == 404


def test_new_cycle_with_a_missing_scheme_version_is_404(org):
    c = Client()
    c.force_login(org.hr.user)
    r = c.post(
        reverse("cycles:new"),
        {"name": "x", "period": "month", "start": "2026-10-01", "end": "2026-10-31", "versions": 9},
    )
    assert r.status_code == 404


@pytest.mark.parametrize("who", [r for r in SIGNED_IN if r != "hr"])
def test_scheme_services_check_their_rights(org, who):
    with pytest.raises(PermissionDenied, match="人事行政"):
        scheme_services.scheme_create(
            user=org.user(who), code="x", name="x", yaml_text=sample_yaml()
        )
    version = published_version(org)
    with pytest.raises(PermissionDenied):
        scheme_services.scheme_version_new_draft(user=org.user(who), scheme=version.scheme)


@pytest.mark.parametrize("who", [r for r in SIGNED_IN if r != "hr"])
def test_org_services_check_their_rights(org, who):
    with pytest.raises(PermissionDenied, match="人事行政"):
        org_services.employee_create(
            user=org.user(who), number="E900", name="x", department=org.ops
        )
    with pytest.raises(PermissionDenied):
        org_services.shop_account_add(user=org.user(who), employee=org.employee, account="店:x")


def test_compute_scores_checks_its_rights(org, rating_cycle):
    with pytest.raises(PermissionDenied):
        cs.cycle_compute_scores(user=org.head.user, cycle=rating_cycle)


# role -> what the menus offer (abilities) and the navigation links shown
ABILITIES = {
    "hr": {"hr_setup", "pay_plans", "team", "pay_sheets", "import_data", "audit", "see_everyone"},
    "gm": {"team", "pay_sheets", "import_data", "export", "see_everyone"},  # heads 总经办
    "leader": {"team", "pay_sheets", "audit", "export", "see_everyone"},
    "supervisor": {"team", "pay_sheets", "import_data"},
    "head": {"team", "pay_sheets", "import_data"},
    "cs_head": {"team", "pay_sheets", "import_data"},
    "employee": set(),
    "peer": set(),
    "outsider": set(),
}
NAV = {
    "hr_setup": "cycles:hr",
    "pay_sheets": "payroll:home",
    "audit": "audit:list",
}


@pytest.mark.parametrize("role", sorted(ABILITIES))
def test_menus_follow_the_access_rules(org, role):
    user = org.user(role)
    may = abilities_of(user)
    flags = {k for k, v in vars(may).items() if v and k != "admin"}
    assert flags == ABILITIES[role]
    client = Client()
    client.force_login(user)
    html = client.get(reverse("cycles:me")).content.decode()
    nav = html.split("<nav>")[1].split("</nav>")[0]
    for ability, name in NAV.items():
        assert (f'href="{reverse(name)}"' in nav) == (ability in ABILITIES[role]), ability


def test_anonymous_has_no_abilities():
    from django.contrib.auth.models import AnonymousUser

    assert not any(vars(abilities_of(AnonymousUser())).values())
