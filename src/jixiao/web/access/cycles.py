"""Cycles: results, plans, ratings, target changes, reviews and appeals (seed 000).

Reading: an employee reads their own record (the score only once published); a head their
department; a supervisor the departments overseen; HR, the GM and the groups everyone; the
skip-level manager handling an appeal the record appealed against. Acting: see each function.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.web.access._actor import Actor, UserLike, actor_of, deny, has_role, may_read
from jixiao.web.access.roles import require_role
from jixiao.web.cycles.models import (
    Appeal,
    Cycle,
    Participant,
    PlanItem,
    Rating,
    TargetChange,
)

__all__ = [
    "access_appeal",
    "access_cycle",
    "access_plan_item",
    "access_rating",
    "access_result",
    "access_target_change",
    "can_manage_cycles",
    "can_manage_participant",
    "can_see_score",
    "can_see_scores",
    "can_view_team",
    "handled_appeals",
    "is_own_record",
    "manages",
    "require_appeal_decider",
    "require_cycle_admin",
    "require_department_reviewer",
    "require_manages",
    "require_plan_signer",
    "require_rater",
    "require_self",
    "require_target_change_decider",
    "require_target_change_requester",
    "require_team_viewer",
    "result_visible_to",
    "reviewable_departments",
    "visible_owed_ratings",
    "visible_participants",
]

_RESULT_RELATED = (
    "cycle",
    "employee",
    "department",
    "employee__position",
    "employee__level",
    "scheme_version__scheme",
)


# --- reading --------------------------------------------------------------------------------


def access_cycle(*, user: UserLike, cycle_id: int) -> Cycle:
    """Every signed-in employee may see that a cycle exists and its state."""
    actor_of(user)
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404(_("没有这个考核周期。"))
    return cycle


def visible_participants(*, user: UserLike, cycle: Cycle) -> QuerySet[Participant]:
    actor = actor_of(user)
    qs = Participant.objects.filter(cycle=cycle)
    depts = actor.department_ids
    if depts is None:
        return qs
    own = Q(employee_id=actor.employee_id) if actor.employee_id else Q(pk__in=[])
    return qs.filter(own | Q(department_id__in=depts))


def _may_read_participant(actor: Actor, p: Participant) -> bool:
    if may_read(actor, employee_id=p.employee_id, department_id=p.department_id):
        return True
    # the skip-level manager handling an appeal may read the record appealed against
    return (
        actor.employee_id is not None
        and Appeal.objects.filter(participant=p, handler_id=actor.employee_id).exists()
    )


def access_result(
    *, user: UserLike, participant_id: int, cycle_id: int | None = None
) -> Participant:
    """One person's plan and result in one cycle. Employees see their score once published."""
    actor = actor_of(user)
    qs = Participant.objects.select_related(*_RESULT_RELATED)
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    p = qs.filter(pk=participant_id).first()
    if p is None:
        raise Http404(_("没有这条考核记录。"))
    if not _may_read_participant(actor, p):
        deny(_("您无权查看这条考核记录。"))
    return p


def access_plan_item(*, user: UserLike, plan_item_id: int) -> PlanItem:
    """A line of a plan, readable as the plan it belongs to."""
    item = PlanItem.objects.filter(pk=plan_item_id).first()
    if item is None:
        raise Http404(_("没有这个计划项。"))
    item.participant = access_result(user=user, participant_id=item.participant_id)
    return item


def access_target_change(*, user: UserLike, change_id: int) -> TargetChange:
    """A target change request, readable as the plan it changes."""
    change = TargetChange.objects.select_related("plan_item").filter(pk=change_id).first()
    if change is None:
        raise Http404(_("没有这条目标调整申请。"))
    change.plan_item.participant = access_result(
        user=user, participant_id=change.plan_item.participant_id
    )
    return change


