"""Rating: create the ratings each rater owes (as the scheme says) and take submissions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.web.access import UserLike, require_cycle_admin, require_rater
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Cycle, Participant, Rating
from jixiao.web.cycles.services._common import CycleError, ensure_state
from jixiao.web.cycles.services.planning import parse_decimal
from jixiao.web.errors import joined
from jixiao.web.locking import lock
from jixiao.web.numbers import SCORE
from jixiao.web.org.models import Employee
from jixiao.web.org.selectors import direct_manager, skip_level_manager
from jixiao.web.schemes.validation import ItemOutline, scheme_outline

__all__ = ["rating_deadline_set", "rating_submit", "rating_tasks_create"]

S = Cycle.State
MAX_PEERS = 5


def _raters(role: str, p: Participant, peers: list[Employee]) -> list[Employee]:
    emp = p.employee
    if role == "self":
        return [emp]
    if role == "manager":
        m = direct_manager(employee=emp)
        return [m] if m else []
    if role == "skip":
        s = skip_level_manager(employee=emp)
        return [s] if s else []
    if role == "peer":
        return [e for e in peers if e.pk != emp.pk][:MAX_PEERS]
    if role == "subordinate":
        return list(emp.reports.exclude(status=Employee.Status.LEFT))
    return []  # customer ratings are entered by HR from outside data


def rating_tasks_create(*, user: UserLike, cycle: Cycle) -> int:
    """Create an empty Rating for every (participant, item, rater role, rater). Idempotent."""
    require_cycle_admin(user=user)
    outlines: dict[int, Any] = {}
    peers_by_dept: dict[int, list[Employee]] = {}
    created = 0
    participants = cycle.participants.filter(eligible=True).select_related(
        "employee__department__head", "employee__manager", "scheme_version"
    )
    for p in participants:
        version = p.scheme_version
        if version is None:
            continue
        if version.pk not in outlines:
            outlines[version.pk] = scheme_outline(version.yaml_text)
        if p.department_id not in peers_by_dept:
            peers_by_dept[p.department_id] = list(
                Employee.objects.filter(
                    participations__cycle=cycle,
                    participations__eligible=True,
                    department_id=p.department_id,
                ).order_by("number")
            )
        for item in outlines[version.pk].rating_items:
            for role in sorted(item.rating_roles):
                for rater in _raters(role, p, peers_by_dept[p.department_id]):
                    _rating, new = Rating.objects.get_or_create(
                        participant=p, rater=rater, role=role, item=item.code
                    )
                    created += int(new)
    return created


def _validate_score(item: ItemOutline | None, score: str) -> str:
    score = (score or "").strip()
    if not score:
        raise CycleError(_("请填写评分。"), field="score")
    if item is not None and item.rating_levels:
        if score.upper() in {lv.upper() for lv in item.rating_levels}:
            return score.upper()
        raise CycleError(
            _("“%(item)s”请在 %(levels)s 中选择一个等级。"),
            params={"item": item.name, "levels": joined(item.rating_levels)},
            field="score",
        )
    value = parse_decimal(score, label=_("评分"), domain=SCORE, field="score")
    top = Decimal(str(item.rating_max)) if item is not None and item.rating_max else None
    if value < 0 or (top is not None and value > top):
        raise CycleError(
            _("评分应在 0 到 %(top)s 之间，收到 %(score)s。"),
            params={"top": _fmt(top) if top else _("满分"), "score": score},
            field="score",
        )
    return _fmt(value)


def _fmt(d: Decimal) -> str:
    """50 → "50", 37.50 → "37.5" (never scientific notation)."""
    return format(d.normalize(), "f")


@transaction.atomic
def rating_submit(*, user: UserLike, rating: Rating, score: Any, comment: str = "") -> Rating:
    """The rater gives (or corrects, until the deadline) one rating."""
    rating = lock(rating, "participant__cycle", "participant__scheme_version")
    cycle = rating.participant.cycle
    ensure_state(cycle, S.RATING, doing=_("评分"))
    require_rater(user=user, rating=rating)
    if cycle.rating_deadline and timezone.now() > cycle.rating_deadline:
        raise CycleError(
            _("评分已于 %(deadline)s 截止，如需补评请联系人事行政延长截止时间。"),
            params={"deadline": f"{timezone.localtime(cycle.rating_deadline):%Y-%m-%d %H:%M}"},
        )
    version = rating.participant.scheme_version
    if version is None:
        raise CycleError(_("该员工没有对应的考核方案，无法评分，请联系人事行政。"))
    outline = scheme_outline(version.yaml_text)
    item = next((i for i in outline.items if i.code == rating.item), None)
    value = _validate_score(item, str(score))
    before = {"score": rating.score} if rating.submitted_at else None
    rating.score = value
    rating.comment = (comment or "")[:500]
    rating.submitted_at = timezone.now()
    rating.save(update_fields=["score", "comment", "submitted_at"])
    audit_record(
        actor=user,
        entity="rating",
        entity_id=rating.pk,
        action="submit",
        before=before,
        after={"item": rating.item, "role": rating.role, "score": value},
        cycle_id=cycle.pk,
        employee_id=rating.participant.employee_id,
    )
    return rating


@transaction.atomic
def rating_deadline_set(*, user: UserLike, cycle: Cycle, deadline: Any, reason: str = "") -> Cycle:
    """HR moves the rating deadline (e.g. to let a late rater finish)."""
    cycle = lock(cycle)
    ensure_state(cycle, S.RATING, doing=_("调整评分截止时间"))
    require_cycle_admin(user=user)
    if deadline is None or deadline <= timezone.now():
        raise CycleError(_("新的评分截止时间必须晚于现在。"), field="deadline")
    before = {"rating_deadline": cycle.rating_deadline}
    cycle.rating_deadline, cycle.rating_deadline_weekdays_only = deadline, False
    cycle.save(update_fields=["rating_deadline", "rating_deadline_weekdays_only"])
    audit_record(
        actor=user,
        entity="cycle",
        entity_id=cycle.pk,
        action="rating_deadline",
        before=before,
        after={"rating_deadline": deadline},
        reason=reason,
        cycle_id=cycle.pk,
    )
    return cycle
