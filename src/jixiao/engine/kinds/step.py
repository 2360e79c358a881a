"""step: 每低于目标 ``step`` 扣 ``per`` 分 — full points minus ``per`` for every step short."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl
from pydantic import Field

from jixiao import formula as F
from jixiao.engine._checks import num
from jixiao.engine._numfmt import fmt_expr, fmt_num, unit_expr, unit_text
from jixiao.engine.kinds._base import (
    NULL,
    Compiler,
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

__all__ = ["STEP_EPS", "StepKind", "StepRule"]

# 0.0999999999999996 / 0.1 is one whole step to a person: steps tolerate this much float noise.
STEP_EPS = 1e-9


class StepRule(RuleDoc):
    """每低 ``step`` 扣 ``per`` 分: full points minus ``per`` for every step short of the target."""

    kind: Literal["step"]
    target: Formula
    step: Number
    per: Number
    direction: Literal["higher", "lower"] = "higher"
    rounding: Literal["floor", "ceil"] = Field(
        "floor", description="floor: only whole steps count; ceil: a started step counts"
    )


@dataclass(frozen=True)
class StepKind(Kind):
    kind = "step"
    doc = StepRule

    target: Operand = None  # type: ignore[assignment]
    step: float = 1.0
    per: float = 1.0
    direction: str = "higher"
    rounding: str = "floor"

    @classmethod
    def from_doc(cls, doc: StepRule, site: Site, c: Compiler) -> StepKind | None:
        path = site.path
        target = c.operand(doc.target, f"{path}.target", site.unit)
        step = num(doc.step, f"{path}.step", c.out, 1.0)
        per = num(doc.per, f"{path}.per", c.out, 1.0)
        if step <= 0:
            c.out.error(f"{path}.step", "每档跨度必须大于 0", "step must be above 0")
            step = 1.0
        if per <= 0:
            c.out.error(f"{path}.per", "每档扣分必须大于 0", "per must be above 0")
        if target is None:
            return None
        return cls(
            site.points,
            site.item_type,
            site.unit,
            target=target,
            step=step,
            per=per,
            direction=doc.direction,
            rounding=doc.rounding,
        )

    def operands(self) -> tuple[Operand, ...]:
        return (self.target,)

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        t = self.target.expr()
        short = (t - v) if self.direction == "higher" else (v - t)
        # A missing target leaves the shortfall missing (not zero, which would mean full points).
        short = pl.when(short.is_null()).then(NULL).when(short > 0).then(short).otherwise(lit(0.0))
        q = F.divide(short, lit(self.step))
        steps = (q + STEP_EPS).floor() if self.rounding == "floor" else (q - STEP_EPS).ceil()
        return {"target": t, "short": short, "steps": steps}

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        return lit(self.points) - p["steps"] * self.per

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        step = unit_text(self.step, self.unit, lang=lang)
        per = fmt_num(self.per)
        if lang == "zh":
            gap = "差" if self.direction == "higher" else "超出"
            a, b, c = "，目标 ", f"，{gap} ", f"，每{gap} {step} 扣 {per} 分："
            d, e = " 档共扣 ", " 分"
        else:
            gap = "short by" if self.direction == "higher" else "over by"
            a, b, c = ", target ", f", {gap} ", f", minus {per} per {step}: "
            d, e = " steps, ", " in all"
        return pl.concat_str(
            [
                s(a),
                unit_expr(p["target"], self.target.unit, lang=lang),
                s(b),
                unit_expr(p["short"], self.unit, lang=lang),
                s(c),
                fmt_expr(p["steps"]),
                s(d),
                fmt_expr(p["steps"] * self.per),
                s(e),
            ]
        )