def access_rating(*, user: UserLike, rating_id: int) -> Rating:
    """A rating: its rater (peers and skip-level raters rate people outside the departments
    they read) and whoever may read the record rated."""
    actor = actor_of(user)
    rating = (
        Rating.objects.select_related(
            "participant__cycle", "participant__scheme_version", "participant__employee"
        )
        .filter(pk=rating_id)
        .first()
    )
    if rating is None:
        raise Http404(_("没有这项评分。"))
    if rating.rater_id != actor.employee_id and not _may_read_participant(
        actor, rating.participant
    ):
        deny(_("这项评分不是由您来打的。"))
    return rating


def access_appeal(*, user: UserLike, appeal_id: int) -> Appeal:
    actor = actor_of(user)
    appeal = (
        Appeal.objects.select_related("participant__cycle", "participant__employee")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise Http404(_("没有这条申诉。"))
    p = appeal.participant
    if not (
        may_read(actor, employee_id=p.employee_id, department_id=p.department_id)
        or appeal.handler_id == actor.employee_id
    ):
        deny(_("您无权查看这条申诉。"))
    return appeal


def is_own_record(*, user: UserLike, employee_id: int | None) -> bool:
    """Whether the record of ``employee_id`` is the signed-in person's own."""
    return employee_id is not None and employee_id == actor_of(user).employee_id


def can_see_score(*, user: UserLike, cycle: Cycle, employee_id: int) -> bool:
    """Scores before publication are for managers only, not for the employee themself."""
    if cycle.results_visible:
        return True
    actor = actor_of(user)
    return employee_id != actor.employee_id or actor.sees_all


def result_visible_to(*, user: UserLike, participant: Participant) -> bool:
    return can_see_score(user=user, cycle=participant.cycle, employee_id=participant.employee_id)


def can_see_scores(*, user: UserLike, cycle: Cycle) -> bool:
    """Score charts of a cycle: everyone once published, managers before."""
    return cycle.results_visible or actor_of(user).is_manager


def can_view_team(*, user: UserLike) -> bool:
    """“My team”: heads, supervisors, and those who read everyone."""
    return actor_of(user).is_manager


def require_team_viewer(*, user: UserLike) -> Actor:
    if not can_view_team(user=user):
        deny(_("“我的团队”仅限部门负责人、分管领导和管理人员。"))
    return actor_of(user)


def reviewable_departments(*, user: UserLike, department_ids: set[int]) -> set[int]:
    """Those of ``department_ids`` the user may submit a department review for."""
    actor = actor_of(user)
    return set(department_ids) if actor.is_hr else set(department_ids) & actor.managed_departments


def visible_owed_ratings(*, user: UserLike, cycle: Cycle) -> QuerySet[Rating]:
    """Ratings still owed in ``cycle`` by raters the user may read (or by the user)."""
    actor = actor_of(user)
    qs = Rating.objects.filter(
        participant__cycle=cycle, participant__eligible=True, submitted_at__isnull=True
    )
    depts = actor.department_ids
    if depts is not None:
        qs = qs.filter(Q(rater__department_id__in=depts) | Q(rater_id=actor.employee_id))
    return qs


def handled_appeals(*, user: UserLike) -> QuerySet[Appeal]:
    """Open appeals the user should decide: first appeals addressed to them (or to the working
    group), second appeals for the leadership group; never their own."""
    actor = actor_of(user)
    cond = Q(pk__in=[])
    if actor.employee_id is not None:
        cond |= Q(round=1, handler_id=actor.employee_id)
    if actor.is_working_group:
        cond |= Q(round=1)
    if actor.is_leadership:
        cond |= Q(round=2)
    appeals = Appeal.objects.filter(cond, status=Appeal.Status.OPEN)
    if actor.employee_id is not None:
        appeals = appeals.exclude(participant__employee_id=actor.employee_id)
    return appeals


# --- acting (called by the services, so pages and APIs cannot bypass them) -----------------


def can_manage_cycles(*, user: UserLike) -> bool:
    """Create and move cycles, pin schemes, record absences, move deadlines: HR."""
    return has_role(actor_of(user), {"hr"})


def require_cycle_admin(*, user: UserLike) -> Actor:
    return require_role(user=user, roles={"hr"})


def manages(*, actor: Actor, participant: Participant) -> bool:
    """Heads, supervisors, the direct manager (and HR) manage a participant's plan and review."""
    if participant.employee_id == actor.employee_id:
        return False  # nobody appraises themself
    if actor.is_hr:
        return True
    if actor.employee_id is None:
        return False
    if participant.department_id in actor.managed_departments:
        return True
    return participant.employee.manager_id == actor.employee_id


def can_manage_participant(*, user: UserLike, participant: Participant) -> bool:
    return manages(actor=actor_of(user), participant=participant)


def require_manages(*, user: UserLike, participant: Participant) -> Actor:
    actor = actor_of(user)
    if not manages(actor=actor, participant=participant):
        deny(_("只有该员工的部门负责人、直接上级、分管领导或人事行政可以操作。"))
    return actor


def require_self(*, user: UserLike, participant: Participant) -> Actor:
    actor = actor_of(user)
    if participant.employee_id != actor.employee_id:
        deny(_("只有员工本人可以操作。"))
    return actor


def require_plan_signer(*, user: UserLike, participant: Participant) -> str:
    """The employee signs their own plan, the head (or manager) as the appraiser. Returns the
    signature field: ``employee_signed_at`` or ``head_signed_at``."""
    actor = actor_of(user)
    if participant.employee_id == actor.employee_id:
        return "employee_signed_at"
    if manages(actor=actor, participant=participant):
        return "head_signed_at"
    deny(_("只有员工本人和其部门负责人可以签字确认计划。"))


def require_target_change_requester(*, user: UserLike, participant: Participant) -> Actor:
    actor = actor_of(user)
    if not (
        participant.employee_id == actor.employee_id
        or manages(actor=actor, participant=participant)
    ):
        deny(_("只有员工本人或其上级可以申请调整目标。"))
    return actor


def require_target_change_decider(*, user: UserLike, change: TargetChange) -> Actor:
    """The GM, the leadership group or the department's supervisor — never the requester."""
    actor = actor_of(user)
    participant = change.plan_item.participant
    if not (actor.is_gm or actor.is_leadership or participant.department_id in actor.overseen):
        deny(_("目标调整需由总经理、绩效管理领导小组或分管领导审批。"))
    if change.requested_by_id == actor.employee_id:
        deny(_("不能审批自己提出的申请。"))
    if participant.employee_id == actor.employee_id:
        deny(_("不能审批调整自己目标的申请，应由其他审批人处理。"))
    return actor


def require_rater(*, user: UserLike, rating: Rating) -> Actor:
    actor = actor_of(user)
    if rating.rater_id != actor.employee_id:
        deny(_("这项评分不是由您来打的。"))
    return actor


def require_department_reviewer(*, user: UserLike, department_id: int) -> Actor:
    actor = actor_of(user)
    if not (actor.is_hr or department_id in actor.managed_departments):
        deny(_("只有本部门负责人或分管领导可以审核本部门。"))
    return actor


def require_appeal_decider(*, user: UserLike, appeal: Appeal) -> Actor:
    """First appeals: the skip-level manager or the working group; second appeals: the
    leadership group. Nobody decides their own appeal."""
    actor = actor_of(user)
    if appeal.participant.employee_id == actor.employee_id:
        allowed = False
    elif appeal.round == 1:
        allowed = appeal.handler_id == actor.employee_id or actor.is_working_group
    else:
        allowed = actor.is_leadership
    if not allowed:
        who = _("隔级主管或绩效工作小组") if appeal.round == 1 else _("绩效管理领导小组")
        deny(_("这条申诉应由%(who)s处理。") % {"who": who})
    return actor
