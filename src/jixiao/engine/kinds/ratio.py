"""ratio: 达到目标得满分，低于目标按比例扣分 — points × min(value / target, cap)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl
from pydantic import Field

from jixiao import formula as F
from jixiao.engine._checks import num
from jixiao.engine._numfmt import unit_expr
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
    pct,
    pct_text,
    s,
    zero_target,
)

__all__ = ["RatioKind", "RatioRule"]


class RatioRule(RuleDoc):
    """达到目标得满分，低于目标按比例扣分: points × min(value / target, cap)."""

    kind: Literal["ratio"]
    target: Formula
    direction: Literal["higher", "lower"] = "higher"
    cap: Number = Field(
        1, description="the largest ratio that counts, e.g. 1.2 lets a score reach 120%"
    )
    floor: Number | None = Field(None, description="below this ratio the item scores 0")


@dataclass(frozen=True)
class RatioKind(Kind):
    kind = "ratio"
    doc = RatioRule

    target: Operand = None  # type: ignore[assignment]
    direction: str = "higher"
    cap: float = 1.0
    floor: float | None = None

    @classmethod
    def from_doc(cls, doc: RatioRule, site: Site, c: Compiler) -> RatioKind | None:
        path = site.path
        target = c.operand(doc.target, f"{path}.target", site.unit)
        cap = num(doc.cap, f"{path}.cap", c.out, 1.0)
        floor = None if doc.floor is None else num(doc.floor, f"{path}.floor", c.out)
        if cap < 1:
            c.out.warn(
                f"{path}.cap",
                "封顶比例小于 100%：达到目标也拿不到满分",
                "cap below 100%: full points unreachable",
            )
        if floor is not None and not 0 <= floor <= cap:
            c.out.error(
                f"{path}.floor", "不得分线应在 0 与封顶比例之间", "floor must be between 0 and cap"
            )
        zero_target(c, target, f"{path}.target")
        if target is None:
            return None
        return cls(
            site.points,
            site.item_type,
            site.unit,
            target=target,
            direction=doc.direction,
            cap=cap,
            floor=floor,
        )

    def max_raw(self) -> float:
        return self.points * self.cap if self.item_type == "normal" else self.points

    def operands(self) -> tuple[Operand, ...]:
        return (self.target,)

    def _ratio(self, v: pl.Expr, t: pl.Expr) -> pl.Expr:
        if self.direction == "higher":
            return pl.when(t == 0).then(NULL).otherwise(F.divide(v, t))
        # Lower is better: at or below zero is as good as it gets (given a target at all).
        return (
            pl.when(t.is_null())
            .then(NULL)
            .when(v <= 0)
            .then(lit(self.cap))
            .otherwise(F.divide(t, v))
        )

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        t = self.target.expr()
        return {"target": t, "ratio": self._ratio(v, t)}

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        r = p["ratio"]
        raw = lit(self.points) * r.clip(0.0, self.cap)
        if self.floor is not None:
            raw = pl.when(r < self.floor).then(lit(0.0)).otherwise(raw)
        return raw

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        zh = lang == "zh"
        parts = [
            s("，目标 " if zh else ", target "),
            unit_expr(p["target"], self.target.unit, lang=lang),
            s("，完成率 " if zh else ", attainment "),
            pct(p["ratio"]),
        ]
        notes = []
        if self.floor is not None:
            below = pct_text(self.floor)
            notes.append(
                pl.when(p["ratio"] < self.floor).then(
                    s(f"（低于 {below} 不得分）" if zh else f" (below {below} scores 0)")
                )
            )
        cap = pct_text(self.cap)
        notes.append(
            pl.when(p["ratio"] > self.cap).then(
                s(f"（按 {cap} 封顶）" if zh else f" (capped at {cap})")
            )
        )
        return pl.concat_str([*parts, pl.concat_str(notes, ignore_nulls=True)])
