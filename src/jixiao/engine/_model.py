"""Scheme documents: the pydantic models behind a scheme's YAML / JSON.

Models are frozen and forbid unknown keys, so a typo such as ``wieght:`` is reported with its
field path instead of being ignored. Cross-field checks (points adding up, bands, formulas
naming declared inputs) live in :mod:`._compile`, which reports every problem at once.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from jixiao.engine.kinds import (
    BandSpec,
    Doc,
    Formula,
    FormulaRule,
    LinearPoint,
    LinearRule,
    Number,
    PerOccurrenceRule,
    RankRule,
    RankScore,
    RatingRule,
    RatioRule,
    RuleDocument,
    StepRule,
    TiersRule,
)

__all__ = [
    "BandSpec",
    "Dimension",
    "Eligibility",
    "FormulaRule",
    "GradeBand",
    "InputSpec",
    "Item",
    "LinearPoint",
    "LinearRule",
    "PerOccurrenceRule",
    "RankRule",
    "RankScore",
    "RatingRule",
    "RatioRule",
    "Rule",
    "Scheme",
    "StepRule",
    "TiersRule",
]


_Doc = Doc
# An item's ``rule``: one of the registered kinds' document models (jixiao.engine.kinds).
Rule = RuleDocument


class Item(_Doc):
    code: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    name: str
    name_en: str | None = None
    type: Literal["normal", "bonus", "deduction", "veto"] = "normal"
    points: Number | None = Field(None, description="full points (normal), cap (bonus / deduction)")
    weight: Number | None = Field(
        None, description="alternative to points: percent of the dimension"
    )
    indicator: str | None = Field(None, description="indicator code from the library")
    value: Formula | None = Field(
        None, description="what is measured; default: the input named like the item"
    )
    unit: str | None = None
    rule: Rule | None = None
    when: str | None = Field(None, description="veto items: the condition that triggers the veto")
    scope: str = Field("total", description="veto items: total | dimension:<code> | item:<code>")
    description: str | None = None


class Dimension(_Doc):
    code: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    name: str
    name_en: str | None = None
    weight: Number | None = Field(
        None, description="percent of the total; omit to add item points up"
    )
    items: list[Item] = Field(min_length=1)


class InputSpec(_Doc):
    name: str | None = None
    name_en: str | None = None
    unit: str = "number"
    default: Number | None = None
    required: bool = Field(
        True, description="false: the column may be absent; items reading it score 0 as missing"
    )
    description: str | None = None


class Eligibility(_Doc):
    when: str
    label: str
    label_en: str | None = None


class GradeBand(_Doc):
    grade: str
    gt: Number | None = None
    gte: Number | None = None
    lt: Number | None = None
    lte: Number | None = None
    range: str | None = None
    label_en: str | None = None
    description: str | None = None

    def bounds(self) -> dict[str, Any]:
        return self.model_dump(
            exclude_none=True, include={"gt", "gte", "lt", "lte", "range", "grade"}
        )


class Ranking(_Doc):
    group_by: str | None = "group"
    ties: Literal["min", "max", "dense"] = "min"


class Scheme(_Doc):
    """A role's appraisal scheme (考核方案)."""

    code: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str
    name_en: str | None = None
    version: int | str = 1
    period: Literal["month", "quarter", "year"] = "month"
    positions: list[str] = Field(default_factory=list)
    description: str | None = None
    source: str | None = Field(
        None, description="where the scheme comes from, e.g. a seed document"
    )
    full_score: Number = 100
    max_score: Number | None = Field(
        None, description="cap with bonus items, e.g. 120; default full_score"
    )
    min_score: Number = 0
    metrics: dict[str, InputSpec] = Field(default_factory=dict)
    targets: dict[str, InputSpec] = Field(default_factory=dict)
    params: dict[str, Number] = Field(default_factory=dict)
    eligibility: list[Eligibility] = Field(default_factory=list)
    dimensions: list[Dimension] = Field(min_length=1)
    grades: list[GradeBand] = Field(default_factory=list)
    ranking: Ranking = Field(default_factory=Ranking)

    @field_validator("metrics", "targets", mode="before")
    @classmethod
    def _inputs_shorthand(cls, v: Any) -> Any:
        # `sales: 实际销售额` is shorthand for `sales: {name: 实际销售额}`.
        if isinstance(v, dict):
            return {
                k: ({"name": spec} if isinstance(spec, str) else spec or {})
                for k, spec in v.items()
            }
        return v
