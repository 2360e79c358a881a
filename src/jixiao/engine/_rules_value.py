"""Rule kinds that compare a value with a target or with fixed points: ratio, linear, tiers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from jixiao import formula as F
from jixiao.engine._numfmt import fmt_num, unit_expr, unit_text
from jixiao.engine._rules_base import (
    NULL,
    Operand,
    RowContext,
    Rule,
    VectorContext,
    _compact,
    clamp,
    clamp_row,
    lit,
    pct,
    pct_row,
    s,
)
from jixiao.formula import Band, band_expr, band_index_expr, find_band

# --- ratio -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioRule(Rule):
    target: Operand = None  # type: ignore[assignment]
    direction: str = "higher"
    cap: float = 1.0
    floor: float | None = None

    def max_raw(self) -> float:
        return self.points * self.cap if self.item_type == "normal" else self.points

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

    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        t = self.target.expr()
        r = self._ratio(v, t)
        counted = clamp(r, 0.0, self.cap)
        raw = lit(self.points) * counted
        if self.floor is not None:
            raw = pl.when(r < self.floor).then(lit(0.0)).otherwise(raw)
        return {"raw": raw, "target": t, "ratio": r}

    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        t = self.target.row(ctx.env)
        r: float | None
        if v is None or t is None:
            r = None
        elif self.direction == "higher":
            r = None if t == 0 else v / t
        else:
            r = self.cap if v <= 0 else t / v
        raw: float | None = None
        if r is not None:
            raw = self.points * clamp_row(r, 0.0, self.cap)
            if self.floor is not None and r < self.floor:
                raw = 0.0
        return {"raw": raw, "target": t, "ratio": r}

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        zh = lang == "zh"
        parts = [
            s("，目标 " if zh else ", target "),
            unit_expr(p["target"], self.target.unit, lang=lang),
            s("，完成率 " if zh else ", attainment "),
            pct(p["ratio"]),
        ]
        notes = []
        if self.floor is not None:
            notes.append(
                pl.when(p["ratio"] < self.floor).then(
                    s(
                        f"（低于 {pct_row(self.floor)} 不得分）"
                        if zh
                        else f" (below {pct_row(self.floor)} scores 0)"
                    )
                )
            )
        notes.append(
            pl.when(p["ratio"] > self.cap).then(
                s(f"（按 {pct_row(self.cap)} 封顶）" if zh else f" (capped at {pct_row(self.cap)})")
            )
        )
        return pl.concat_str([*parts, pl.concat_str(notes, ignore_nulls=True)])

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        zh = lang == "zh"
        out = ("，目标 " if zh else ", target ") + unit_text(
            p["target"], self.target.unit, lang=lang
        )
        out += ("，完成率 " if zh else ", attainment ") + pct_row(p["ratio"])
        r = p["ratio"]
        if r is not None and self.floor is not None and r < self.floor:
            out += (
                f"（低于 {pct_row(self.floor)} 不得分）"
                if zh
                else f" (below {pct_row(self.floor)} scores 0)"
            )
        if r is not None and r > self.cap:
            out += f"（按 {pct_row(self.cap)} 封顶）" if zh else f" (capped at {pct_row(self.cap)})"
        return out


# --- linear ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearRule(Rule):
    x0: Operand = None  # type: ignore[assignment]
    x1: Operand = None  # type: ignore[assignment]
    s0: float = 0.0
    s1: float = 0.0

    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        x0, x1 = self.x0.expr(), self.x1.expr()
        lo, hi = min(self.s0, self.s1), max(self.s0, self.s1)
        slope = pl.when(x1 == x0).then(NULL).otherwise(F.divide(v - x0, x1 - x0))
        raw = clamp(lit(self.s0) + slope * lit(self.s1 - self.s0), lo, hi)
        return {"raw": raw, "x0": x0, "x1": x1}

    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        x0, x1 = self.x0.row(ctx.env), self.x1.row(ctx.env)
        raw = None
        if v is not None and x0 is not None and x1 is not None and x1 != x0:
            lo, hi = min(self.s0, self.s1), max(self.s0, self.s1)
            raw = clamp_row(self.s0 + ((v - x0) / (x1 - x0)) * (self.s1 - self.s0), lo, hi)
        return {"raw": raw, "x0": x0, "x1": x1}

    def _words(self, lang: str) -> tuple[str, str, str, str]:
        if lang == "zh":
            return (
                "，在 ",
                f"（{fmt_num(self.s0)} 分）与 ",
                f"（{fmt_num(self.s1)} 分）之间线性计分",
                "",
            )
        return (
            ", linear between ",
            f" ({fmt_num(self.s0)} pts) and ",
            f" ({fmt_num(self.s1)} pts)",
            "",
        )

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        a, b, c, _ = self._words(lang)
        return pl.concat_str(
            [
                s(a),
                unit_expr(p["x0"], self.unit, lang=lang),
                s(b),
                unit_expr(p["x1"], self.unit, lang=lang),
                s(c),
            ]
        )

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        a, b, c, _ = self._words(lang)
        return (
            a
            + unit_text(p["x0"], self.unit, lang=lang)
            + b
            + unit_text(p["x1"], self.unit, lang=lang)
            + c
        )


# --- tiers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TiersRule(Rule):
    bands: tuple[Band, ...] = ()
    target: Operand | None = None

    @property
    def basis_unit(self) -> str:
        return "percent" if self.target is not None else self.unit

    def band_texts(self, lang: str) -> list[str]:
        unit = self.basis_unit
        out = []
        for b in self.bands:
            text = b.describe(lambda x, u=unit: _compact(unit_text(x, u, lang=lang), lang))
            text += " 档" if lang == "zh" else ""
            if b.label:
                text += f"（{b.label}）" if lang == "zh" else f" ({b.label})"
            out.append(text)
        return out

    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        q = v
        parts: dict[str, pl.Expr] = {}
        if self.target is not None:
            t = self.target.expr()
            q = pl.when(t == 0).then(NULL).otherwise(F.divide(v, t))
            parts["target"] = t
        idx = band_index_expr(self.bands, q)
        raw = band_expr(self.bands, q, [lit(float(b.value)) for b in self.bands])
        raw = pl.when(q.is_not_null() & idx.is_null()).then(lit(0.0)).otherwise(raw)
        parts.update({"raw": raw, "q": q, "band": idx})
        return parts

    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        q = v
        parts: dict[str, Any] = {}
        if self.target is not None:
            t = self.target.row(ctx.env)
            q = None if v is None or t is None or t == 0 else v / t
            parts["target"] = t
        idx = find_band(self.bands, q)
        raw = None if q is None else (0.0 if idx is None else float(self.bands[idx].value))
        parts.update({"raw": raw, "q": q, "band": idx})
        return parts

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        zh = lang == "zh"
        texts = self.band_texts(lang)
        band_text = pl.lit(None, dtype=pl.String)
        expr: Any = pl
        for i, t in enumerate(texts):
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

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        zh = lang == "zh"
        out = ""
        if self.target is not None:
            out += ("，目标 " if zh else ", target ") + unit_text(
                p["target"], self.target.unit, lang=lang
            )
            out += ("，完成率 " if zh else ", attainment ") + pct_row(p["q"])
        if p["band"] is None:
            return out + ("，不在任何一档内" if zh else ", in no band")
        text = self.band_texts(lang)[p["band"]]
        return out + ("，落在 " if zh else ", in band ") + text
