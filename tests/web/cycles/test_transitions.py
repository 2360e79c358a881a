"""The cycle state machine: every transition, every illegal one refused with a clear message."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Cycle, CycleFrozenError, PlanItem
from jixiao.web.cycles.services import TRANSITIONS, CycleError

from ..factories import go, make_cycle, participant, walk
from ..timeutil import aware, frozen

STATES = [s.value for s in Cycle.State]
ORDER = [
    "draft",
    "planning",
    "running",
    "rating",
    "review",
    "approval",
    "published",
    "confirmation",
    "appeals",
    "archived",
]
WHO = {"hr": "hr", "gm": "gm", "leadership": "leader"}


def _who(t) -> str:
    return WHO[sorted(t.roles)[0]]


def test_table_covers_every_state():
    sources = {t.source for t in TRANSITIONS.values()}
    assert sources == set(STATES) - {"archived"}
    for t in TRANSITIONS.values():
        assert t.target in STATES and t.label


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_every_transition(org, name):
    t = TRANSITIONS[name]
    cycle = walk(org, make_cycle(org), t.source)
    # the work each guard asks for
    if name == "start_running":
        from ..factories import sign_all

        sign_all(org, cycle)
    elif name == "start_review":
        from ..factories import rate_all

        rate_all(cycle)
    elif name == "submit_approval":
        from ..factories import review_all

        review_all(org, cycle)
    elif name == "close_confirmation":
        for p in cycle.participants.select_related("employee__user"):
            cs.result_confirm(user=p.employee.user, participant=p)
    reason = "需要重新校准" if t.needs_reason else ""
    cycle = go(org, cycle, name, who=_who(t), reason=reason)
    assert cycle.state == t.target
    entry = AuditEntry.objects.filter(entity="cycle", action=name).get()
    assert entry.before == {"state": t.source} and entry.after == {"state": t.target}


@pytest.mark.parametrize("state", ORDER)
def test_illegal_transitions_refused(org, state):
    cycle = walk(org, make_cycle(org, name=f"c-{state}"), state)
    for name, t in sorted(TRANSITIONS.items()):
        if t.source == state:
            continue
        if state == "archived":
            with pytest.raises(CycleFrozenError, match="已归档"):
                go(org, cycle, name, who=_who(t), reason="x")
        else:
            with pytest.raises(CycleError) as exc:
                go(org, cycle, name, who=_who(t), reason="x")
            msg = str(exc.value)
            assert str(Cycle.State(state).label) in msg and t.label in msg, msg
        cycle.refresh_from_db()
        assert cycle.state == state


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_wrong_role_refused(org, name):
    t = TRANSITIONS[name]
    cycle = walk(org, make_cycle(org), t.source)
    with pytest.raises(PermissionDenied, match="此操作仅限"):
        go(org, cycle, name, who="employee", reason="x")


def test_unknown_transition(org):
    cycle = make_cycle(org)
    with pytest.raises(CycleError, match="没有名为"):
        go(org, cycle, "explode")


def test_planning_needs_pinned_scheme(org):
    import datetime as dt

    cycle = cs.cycle_create(
        user=org.hr.user,
        name="空",
        period="month",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 1, 31),
    )
    with pytest.raises(CycleError, match="固定至少一个"):
        go(org, cycle, "start_planning")


def test_planning_creates_participants_with_plan(org):
    cycle = walk(org, make_cycle(org), "planning")
    assert cycle.participants.count() == len(org.everyone)
    p = participant(cycle, org.employee)
    assert set(p.plan_items.values_list("code", flat=True)) == {"tasks", "attitude"}


def test_running_needs_both_signatures(org):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    cs.plan_sign(user=org.employee.user, participant=p)
    with pytest.raises(CycleError, match="未由员工和部门负责人双方签字"):
        go(org, cycle, "start_running")


def test_review_needs_all_ratings(org):
    cycle = walk(org, make_cycle(org), "rating")
    with pytest.raises(CycleError, match="未完成评分"):
        go(org, cycle, "start_review")


def test_rating_deadline_in_future(org):
    cycle = walk(org, make_cycle(org), "running")
    with frozen(aware(2026, 11, 3, 9)), pytest.raises(CycleError, match="晚于现在"):
        go(org, cycle, "start_rating", deadline=aware(2026, 11, 1, 9))


def test_approval_needs_every_department_reviewed(org):
    cycle = walk(org, make_cycle(org), "review")
    cs.department_review_submit(user=org.head.user, cycle=cycle, department_id=org.ops.pk)
    with pytest.raises(CycleError, match="尚未完成审核"):
        go(org, cycle, "submit_approval")


def test_forced_distribution_quota(org):
    cycle = walk(org, make_cycle(org, grade_quotas={"E": 10}), "review")
    from ..factories import review_all

    review_all(org, cycle)
    # every rating was 30: everyone has the same grade, far above a 10% quota
    grade = cycle.participants.first().grade
    cycle.grade_quotas = {grade: 10}
    cycle.save()
    with pytest.raises(CycleError, match="超过强制分布上限"):
        go(org, cycle, "submit_approval")


def test_approval_window_is_three_days(org):
    cycle = walk(org, make_cycle(org), "review")
    from ..factories import review_all

    review_all(org, cycle)
    with frozen(aware(2026, 11, 5, 10)):
        cycle = go(org, cycle, "submit_approval")
    assert cycle.approval_deadline == aware(2026, 11, 8, 10)


def test_return_to_review_needs_reason_and_clears_reviews(org):
    cycle = walk(org, make_cycle(org), "approval")
    with pytest.raises(CycleError, match="需要填写原因"):
        go(org, cycle, "return_review", who="gm")
    cycle = go(org, cycle, "return_review", who="gm", reason="客服部分数偏高")
    assert cycle.state == "review" and not cycle.reviews.exists()


def test_confirmation_window_three_working_days(org):
    cycle = walk(org, make_cycle(org), "published")
    with frozen(aware(2026, 11, 6, 10)):  # a Friday
        cycle = go(org, cycle, "open_confirmation")
    assert cycle.appeal_deadline.date().isoformat() == "2026-11-11"  # Mon, Tue, Wed


def test_close_confirmation_waits_for_window(org):
    cycle = walk(org, make_cycle(org), "published")
    with frozen(aware(2026, 11, 6, 10)):
        cycle = go(org, cycle, "open_confirmation")
    with frozen(aware(2026, 11, 9, 10)), pytest.raises(CycleError, match="既未确认也未申诉"):
        go(org, cycle, "close_confirmation")
    with frozen(aware(2026, 11, 12, 10)):
        assert go(org, cycle, "close_confirmation").state == "appeals"


def test_archive_waits_for_open_appeals(org):
    cycle = walk(org, make_cycle(org), "published")
    cycle = go(org, cycle, "open_confirmation")
    p = participant(cycle, org.employee)
    cs.appeal_file(user=org.employee.user, participant=p, reason="评分不公")
    for q in cycle.participants.exclude(pk=p.pk).select_related("employee__user"):
        cs.result_confirm(user=q.employee.user, participant=q)
    cycle = go(org, cycle, "close_confirmation")
    with pytest.raises(CycleError, match="申诉未处理完"):
        go(org, cycle, "archive")


def test_archived_cycle_is_frozen(org):
    cycle = walk(org, make_cycle(org), "archived")
    p = participant(cycle, org.employee)
    item = p.plan_items.first()
    with pytest.raises(CycleFrozenError, match="已归档"):
        p.save()
    with pytest.raises(CycleFrozenError):
        item.save()
    with pytest.raises(CycleFrozenError):
        PlanItem.objects.create(participant=p, code="x", name="x")
    with pytest.raises(CycleFrozenError):
        cycle.name = "new"
        cycle.save()
    with pytest.raises(CycleFrozenError):
        cs.plan_item_set(user=org.hr.user, participant=p, code="x", name="x")
    with pytest.raises(CycleFrozenError):
        cs.interview_note_set(user=org.head.user, participant=p, note="x")
