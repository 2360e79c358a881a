"""Review and results: department review, calibration, interview notes, confirmation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.web.access import (
    UserLike,
    require_department_reviewer,
    require_manages,
    require_self,
)
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Cycle, DepartmentReview, Participant
from jixiao.web.cycles.services._common import CycleError, ensure_state
from jixiao.web.locking import lock

__all__ = [
    "department_review_submit",
    "interview_note_set",
    "participant_calibrate",
    "result_confirm",
]

S = Cycle.State


@transaction.atomic
def participant_calibrate(
    *, user: UserLike, participant: Participant, grade: str, reason: str
) -> Participant:
    """Change a grade at the calibration meeting; needs a reason, is audited."""
    participant = lock(participant, "cycle")
    ensure_state(participant.cycle, S.REVIEW, doing=_("校准等级"))
    require_manages(user=user, participant=participant)
    grade = (grade or "").strip().upper()
    if not grade or len(grade) > 16:
        raise CycleError(_("请填写新的等级。"), field="grade")
    if not (reason or "").strip():
        raise CycleError(_("调整等级必须写明原因。"), field="reason")
    if not participant.eligible:
        raise CycleError(_("该员工本期不参与考核，不能设定等级。"))
    before = {"grade": participant.grade}
    participant.grade = grade
    participant.calibration_note = reason.strip()[:500]
    participant.save(update_fields=["grade", "calibration_note"])
    audit_record(
        actor=user,
        entity="result",
        entity_id=participant.pk,
        action="calibrate",
        before=before,
        after={"grade": grade},
        reason=reason,
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    return participant


@transaction.atomic
def department_review_submit(
    *, user: UserLike, cycle: Cycle, department_id: int, note: str = ""
) -> DepartmentReview:
    cycle = lock(cycle)  # one review per department, however often it is posted
    ensure_state(cycle, S.REVIEW, doing=_("提交部门审核"))
    actor = require_department_reviewer(user=user, department_id=department_id)
    if actor.employee is None:
        raise CycleError(_("您的账号没有关联员工档案，请联系人事行政。"))
    review, _created = DepartmentReview.objects.update_or_create(
        cycle=cycle,
        department_id=department_id,
        defaults={"reviewed_by": actor.employee, "reviewed_at": timezone.now(), "note": note},
    )
    audit_record(
        actor=user,
        entity="result",
        entity_id=f"dept:{department_id}",
        action="department_review",
        after={"note": note},
        cycle_id=cycle.pk,
    )
    return review


@transaction.atomic
def interview_note_set(*, user: UserLike, participant: Participant, note: str) -> Participant:
    participant = lock(participant, "cycle")
    ensure_state(participant.cycle, S.PUBLISHED, S.CONFIRMATION, S.APPEALS, doing=_("记录面谈"))
    require_manages(user=user, participant=participant)
    before = {"interview_note": participant.interview_note}
    participant.interview_note = (note or "").strip()
    participant.save(update_fields=["interview_note"])
    audit_record(
        actor=user,
        entity="result",
        entity_id=participant.pk,
        action="interview",
        before=before,
        after={"interview_note": participant.interview_note},
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    return participant


@transaction.atomic
def result_confirm(*, user: UserLike, participant: Participant) -> Participant:
    participant = lock(participant, "cycle")  # confirmed once: the others are told so
    ensure_state(participant.cycle, S.CONFIRMATION, doing=_("确认考核结果"))
    require_self(user=user, participant=participant)
    if participant.confirmed_at is not None:
        raise CycleError(_("您已经确认过了。"))
    if participant.appeals.filter(status="open").exists():
        raise CycleError(_("您的申诉正在处理中，处理完毕后再确认。"))
    participant.confirmed_at = timezone.now()
    participant.save(update_fields=["confirmed_at"])
    audit_record(
        actor=user,
        entity="result",
        entity_id=participant.pk,
        action="confirm",
        after={"total": participant.total, "grade": participant.grade},
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    return participant
