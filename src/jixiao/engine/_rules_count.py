"""Rule kinds that count: per occurrence (每次扣/加) and steps below a target (每低 N 扣 M)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from jixiao import formula as F
from jixiao.engine._numfmt import fmt_expr, fmt_num, unit_expr, unit_text
from jixiao.engine._rules_base import (
    NULL,
    STEP_EPS,
    UNIT_WORDS,
    Operand,
    RowContext,
    Rule,
    VectorContext,
    lit,
    s,
)

# --- per occurrence --------------------------------------------------------------------------


@dataclass(frozen=True)
class PerOccurrenceRule(Rule):
    per: float = 1.0
    free: float = 0.0
    max_amount: float = 0.0
    start: str = "full"

    def _raw(self, amount: Any) -> Any:
        if self.item_type == "normal" and self.start == "full":
            return (
                lit(self.points) - amount if isinstance(amount, pl.Expr) else self.points - amount
            )
        return amount

    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        excess = pl.when(v - self.free > 0).then(v - self.free).otherwise(lit(0.0))
        amount = (
            pl.when(excess * self.per > self.max_amount)
            .then(lit(self.max_amount))
            .otherwise(excess * self.per)
        )
        return {"raw": self._raw(amount), "amount": amount}

    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        if v is None:
            return {"raw": None, "amount": None}
        excess = v - self.free if v - self.free > 0 else 0.0
        amount = self.max_amount if excess * self.per > self.max_amount else excess * self.per
        return {"raw": self._raw(amount), "amount": amount}

    def _words(self, lang: str) -> tuple[str, str]:
        adds = self.item_type == "bonus" or (self.item_type == "normal" and self.start == "zero")
        zh_word, en_word = UNIT_WORDS.get(self.unit, ("次", "time"))
        free = ""
        if self.free:
            free = (
                f"（前 {fmt_num(self.free)} {zh_word}不计）"
                if lang == "zh"
                else f" (first {fmt_num(self.free)} free)"
            )
        if lang == "zh":
            verb = "加" if adds else "扣"
            return (
                f"{free}，每{zh_word}{verb} {fmt_num(self.per)} 分，共{verb} ",
                f" 分（最多 {fmt_num(self.max_amount)} 分）",
            )
        verb = "plus" if adds else "minus"
        return (
            f"{free}, {verb} {fmt_num(self.per)} per {en_word}: ",
            f" in all (at most {fmt_num(self.max_amount)})",
        )

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        a, b = self._words(lang)
        return pl.concat_str([s(a), fmt_expr(p["amount"]), s(b)])

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        a, b = self._words(lang)
        return a + fmt_num(p["amount"]) + b


# --- step ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepRule(Rule):
    target: Operand = None  # type: ignore[assignment]
    step: float = 1.0
    per: float = 1.0
    direction: str = "higher"
    rounding: str = "floor"

    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        t = self.target.expr()
        short = (t - v) if self.direction == "higher" else (v - t)
        # A missing target leaves the shortfall missing (not zero, which would mean full points).
        short = pl.when(short.is_null()).then(NULL).when(short > 0).then(short).otherwise(lit(0.0))
        q = F.divide(short, lit(self.step))
        # 0.0999999999999996 / 0.1 is one whole step to a person: tolerate float noise.
        steps = (q + STEP_EPS).floor() if self.rounding == "floor" else (q - STEP_EPS).ceil()
        raw = lit(self.points) - steps * self.per
        return {"raw": raw, "target": t, "short": short, "steps": steps}

    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        t = self.target.row(ctx.env)
        if v is None or t is None:
            return {"raw": None, "target": t, "short": None, "steps": None}
        short = (t - v) if self.direction == "higher" else (v - t)
        short = short if short > 0 else 0.0
        q = short / self.step
        steps = float(
            math.floor(q + STEP_EPS) if self.rounding == "floor" else math.ceil(q - STEP_EPS)
        )
        return {"raw": self.points - steps * self.per, "target": t, "short": short, "steps": steps}

    def _words(self, lang: str) -> tuple[str, str, str, str, str]:
        step = unit_text(self.step, self.unit, lang=lang)
        if lang == "zh":
            gap = "差" if self.direction == "higher" else "超出"
            return (
                "，目标 ",
                f"，{gap} ",
                f"，每{gap} {step} 扣 {fmt_num(self.per)} 分：",
                " 档共扣 ",
                " 分",
            )
        gap = "short by" if self.direction == "higher" else "over by"
        return (
            ", target ",
            f", {gap} ",
            f", minus {fmt_num(self.per)} per {step}: ",
            " steps, ",
            " in all",
        )

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        a, b, c, d, e = self._words(lang)
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

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        a, b, c, d, e = self._words(lang)
        steps = p["steps"]
        return (
            a
            + unit_text(p["target"], self.target.unit, lang=lang)
            + b
            + unit_text(p["short"], self.unit, lang=lang)
            + c
            + fmt_num(steps)
            + d
            + fmt_num(None if steps is None else steps * self.per)
            + e
        )
