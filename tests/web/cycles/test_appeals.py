"""Appeals (seed 000): 3 working days to appeal; 10 days to decide; second appeal is final."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles import services as cs
from jixiao.web.cycles.services import CycleError

from ..factories import go, make_cycle, participant, walk
from ..timeutil import aware, frozen


@pytest.fixture
def confirming(org):
    cycle = walk(org, make_cycle(org), "published")
    with frozen(aware(2026, 11, 6, 10)):  # Friday; window ends Wednesday 11th
        return go(org, cycle, "open_confirmation")


def test_appeal_goes_to_skip_level_and_upheld_changes_result(org, confirming):
    p = participant(confirming, org.employee)
    with frozen(aware(2026, 11, 9, 10)):
        appeal = cs.appeal_file(user=org.employee.user, participant=p, reason="同事评分不实")
    assert appeal.handler == org.supervisor  # manager's manager
    assert appeal.due_at == aware(2026, 11, 19, 10)  # 10 days
    with pytest.raises(PermissionDenied, match="隔级主管"):
        cs.appeal_decide(
            user=org.head.user, appeal=appeal, upheld=True, decision="x", new_total="90"
        )
    with pytest.raises(CycleError, match="总分或等级"):
        cs.appeal_decide(user=org.supervisor.user, appeal=appeal, upheld=True, decision="成立")
    cs.appeal_decide(
        user=org.supervisor.user,
        appeal=appeal,
        upheld=True,
        decision="重新核实",
        new_total="88",
        new_grade="b",
    )
    p.refresh_from_db()
    assert float(p.total) == 88 and p.grade == "B"
    entry = AuditEntry.objects.get(action="appeal_upheld")
    assert entry.after == {"total": "88", "grade": "B"} and entry.reason == "重新核实"


def test_appeal_window_three_working_days(org, confirming):
    p = participant(confirming, org.employee)
    with frozen(aware(2026, 11, 12, 9)), pytest.raises(CycleError, match="3 个工作日"):
        cs.appeal_file(user=org.employee.user, participant=p, reason="晚了")


def test_only_self_may_appeal_and_needs_reason(org, confirming):
    p = participant(confirming, org.employee)
    with pytest.raises(PermissionDenied, match="本人"):
        cs.appeal_file(user=org.head.user, participant=p, reason="x")
    with pytest.raises(CycleError, match="申诉理由"):
        cs.appeal_file(user=org.employee.user, participant=p, reason="  ")


def test_confirmed_result_cannot_be_appealed(org, confirming):
    p = participant(confirming, org.employee)
    cs.result_confirm(user=org.employee.user, participant=p)
    with pytest.raises(CycleError, match="已确认"):
        cs.appeal_file(user=org.employee.user, participant=p, reason="x")


def test_second_appeal_to_leadership_is_final(org, confirming):
    p = participant(confirming, org.employee)
    with frozen(aware(2026, 11, 9, 10)):
        first = cs.appeal_file(user=org.employee.user, participant=p, reason="不公")
        with pytest.raises(CycleError, match="正在处理中"):
            cs.appeal_file(user=org.employee.user, participant=p, reason="再来")
    # working group may also decide round 1
    org.hr.is_working_group = True
    org.hr.save()
    org.hr.user.__dict__.pop("_jixiao_actor", None)  # roles are cached per request
    cs.appeal_decide(user=org.hr.user, appeal=first, upheld=False, decision="评分有据")
    second = cs.appeal_file(user=org.employee.user, participant=p, reason="不服，二次申诉")
    assert second.round == 2 and second.handler is None
    with pytest.raises(PermissionDenied, match="领导小组"):
        cs.appeal_decide(user=org.supervisor.user, appeal=second, upheld=False, decision="x")
    cs.appeal_decide(user=org.leader.user, appeal=second, upheld=False, decision="维持原结果")
    with pytest.raises(CycleError, match="最终决定"):
        cs.appeal_file(user=org.employee.user, participant=p, reason="三次")


def test_overdue_first_appeal_allows_second(org, confirming):
    p = participant(confirming, org.employee)
    with frozen(aware(2026, 11, 9, 10)):
        first = cs.appeal_file(user=org.employee.user, participant=p, reason="不公")
    with frozen(aware(2026, 11, 20, 10)):
        second = cs.appeal_file(user=org.employee.user, participant=p, reason="逾期未处理")
    first.refresh_from_db()
    assert second.round == 2 and first.status == "rejected" and "逾期" in first.decision


def test_cannot_confirm_during_open_appeal(org, confirming):
    p = participant(confirming, org.employee)
    with frozen(aware(2026, 11, 9, 10)):
        cs.appeal_file(user=org.employee.user, participant=p, reason="不公")
    with pytest.raises(CycleError, match="申诉正在处理中"):
        cs.result_confirm(user=org.employee.user, participant=p)


def test_handler_finds_appeal_and_may_read_the_record(org, confirming):
    from django.test import Client
    from django.urls import reverse

    from jixiao.web.cycles.selectors import appeals_to_handle

    # the outsider's skip-level manager is the GM (cs_head → gm); make it someone who cannot
    # normally read customer service: the ops head
    org.cs_head.manager = org.head
    org.cs_head.save()
    q = participant(confirming, org.outsider)
    with frozen(aware(2026, 11, 9, 10)):
        appeal = cs.appeal_file(user=org.outsider.user, participant=q, reason="不公")
    assert appeal.handler == org.head
    assert appeals_to_handle(user=org.head.user) == [appeal]
    assert appeals_to_handle(user=org.supervisor.user) == []
    c = Client()
    c.force_login(org.head.user)
    assert "待我处理的申诉" in c.get(reverse("cycles:me")).content.decode()
    assert c.get(reverse("cycles:participant", args=[q.pk])).status_code == 200
    c.force_login(org.peer.user)
    assert c.get(reverse("cycles:participant", args=[q.pk])).status_code == 403
