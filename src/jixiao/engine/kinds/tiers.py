"""tiers: a band table on the value, or on value / target when ``target`` is given (完成率)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
from pydantic import Field

from jixiao import formula as F
from jixiao.engine._checks import isnum, num
from jixiao.engine._numfmt import unit_expr, unit_text
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
    compact,
    lit,
    pct,
    s,
    zero_target,
)
from jixiao.formula import Band, band_index_expr, parse_number

__all__ = ["BandSpec", "TiersKind", "TiersRule"]


class BandSpec(Doc):
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


class TiersRule(RuleDoc):
    """A band table on the value, or on value / target when ``target`` is given (完成率)."""

    kind: Literal["tiers"]
    bands: list[BandSpec] = Field(min_length=1)
    target: Formula | None = None
    direction: Literal["higher", "lower"] = "higher"


@dataclass(frozen=True)
class TiersKind(Kind):
    kind = "tiers"
    doc = TiersRule

    bands: tuple[Band, ...] = ()
    target: Operand | None = None

    @classmethod
    def from_doc(cls, doc: TiersRule, site: Site, c: Compiler) -> TiersKind | None:
        path, points = site.path, site.points
        target = None if doc.target is None else c.operand(doc.target, f"{path}.target", site.unit)
        basis = "percent" if doc.target is not None else site.unit
        bands = c.bands(
            doc.bands, f"{path}.bands", "score", lambda x: unit_text(x, basis).replace(" ", "")
        )
        for i, b in enumerate(bands):
            sc = num(b.value, f"{path}.bands[{i}].score", c.out)
            if not 0 <= sc <= points:
                c.out.error(
                    f"{path}.bands[{i}].score",
                    f"第 {i + 1} 档得分 {sc:g} 超出 0–{points:g}",
                    f"band {i + 1} scores {sc:g}, outside 0–{points:g}",
                )
            if basis == "percent" and b.low > 1.5 and b.low != float("inf"):
                c.out.warn(
                    f"{path}.bands[{i}]",
                    f"第 {i + 1} 档从 {unit_text(b.low, 'percent')} 起，比率很难达到——是不是想写 {b.low:g}%？",
                    f"band {i + 1} starts at {b.low * 100:g}% — did you mean {b.low:g}%?",
                )
        _monotone(c, bands, doc.direction, f"{path}.bands")
        zero_target(c, target, f"{path}.target")
        scored = tuple(
            Band(
                b.low,
                b.high,
                b.low_inclusive,
                b.high_inclusive,
                float(parse_number(b.value, where=path)) if isnum(b.value) else 0.0,
                b.label,
            )
            for b in bands
        )
        if doc.target is not None and target is None:
            return None
        return cls(points, site.item_type, site.unit, bands=scored, target=target)

    def operands(self) -> tuple[Operand, ...]:
        return () if self.target is None else (self.target,)

    @property
    def basis_unit(self) -> str:
        return "percent" if self.target is not None else self.unit

    def band_texts(self, lang: str) -> list[str]:
        unit = self.basis_unit
        out = []
        for b in self.bands:
            text = b.describe(lambda x, u=unit: compact(unit_text(x, u, lang=lang), lang))
            text += " 档" if lang == "zh" else ""
            if b.label:
                text += f"（{b.label}）" if lang == "zh" else f" ({b.label})"
            out.append(text)
        return out

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        q = v
        parts: dict[str, pl.Expr] = {}
        if self.target is not None:
            t = self.target.expr()
            q = pl.when(t == 0).then(NULL).otherwise(F.divide(v, t))
            parts["target"] = t
        parts.update({"q": q, "band": band_index_expr(self.bands, q)})
        return parts

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        # No basis: missing; in a band: its score; outside every band: 0.
        expr: Any = pl.when(p["q"].is_null()).then(NULL)
        for i, b in enumerate(self.bands):
            expr = expr.when(p["band"] == i).then(lit(float(b.value)))
        return expr.otherwise(lit(0.0))

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        zh = lang == "zh"
        expr: Any = pl
        for i, t in enumerate(self.band_texts(lang)):
            expr = expr.when(p["band"] == i).then(s(t))
        band_text = expr.otherwise(pl.lit(None, dtype=pl.String))
        lead: list[pl.Expr] = []
        if self.target is not None:
            lead = [
                s("，目标 " if zh else ", target "),
                unit_expr(p["target"], self.target.unit, lang=lang),
                s("，完成率 " if zh else ", attainment "),
                pct(p["q"]),
            ]
        hit = pl.concat_str([s("，落在 " if zh else ", in band "), band_text])
        miss = s("，不在任何一档内" if zh else ", in no band")
        return pl.concat_str([*lead, pl.when(p["band"].is_null()).then(miss).otherwise(hit)])


def _monotone(c: Compiler, bands: tuple[Band, ...], direction: str, path: str) -> None:
    """Warn when a better value earns fewer points than a worse one (often a typo)."""
    order = sorted(range(len(bands)), key=lambda i: (bands[i].low, not bands[i].low_inclusive))
    for a, b in itertools.pairwise(order):
        if not (isnum(bands[a].value) and isnum(bands[b].value)):
            return
        sa = parse_number(bands[a].value, where=path)
        sb = parse_number(bands[b].value, where=path)
        worse = sb < sa if direction == "higher" else sb > sa
        if worse:
            want = "越高越好" if direction == "higher" else "越低越好"
            c.out.warn(
                f"{path}[{b}]",
                f"方向为“{want}”，但第 {b + 1} 档 {bands[b].describe()} 得 {sb:g} 分，"
                f"第 {a + 1} 档 {bands[a].describe()} 得 {sa:g} 分；如非有意，请检查分值或 direction",
                f"direction {direction!r}, but band {b + 1} scores {sb:g} and band {a + 1} scores {sa:g}",
            )
            return
