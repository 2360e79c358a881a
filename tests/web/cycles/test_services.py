"""Cycle services: plans, signatures, eligibility, data, target changes, ratings, calibration."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Rating, TargetChange
from jixiao.web.cycles.services import CycleError

from ..factories import make_cycle, participant, published_version, walk
from ..timeutil import aware, frozen


@pytest.fixture
def planning(org):
    return walk(org, make_cycle(org), "planning")


def test_plan_item_by_head_clears_signatures(org, planning):
    p = participant(planning, org.employee)
    cs.plan_sign(user=org.employee.user, participant=p)
    cs.plan_sign(user=org.head.user, participant=p)
    p.refresh_from_db()
    assert p.plan_signed
    cs.plan_item_set(
        user=org.head.user,
        participant=p,
        code="new_shop",
        name="新店上线",
        kind="task",
        weight="10",
        target="1",
        standard="11月底前上线",
    )
    p.refresh_from_db()
    assert not p.employee_signed_at and not p.head_signed_at
    entry = AuditEntry.objects.filter(entity="target", action="plan_set").latest("id")
    assert entry.after["code"] == "new_shop" and entry.employee_id == org.employee.pk


@pytest.mark.parametrize("who", ["employee", "peer", "outsider", "cs_head"])
def test_plan_item_refused_for_non_managers(org, planning, who):
    p = participant(planning, org.employee)
    with pytest.raises(PermissionDenied):
        cs.plan_item_set(user=org.user(who), participant=p, code="x", name="x")


@pytest.mark.parametrize(
    ("weight", "msg"), [("abc", "应是数字"), ("120", "0 到 100"), ("nan", "应是数字")]
)
def test_plan_item_bad_input(org, planning, weight, msg):
    p = participant(planning, org.employee)
    with pytest.raises(CycleError, match=msg):
        cs.plan_item_set(user=org.head.user, participant=p, code="x", name="x", weight=weight)


def test_sign_twice_and_stranger(org, planning):
    p = participant(planning, org.employee)
    cs.plan_sign(user=org.employee.user, participant=p)
    with pytest.raises(CycleError, match="已签过"):
        cs.plan_sign(user=org.employee.user, participant=p)
    with pytest.raises(PermissionDenied):
        cs.plan_sign(user=org.outsider.user, participant=p)


def test_absence_over_20_days_not_appraised(org, planning):
    p = participant(planning, org.employee)
    cs.participant_set_absence(user=org.hr.user, participant=p, absent_days=21)
    p.refresh_from_db()
    assert not p.eligible and "超过 20 天" in p.eligibility_note
    cs.participant_set_absence(user=org.hr.user, participant=p, absent_days=20)
    p.refresh_from_db()
    assert p.eligible
    with pytest.raises(PermissionDenied):
        cs.participant_set_absence(user=org.head.user, participant=p, absent_days=3)
    with pytest.raises(CycleError, match="应是数字"):
        cs.participant_set_absence(user=org.hr.user, participant=p, absent_days="many")
    with pytest.raises(CycleError, match="整数"):
        cs.participant_set_absence(user=org.hr.user, participant=p, absent_days="2.5")


def test_ineligible_people_get_no_ratings_or_score(org):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    cs.participant_set_absence(user=org.hr.user, participant=p, absent_days=25)
    cycle = walk(org, cycle, "review")
    p.refresh_from_db()
    assert not Rating.objects.filter(participant=p).exists()
    assert p.total is None and not p.eligible


def test_target_change_needs_reason_and_approval(org):
    v = published_version(org, "ops-monthly")
    g = published_version(org, "general-monthly")
    cycle = make_cycle(org, version=v)
    cycle.scheme_versions.add(g)
    cycle = walk(org, cycle, "running")
    p = participant(cycle, org.employee)
    item = p.plan_items.get(code="sales_target")
    with pytest.raises(CycleError, match="原因"):
        cs.target_change_request(user=org.head.user, item=item, new_target="90000", reason="")
    change = cs.target_change_request(
        user=org.head.user, item=item, new_target="90000", reason="大促延期"
    )
    with pytest.raises(CycleError, match="待审批"):
        cs.target_change_request(user=org.head.user, item=item, new_target="1", reason="x")
    with pytest.raises(PermissionDenied, match="审批"):
        cs.target_change_decide(user=org.head.user, change=change, approve=True)
    cs.target_change_decide(user=org.supervisor.user, change=change, approve=True)
    item.refresh_from_db()
    assert item.target == 90000
    assert TargetChange.objects.get().status == "approved"
    entry = AuditEntry.objects.get(action="change_approved")
    assert entry.before == {"target": None} and entry.after == {"target": "90000.00"}  # as stored
    assert "大促延期" in entry.reason


def test_metric_entry_and_scores_with_ops_scheme(org):
    v = published_version(org, "ops-monthly")
    g = published_version(org, "general-monthly")
    cycle = make_cycle(org, version=v)
    cycle.scheme_versions.add(g)
    cycle = walk(org, cycle, "planning")
    p = participant(cycle, org.employee)
    assert p.scheme_version == v
    cs.plan_item_set(
        user=org.head.user,
        participant=p,
        code="sales_target",
        name="销售目标",
        kind="target",
        target="100000",
    )
    cycle = walk(org, cycle, "running")
    for code, value in [("sales", "90,000"), ("conversion", "2.5"), ("complaints", "1")]:
        cs.metric_set(user=org.head.user, participant=p, code=code, value=value)
    with pytest.raises(CycleError, match="应是数字"):
        cs.metric_set(user=org.head.user, participant=p, code="sales", value="很多")
    with pytest.raises(PermissionDenied):
        cs.metric_set(user=org.employee.user, participant=p, code="sales", value="1")
    cycle = walk(org, cycle, "review")
    p.refresh_from_db()
    # sales 36 + conversion 15 − complaints 2 + teamwork (all raters gave 30 → 30) = 79
    assert float(p.total) == pytest.approx(79.0)
    assert p.grade == "C" and "完成率 90%" in p.traces["sales"]["zh"]
    assert AuditEntry.objects.filter(entity="score", employee_id=org.employee.pk).exists()


def test_rating_rules(org):
    cycle = walk(org, make_cycle(org), "rating")
    p = participant(cycle, org.employee)
    roles = set(Rating.objects.filter(participant=p).values_list("item", "role", "rater__number"))
    assert ("tasks", "manager", "E010") in roles
    assert ("attitude", "self", "E011") in roles
    assert ("attitude", "peer", "E012") in roles
    mine = Rating.objects.get(participant=p, role="manager", item="tasks")
    with pytest.raises(PermissionDenied, match="不是由您"):
        cs.rating_submit(user=org.employee.user, rating=mine, score="50")
    with pytest.raises(CycleError, match="0 到 60"):
        cs.rating_submit(user=org.head.user, rating=mine, score="61")
    with pytest.raises(CycleError, match="应是数字"):
        cs.rating_submit(user=org.head.user, rating=mine, score="good")
    cs.rating_submit(user=org.head.user, rating=mine, score="55")
    cs.rating_submit(user=org.head.user, rating=mine, score="56")  # corrections are audited
    entries = AuditEntry.objects.filter(entity="rating", entity_id=str(mine.pk)).order_by("id")
    assert [e.after["score"] for e in entries] == ["55", "56"]
    assert entries[1].before == {"score": "55"}


def test_rating_after_deadline_refused(org):
    cycle = walk(org, make_cycle(org), "running")
    with frozen(aware(2026, 11, 2, 9)):
        cycle = cs.cycle_transition(
            user=org.hr.user, cycle=cycle, name="start_rating", deadline=aware(2026, 11, 5, 18)
        )
    r = Rating.objects.filter(participant__cycle=cycle, rater=org.head).first()
    with frozen(aware(2026, 11, 6, 9)), pytest.raises(CycleError, match="截止"):
        cs.rating_submit(user=org.head.user, rating=r, score="30")


def test_calibration_needs_reason_and_is_audited(org):
    cycle = walk(org, make_cycle(org), "review")
    p = participant(cycle, org.employee)
    with pytest.raises(CycleError, match="原因"):
        cs.participant_calibrate(user=org.head.user, participant=p, grade="A", reason="")
    with pytest.raises(PermissionDenied):
        cs.participant_calibrate(user=org.cs_head.user, participant=p, grade="A", reason="x")
    cs.participant_calibrate(user=org.head.user, participant=p, grade="a", reason="大促贡献突出")
    p.refresh_from_db()
    assert p.grade == "A" and p.engine_grade != "A"
    assert AuditEntry.objects.get(action="calibrate").reason == "大促贡献突出"


def test_department_review_only_own_department(org):
    cycle = walk(org, make_cycle(org), "review")
    with pytest.raises(PermissionDenied):
        cs.department_review_submit(user=org.head.user, cycle=cycle, department_id=org.cs.pk)
    cs.department_review_submit(user=org.supervisor.user, cycle=cycle, department_id=org.ops.pk)


def test_pin_refuses_drafts_and_after_start(org):
    from jixiao.web.schemes.services import scheme_create

    draft = scheme_create(user=org.hr.user, code="d", name="d", yaml_text="code: d")
    cycle = make_cycle(org)
    with pytest.raises(CycleError, match="草稿"):
        cs.cycle_pin_schemes(user=org.hr.user, cycle=cycle, versions=[draft])
    cycle = walk(org, cycle, "planning")
    with pytest.raises(CycleError, match="不能再更换"):
        cs.cycle_pin_schemes(user=org.hr.user, cycle=cycle, versions=[])


def test_cycle_create_validation(org):
    import datetime as dt

    with pytest.raises(CycleError, match="早于"):
        cs.cycle_create(
            user=org.hr.user,
            name="x",
            period="month",
            start=dt.date(2026, 2, 1),
            end=dt.date(2026, 1, 1),
        )
    with pytest.raises(CycleError, match="0–100"):
        cs.cycle_create(
            user=org.hr.user,
            name="x",
            period="month",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 1, 31),
            grade_quotas={"A": "lots"},
        )
    with pytest.raises(PermissionDenied):
        cs.cycle_create(
            user=org.gm.user,
            name="x",
            period="quarter",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 3, 31),
        )
    q = cs.cycle_create(
        user=org.hr.user,
        name="2026Q1",
        period="quarter",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
    )
    y = cs.cycle_create(
        user=org.hr.user,
        name="2026",
        period="year",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    assert (q.get_period_display(), y.get_period_display()) == ("季度", "年度")


def test_add_working_days_skips_weekends():
    from jixiao.web.cycles.services import add_working_days

    assert add_working_days(aware(2026, 11, 6, 10), 3).date().isoformat() == "2026-11-11"
    assert add_working_days(aware(2026, 11, 2, 10), 3).date().isoformat() == "2026-11-05"
