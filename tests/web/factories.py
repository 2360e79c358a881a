"""Test data: a small organisation with every role, and helpers to walk a cycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Cycle, Participant, Rating
from jixiao.web.org.models import Department, Employee, Level, Position
from jixiao.web.schemes.models import SchemeVersion
from jixiao.web.schemes.services import scheme_create, scheme_version_publish

PASSWORD = "correct-horse-battery-9"


def client_for(user: Any) -> Client:
    """A test client logged in as ``user``."""
    c = Client()
    c.force_login(user)
    return c


def sample_yaml(name: str = "general-monthly") -> str:
    return (resources.files("jixiao.web.schemes") / "samples" / f"{name}.yaml").read_text("utf-8")


@dataclass
class Org:
    """HR admin, GM, leadership member, supervisor (分管 ops), ops head, ops employee and peer,
    customer-service head and an outsider in customer service."""

    ops: Department
    cs: Department
    office: Department
    hr: Employee
    gm: Employee
    leader: Employee
    supervisor: Employee
    head: Employee
    employee: Employee
    peer: Employee
    cs_head: Employee
    outsider: Employee
    levels: dict[str, Level] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        return getattr(self, role).user

    @property
    def everyone(self) -> list[Employee]:
        return [
            self.hr,
            self.gm,
            self.leader,
            self.supervisor,
            self.head,
            self.employee,
            self.peer,
            self.cs_head,
            self.outsider,
        ]


def make_employee(
    number: str,
    name: str,
    dept: Department,
    *,
    username: str | None = None,
    manager: Employee | None = None,
    position: Position | None = None,
    **roles: bool,
) -> Employee:
    User = get_user_model()
    user = User.objects.create_user(username=username or number.lower(), password=PASSWORD)
    return Employee.objects.create(
        user=user,
        number=number,
        name=name,
        department=dept,
        manager=manager,
        position=position,
        level=Level.objects.filter(is_default=True).first(),
        hire_date=dt.date(2025, 1, 1),
        **roles,
    )


def make_org() -> Org:
    levels = {}
    for rank, (code, name, pay, default) in enumerate(
        [
            ("intern", "实习", 1800, False),
            ("normal", "普通", 3000, True),
            ("mid", "中级", 4500, False),
            ("senior", "高级", 7500, False),
        ]
    ):
        levels[name] = Level.objects.create(
            code=code, name=name, rank=rank, base_pay=Decimal(pay), is_default=default
        )
    office = Department.objects.create(code="00", name="总经办")
    ops = Department.objects.create(code="10", name="运营部", parent=office)
    cs_dept = Department.objects.create(code="20", name="客服部", parent=office)
    y1 = Position.objects.create(code="Y-1", name="运营专员", department=ops)
    k1 = Position.objects.create(code="K-1", name="客服专员", department=cs_dept)
    gm = make_employee("E001", "王总", office, username="gm", is_gm=True)
    hr = make_employee("E002", "李人事", office, username="hr", manager=gm, is_hr=True)
    leader = make_employee(
        "E003", "赵组长", office, username="leader", manager=gm, is_leadership=True
    )
    supervisor = make_employee("E004", "钱分管", office, username="supervisor", manager=gm)
    supervisor.oversees.add(ops)
    head = make_employee("E010", "孙运营", ops, username="head", manager=supervisor)
    employee = make_employee("E011", "周小冰", ops, username="employee", manager=head, position=y1)
    peer = make_employee("E012", "吴同事", ops, username="peer", manager=head, position=y1)
    cs_head = make_employee("E020", "郑客服", cs_dept, username="cs_head", manager=gm)
    outsider = make_employee(
        "E021", "冯外部", cs_dept, username="outsider", manager=cs_head, position=k1
    )
    ops.head = head
    ops.save()
    cs_dept.head = cs_head
    cs_dept.save()
    office.head = gm
    office.save()
    return Org(
        ops=ops,
        cs=cs_dept,
        office=office,
        hr=hr,
        gm=gm,
        leader=leader,
        supervisor=supervisor,
        head=head,
        employee=employee,
        peer=peer,
        cs_head=cs_head,
        outsider=outsider,
        levels=levels,
    )


def published_version(org: Org, name: str = "general-monthly") -> SchemeVersion:
    v = scheme_create(user=org.hr.user, code=name, name=name, yaml_text=sample_yaml(name))
    return scheme_version_publish(user=org.hr.user, version=v)


def make_cycle(
    org: Org, name: str = "2026年10月", version: SchemeVersion | None = None, **kw: Any
) -> Cycle:
    version = version or published_version(org)
    return cs.cycle_create(
        user=org.hr.user,
        name=name,
        period="month",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        scheme_versions=[version],
        **kw,
    )


def go(org: Org, cycle: Cycle, name: str, who: str = "hr", **kw: Any) -> Cycle:
    return cs.cycle_transition(user=org.user(who), cycle=cycle, name=name, **kw)


def sign_all(org: Org, cycle: Cycle) -> None:
    for p in cycle.participants.select_related("employee__user", "employee__manager__user"):
        cs.plan_sign(user=p.employee.user, participant=p)
        signer = org.gm if p.employee_id == org.hr.pk else org.hr
        cs.plan_sign(user=signer.user, participant=p)


def rate_all(cycle: Cycle, score: str = "30") -> None:
    for r in Rating.objects.filter(participant__cycle=cycle).select_related(
        "rater__user", "participant__cycle", "participant__scheme_version"
    ):
        cs.rating_submit(user=r.rater.user, rating=r, score=score)


def review_all(org: Org, cycle: Cycle) -> None:
    for dept_id in set(cycle.participants.values_list("department_id", flat=True)):
        cs.department_review_submit(user=org.hr.user, cycle=cycle, department_id=dept_id)


def walk(org: Org, cycle: Cycle, to: str) -> Cycle:
    """Drive ``cycle`` forward (doing the required work) until it reaches state ``to``."""
    steps = [
        ("draft", "start_planning", None),
        ("planning", "start_running", sign_all),
        ("running", "start_rating", None),
        ("rating", "start_review", rate_all),
        ("review", "submit_approval", review_all),
        ("approval", "publish", None),
        ("published", "open_confirmation", None),
        ("confirmation", "close_confirmation", None),
        ("appeals", "archive", None),
    ]
    cycle.refresh_from_db()
    start = [s for s, _, _ in steps].index(cycle.state) if cycle.state != "archived" else 0
    for state, name, before in steps[start:]:
        cycle.refresh_from_db()
        if cycle.state == to:
            return cycle
        assert cycle.state == state, (cycle.state, state)
        if before is sign_all or before is review_all:
            before(org, cycle)
        elif before is rate_all:
            before(cycle)
        who = "gm" if name == "publish" else "hr"
        if name == "close_confirmation":
            for p in cycle.participants.filter(eligible=True).select_related("employee__user"):
                cs.result_confirm(user=p.employee.user, participant=p)
        cycle = go(org, cycle, name, who=who)
    cycle.refresh_from_db()
    assert cycle.state == to
    return cycle


def participant(cycle: Cycle, emp: Employee) -> Participant:
    return Participant.objects.select_related("cycle", "employee", "scheme_version").get(
        cycle=cycle, employee=emp
    )
