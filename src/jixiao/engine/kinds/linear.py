"""linear: linear between two points by the distance from the first, flat outside them (e.g. a
first response of 15 s → full points, 30 s → 0). The seed's "N ≤ 66000 → 0, N ≥ 110000 → full,
proportional between" is `ratio` with a floor, not this (docs/rules.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl
from pydantic import Field

from jixiao import formula as F
from jixiao.engine._checks import num
from jixiao.engine._numfmt import fmt_num, unit_expr
from jixiao.engine.kinds._base import (
    NULL,
    Compiler,
    Doc,
    Formula,
    Kind,
    Number,
    Operand,
    RuleDoc,
    Site,
    VectorContext,
    lit,
    s,
)

__all__ = ["LinearKind", "LinearPoint", "LinearRule"]


class LinearPoint(Doc):
    value: Formula
    score: Number | None = None


class LinearRule(RuleDoc):
    """Linear between two points by the distance from the first, flat outside them (e.g. 15 s →
    full points, 30 s → 0)."""

    kind: Literal["linear"]
    from_: LinearPoint = Field(alias="from")
    to: LinearPoint


@dataclass(frozen=True)
class LinearKind(Kind):
    kind = "linear"
    doc = LinearRule

    x0: Operand = None  # type: ignore[assignment]
    x1: Operand = None  # type: ignore[assignment]
    s0: float = 0.0
    s1: float = 0.0

    @classmethod
    def from_doc(cls, doc: LinearRule, site: Site, c: Compiler) -> LinearKind | None:
        path, points = site.path, site.points
        x0 = c.operand(doc.from_.value, f"{path}.from.value", site.unit)
        x1 = c.operand(doc.to.value, f"{path}.to.value", site.unit)
        s0 = 0.0 if doc.from_.score is None else num(doc.from_.score, f"{path}.from.score", c.out)
        s1 = points if doc.to.score is None else num(doc.to.score, f"{path}.to.score", c.out)
        if x0 and x1 and x0.constant is not None and x0.constant == x1.constant:
            c.out.error(
                path, "线性计分的两个端点相同，无法插值", "the two points of a linear rule coincide"
            )
        for sc, p in ((s0, "from"), (s1, "to")):
            if not 0 <= sc <= points:
                c.out.error(
                    f"{path}.{p}.score",
                    f"得分 {sc:g} 超出 0–{points:g}",
                    f"score {sc:g} outside 0–{points:g}",
                )
        if x0 is None or x1 is None:
            return None
        return cls(points, site.item_type, site.unit, x0=x0, x1=x1, s0=s0, s1=s1)

    def operands(self) -> tuple[Operand, ...]:
        return (self.x0, self.x1)

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        return {"x0": self.x0.expr(), "x1": self.x1.expr()}

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        v, x0, x1 = p["value"], p["x0"], p["x1"]
        lo, hi = min(self.s0, self.s1), max(self.s0, self.s1)
        slope = pl.when(x1 == x0).then(NULL).otherwise(F.divide(v - x0, x1 - x0))
        return (lit(self.s0) + slope * lit(self.s1 - self.s0)).clip(lo, hi)

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        s0, s1 = fmt_num(self.s0), fmt_num(self.s1)
        if lang == "zh":
            a, b, c = "，在 ", f"（{s0} 分）与 ", f"（{s1} 分）之间线性计分"
        else:
            a, b, c = ", linear between ", f" ({s0} pts) and ", f" ({s1} pts)"
        x0 = unit_expr(p["x0"], self.unit, lang=lang)
        x1 = unit_expr(p["x1"], self.unit, lang=lang)
        return pl.concat_str([s(a), x0, s(b), x1, s(c)])
