"""rating: 自评 30% + 互评 50% + 上级 20% — rater-weighted ratings, with a missing-rater policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl
from pydantic import Field

from jixiao import formula as F
from jixiao.engine._checks import num
from jixiao.engine._numfmt import fmt_expr, fmt_num
from jixiao.engine.kinds._base import (
    NULL,
    Compiler,
    Kind,
    Number,
    RatingSpec,
    RuleDoc,
    Site,
    VectorContext,
    lit,
    pct,
    pct_text,
    rating_column,
    s,
)

__all__ = ["ROLE_NAMES", "RatingKind", "RatingRule"]

ROLE_NAMES = {
    "self": ("自评", "self"),
    "peer": ("互评", "peers"),
    "manager": ("上级", "manager"),
    "skip": ("隔级上级", "skip-level"),
    "subordinate": ("下级", "subordinates"),
    "customer": ("顾客抽样", "sampled customers"),
    "hr": ("人事", "HR"),
}
INCOMPLETE = {"zh": "（评分不全）", "en": " (ratings incomplete)"}


class RatingRule(RuleDoc):
    """Subjective ratings aggregated with rater weights (self 30% / peers 50% / manager 20%)."""

    kind: Literal["rating"]
    raters: dict[str, Number] = Field(min_length=1, description="rater role -> weight")
    scale: Number | None = Field(
        None, description="raters score 0..scale; default: the item's points"
    )
    levels: dict[str, Number] | None = Field(
        None, description="descriptive levels -> points, e.g. A: 30"
    )
    missing: Literal["renormalize", "zero", "incomplete"] = Field(
        "renormalize",
        description="a missing rater: renormalize the present weights, count as 0, or leave the item incomplete (0)",
    )


@dataclass(frozen=True)
class RatingKind(Kind):
    kind = "rating"
    doc = RatingRule
    uses_value = False

    raters: tuple[tuple[str, float], ...] = ()
    scale: float = 100.0
    missing_policy: str = "renormalize"
    levels: tuple[tuple[str, float], ...] = ()

    @classmethod
    def from_doc(cls, doc: RatingRule, site: Site, c: Compiler) -> RatingKind:
        path, points = site.path, site.points
        raters = tuple(
            (role, num(w, f"{path}.raters.{role}", c.out)) for role, w in doc.raters.items()
        )
        total = sum(w for _, w in raters)
        if abs(total - 100) < 1e-9:
            # Written as whole percents (30 / 50 / 20), like dimension weights may be.
            raters = tuple((role, w / 100) for role, w in raters)
            total = sum(w for _, w in raters)
        if abs(total - 1.0) > 1e-9:
            shown = " + ".join(f"{role} {w * 100:g}%" for role, w in raters)
            c.out.error(
                f"{path}.raters",
                f"评分人权重合计 {total * 100:g}%（{shown}），应为 100%",
                f"rater weights sum to {total * 100:g}% ({shown}); they must sum to 100%",
            )
        if any(w < 0 for _, w in raters):
            c.out.error(
                f"{path}.raters", "评分人权重不能为负", "rater weights must not be negative"
            )
        levels: tuple[tuple[str, float], ...] = ()
        if doc.levels:
            levels = tuple((k, num(v, f"{path}.levels.{k}", c.out)) for k, v in doc.levels.items())
            for k, v in levels:
                if not 0 <= v <= points:
                    c.out.error(
                        f"{path}.levels.{k}",
                        f"等级 {k} 的分值 {v:g} 超出 0–{points:g}",
                        f"level {k} outside 0–{points:g}",
                    )
        scale = (
            points
            if doc.levels or doc.scale is None
            else num(doc.scale, f"{path}.scale", c.out, points)
        )
        if scale <= 0:
            c.out.error(f"{path}.scale", "评分满分必须大于 0", "scale must be above 0")
            scale = points or 1.0
        return cls(
            points,
            site.item_type,
            site.unit,
            raters=raters,
            scale=scale,
            missing_policy=doc.missing,
            levels=levels,
        )

    def rating(self) -> RatingSpec:
        return RatingSpec(self.raters, self.scale, self.levels)

    @staticmethod
    def role_label(role: str, lang: str) -> str:
        zh, en = ROLE_NAMES.get(role, (role, role))
        return zh if lang == "zh" else en

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        cols = {
            role: pl.col(rating_column(ctx.item, role)).cast(pl.Float64) for role, _ in self.raters
        }
        weighted = [cols[r] * w for r, w in self.raters]
        present_w = [
            pl.when(cols[r].is_not_null()).then(lit(w)).otherwise(lit(0.0)) for r, w in self.raters
        ]
        total_w = pl.sum_horizontal(present_w)
        summed = pl.sum_horizontal(weighted)  # nulls are skipped
        if self.missing_policy == "renormalize":
            agg = pl.when(total_w == 0).then(NULL).otherwise(F.divide(summed, total_w))
        elif self.missing_policy == "zero":
            agg = pl.when(total_w == 0).then(NULL).otherwise(summed)
        else:
            any_missing = pl.any_horizontal([cols[r].is_null() for r, _ in self.raters])
            agg = pl.when(any_missing).then(NULL).otherwise(summed)
        parts = {"agg": agg, "weight": total_w}
        for role, _ in self.raters:
            parts[f"r:{role}"] = cols[role]
        return parts

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        return p["agg"] * (self.points / self.scale)

    def _gap_note(self, lang: str) -> tuple[str, str]:
        """Said when some rater is missing: how the present weights were used."""
        if self.missing_policy == "renormalize":
            if lang == "zh":
                return "（有评分人缺评：按在评人权重合计 ", " 折算）"
            return " (some raters missing: divided by the present weights, ", ")"
        if self.missing_policy == "zero":
            return (
                ("（缺评按 0 分计）", "") if lang == "zh" else (" (missing ratings count as 0)", "")
            )
        return ("", "")

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        terms = []
        for role, w in self.raters:
            label = self.role_label(role, lang)
            terms.append(
                pl.when(p[f"r:{role}"].is_null())
                .then(s(f"{label} 缺" if lang == "zh" else f"{label} missing"))
                .otherwise(
                    pl.concat_str(
                        [s(f"{label} "), fmt_expr(p[f"r:{role}"]), s(f" × {pct_text(w)}")]
                    )
                )
            )
        a, b = self._gap_note(lang)
        total = sum(w for _, w in self.raters)
        note = pl.when(p["agg"].is_not_null() & (p["weight"] < total)).then(
            pl.concat_str([s(a), pct(p["weight"]), s(b)])
            if self.missing_policy == "renormalize"
            else s(a)
        )
        tail = ""
        if self.scale != self.points:
            n = fmt_num(self.scale)
            tail = f"（{n} 分制）" if lang == "zh" else f" (out of {n})"
        return pl.concat_str(
            [
                s("：" if lang == "zh" else ": "),
                pl.concat_str(terms, separator=" + "),
                s(" = "),
                fmt_expr(p["agg"], missing="缺失" if lang == "zh" else "missing"),
                s(tail),
                note.fill_null(""),
            ]
        )

    def reason(
        self, p: Mapping[str, pl.Expr], default: pl.Expr, detail: pl.Expr, lang: str
    ) -> pl.Expr:
        return pl.concat_str([detail, s(INCOMPLETE[lang])])
