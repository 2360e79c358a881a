"""Reads for cycles. Every list is built with a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from jixiao.files import csv_bytes
from jixiao.web.access import (
    UserLike,
    actor_of,
    can_see_score,
    handled_appeals,
    visible_owed_ratings,
    visible_participants,
)
from jixiao.web.cycles.models import (
    Appeal,
    Cycle,
    DepartmentReview,
    Participant,
    PlanItem,
    Rating,
    TargetChange,
)
from jixiao.web.org.models import Department, Employee, ShopAccount
from jixiao.web.schemes.models import SchemeVersion

__all__ = [
    "appeals_to_handle",
    "cycle_dashboard",
    "cycle_list",
    "department_reviews",
    "employee_history",
    "my_participations",
    "owed_ratings",
    "participant_detail",
    "pinnable_scheme_versions",
    "raters_owing",
    "results_csv",
]

HISTOGRAM_BINS = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 100), (100, 1000)]


def cycle_list() -> QuerySet[Cycle]:
    return Cycle.objects.annotate(n=Count("participants")).order_by("-start", "-id")


@dataclass
class Dashboard:
    cycle: Cycle
    rows: Sequence[Participant]
    grade_counts: list[tuple[str, int]]
    histogram: list[tuple[str, int]]
    owed_total: int
    signed: int
    confirmed: int
    eligible: int


def cycle_dashboard(*, user: UserLike, cycle: Cycle) -> Dashboard:
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
    # the counts and the histogram only hold scores the user may see: a head in review would
    # otherwise read their own unpublished grade off the team's distribution
    scored = [p for p in rows if can_see_score(user=user, cycle=cycle, employee_id=p.employee_id)]
    grades = Counter(p.grade for p in scored if p.eligible and p.grade)
    hist: Counter[tuple[int, int]] = Counter()
    for p in scored:
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


def raters_owing(*, user: UserLike, cycle: Cycle) -> list[tuple[str, str, int]]:
    """Who still owes ratings, among the people ``user`` may see: (name, department, count)."""
    return list(
        visible_owed_ratings(user=user, cycle=cycle)
        .values_list("rater__name", "rater__department__name")
        .annotate(n=Count("id"))
        .order_by("-n", "rater__name")
    )


def owed_ratings(*, user: UserLike, cycle: Cycle, pending_only: bool = False) -> list[Rating]:
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


def my_participations(*, user: UserLike) -> list[Participant]:
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


def appeals_to_handle(*, user: UserLike) -> list[Appeal]:
    """Open appeals the signed-in person should decide: first appeals addressed to them (or to
    the working group), second appeals for the leadership group."""
    return list(
        handled_appeals(user=user)
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


def department_reviews(
    *, cycle: Cycle, department_ids: set[int]
) -> tuple[list[Department], set[int]]:
    """The departments (by code) and which of them have submitted their review in ``cycle``."""
    departments = list(Department.objects.filter(pk__in=department_ids).order_by("code"))
    reviewed = set(
        DepartmentReview.objects.filter(cycle=cycle).values_list("department_id", flat=True)
    )
    return departments, reviewed


def employee_history(*, employee: Employee) -> tuple[list[Participant], list[ShopAccount]]:
    """Every cycle of ``employee`` (newest first) and their shop sub-accounts."""
    rows = list(
        Participant.objects.filter(employee=employee)
        .select_related("cycle")
        .order_by("-cycle__start")
    )
    return rows, list(employee.shop_accounts.order_by("shop", "nick"))


def pinnable_scheme_versions() -> QuerySet[SchemeVersion]:
    """Published scheme versions, the ones a new cycle may pin."""
    return SchemeVersion.objects.filter(status=SchemeVersion.Status.PUBLISHED).select_related(
        "scheme"
    )


def result_rows(*, user: UserLike, cycle: Cycle) -> list[Participant]:
    """The participants whose results ``user`` may list, by department and number."""
    qs = (
        visible_participants(user=user, cycle=cycle)
        .select_related("employee", "department")
        .order_by("department__code", "employee__number")
    )
    return list(qs)


RESULTS_HEADER = ["工号", "姓名", "部门", "参与考核", "总分", "等级", "排名", "确认时间"]


def results_csv(*, user: UserLike, cycle: Cycle) -> tuple[bytes, int]:
    """The results export (UTF-8 with BOM, formula-safe, docs/files.md) and its row count."""
    rows = [
        [
            p.employee.number,
            p.employee.name,
            p.department.name,
            "是" if p.eligible else "否",
            p.total,
            p.grade,
            p.rank or None,
            p.confirmed_at.isoformat() if p.confirmed_at else None,
        ]
        for p in result_rows(user=user, cycle=cycle)
    ]
    return csv_bytes(RESULTS_HEADER, rows), len(rows)
