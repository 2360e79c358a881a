"""Scoring: one service that feeds the cycle's data to the engine and stores the results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.engine import DataError, ResultRecord, SchemeError, score
from jixiao.web.access import UserLike, require_cycle_admin
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Cycle, MetricValue, Participant, PlanItem, Rating
from jixiao.web.cycles.services._common import CycleError, ensure_state
from jixiao.web.errors import text_of
from jixiao.web.schemes.validation import SchemeOutline, compiled_scheme, scheme_outline

__all__ = ["cycle_compute_scores"]

S = Cycle.State
# TextChoices members are strings; without django-stubs mypy reads their (value, label) source.
_SCORABLE = cast("tuple[str, ...]", (S.RATING, S.REVIEW))


Frames = tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame | None]


def _frames(participants: list[Participant], outline: SchemeOutline) -> Frames:
    """The engine's inputs: data (metrics, grouped by department code), targets, ratings."""
    ids = [p.pk for p in participants]
    by_pid = {p.pk: p for p in participants}
    metrics: dict[int, dict[str, float]] = {}
    for pid, code, value in MetricValue.objects.filter(participant_id__in=ids).values_list(
        "participant_id", "code", "value"
    ):
        metrics.setdefault(pid, {})[code] = float(value)
    metric_codes = sorted(set(outline.metrics) | {c for m in metrics.values() for c in m})
    data = pl.DataFrame(
        {
            "employee": [p.employee.number for p in participants],
            "name": [p.employee.name for p in participants],
            "group": [p.department.code for p in participants],
            **{
                c: pl.Series(
                    c, [metrics.get(p.pk, {}).get(c) for p in participants], dtype=pl.Float64
                )
                for c in metric_codes
            },
        }
    )
    targets_by: dict[int, dict[str, float]] = {}
    for pid, code, target in PlanItem.objects.filter(
        participant_id__in=ids, target__isnull=False
    ).values_list("participant_id", "code", "target"):
        if target is not None:  # filtered above; the check narrows the type
            targets_by.setdefault(pid, {})[code] = float(target)
    target_codes = sorted(
        {c for t in targets_by.values() for c in t} & set(outline.targets)
    ) or sorted(set(outline.targets))
    targets = None
    if target_codes:
        targets = pl.DataFrame(
            {
                "employee": [p.employee.number for p in participants],
                **{
                    c: pl.Series(
                        c, [targets_by.get(p.pk, {}).get(c) for p in participants], dtype=pl.Float64
                    )
                    for c in target_codes
                },
            }
        )
    rows = list(
        Rating.objects.filter(participant_id__in=ids, submitted_at__isnull=False).values_list(
            "participant_id", "item", "role", "rater__number", "score"
        )
    )
    ratings = None
    if rows:
        scores: list[Any] = [r[4] for r in rows]
        numeric = True
        for s in scores:
            try:
                float(s)
            except ValueError:
                numeric = False
                break
        ratings = pl.DataFrame(
            {
                "employee": [by_pid[r[0]].employee.number for r in rows],
                "item": [r[1] for r in rows],
                "rater_role": [r[2] for r in rows],
                "rater": [r[3] for r in rows],
                "score": [float(s) if numeric else str(s) for s in scores],
            }
        )
    return data, targets, ratings


def _dec(v: float | None) -> Decimal | None:
    if v is None:
        return None
    try:
        return Decimal(str(round(v, 2)))
    except (ValueError, OverflowError):
        return None


def _store(p: Participant, rec: ResultRecord, now: dt.datetime) -> None:
    """Copy one engine result onto its participant (not saved)."""
    p.total = _dec(rec.total) if rec.eligible else None
    _check_total(p)
    p.engine_grade = p.grade = rec.grade or ""
    p.rank = rec.rank
    p.items = dict(rec.items)
    p.dimensions = dict(rec.dimensions)
    p.traces = {code: {"zh": t.zh, "en": t.en} for code, t in rec.traces.items()}
    if not rec.eligible:
        p.eligible = False
        p.eligibility_note = rec.excluded_reason or p.eligibility_note or "方案规定本期不参与考核"
    p.computed_at = now
    p.calibration_note = ""


def _check_total(p: Participant) -> None:
    """A total the column cannot hold (absurd data) stops the computation with a message
    naming the person — never a database error that leaves the cycle stuck."""
    if p.total is not None and (not p.total.is_finite() or abs(p.total) > _TOTAL_MAX):
        raise CycleError(
            _(
                "%(name)s 的总分算出 %(total)s，超出可保存的范围（绝对值小于 1,000,000）；"
                "请检查其录入的数据和目标值。"
            ),
            params={"name": p.employee.name, "total": p.total},
        )


_TOTAL_MAX = Decimal("999999.99")  # Participant.total: DecimalField(8, 2)


@transaction.atomic
def cycle_compute_scores(*, user: UserLike, cycle: Cycle) -> int:
    """Score every eligible participant with their pinned scheme version; audit each change."""
    require_cycle_admin(user=user)
    ensure_state(cycle, *_SCORABLE, doing=_("计算得分"))
    participants = list(
        cycle.participants.filter(eligible=True).select_related(
            "employee", "department", "scheme_version"
        )
    )
    by_version: dict[int, list[Participant]] = {}
    for p in participants:
        if p.scheme_version_id is None:
            raise CycleError(
                _("%(name)s 没有对应的考核方案，无法计算得分。"), params={"name": p.employee.name}
            )
        by_version.setdefault(p.scheme_version_id, []).append(p)
    updated = 0
    now = timezone.now()
    for group in by_version.values():
        version = group[0].scheme_version
        assert version is not None  # grouped by a version id that is not null, above
        try:
            scheme = compiled_scheme(version.yaml_text)
        except SchemeError as exc:
            raise CycleError(
                _("方案 %(version)s 有错误，无法计算：%(why)s"),
                params={"version": version, "why": text_of(exc)},
            ) from exc
        data, targets, ratings = _frames(group, scheme_outline(version.yaml_text))
        try:
            result = score(scheme, data, targets=targets, ratings=ratings)
        except DataError as exc:
            raise CycleError(
                _("计算方案 %(version)s 的得分时出错：%(why)s"),
                params={"version": version, "why": text_of(exc)},
            ) from exc
        records = {r.employee: r for r in result.results()}
        for p in group:
            rec = records.get(p.employee.number)
            if rec is None:
                continue
            before = {"total": p.total, "grade": p.grade}
            _store(p, rec, now)
            p.save()
            audit_record(
                actor=user,
                entity="score",
                entity_id=p.pk,
                action="compute",
                before=before,
                after={"total": p.total, "grade": p.grade},
                cycle_id=cycle.pk,
                employee_id=p.employee_id,
            )
            updated += 1
    return updated
