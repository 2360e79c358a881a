"""formula: the score itself is a formula over the inputs, clamped to 0..points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl

from jixiao.engine._numfmt import fmt_expr
from jixiao.engine.kinds._base import Compiler, Kind, Operand, RuleDoc, Site, VectorContext, s

__all__ = ["FormulaKind", "FormulaRule"]


class FormulaRule(RuleDoc):
    """The score itself is a formula, clamped to 0..points."""

    kind: Literal["formula"]
    score: str


@dataclass(frozen=True)
class FormulaKind(Kind):
    kind = "formula"
    doc = FormulaRule
    uses_value = False

    score: Operand = None  # type: ignore[assignment]

    @classmethod
    def from_doc(cls, doc: FormulaRule, site: Site, c: Compiler) -> FormulaKind | None:
        op = c.operand(doc.score, f"{site.path}.score", "score")
        return None if op is None else cls(site.points, site.item_type, site.unit, score=op)

    def operands(self) -> tuple[Operand, ...]:
        return (self.score,)

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        return {}

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        return self.score.expr()

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        head = f"：{self.score.text} = " if lang == "zh" else f": {self.score.text} = "
        return pl.concat_str([s(head), fmt_expr(p["raw"])])
