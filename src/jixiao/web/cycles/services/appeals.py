"""Appeals (seed 000): within 3 working days of learning the result, to the skip-level manager
and the working group, who decide within 10 days. If the employee is not satisfied, or the
first appeal is overdue, a second appeal goes to the leadership group, whose decision is final.
An upheld appeal changes the result, with an audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.web.access import UserLike, require_appeal_decider, require_self
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Appeal, Cycle, Participant
from jixiao.web.cycles.services._common import CycleError, ensure_state
from jixiao.web.cycles.services.planning import parse_decimal
from jixiao.web.locking import lock
from jixiao.web.numbers import TOTAL
from jixiao.web.org.selectors import skip_level_manager

__all__ = ["appeal_decide", "appeal_file"]

S = Cycle.State


@transaction.atomic
def appeal_file(*, user: UserLike, participant: Participant, reason: str) -> Appeal:
    participant = lock(participant, "cycle", "employee")  # one appeal per round, however posted
    cycle = participant.cycle
    ensure_state(cycle, S.CONFIRMATION, S.APPEALS, doing=_("提交申诉"))
    require_self(user=user, participant=participant)
    if not (reason or "").strip():
        raise CycleError(_("请写明申诉理由（书面申诉报告）。"), field="reason")
    if not participant.eligible:
        raise CycleError(_("您本期不参与考核，没有可申诉的结果。"))
    if participant.confirmed_at is not None:
        raise CycleError(_("您已确认考核结果，不能再申诉。"))
    now = timezone.now()
    previous = participant.appeals.order_by("-round").first()
    if previous is None:
        if cycle.state != S.CONFIRMATION or (cycle.appeal_deadline and now > cycle.appeal_deadline):
            raise CycleError(_("申诉期（公布后 3 个工作日）已过，不能再提交申诉。"))
        handler = skip_level_manager(employee=participant.employee)
        rnd, due = 1, now + dt.timedelta(days=settings.JIXIAO_APPEAL_HANDLING_DAYS)
    elif previous.round == 1:
        overdue = previous.is_open and now > previous.due_at
        if previous.is_open and not overdue:
            raise CycleError(
                _(
                    "第一次申诉正在处理中（最迟 %(due)s 前答复），"
                    "逾期未处理或对结果不满意时才能提出二次申诉。"
                ),
                params={"due": f"{timezone.localtime(previous.due_at):%Y-%m-%d}"},
            )
        if overdue:
            previous.status = Appeal.Status.REJECTED
            previous.decision = "隔级主管逾期未处理，员工提出二次申诉"
            previous.decided_at = now
            previous.save()
        handler = None  # the leadership group decides
        rnd, due = 2, now + dt.timedelta(days=settings.JIXIAO_APPEAL_HANDLING_DAYS)
    else:
        raise CycleError(_("二次申诉已由绩效管理领导小组作出最终决定，不能再申诉。"))
    appeal = Appeal.objects.create(
        participant=participant,
        round=rnd,
        reason=reason.strip(),
        filed_at=now,
        due_at=due,
        handler=handler,
    )
    audit_record(
        actor=user,
        entity="appeal",
        entity_id=appeal.pk,
        action="file",
        after={"round": rnd, "reason": appeal.reason},
        cycle_id=cycle.pk,
        employee_id=participant.employee_id,
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    user: UserLike,
    appeal: Appeal,
    upheld: bool,
    decision: str,
    new_total: Any = None,
    new_grade: str = "",
) -> Appeal:
    appeal = lock(appeal, "participant__cycle")  # decided once: the others find it decided
    participant = appeal.participant
    ensure_state(participant.cycle, S.CONFIRMATION, S.APPEALS, doing=_("处理申诉"))
    actor = require_appeal_decider(user=user, appeal=appeal)
    if not appeal.is_open:
        raise CycleError(_("这条申诉已经处理完毕。"))
    if not (decision or "").strip():
        raise CycleError(_("请填写处理意见。"), field="decision")
    total = (
        parse_decimal(new_total, label=_("新总分"), domain=TOTAL, field="new_total", required=False)
        if upheld
        else None
    )
    grade = (new_grade or "").strip().upper() if upheld else ""
    if upheld and total is None and not grade:
        raise CycleError(_("申诉成立时请填写调整后的总分或等级。"), field="new_total")
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REJECTED
    appeal.decision = decision.strip()
    appeal.decided_by = actor.employee
    appeal.decided_at = timezone.now()
    appeal.new_total = total
    appeal.new_grade = grade
    appeal.save()
    audit_record(
        actor=user,
        entity="appeal",
        entity_id=appeal.pk,
        action="decide",
        after={"status": appeal.status, "decision": appeal.decision},
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    if upheld:
        before = {"total": participant.total, "grade": participant.grade}
        if total is not None:
            participant.total = total
        if grade:
            participant.grade = grade
        participant.save(update_fields=["total", "grade"])
        audit_record(
            actor=user,
            entity="result",
            entity_id=participant.pk,
            action="appeal_upheld",
            before=before,
            after={"total": participant.total, "grade": participant.grade},
            reason=appeal.decision,
            cycle_id=participant.cycle_id,
            employee_id=participant.employee_id,
        )
    return appeal
