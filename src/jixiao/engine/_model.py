"""Scheme documents: the pydantic models behind a scheme's YAML / JSON.

Models are frozen and forbid unknown keys, so a typo such as ``wieght:`` is reported with its
field path instead of being ignored. Cross-field checks (points adding up, bands, formulas
naming declared inputs) live in :mod:`._compile`, which reports every problem at once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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

Number = float | int | str  # "35%" and "1,200" are accepted where a number is expected
Formula = Annotated[str | float | int, Field(description="a number or a formula over inputs")]


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class BandSpec(_Doc):
    """One band of a tier table: bounds (``gt``/``gte``/``lt``/``lte`` or ``range``) and a score."""

    gt: Number | None = None
    gte: Number | None = None
    lt: Number | None = None
    lte: Number | None = None
    range: str | None = Field(None, description='interval notation, e.g. "[80, 95)"')
    score: Number
    label: str | None = None

    def bounds(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class RatioRule(_Doc):
    """达到目标得满分，低于目标按比例扣分: points × min(value / target, cap)."""

    kind: Literal["ratio"]
    target: Formula
    direction: Literal["higher", "lower"] = "higher"
    cap: Number = Field(
        1, description="the largest ratio that counts, e.g. 1.2 lets a score reach 120%"
    )
    floor: Number | None = Field(None, description="below this ratio the item scores 0")


class LinearPoint(_Doc):
    value: Formula
    score: Number | None = None


class LinearRule(_Doc):
    """Linear between two points and flat outside them (N ≤ 66000 → 0, N ≥ 110000 → full)."""

    kind: Literal["linear"]
    from_: LinearPoint = Field(alias="from")
    to: LinearPoint


class TiersRule(_Doc):
    """A band table on the value, or on value / target when ``target`` is given (完成率)."""

    kind: Literal["tiers"]
    bands: list[BandSpec] = Field(min_length=1)
    target: Formula | None = None
    direction: Literal["higher", "lower"] = "higher"


class PerOccurrenceRule(_Doc):
    """``per`` points for each occurrence beyond ``free``, at most ``max`` (default: the item's points).

    A normal item starts from full and loses the amount (扣完为止), or with ``start: zero`` earns it;
    a bonus item earns it; a deduction item loses it.
    """

    kind: Literal["per_occurrence"]
    per: Number
    free: Number = 0
    max: Number | None = None
    start: Literal["full", "zero"] = "full"


class StepRule(_Doc):
    """每低 ``step`` 扣 ``per`` 分: full points minus ``per`` for every step short of the target."""

    kind: Literal["step"]
    target: Formula
    step: Number
    per: Number
    direction: Literal["higher", "lower"] = "higher"
    rounding: Literal["floor", "ceil"] = Field(
        "floor", description="floor: only whole steps count; ceil: a started step counts"
    )


class RankScore(_Doc):
    rank: int = Field(ge=1)
    score: Number


class RankRule(_Doc):
    """Rank within a group (小组排名第 1 名 → full …) with an explicit tie policy."""

    kind: Literal["rank"]
    scores: list[RankScore] = Field(min_length=1)
    otherwise: Number = 0
    direction: Literal["higher", "lower"] = "higher"
    group_by: str | None = Field(
        "group", description="data column holding the group; null ranks everyone together"
    )
    ties: Literal["min", "max", "dense"] = Field(
        "min",
        description="min: tied people share the best rank (1,1,3); max: the worst (2,2,3); dense: 1,1,2",
    )


class RatingRule(_Doc):
    """Subjective ratings aggregated with rater weights (self 30% / peers 50% / manager 20%)."""

    kind: Literal["rating"]
    raters: dict[str, Number] = Field(min_length=1, description="rater role -> weight")
    scale: Number | None = Field(
        None, description="raters score 0..scale; default: the item's points"
    )
    levels: dict[str, Number] | None = Field(
        None, description="descriptive levels -> points, e.g. A: 30"
    )
    missing: Literal["renormalize", "zero", "incomplete"] = Field(
        "renormalize",
        description="a missing rater: renormalize the present weights, count as 0, or leave the item incomplete (0)",
    )


class FormulaRule(_Doc):
    """The score itself is a formula, clamped to 0..points."""

    kind: Literal["formula"]
    score: str


Rule = Annotated[
    RatioRule
    | LinearRule
    | TiersRule
    | PerOccurrenceRule
    | StepRule
    | RankRule
    | RatingRule
    | FormulaRule,
    Field(discriminator="kind"),
]


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
