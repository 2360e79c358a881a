"""The typed result of scoring one person: what pay, the web and exports read.

``ResultRecord.to_json()`` is the shape ``jixiao score -f json`` writes and ``jixiao pay -r``
reads back with :meth:`ResultRecord.from_json`; nothing downstream reads untyped dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["ResultRecord", "Trace"]


class Trace(NamedTuple):
    """One item's explanation in both languages."""

    zh: str
    en: str


def _num(raw: Any) -> float | None:
    return None if raw is None else float(raw)


def _int(raw: Any) -> int | None:
    return None if raw is None else int(raw)


@dataclass(frozen=True, slots=True)
class ResultRecord:
    """One employee's appraisal result.

    ``group`` is what the scheme ranked within (e.g. the department code), ``group_rank`` the
    place there; ``total`` and ``grade`` are ``None`` for someone not appraised this period
    (``eligible`` false, with ``excluded_reason``). ``incomplete`` lists the rating items scored
    with a rater missing (weights renormalised or the gap counted as zero), so tables and
    rankings can mark such results. Scores are rounded to 0.01 (docs/scheme-format.md).
    """

    employee: str
    name: str | None
    group: str | None
    eligible: bool
    excluded_reason: str | None
    total: float | None
    grade: str | None
    rank: int | None
    group_rank: int | None
    dimensions: Mapping[str, float] = field(default_factory=dict)
    items: Mapping[str, float] = field(default_factory=dict)
    vetoes: Mapping[str, bool] = field(default_factory=dict)
    traces: Mapping[str, Trace] = field(default_factory=dict)
    incomplete: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "employee": self.employee,
            "name": self.name,
            "group": self.group,
            "eligible": self.eligible,
            "excluded_reason": self.excluded_reason,
            "total": self.total,
            "grade": self.grade,
            "rank": self.rank,
            "group_rank": self.group_rank,
            "dimensions": dict(self.dimensions),
            "items": dict(self.items),
            "vetoes": dict(self.vetoes),
        }
        if self.traces:
            out["traces"] = {k: {"zh": t.zh, "en": t.en} for k, t in self.traces.items()}
        if self.incomplete:
            out["incomplete"] = list(self.incomplete)
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ResultRecord:
        """The inverse of :meth:`to_json` (raises ``KeyError``/``ValueError`` on a bad shape;
        readers turn those into messages naming the file and record)."""
        traces = raw.get("traces") or {}
        return cls(
            employee=str(raw["employee"]),
            name=None if raw.get("name") is None else str(raw["name"]),
            group=None if raw.get("group") is None else str(raw["group"]),
            eligible=bool(raw.get("eligible", True)),
            excluded_reason=raw.get("excluded_reason"),
            total=_num(raw.get("total")),
            grade=None if raw.get("grade") is None else str(raw["grade"]),
            rank=_int(raw.get("rank")),
            group_rank=_int(raw.get("group_rank")),
            dimensions={str(k): float(v) for k, v in (raw.get("dimensions") or {}).items()},
            items={str(k): float(v) for k, v in (raw.get("items") or {}).items()},
            vetoes={str(k): bool(v) for k, v in (raw.get("vetoes") or {}).items()},
            traces={str(k): Trace(str(v["zh"]), str(v["en"])) for k, v in traces.items()},
            incomplete=tuple(str(x) for x in raw.get("incomplete") or ()),
        )
