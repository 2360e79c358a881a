"""Fuzz every form and upload endpoint (issue 9): random and boundary values, posted by every
role to every URL of the application (its POST views found by walking the URL patterns, ids
of real records): the answer is never a 500.

Bounded for CI: a few dozen examples per test, no deadline (the first request of an example
may compile templates). ``HYPOTHESIS_PROFILE``-style tuning is not needed: raise
``max_examples`` locally to search longer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Appeal, Rating
from jixiao.web.imports.models import ImportBatch
from jixiao.web.payroll.models import Payslip

from ..factories import go, make_cycle, participant, published_version, walk
from ..imports.helpers import csv_bytes, map_accounts
from ..payroll.helpers import computed_run, published_plan

WEB = Path(__file__).resolve().parents[3] / "src" / "jixiao" / "web"
ROLES = ["hr", "gm", "leader", "supervisor", "head", "employee", "outsider"]
SKIP = ("admin:", "set_language", "accounts:")  # Django's own views; login has its own tests


def _field_names() -> list[str]:
    """Every form field a view or action reads (``request.POST.get("x")``, ``getlist``)."""
    names: set[str] = set()
    for path in WEB.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"POST\.(?:get|getlist)\(\s*\"([a-z_]+)\"", text))
    return sorted(names)


def _routes() -> list[tuple[str, tuple[str, ...]]]:
    """(namespaced name, its URL arguments) of every named route of the application."""
    out = []

    def walk_patterns(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk_patterns(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                name = prefix + p.name
                if not name.startswith(SKIP):
                    out.append((name, tuple(p.pattern.converters)))

    walk_patterns(get_resolver().url_patterns, "")
    return sorted(set(out))


FIELDS = _field_names()
BOUNDARY = [
    "",
    " ",
    "0",
    "-1",
    "1e15",
    "1e400",
    "-1e400",
    "NaN",
    "inf",
    "12345678901234567890",
    "9999999999999999999999999",
    "１２",
    "0.00001",
    "1,234.5",
    "35%",
    "2026-02-30",
    "2026-10-01",
    "A",
    "approve",
    "1",
    "start_planning",
    "publish",
    "archive",
    "'; DROP TABLE x; --",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "\x00",
    "旗舰店:小冰",
    "a" * 5000,
    "[" * 200,
]
values = st.one_of(st.sampled_from(BOUNDARY), st.text(max_size=40))
forms = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)
files = st.one_of(
    st.none(),
    st.sampled_from([b"", b"PK\x03\x04garbage", "工号,sales\nE011,1e400\n".encode(), b"\xff\xfe"]),
    st.binary(max_size=300),
)


@pytest.fixture
def world(org):
    """Records of every kind, at the stages where their forms are live: ids by URL argument."""
    confirmation = go(org, walk(org, make_cycle(org), "published"), "open_confirmation")
    p = participant(confirmation, org.employee)
    cs.appeal_file(user=org.employee.user, participant=p, reason="不公")
    run = computed_run(org, confirmation)
    general = confirmation.scheme_versions.first()
    running = make_cycle(org, name="2026年11月", version=published_version(org, "ops-monthly"))
    running.scheme_versions.add(general)
    running = walk(org, running, "running")
    item = participant(running, org.employee).plan_items.first()
    change = cs.target_change_request(user=org.head.user, item=item, new_target="5", reason="x")
    map_accounts(org)
    hr = Client()
    hr.force_login(org.hr.user)
    hr.post(
        reverse("imports:upload", args=[running.pk]),
        {"file": SimpleUploadedFile("客服.csv", csv_bytes())},
    )
    rating = Rating.objects.filter(participant__cycle=confirmation).first()
    ids = {
        "cycle_id": running.pk,
        "participant_id": p.pk,
        "rating_id": rating.pk,
        "item_id": item.pk,
        "change_id": change.pk,
        "appeal_id": Appeal.objects.get().pk,
        "run_id": run.pk,
        "payslip_id": Payslip.objects.filter(run=run).first().pk,
        "batch_id": ImportBatch.objects.get().pk,
        "employee_id": org.employee.pk,
        "schemes:version_id": general.pk,
        "payroll:version_id": published_plan(org, code="fuzz").pk,
    }
    clients = {}
    for role in ROLES:
        c = Client(raise_request_exception=False)
        c.force_login(org.user(role))
        clients[role] = c
    return ids, clients


def _url(name: str, args: tuple[str, ...], ids: dict[str, int], missing: bool) -> str:
    kwargs = {}
    for a in args:
        key = f"{name.split(':')[0]}:{a}" if a == "version_id" else a
        # a route added later whose record the world does not make: a missing id (404)
        kwargs[a] = 999999 if missing else ids.get(key, ids.get(a, 999999))
    return reverse(name, kwargs=kwargs)


ROUTES = _routes()
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_the_fuzz_sees_the_application():
    names = {n for n, _ in ROUTES}
    assert {"cycles:metric", "payroll:run_inputs", "imports:upload", "schemes:new"} <= names
    assert {"value", "weight", "new_target", "amount", "absent_days"} <= set(FIELDS)


@FUZZ
@given(
    route=st.sampled_from(ROUTES),
    role=st.sampled_from(ROLES),
    data=forms,
    missing=st.booleans(),
)
def test_no_form_post_is_a_500(world, route, role, data, missing):
    ids, clients = world
    url = _url(*route, ids, missing)
    r = clients[role].post(url, data)
    assert r.status_code < 500, (url, role, data, r.status_code)


@FUZZ
@given(
    route=st.sampled_from(
        [r for r in ROUTES if r[0] in {"cycles:import", "imports:upload", "payroll:run_inputs"}]
    ),
    role=st.sampled_from(["hr", "head"]),
    content=files,
    name=st.sampled_from(["d.csv", "d.xlsx", "d.xls", "d", "../../etc/passwd", "报表.txt"]),
    data=forms,
)
def test_no_upload_is_a_500(world, route, role, content, name, data):
    ids, clients = world
    url = _url(*route, ids, missing=False)
    payload = dict(data)
    if content is not None:
        payload["file"] = SimpleUploadedFile(name, content)
    r = clients[role].post(url, payload)
    assert r.status_code < 500, (url, role, name, r.status_code)


NUMERIC_EDGES = ["1e15", "1e400", "NaN", "12345678901234567890", "-1", "１２"]


def test_every_field_of_every_form_at_a_numeric_edge(world):
    """A sweep, not a sample: every route, every field set to one edge value, by HR and a head.
    (It found ``next=1e15`` taken for a view name by ``redirect``: a 500 on every form.)"""
    ids, clients = world
    for edge in NUMERIC_EDGES:
        data = dict.fromkeys(FIELDS, edge)
        for route in ROUTES:
            url = _url(*route, ids, missing=False)
            for role in ("hr", "head"):
                r = clients[role].post(url, data)
                assert r.status_code < 500, (url, role, edge, r.status_code)
