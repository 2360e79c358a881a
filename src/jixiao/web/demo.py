"""A realistic demo shop: ~40 staff in 7 departments and three monthly cycles.

Idempotent: running it again creates nothing new and prints the same logins.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Cycle, Participant, Rating
from jixiao.web.errors import WebError
from jixiao.web.org.models import Department, Employee, Level, Position
from jixiao.web.org.services import shop_account_add
from jixiao.web.payroll.demo import load_payroll_demo
from jixiao.web.schemes.models import SchemeVersion
from jixiao.web.schemes.services import scheme_create, scheme_version_publish
from jixiao.web.schemes.templates_lib import builtin_templates

__all__ = ["DEMO_PASSWORD", "DemoRefused", "Login", "ensure_demo_allowed", "load_demo"]

DEMO_PASSWORD = "jixiao-demo-2026"

LEVELS = [
    ("intern", "实习", 1800, "0.5"),
    ("normal", "普通", 3000, "1.0"),
    ("mid", "中级", 4500, "1.2"),
    ("senior", "高级", 7500, "1.5"),
]
# (code, name, head username, [(position code, position name, headcount)])
DEPARTMENTS = [
    ("YY", "运营部", "yunying", [("Y-1", "运营专员", 6)]),
    ("TG", "推广部", "tuiguang", [("T-1", "推广专员", 4)]),
    ("KF", "客服部", "kefu", [("K-1", "售前客服", 6), ("K-2", "售后客服", 3)]),
    ("MG", "美工部", "meigong", [("M-2", "美工", 4)]),
    ("WA", "文案部", "wenan", [("C-1", "文案策划", 2), ("C-2", "文案实习", 2)]),
    ("XM", "新媒体部", "xinmeiti", [("X-1", "新媒体运营", 3)]),
    ("ZB", "直播部", "zhibo", [("Z-1", "主播", 2), ("Z-2", "场控", 1)]),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = [
    "小冰",
    "一鸣",
    "思远",
    "雨桐",
    "子涵",
    "浩然",
    "欣怡",
    "嘉怡",
    "俊杰",
    "晓峰",
    "佳琪",
    "文博",
    "梓萱",
    "明轩",
    "诗涵",
    "宇航",
    "雅婷",
    "天佑",
    "若曦",
    "志强",
]


@dataclass(frozen=True)
class Login:
    role: str
    name: str
    username: str


def _user(username: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = staff
        user.save()
    return user


def _login(emp: Employee) -> User:
    """The demo staff member's account (every demo employee has one)."""
    if emp.user is None:
        raise RuntimeError(f"demo employee {emp.number} has no account")
    return emp.user


def _org() -> dict[str, Any]:
    levels = {}
    for rank, (code, name, pay, coeff) in enumerate(LEVELS):
        levels[name], _ = Level.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "rank": rank,
                "base_pay": Decimal(pay),
                "commission_points": Decimal(coeff),
                "is_default": name == "普通",
            },
        )
    top, _ = Department.objects.get_or_create(code="ZJB", defaults={"name": "总经办"})
    names = iter(f"{SURNAMES[i % len(SURNAMES)]}{GIVEN[(i * 7) % len(GIVEN)]}" for i in range(1000))
    number = iter(range(1, 1000))

    def person(
        dept: Department,
        username: str,
        *,
        manager: Employee | None = None,
        position: Position | None = None,
        level: str = "普通",
        **roles: Any,
    ) -> Employee:
        emp = Employee.objects.filter(user__username=username).first()
        if emp:
            return emp
        return Employee.objects.create(
            user=_user(username, staff=bool(roles.get("is_hr"))),
            number=f"D{next(number):03d}",
            name=roles.pop("name", None) or next(names),
            department=dept,
            manager=manager,
            position=position,
            level=levels[level],
            hire_date=dt.date(2024, 3, 1),
            **roles,
        )

    gm = person(top, "gm", name="王总", level="高级", is_gm=True, is_leadership=True)
    hr = person(top, "hr", name="李人事", manager=gm, is_hr=True, is_working_group=True)
    leader = person(top, "leader", name="赵组长", manager=gm, level="高级", is_leadership=True)
    supervisor = person(top, "supervisor", name="钱分管", manager=gm, level="高级")
    top.head = gm
    top.save()
    heads = {}
    staff = []
    for i, (code, name, head_user, posts) in enumerate(DEPARTMENTS):
        dept, _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "parent": top}
        )
        if i < 4:
            supervisor.oversees.add(dept)
        head = person(dept, head_user, manager=supervisor if i < 4 else gm, level="中级")
        dept.head = head
        dept.save()
        heads[code] = head
        for pcode, pname, count in posts:
            pos, _ = Position.objects.get_or_create(
                code=pcode, defaults={"name": pname, "department": dept}
            )
            for k in range(count):
                lvl = "实习" if pcode == "C-2" else ("中级" if k == 0 else "普通")
                emp = person(
                    dept,
                    f"{pcode.lower().replace('-', '')}{k + 1}",
                    manager=head,
                    position=pos,
                    level=lvl,
                )
                staff.append(emp)
                if pcode.startswith("K") and not emp.shop_accounts.exists():
                    shop_account_add(user=_login(hr), employee=emp, account=f"旗舰店:{emp.name}")
    return {
        "gm": gm,
        "hr": hr,
        "leader": leader,
        "supervisor": supervisor,
        "heads": heads,
        "staff": staff,
    }


