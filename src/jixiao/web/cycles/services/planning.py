"""Planning and running: plan items, signatures, eligibility, data entry, target changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, overload

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jixiao.web.access import (
    UserLike,
    require_cycle_admin,
    require_manages,
    require_plan_signer,
    require_target_change_decider,
    require_target_change_requester,
)
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Cycle, MetricValue, Participant, PlanItem, TargetChange
from jixiao.web.cycles.services._common import CycleError, ensure_state
from jixiao.web.locking import lock
from jixiao.web.numbers import ABSENT_DAYS, METRIC, PERCENT, TARGET, Domain, parse_number

__all__ = [
    "metric_set",
    "parse_decimal",
    "participant_set_absence",
    "plan_item_set",
    "plan_sign",
    "target_change_decide",
    "target_change_request",
]

S = Cycle.State


@overload
def parse_decimal(
    value: Any,
    *,
    label: str | Promise,
    domain: Domain,
    field: str | None = ...,
    required: Literal[True] = ...,
) -> Decimal: ...


@overload
def parse_decimal(
    value: Any, *, label: str | Promise, domain: Domain, field: str | None = ..., required: bool
) -> Decimal | None: ...


def parse_decimal(
    value: Any,
    *,
    label: str | Promise,
    domain: Domain,
    field: str | None = None,
    required: bool = True,
) -> Decimal | None:
    """A number typed by a user (``1,234``, ``35%``, ``１２``) in ``domain`` (see
    :mod:`jixiao.web.numbers`); ``label`` names it in the message, ``field`` is the form field."""
    return parse_number(
        value, domain=domain, label=label, field=field, required=required, error=CycleError
    )


def _item_snapshot(item: PlanItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "code": item.code,
        "name": item.name,
        "weight": item.weight,
        "target": item.target,
        "standard": item.standard,
    }


@transaction.atomic
def plan_item_set(
    *,
    user: UserLike,
    participant: Participant,
    code: str,
    name: str,
    kind: str = PlanItem.Kind.KPI,
    weight: Any = None,
    target: Any = None,
    standard: str = "",
) -> PlanItem:
    """Add or change a plan line. Changing a signed plan clears both signatures."""
    participant = lock(participant, "cycle")  # one line per code, whatever arrives at once
    ensure_state(participant.cycle, S.DRAFT, S.PLANNING, doing=_("修改考核计划"))
    require_manages(user=user, participant=participant)
    code = (code or "").strip()
    if not code or not (name or "").strip():
        raise CycleError(_("计划项需要编码和名称。"), field="name" if code else "code")
    if kind not in PlanItem.Kind.values:
        raise CycleError(_("计划项类型“%(kind)s”无效。"), params={"kind": kind}, field="kind")
    w = parse_decimal(weight, label=_("权重"), domain=PERCENT, field="weight", required=False)
    t = parse_decimal(target, label=_("目标值"), domain=TARGET, field="target", required=False)
    item = PlanItem.objects.filter(participant=participant, code=code).first()
    before = _item_snapshot(item) if item else None
    if item is None:
        item = PlanItem(participant=participant, code=code)
    item.kind, item.name, item.weight, item.target, item.standard = (
        kind,
        name.strip(),
        w,
        t,
        standard,
    )
    item.save()
    if participant.employee_signed_at or participant.head_signed_at:
        participant.employee_signed_at = participant.head_signed_at = None
        participant.save(update_fields=["employee_signed_at", "head_signed_at"])
    audit_record(
        actor=user,
        entity="target",
        entity_id=item.pk,
        action="plan_set",
        before=before,
        after=_item_snapshot(item),
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    return item


@transaction.atomic
def plan_sign(*, user: UserLike, participant: Participant) -> Participant:
    """The employee signs their own plan; the head (or manager) signs as the appraiser."""
    participant = lock(participant, "cycle")  # a second identical post finds the signature
    ensure_state(participant.cycle, S.PLANNING, doing=_("签字确认计划"))
    field = require_plan_signer(user=user, participant=participant)
    if not participant.plan_items.exists():
        raise CycleError(_("计划还是空的，请先由部门负责人填写考核指标。"))
    if getattr(participant, field) is not None:
        raise CycleError(_("您已签过字了。"))
    setattr(participant, field, timezone.now())
    participant.save(update_fields=[field])
    audit_record(
        actor=user,
        entity="target",
        entity_id=participant.pk,
        action="sign",
        after={field: getattr(participant, field)},
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    return participant


@transaction.atomic
def participant_set_absence(
    *, user: UserLike, participant: Participant, absent_days: str | int | None, reason: str = ""
) -> Participant:
    """Absent more than 20 days in the period: not appraised this period (seed 000)."""
    participant = lock(participant, "cycle")
    ensure_state(participant.cycle, S.PLANNING, S.RUNNING, S.RATING, doing=_("登记缺勤"))
    require_cycle_admin(user=user)
    days = int(
        parse_decimal(absent_days, label=_("缺勤天数"), domain=ABSENT_DAYS, field="absent_days")
        or 0
    )
    limit = settings.JIXIAO_ABSENCE_LIMIT_DAYS
    before = {"absent_days": participant.absent_days, "eligible": participant.eligible}
    participant.absent_days = days
    participant.eligible = days <= limit
    participant.eligibility_note = (
        ""
        if participant.eligible
        else f"考核期内未到岗累计 {days} 天（超过 {limit} 天），不参与当期考核"
    )
    participant.save(update_fields=["absent_days", "eligible", "eligibility_note"])
    audit_record(
        actor=user,
        entity="participant",
        entity_id=participant.pk,
        action="absence",
        before=before,
        after={"absent_days": days, "eligible": participant.eligible},
        reason=reason,
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    return participant


@transaction.atomic
def metric_set(*, user: UserLike, participant: Participant, code: str, value: Any) -> MetricValue:
    """Enter one measured value (or correct it; the change is audited)."""
    participant = lock(participant, "cycle")  # one row per code under concurrent posts
    ensure_state(participant.cycle, S.RUNNING, S.RATING, doing=_("录入数据"))
    require_manages(user=user, participant=participant)
    code = (code or "").strip()
    if not code:
        raise CycleError(_("请填写指标编码。"), field="code")
    v = parse_decimal(value, label=code, domain=METRIC, field="value")
    mv = MetricValue.objects.filter(participant=participant, code=code).first()
    before = {"value": mv.value} if mv else None
    if mv is None:
        mv = MetricValue(participant=participant, code=code, value=v)
    mv.value = v
    mv.save()
    audit_record(
        actor=user,
        entity="data",
        entity_id=mv.pk,
        action="set",
        before=before,
        after={"code": code, "value": v},
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    return mv


@transaction.atomic
def target_change_request(
    *, user: UserLike, item: PlanItem, new_target: Any, reason: str
) -> TargetChange:
    """A mid-period target change: allowed while running, needs a reason and an approval."""
    item = lock(item, "participant__cycle")  # the pending check below sees earlier requests
    participant = item.participant
    ensure_state(participant.cycle, S.RUNNING, doing=_("申请调整目标"))
    actor = require_target_change_requester(user=user, participant=participant)
    if not (reason or "").strip():
        raise CycleError(_("期中调整目标必须写明原因。"), field="reason")
    new = parse_decimal(new_target, label=_("新目标值"), domain=TARGET, field="new_target")
    if item.changes.filter(status=TargetChange.Status.PENDING).exists():
        raise CycleError(_("这个指标已有一条待审批的调整申请，请等待审批结果。"))
    if actor.employee is None:
        # a superuser account without an employee record: the request must name who asked
        raise CycleError(
            _("当前账号没有关联员工档案，不能提出目标调整，请用员工本人或其上级的账号操作。")
        )
    change = TargetChange.objects.create(
        plan_item=item,
        old_target=item.target,
        new_target=new,
        reason=reason.strip(),
        requested_by=actor.employee,
    )
    audit_record(
        actor=user,
        entity="target",
        entity_id=item.pk,
        action="change_request",
        before={"target": item.target},
        after={"target": new},
        reason=reason,
        cycle_id=participant.cycle_id,
        employee_id=participant.employee_id,
    )
    return change


@transaction.atomic
def target_change_decide(
    *, user: UserLike, change: TargetChange, approve: bool, note: str = ""
) -> TargetChange:
    """Approved by the GM, the leadership group or the department's supervisor — never the
    person who asked."""
    change = lock(change, "plan_item__participant__cycle")  # decided once, not once per post
    item = change.plan_item
    participant = item.participant
    ensure_state(participant.cycle, S.RUNNING, doing=_("审批目标调整"))
    if change.status != TargetChange.Status.PENDING:
        raise CycleError(_("这条申请已经处理过了。"))
    actor = require_target_change_decider(user=user, change=change)
    change.status = TargetChange.Status.APPROVED if approve else TargetChange.Status.REJECTED
    change.decided_by = actor.employee
    change.decided_at = timezone.now()
    change.save()
    if approve:
        before = item.target
        item.target = change.new_target
        item.save(update_fields=["target"])
        audit_record(
            actor=user,
            entity="target",
            entity_id=item.pk,
            action="change_approved",
            before={"target": before},
            after={"target": item.target},
            reason=change.reason + (f"；{note}" if note else ""),
            cycle_id=participant.cycle_id,
            employee_id=participant.employee_id,
        )
    else:
        audit_record(
            actor=user,
            entity="target",
            entity_id=item.pk,
            action="change_rejected",
            reason=note,
            cycle_id=participant.cycle_id,
            employee_id=participant.employee_id,
        )
    return change
