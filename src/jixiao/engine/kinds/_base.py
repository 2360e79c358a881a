"""What every rule kind is made of, and the building blocks kinds share.

A kind is one class (see :mod:`jixiao.engine.kinds`): its document model (``doc``), its checks
(``from_doc``), its vectorised Polars expressions (``parts``: the raw score and the
intermediate numbers a trace shows) and its trace wording built from those intermediate
columns (``detail``). The engine asks the kind object; nothing outside a kind's module
branches on which kind it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Protocol

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from jixiao import formula as F
from jixiao.engine._checks import Collector
from jixiao.engine._numfmt import unit_expr, unit_text
from jixiao.formula import Band

__all__ = [
    "NULL",
    "Doc",
    "Formula",
    "Kind",
    "Number",
    "Operand",
    "RatingSpec",
    "RuleDoc",
    "Site",
    "VectorContext",
    "compact",
    "lit",
    "pct",
    "pct_text",
    "rating_column",
    "s",
    "zero_target",
]

Number = float | int | str  # "35%" and "1,200" are accepted where a number is expected
Formula = Annotated[str | float | int, Field(description="a number or a formula over inputs")]

NULL = pl.lit(None, dtype=pl.Float64)


class Doc(BaseModel):
    """Base of every scheme document model: frozen, unknown keys are errors (typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class RuleDoc(Doc):
    """Base of a kind's document model; ``kind`` is the discriminating tag."""

    kind: str


def lit(x: float) -> pl.Expr:
    return pl.lit(x, dtype=pl.Float64)


def s(text: str) -> pl.Expr:
    return pl.lit(text, dtype=pl.String)


def compact(text: str, lang: str) -> str:
    # "15 秒" reads better as "15秒" inside an interval; English keeps "15 s".
    return text.replace(" ", "") if lang == "zh" else text


def pct(x: pl.Expr) -> pl.Expr:
    return unit_expr(x, "percent")


def pct_text(x: float | None) -> str:
    """A constant of the scheme (a cap, a floor, a weight) as a percent."""
    return unit_text(x, "percent")


def rating_column(item: str, role: str) -> str:
    """The prepared frame's column holding ``role``'s rating of ``item``."""
    return f"__rating__{item}__{role}"


@dataclass(frozen=True)
class Operand:
    """A number or a formula (a target, a band edge); knows how to show itself."""

    node: F.Node
    text: str
    unit: str = "number"

    def expr(self) -> pl.Expr:
        # Inputs are checked finite on the way in; a formula's overflow is missing, not ±inf.
        return F.to_float_expr(self.node, finite=True)

    @property
    def constant(self) -> float | None:
        return self.node.value if isinstance(self.node, F.Num) else None


@dataclass(frozen=True)
class Site:
    """Where a rule sits: its item's points, type and unit, and its path in the document."""

    points: float
    item_type: str
    unit: str
    path: str


class Compiler(Protocol):
    """What a kind's checks may use from the scheme compiler."""

    out: Collector

    def operand(
        self, raw: Any, path: str, unit: str = "number", *, condition: bool = False
    ) -> Operand | None: ...

    def bands(self, specs: list[Any], path: str, value_key: str, fmt: Any) -> tuple[Band, ...]: ...


@dataclass(frozen=True)
class VectorContext:
    """What a kind's expressions may read besides the item's value column."""

    item: str
    group_present: bool  # the data has a non-empty ``group`` column
    eligible: pl.Expr  # appraised this period
    plain_value: pl.Expr  # the value before any masking (see Kind.value_mask)


@dataclass(frozen=True)
class RatingSpec:
    """Rater roles and weights, the rating scale and level names of a rating kind."""

    raters: tuple[tuple[str, float], ...]
    scale: float
    levels: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Kind:
    """Base of every rule kind: a compiled rule of one item.

    ``parts`` returns the intermediate numbers (targets, ratios, bands, ranks) as expressions
    over the item's value column; the engine stores each as a column. ``raw`` then computes
    the score before the item type applies (clamping, sign) from those columns, and ``detail``
    words the trace's rule detail from the same columns: each number is computed once, and
    the numbers a trace shows are the numbers that were scored.
    """

    kind: ClassVar[str]
    doc: ClassVar[type[RuleDoc]]
    uses_value: ClassVar[bool] = True  # reads the item's ``value`` (rating, formula do not)

    points: float
    item_type: str
    unit: str

    @classmethod
    def from_doc(cls, doc: Any, site: Site, c: Compiler) -> Kind | None:
        """Check ``doc`` (issues go to ``c.out``) and build the rule; ``None`` if unusable."""
        raise NotImplementedError

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        raise NotImplementedError

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        """The raw score from the part columns (``p["value"]`` is the value column)."""
        raise NotImplementedError

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        raise NotImplementedError

    def max_raw(self) -> float:
        """The highest score the rule can give (above ``points`` only for a ratio cap > 1)."""
        return self.points

    def operands(self) -> tuple[Operand, ...]:
        """Formulas the rule reads besides the value (targets, end points, a score formula)."""
        return ()

    def value_mask(self, ctx: VectorContext) -> pl.Expr | None:
        """Who has a value at all (``None``: everyone); e.g. ranks skip people not appraised."""
        return None

    def group_columns(self) -> tuple[str, ...]:
        """Data columns the rule groups people by."""
        return ()

    def rating(self) -> RatingSpec | None:
        """Rater roles, when the rule scores ratings."""
        return None

    def reason(
        self, p: Mapping[str, pl.Expr], default: pl.Expr, detail: pl.Expr, lang: str
    ) -> pl.Expr:
        """Trace text (after the name) when there is no raw score; ``default`` names the missing
        inputs or says a division by zero."""
        return default


def zero_target(c: Compiler, target: Operand | None, path: str) -> None:
    if target is not None and target.constant == 0:
        c.out.warn(
            path,
            "目标为 0：完成率无法计算，该项将显示为缺失",
            "a target of zero: attainment cannot be computed",
        )