def _schemes(hr_user: User) -> list[SchemeVersion]:
    versions = []
    for tpl in builtin_templates():
        if not tpl.key.startswith("sample:"):
            continue
        code = tpl.key.split(":", 1)[1]
        v = SchemeVersion.objects.filter(scheme__code=code, status="published").first()
        if v is None:
            v = scheme_create(user=hr_user, code=code, name=tpl.title, yaml_text=tpl.yaml_text)
            v = scheme_version_publish(user=hr_user, version=v)
        versions.append(v)
    return versions


def _month(today: dt.date, back: int) -> tuple[dt.date, dt.date]:
    y, m = today.year, today.month - back
    while m <= 0:
        y, m = y - 1, m + 12
    start = dt.date(y, m, 1)
    end = (dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
    return start, end


def _fill_plan_and_sign(cycle: Cycle, who: dict[str, Any], rng: random.Random) -> None:
    for p in cycle.participants.select_related("employee__user", "employee__manager__user"):
        if p.plan_items.filter(code="sales_target").exists():
            cs.plan_item_set(
                user=who["hr"].user,
                participant=p,
                code="sales_target",
                name="销售目标",
                kind="target",
                target=rng.choice([80000, 100000]),
            )
        cs.plan_sign(user=_login(p.employee), participant=p)
        signer = p.employee.manager or who["gm"]
        if signer.pk == p.employee_id:
            signer = who["hr"]
        cs.plan_sign(user=_login(signer), participant=p)


def _enter_data(cycle: Cycle, who: dict[str, Any], rng: random.Random) -> None:
    for p in cycle.participants.filter(eligible=True).select_related("employee__position"):
        code = p.employee.position.code if p.employee.position else ""
        if code.startswith("Y"):
            values = {
                "sales": rng.randint(60000, 125000),
                "conversion": round(rng.uniform(0.8, 3.6), 2),
                "complaints": rng.randint(0, 3),
            }
        elif code.startswith("K"):
            values = {
                "response_seconds": rng.randint(8, 26),
                "reply_rate": round(rng.uniform(88, 100), 1),
            }
        else:
            continue
        for k, v in values.items():
            cs.metric_set(user=who["hr"].user, participant=p, code=k, value=v)


def _rate(cycle: Cycle, rng: random.Random, *, leave_owed: int = 0) -> None:
    ratings = list(
        Rating.objects.filter(participant__cycle=cycle, submitted_at__isnull=True)
        .select_related("rater__user", "participant__scheme_version", "participant__cycle")
        .order_by("id")
    )
    owed = set(rng.sample(range(len(ratings)), min(leave_owed, len(ratings))))
    for i, r in enumerate(ratings):
        if i in owed:
            continue
        top = 60 if r.item == "tasks" else 40
        cs.rating_submit(user=_login(r.rater), rating=r, score=round(top * rng.uniform(0.62, 0.98)))


class DemoRefused(WebError):
    """The demo shop (with its published password and a superuser) never enters production."""


def ensure_demo_allowed() -> None:
    if settings.PRODUCTION:
        raise DemoRefused(
            _(
                "正式环境（JIXIAO_ENV=production）不能载入演示数据：演示账号的密码是公开的，"
                "其中还有超级管理员。请在开发或测试环境中使用演示数据。"
            )
        )


@transaction.atomic
def load_demo(*, today: dt.date | None = None, seed: int = 2026) -> list[Login]:
    ensure_demo_allowed()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    who = _org()
    hr_user = who["hr"].user
    versions = _schemes(hr_user)
    specs = [(2, "archived"), (1, "rating"), (0, "planning")]
    for back, target in specs:
        start, end = _month(today, back)
        name = f"{start.year}年{start.month}月"
        if Cycle.objects.filter(name=name).exists():
            continue
        cycle = cs.cycle_create(
            user=hr_user,
            name=name,
            period="month",
            start=start,
            end=end,
            scheme_versions=versions,
            grade_quotas={"A": 30},
        )
        cycle = cs.cycle_transition(user=hr_user, cycle=cycle, name="start_planning")
        if target == "planning":
            continue
        absent = cycle.participants.filter(employee__position__code="K-2").first()
        assert absent is not None  # the demo organisation has three 售后客服
        cs.participant_set_absence(user=hr_user, participant=absent, absent_days=22, reason="病假")
        _fill_plan_and_sign(cycle, who, rng)
        cycle = cs.cycle_transition(user=hr_user, cycle=cycle, name="start_running")
        _enter_data(cycle, who, rng)
        cycle = cs.cycle_transition(user=hr_user, cycle=cycle, name="start_rating")
        if target == "rating":
            _rate(cycle, rng, leave_owed=12)
            continue
        _rate(cycle, rng)
        cycle = cs.cycle_transition(user=hr_user, cycle=cycle, name="start_review")
        _calibrate_to_quota(cycle, who)
        for dept_id in set(cycle.participants.values_list("department_id", flat=True)):
            cs.department_review_submit(
                user=hr_user, cycle=cycle, department_id=dept_id, note="已召开考评会"
            )
        cycle = cs.cycle_transition(user=hr_user, cycle=cycle, name="submit_approval")
        cycle = cs.cycle_transition(user=who["gm"].user, cycle=cycle, name="publish")
        cycle = cs.cycle_transition(user=hr_user, cycle=cycle, name="open_confirmation")
        _confirm_and_appeal(cycle, who)
        cycle = cs.cycle_transition(user=hr_user, cycle=cycle, name="close_confirmation")
        cycle = cs.cycle_transition(user=hr_user, cycle=cycle, name="archive")
    load_payroll_demo(hr_user=hr_user, seed=seed)
    return logins()


def _calibrate_to_quota(cycle: Cycle, who: dict[str, Any]) -> None:
    a_rows = list(cycle.participants.filter(eligible=True, grade="A").order_by("total"))
    n = cycle.participants.filter(eligible=True).count()
    allowed = int(n * 0.30)
    for p in a_rows[: max(0, len(a_rows) - allowed)]:
        cs.participant_calibrate(
            user=who["hr"].user, participant=p, grade="B", reason="强制分布：A 等级不超过 30%"
        )


def _confirm_and_appeal(cycle: Cycle, who: dict[str, Any]) -> None:
    rows = list(
        cycle.participants.filter(eligible=True)
        .select_related("employee__user", "employee__manager")
        .order_by("total")
    )
    appellant = next(p for p in rows if p.employee.position_id is not None)
    for p in rows:
        if p.pk != appellant.pk:
            cs.result_confirm(user=_login(p.employee), participant=p)
    appeal = cs.appeal_file(
        user=_login(appellant.employee),
        participant=appellant,
        reason="本月大促期间临时支援客服，工作量未计入，申请复核。",
    )
    decider = appeal.handler or who["hr"]
    total = min(Decimal(100), (appellant.total or Decimal(0)) + Decimal(8))
    cs.appeal_decide(
        user=_login(decider),
        appeal=appeal,
        upheld=True,
        decision="核实属实，加计支援工作量。",
        new_total=total,
    )


def logins() -> list[Login]:
    rows = [
        ("人事行政 HR", "hr"),
        ("总经理 GM", "gm"),
        ("领导小组 Leadership", "leader"),
        ("分管领导 Supervisor", "supervisor"),
        ("部门负责人 Head (运营部)", "yunying"),
        ("员工 Employee (运营专员)", "y11"),
        ("员工 Employee (售前客服)", "k11"),
    ]
    out = []
    for role, username in rows:
        emp = Employee.objects.filter(user__username=username).first()
        if emp:
            out.append(Login(role, emp.name, username))
    return out


def participants_summary() -> dict[str, int]:
    return {c.name: Participant.objects.filter(cycle=c).count() for c in Cycle.objects.all()}
