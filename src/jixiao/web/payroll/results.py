"""The appraisal results payroll reads: the cycle's stored scores as the scoring engine's
typed records (:class:`jixiao.engine.ResultRecord`), grouped and ranked as scoring does.

Scoring ranks within the scheme's ``ranking.group_by`` column, which the web fills with the
department CODE; the group rank is not stored, so it is recomputed here from the stored totals
with the scheme's own tie rule, per scheme version (one scoring run each), exactly as
``jixiao.engine`` ranks: ``rank(method=ties, descending=True)`` over the group.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

import polars as pl

from jixiao.engine import ResultRecord, SchemeError, load_scheme
from jixiao.web.cycles.models import Cycle, Participant

__all__ = ["cycle_results"]

Ties = Literal["min", "max", "dense"]  # the scheme document's ranking.ties


@lru_cache(maxsize=64)
def _ranking(yaml_text: str) -> tuple[str | None, Ties]:
    """(group_by, ties) of a scheme version; a scheme that no longer loads ranks by default."""
    try:
        ranking = load_scheme(yaml_text).ranking
    except SchemeError:
        return "group", "min"
    return ranking.group_by, ranking.ties


def _group_ranks(parts: list[Participant]) -> dict[int, int]:
    """Participant id → rank within the department (by scheme version, as scoring ran)."""
    out: dict[int, int] = {}
    by_version: dict[int | None, list[Participant]] = {}
    for p in parts:
        by_version.setdefault(p.scheme_version_id, []).append(p)
    for version_id, group in by_version.items():
        if version_id is None:
            continue
        version = group[0].scheme_version
        assert version is not None
        group_by, ties = _ranking(version.yaml_text)
        if group_by != "group":  # ranked within a data column the web does not keep
            continue
        frame = pl.DataFrame(
            {
                "id": [p.pk for p in group],
                "group": [p.department.code for p in group],
                "total": [None if p.total is None else float(p.total) for p in group],
            },
            schema={"id": pl.Int64, "group": pl.String, "total": pl.Float64},
        )
        ranks = frame.select(
            "id", pl.col("total").rank(method=ties, descending=True).over("group").alias("r")
        )
        out.update({i: int(r) for i, r in ranks.iter_rows() if r is not None})
    return out


def cycle_results(*, cycle: Cycle, numbers: Iterable[str]) -> dict[str, ResultRecord]:
    """The results of the employees ``numbers`` in ``cycle``, keyed by employee number."""
    wanted = set(numbers)
    parts = list(
        Participant.objects.filter(cycle=cycle, eligible=True).select_related(
            "employee", "department", "scheme_version"
        )
    )
    ranks = _group_ranks(parts)
    others = Participant.objects.filter(
        cycle=cycle, eligible=False, employee__number__in=wanted
    ).select_related("employee", "department")
    out: dict[str, ResultRecord] = {}
    for p in [*parts, *others]:
        number = p.employee.number
        if number not in wanted:
            continue
        appraised = p.eligible and p.total is not None
        out[number] = ResultRecord(
            employee=number,
            name=p.employee.name,
            group=p.department.code,
            eligible=p.eligible,
            excluded_reason=None if p.eligible else (p.eligibility_note or None),
            total=float(p.total) if appraised and p.total is not None else None,
            grade=p.grade or None,
            rank=p.rank,
            group_rank=ranks.get(p.pk) if appraised else None,
            dimensions={str(k): float(v) for k, v in (p.dimensions or {}).items() if v is not None},
            items={str(k): float(v) for k, v in (p.items or {}).items() if v is not None},
        )
    return out
