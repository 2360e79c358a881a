"""per_occurrence: 违反一次扣 1 分，扣完为止; 每次加 X 分，最多加 Y 分; 前 N 次不计."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl

from jixiao.engine._checks import num
from jixiao.engine._numfmt import fmt_expr, fmt_num
from jixiao.engine.kinds._base import (
    Compiler,
    Kind,
    Number,
    RuleDoc,
    Site,
    VectorContext,
    lit,
    s,
)

__all__ = ["UNIT_WORDS", "PerOccurrenceKind", "PerOccurrenceRule"]

# How an occurrence is counted in a trace, by the value's unit (default: 次 / time).
UNIT_WORDS = {
    "days": ("天", "day"),
    "hours": ("小时", "hour"),
    "minutes": ("分钟", "minute"),
    "people": ("人", "person"),
    "yuan": ("元", "yuan"),
}


class PerOccurrenceRule(RuleDoc):
    """``per`` points for each occurrence beyond ``free``, at most ``max`` (default: the item's points).

    A normal item starts from full and loses the amount (扣完为止), or with ``start: zero`` earns it;
    a bonus item earns it; a deduction item loses it.
    """

    kind: Literal["per_occurrence"]
    per: Number
    free: Number = 0
    max: Number | None = None
    start: Literal["full", "zero"] = "full"


@dataclass(frozen=True)
class PerOccurrenceKind(Kind):
    kind = "per_occurrence"
    doc = PerOccurrenceRule

    per: float = 1.0
    free: float = 0.0
    max_amount: float = 0.0
    start: str = "full"

    @classmethod
    def from_doc(cls, doc: PerOccurrenceRule, site: Site, c: Compiler) -> PerOccurrenceKind:
        path, points, item_type = site.path, site.points, site.item_type
        per = num(doc.per, f"{path}.per", c.out, 1.0)
        free = num(doc.free, f"{path}.free", c.out)
        mx = points if doc.max is None else num(doc.max, f"{path}.max", c.out, points)
        if per <= 0:
            c.out.error(f"{path}.per", "每次分值必须大于 0", "per must be above 0")
        if free < 0:
            c.out.error(f"{path}.free", "免计次数不能为负", "free must not be negative")
        if mx > points and item_type != "normal":
            c.out.error(
                f"{path}.max",
                f"上限 {mx:g} 超过本项分值 {points:g}",
                f"max {mx:g} above points {points:g}",
            )
        if doc.start == "zero" and item_type != "normal":
            c.out.error(
                f"{path}.start",
                "start 只用于普通项；加分项/扣分项本来就从 0 累计",
                "start applies to normal items only",
            )
        return cls(
            points,
            item_type,
            site.unit,
            per=per,
            free=free,
            max_amount=min(mx, points),
            start=doc.start,
        )

    @property
    def counts_down(self) -> bool:
        """A normal item starting full loses the amount; every other item earns (or loses) it."""
        return self.item_type == "normal" and self.start == "full"

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        excess = pl.when(v - self.free > 0).then(v - self.free).otherwise(lit(0.0))
        amount = (
            pl.when(excess * self.per > self.max_amount)
            .then(lit(self.max_amount))
            .otherwise(excess * self.per)
        )
        return {"amount": amount}

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        return lit(self.points) - p["amount"] if self.counts_down else p["amount"]

    def words(self, lang: str) -> tuple[str, str]:
        """The text before and after the amount."""
        adds = self.item_type == "bonus" or (self.item_type == "normal" and self.start == "zero")
        zh_word, en_word = UNIT_WORDS.get(self.unit, ("次", "time"))
        per, most = fmt_num(self.per), fmt_num(self.max_amount)
        free = ""
        if self.free:
            n = fmt_num(self.free)
            free = f"（前 {n} {zh_word}不计）" if lang == "zh" else f" (first {n} free)"
        if lang == "zh":
            verb = "加" if adds else "扣"
            return f"{free}，每{zh_word}{verb} {per} 分，共{verb} ", f" 分（最多 {most} 分）"
        verb = "plus" if adds else "minus"
        return f"{free}, {verb} {per} per {en_word}: ", f" in all (at most {most})"

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        a, b = self.words(lang)
        return pl.concat_str([s(a), fmt_expr(p["amount"]), s(b)])
