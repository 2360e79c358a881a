"""The cycle state machine. Every transition is one call to :func:`cycle_transition`."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jixiao.web.access import UserLike, has_any_role, require_cycle_admin, require_role
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Appeal, Cycle, CycleFrozenError, DepartmentReview, Participant
from jixiao.web.cycles.services._common import CycleError, names_preview
from jixiao.web.errors import joined
from jixiao.web.locking import unique_or
from jixiao.web.org.models import Employee
from jixiao.web.schemes.models import SchemeVersion
from jixiao.web.schemes.validation import scheme_outline
from jixiao.web.workdays import working_deadline

__all__ = ["TRANSITIONS", "Transition", "cycle_create", "cycle_pin_schemes", "cycle_transition"]

S = Cycle.State


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    roles: frozenset[str]
    label: str  # Chinese; translated where shown (``gettext(label)``)
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "start_planning", S.DRAFT, S.PLANNING, frozenset({"hr"}), gettext_noop("开始制定计划")
        ),
        Transition(
            "start_running",
            S.PLANNING,
            S.RUNNING,
            frozenset({"hr"}),
            gettext_noop("计划已签字，开始执行"),
        ),
        Transition(
            "start_rating", S.RUNNING, S.RATING, frozenset({"hr"}), gettext_noop("开始评分")
        ),
        Transition(
            "start_review",
            S.RATING,
            S.REVIEW,
            frozenset({"hr"}),
            gettext_noop("结束评分，计算得分"),
        ),
        Transition(
            "submit_approval",
            S.REVIEW,
            S.APPROVAL,
            frozenset({"hr", "leadership"}),
            gettext_noop("提交总经理审批"),
        ),
        Transition(
            "return_review",
            S.APPROVAL,
            S.REVIEW,
            frozenset({"gm"}),
            gettext_noop("退回部门重审"),
            needs_reason=True,
        ),
        Transition(
            "publish", S.APPROVAL, S.PUBLISHED, frozenset({"gm"}), gettext_noop("批准并公布结果")
        ),
        Transition(
            "open_confirmation",
            S.PUBLISHED,
            S.CONFIRMATION,
            frozenset({"hr"}),
            gettext_noop("开放确认与申诉"),
        ),
        Transition(
            "close_confirmation",
            S.CONFIRMATION,
            S.APPEALS,
            frozenset({"hr"}),
            gettext_noop("结束确认，处理申诉"),
        ),
        Transition(
            "archive", S.APPEALS, S.ARCHIVED, frozenset({"hr", "gm"}), gettext_noop("归档并冻结")
        ),
    ]
}


@transaction.atomic
def cycle_create(
    *,
    user: UserLike,
    name: str,
    period: str,
    start: dt.date,
    end: dt.date,
    scheme_versions: list[SchemeVersion] | None = None,
    grade_quotas: dict | None = None,
) -> Cycle:
    require_cycle_admin(user=user)
    if not (name or "").strip():
        raise CycleError(_("请填写周期名称。"), field="name")
    if period not in Cycle.Period.values:
        raise CycleError(_("周期类型应为月度、季度或年度。"), field="period")
    if end < start:
        raise CycleError(_("结束日期不能早于开始日期。"), field="end")

    def taken() -> CycleError:
        return CycleError(
            _("已有名为“%(name)s”的周期，请换一个名称。"), params={"name": name}, field="name"
        )

    if Cycle.objects.filter(name=name.strip()).exists():
        raise taken()
    quotas = _clean_quotas(grade_quotas or {})
    with unique_or(taken):  # the same form posted twice at once: one cycle
        cycle = Cycle.objects.create(
            name=name.strip(), period=period, start=start, end=end, grade_quotas=quotas
        )
    if scheme_versions:
        cycle_pin_schemes(user=user, cycle=cycle, versions=scheme_versions)
    audit_record(
        actor=user,
        entity="cycle",
        entity_id=cycle.pk,
        action="create",
        after={"name": cycle.name, "period": period, "start": start, "end": end},
        cycle_id=cycle.pk,
    )
    return cycle


def _clean_quotas(quotas: dict) -> dict[str, float]:
    out = {}
    for grade, pct in quotas.items():
        try:
            v = float(pct)
        except (TypeError, ValueError):
            v = math.nan
        if not 0 <= v <= 100:
            raise CycleError(
                _("等级 %(grade)s 的强制分布比例应是 0–100 的数字。"),
                params={"grade": grade},
                field="quotas",
            )
        out[str(grade).strip().upper()] = v
    return out


@transaction.atomic
def cycle_pin_schemes(*, user: UserLike, cycle: Cycle, versions: list[SchemeVersion]) -> Cycle:
    """A cycle pins the (published) scheme versions it uses; only while in draft."""
    require_cycle_admin(user=user)
    if cycle.state == S.ARCHIVED:
        raise CycleFrozenError(cycle.name)
    if cycle.state != S.DRAFT:
        raise CycleError(_("周期已开始，不能再更换方案版本。"))
    drafts = [str(v) for v in versions if not v.is_published]
    if drafts:
        raise CycleError(
            _("只能使用已发布的方案版本：%(drafts)s 还是草稿，请先发布。"),
            params={"drafts": joined(drafts)},
            field="versions",
        )
    if len({v.scheme_id for v in versions}) != len(versions):
        raise CycleError(_("同一方案只能固定一个版本。"), field="versions")
    before = sorted(str(v) for v in cycle.scheme_versions.all())
    cycle.scheme_versions.set(versions)
    audit_record(
        actor=user,
        entity="cycle",
        entity_id=cycle.pk,
        action="pin_schemes",
        before=before,
        after=sorted(str(v) for v in versions),
        cycle_id=cycle.pk,
    )
    return cycle


# --- guards and effects -----------------------------------------------------------------------


def _enter_planning(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    versions = list(cycle.scheme_versions.select_related("scheme"))
    if not versions:
        raise CycleError(_("请先为周期固定至少一个已发布的考核方案版本。"))
    outlines = [(v, scheme_outline(v.yaml_text)) for v in versions]
    general = [v for v, o in outlines if not o.positions]
    staff = (
        Employee.objects.exclude(status=Employee.Status.LEFT)
        .filter(Q(hire_date__lte=cycle.end) | Q(hire_date__isnull=True))
        .select_related("position")
        .order_by("number")
    )
    missing = []
    for emp in staff:
        code = emp.position.code if emp.position else None
        match = [v for v, o in outlines if code and code in o.positions]
        version = match[0] if match else (general[0] if general else None)
        if version is None:
            missing.append(emp.name)
            continue
        p, created = Participant.objects.get_or_create(
            cycle=cycle,
            employee=emp,
            defaults={"department_id": emp.department_id, "scheme_version": version},
        )
        if created:
            _seed_plan(p, dict(outlines)[version])
    if missing:
        raise CycleError(
            _(
                "以下员工的岗位没有匹配的考核方案：%(names)s。"
                "请在方案的 positions 中加入其岗位编号，或固定一个不限岗位的通用方案。"
            ),
            params={"names": names_preview(missing)},
        )


def _seed_plan(p: Participant, outline: Any) -> None:
    from jixiao.web.cycles.models import PlanItem

    kinds = {"bonus": "bonus", "deduction": "penalty", "veto": "penalty"}
    rows = [
        PlanItem(
            participant=p, kind=kinds.get(i.type, "kpi"), code=i.code, name=i.name, weight=i.points
        )
        for i in outline.items
    ] + [
        PlanItem(participant=p, kind="target", code=code, name=name)
        for code, name in outline.targets.items()
    ]
    PlanItem.objects.bulk_create(rows)


def _enter_running(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    unsigned = cycle.participants.filter(eligible=True).filter(
        Q(employee_signed_at__isnull=True) | Q(head_signed_at__isnull=True)
    )
    names = list(unsigned.order_by("employee__number").values_list("employee__name", flat=True))
    if names:
        raise CycleError(
            _("还有 %(n)s 人的考核计划未由员工和部门负责人双方签字：%(names)s。"),
            params={"n": len(names), "names": names_preview(names)},
        )


def _enter_rating(
    user: UserLike, cycle: Cycle, now: dt.datetime, deadline: Any = None, **_kw: Any
) -> None:
    from jixiao.web.cycles.services.rating import rating_tasks_create

    if deadline is not None:
        cycle.rating_deadline, cycle.rating_deadline_weekdays_only = deadline, False
    if cycle.rating_deadline is None:
        d = working_deadline(now, settings.JIXIAO_RATING_WORKING_DAYS)
        cycle.rating_deadline, cycle.rating_deadline_weekdays_only = d.at, d.weekdays_only
    if cycle.rating_deadline <= now:
        raise CycleError(_("评分截止时间必须晚于现在。"), field="deadline")
    rating_tasks_create(user=user, cycle=cycle)


def _enter_review(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    from jixiao.web.cycles.models import Rating
    from jixiao.web.cycles.services.scoring import cycle_compute_scores

    owed = (
        Rating.objects.filter(
            participant__cycle=cycle, participant__eligible=True, submitted_at__isnull=True
        )
        .order_by("rater__number")
        .values_list("rater__name", flat=True)
        .distinct()
    )
    names = list(owed)
    if names:
        raise CycleError(
            _("还有 %(n)s 人未完成评分：%(names)s。请催办或延长截止时间。"),
            params={"n": len(names), "names": names_preview(names)},
        )
    cycle_compute_scores(user=user, cycle=cycle)


def _enter_approval(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    depts = set(cycle.participants.filter(eligible=True).values_list("department_id", flat=True))
    done = set(DepartmentReview.objects.filter(cycle=cycle).values_list("department_id", flat=True))
    todo = depts - done
    if todo:
        from jixiao.web.org.models import Department

        names = (
            Department.objects.filter(pk__in=todo).order_by("code").values_list("name", flat=True)
        )
        raise CycleError(
            _("以下部门尚未完成审核：%(names)s。"), params={"names": names_preview(names)}
        )
    _check_quotas(cycle)
    cycle.approval_deadline = now + dt.timedelta(days=settings.JIXIAO_APPROVAL_DAYS)


def _check_quotas(cycle: Cycle) -> None:
    if not cycle.grade_quotas:
        return
    grades = Counter(cycle.participants.filter(eligible=True).values_list("grade", flat=True))
    n = sum(grades.values())
    for grade, pct in sorted(cycle.grade_quotas.items()):
        allowed = math.floor(n * float(pct) / 100 + 1e-9)
        if grades.get(grade, 0) > allowed:
            raise CycleError(
                _(
                    "等级 %(grade)s 有 %(count)s 人，超过强制分布上限 %(pct)s%%（%(n)s 人中最多 "
                    "%(allowed)s 人）。请在校准页调整后再提交。"
                ),
                params={
                    "grade": grade,
                    "count": grades[grade],
                    "pct": f"{pct:g}",
                    "n": n,
                    "allowed": allowed,
                },
            )


def _return_review(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    DepartmentReview.objects.filter(cycle=cycle).delete()
    cycle.approval_deadline = None


def _enter_published(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    cycle.published_at = now


def _enter_confirmation(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    d = working_deadline(now, settings.JIXIAO_APPEAL_WORKING_DAYS)
    cycle.appeal_deadline, cycle.appeal_deadline_weekdays_only = d.at, d.weekdays_only


def _enter_appeals(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    if cycle.appeal_deadline and now <= cycle.appeal_deadline:
        pending = cycle.participants.filter(eligible=True, confirmed_at__isnull=True).exclude(
            appeals__isnull=False
        )
        names = list(pending.order_by("employee__number").values_list("employee__name", flat=True))
        if names:
            raise CycleError(
                _("申诉期到 %(deadline)s 才结束，还有 %(n)s 人既未确认也未申诉：%(names)s。"),
                params={
                    "deadline": f"{timezone.localtime(cycle.appeal_deadline):%Y-%m-%d %H:%M}",
                    "n": len(names),
                    "names": names_preview(names),
                },
            )


def _enter_archived(user: UserLike, cycle: Cycle, now: dt.datetime, **_kw: Any) -> None:
    open_appeals = Appeal.objects.filter(participant__cycle=cycle, status=Appeal.Status.OPEN)
    names = list(open_appeals.values_list("participant__employee__name", flat=True))
    if names:
        raise CycleError(
            _("还有 %(n)s 条申诉未处理完：%(names)s。处理完毕后才能归档。"),
            params={"n": len(names), "names": names_preview(names)},
        )
    cycle.archived_at = now


class _Effect(Protocol):
    def __call__(self, user: UserLike, cycle: Cycle, now: dt.datetime, **kw: Any) -> None: ...


_EFFECTS: dict[str, _Effect] = {
    "start_planning": _enter_planning,
    "start_running": _enter_running,
    "start_rating": _enter_rating,
    "start_review": _enter_review,
    "submit_approval": _enter_approval,
    "return_review": _return_review,
    "publish": _enter_published,
    "open_confirmation": _enter_confirmation,
    "close_confirmation": _enter_appeals,
    "archive": _enter_archived,
}


@transaction.atomic
def cycle_transition(
    *,
    user: UserLike,
    cycle: Cycle,
    name: str,
    reason: str = "",
    deadline: dt.datetime | None = None,
) -> Cycle:
    """Move ``cycle`` along transition ``name``; refuse with a clear message otherwise."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise CycleError(_("没有名为“%(name)s”的操作。"), params={"name": name})
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state == S.ARCHIVED:
        raise CycleFrozenError(cycle.name)
    if cycle.state != t.source:
        raise CycleError(
            _(
                "周期“%(cycle)s”当前处于“%(state)s”阶段，不能执行“%(action)s”"
                "（该操作只能在“%(source)s”阶段进行）。"
            ),
            params={
                "cycle": cycle.name,
                "state": S(cycle.state).label,
                "action": _(t.label),
                "source": S(t.source).label,
            },
        )
    require_role(user=user, roles=t.roles)
    if t.needs_reason and not (reason or "").strip():
        raise CycleError(
            _("“%(action)s”需要填写原因。"), params={"action": _(t.label)}, field="reason"
        )
    now = timezone.now()
    before = cycle.state
    _EFFECTS[name](user, cycle, now, deadline=deadline)
    cycle.state = t.target
    cycle.save()
    audit_record(
        actor=user,
        entity="cycle",
        entity_id=cycle.pk,
        action=name,
        before={"state": before},
        after={"state": cycle.state},
        reason=reason,
        cycle_id=cycle.pk,
    )
    return cycle


def available_transitions(*, cycle: Cycle, user: UserLike | None = None) -> list[Transition]:
    """Transitions out of the cycle's state; with ``user``, only those they may perform."""
    out = [t for t in TRANSITIONS.values() if t.source == cycle.state]
    if user is None:
        return out
    return [t for t in out if has_any_role(user=user, roles=t.roles)]
