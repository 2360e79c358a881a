"""Rule building blocks shared by every rule kind: operands, contexts, text helpers.

See :mod:`._rules` for the rule kinds themselves and why each exists twice (vectorised and
per row).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jixiao import formula as F
from jixiao.engine._numfmt import unit_expr, unit_text
from jixiao.formula._scalar import evaluate_float

NULL = pl.lit(None, dtype=pl.Float64)
STEP_EPS = 1e-9
ROLE_NAMES = {
    "self": ("自评", "self"),
    "peer": ("互评", "peers"),
    "manager": ("上级", "manager"),
    "skip": ("隔级上级", "skip-level"),
    "subordinate": ("下级", "subordinates"),
    "customer": ("顾客抽样", "sampled customers"),
    "hr": ("人事", "HR"),
}


def lit(x: float) -> pl.Expr:
    return pl.lit(x, dtype=pl.Float64)


def clamp(x: pl.Expr, lo: float, hi: float) -> pl.Expr:
    return x.clip(lo, hi)


def clamp_row(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def s(text: str) -> pl.Expr:
    return pl.lit(text, dtype=pl.String)


def _compact(text: str, lang: str) -> str:
    # "15 秒" reads better as "15秒" inside an interval; English keeps "15 s".
    return text.replace(" ", "") if lang == "zh" else text


UNIT_WORDS = {
    "days": ("天", "day"),
    "hours": ("小时", "hour"),
    "minutes": ("分钟", "minute"),
    "people": ("人", "person"),
    "yuan": ("元", "yuan"),
}


def pct(x: pl.Expr) -> pl.Expr:
    return unit_expr(x, "percent")


def pct_row(x: float | None) -> str:
    return unit_text(x, "percent")


@dataclass(frozen=True)
class Operand:
    """A number or a formula (a target, a band edge); knows how to show itself."""

    node: F.Node
    text: str
    unit: str = "number"

    def expr(self) -> pl.Expr:
        # Inputs are checked finite on the way in; a formula's overflow is missing, not ±inf.
        return F.to_float_expr(self.node, finite=True)

    def row(self, env: Mapping[str, float | None]) -> float | None:
        v = evaluate_float(self.node, env)
        if v is None or not math.isfinite(float(v)):
            return None
        return float(v)

    @property
    def constant(self) -> float | None:
        return self.node.value if isinstance(self.node, F.Num) else None


@dataclass(frozen=True)
class Rule:
    """Base: subclasses fill ``vector_parts``/``row_parts`` and the two detail builders.

    ``parts`` are the intermediate numbers a trace needs (target, ratio, band index, ...);
    ``raw`` is the rule's score before the item type applies (clamping, sign).
    """

    points: float
    item_type: str
    unit: str

    # -- vectorised
    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        raise NotImplementedError

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        raise NotImplementedError

    # -- per row
    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        raise NotImplementedError

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        raise NotImplementedError

    def uses_value(self) -> bool:
        return True

    def max_raw(self) -> float:
        """The highest score the rule can give (above ``points`` only for a ratio cap > 1)."""
        return self.points


@dataclass
class VectorContext:
    group: pl.Expr | None = None
    rating_cols: Mapping[str, str] = field(default_factory=dict)


@dataclass
class RowContext:
    env: Mapping[str, float | None]
    group_label: str | None = None
    group_values: Sequence[float | None] = ()
    ratings: Mapping[str, float | None] = field(default_factory=dict)
