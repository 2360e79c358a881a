"""Reads for cycles. Every list is built with a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from jixiao.web.access import actor_of, visible_participants
from jixiao.web.cycles.models import Appeal, Cycle, Participant, PlanItem, Rating, TargetChange

__all__ = [
    "appeals_to_handle",
    "cycle_dashboard",
    "cycle_list",
    "my_participations",
    "owed_ratings",
    "participant_detail",
    "raters_owing",
]

HISTOGRAM_BINS = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 100), (100, 1000)]


def cycle_list() -> QuerySet[Cycle]:
    return Cycle.objects.annotate(n=Count("participants")).order_by("-start", "-id")


@dataclass
class Dashboard:
    cycle: Cycle
    rows: list[Participant]
    grade_counts: list[tuple[str, int]]
    histogram: list[tuple[str, int]]
    owed_total: int
    signed: int
    confirmed: int
    eligible: int


def cycle_dashboard(*, user: Any, cycle: Cycle) -> Dashboard:
    """Status per person visible to ``user``, score distribution and grade counts."""
    rows = list(
        visible_participants(user=user, cycle=cycle)
        .select_related("employee", "department", "employee__position", "scheme_version__scheme")
        .annotate(
            ratings_owed=Count("ratings", filter=Q(ratings__submitted_at__isnull=True)),
            ratings_total=Count("ratings"),
            open_appeals=Count("appeals", filter=Q(appeals__status=Appeal.Status.OPEN)),
        )
        .order_by("department__code", "employee__number")
    )
    grades = Counter(p.grade for p in rows if p.eligible and p.grade)
    hist = Counter()
    for p in rows:
        if p.total is None or not p.eligible:
            continue
        for lo, hi in HISTOGRAM_BINS:
            if lo <= float(p.total) < hi:
                hist[(lo, hi)] += 1
                break
    return Dashboard(
        cycle=cycle,
        rows=rows,
        grade_counts=sorted(grades.items()),
        histogram=[
            (f"{lo}–{hi}" if hi < 1000 else f"≥{lo}", hist.get((lo, hi), 0))
            for lo, hi in HISTOGRAM_BINS
        ],
        owed_total=sum(p.ratings_owed for p in rows),
        signed=sum(1 for p in rows if p.plan_signed),
        confirmed=sum(1 for p in rows if p.confirmed_at),
        eligible=sum(1 for p in rows if p.eligible),
    )


def raters_owing(*, user: Any, cycle: Cycle) -> list[tuple[str, str, int]]:
    """Who still owes ratings, among the people ``user`` may see: (name, department, count)."""
    actor = actor_of(user)
    qs = Rating.objects.filter(
        participant__cycle=cycle, participant__eligible=True, submitted_at__isnull=True
    )
    depts = actor.department_ids
    if depts is not None:
        qs = qs.filter(Q(rater__department_id__in=depts) | Q(rater_id=actor.employee_id))
    return list(
        qs.values_list("rater__name", "rater__department__name")
        .annotate(n=Count("id"))
        .order_by("-n", "rater__name")
    )


def owed_ratings(*, user: Any, cycle: Cycle, pending_only: bool = False) -> list[Rating]:
    actor = actor_of(user)
    if actor.employee_id is None:
        return []
    qs = Rating.objects.filter(participant__cycle=cycle, rater_id=actor.employee_id)
    if pending_only:
        qs = qs.filter(submitted_at__isnull=True)
    return list(
        qs.select_related("participant__employee", "participant__scheme_version").order_by(
            "participant__employee__number", "item", "role"
        )
    )


def my_participations(*, user: Any) -> list[Participant]:
    """The signed-in employee's own cycles, newest first, with ``owed`` ratings per cycle."""
    actor = actor_of(user)
    if actor.employee_id is None:
        return []
    owed = dict(
        Rating.objects.filter(
            rater_id=actor.employee_id,
            submitted_at__isnull=True,
            participant__cycle__state=Cycle.State.RATING,
        )
        .values("participant__cycle_id")
        .annotate(n=Count("id"))
        .values_list("participant__cycle_id", "n")
    )
    rows = list(
        Participant.objects.filter(employee_id=actor.employee_id)
        .select_related("cycle", "scheme_version__scheme")
        .order_by("-cycle__start", "-cycle_id")
    )
    for p in rows:
        p.owed = owed.get(p.cycle_id, 0)
    return rows


def appeals_to_handle(*, user: Any) -> list[Appeal]:
    """Open appeals the signed-in person should decide: first appeals addressed to them (or to
    the working group), second appeals for the leadership group."""
    actor = actor_of(user)
    cond = Q(pk__in=[])
    if actor.employee_id is not None:
        cond |= Q(round=1, handler_id=actor.employee_id)
    if actor.is_working_group:
        cond |= Q(round=1)
    if actor.is_leadership:
        cond |= Q(round=2)
    return list(
        Appeal.objects.filter(cond, status=Appeal.Status.OPEN)
        .exclude(participant__employee_id=actor.employee_id)
        .select_related("participant__employee", "participant__cycle")
        .order_by("due_at")
    )


def participant_detail(*, participant: Participant) -> Participant:
    """Prefetch what the detail page shows."""
    return (
        Participant.objects.filter(pk=participant.pk)
        .select_related(
            "cycle",
            "employee__department",
            "employee__position",
            "employee__level",
            "scheme_version__scheme",
            "department",
        )
        .prefetch_related(
            Prefetch(
                "plan_items",
                queryset=PlanItem.objects.order_by("id").prefetch_related(
                    Prefetch(
                        "changes",
                        queryset=TargetChange.objects.select_related(
                            "requested_by", "decided_by"
                        ).order_by("created_at"),
                    )
                ),
            ),
            Prefetch("appeals", queryset=Appeal.objects.select_related("handler", "decided_by")),
            Prefetch("ratings", queryset=Rating.objects.select_related("rater")),
            "metrics",
        )
        .get()
    )
