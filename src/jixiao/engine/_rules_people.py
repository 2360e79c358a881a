"""Rule kinds that depend on people: rank in a group, rater-weighted ratings, formulas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from jixiao import formula as F
from jixiao.engine._numfmt import fmt_expr, fmt_num
from jixiao.engine._rules_base import (
    NULL,
    ROLE_NAMES,
    Operand,
    RowContext,
    Rule,
    VectorContext,
    lit,
    pct,
    pct_row,
    s,
)

# --- rank ------------------------------------------------------------------------------------


def rank_row(values: Sequence[float | None], v: float, *, higher: bool, ties: str) -> int:
    """Rank of ``v`` among ``values`` (nulls ignored), 1 = best, by the tie policy."""
    present = [x for x in values if x is not None]
    if ties == "dense":
        distinct = sorted(set(present), reverse=higher)
        return distinct.index(v) + 1
    better = sum(1 for x in present if (x > v if higher else x < v))
    if ties == "min":
        return better + 1
    same = sum(1 for x in present if x == v)
    return better + same


@dataclass(frozen=True)
class RankRule(Rule):
    table: tuple[tuple[int, float], ...] = ()
    otherwise: float = 0.0
    higher: bool = True
    group_by: str | None = "group"
    ties: str = "min"

    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        rank = v.rank(method=self.ties, descending=self.higher)  # type: ignore[arg-type]
        if ctx.group is not None:
            rank = rank.over(ctx.group)
        rank = rank.cast(pl.Float64)
        expr: Any = pl
        for r, sc in self.table:
            expr = expr.when(rank == r).then(lit(sc))
        raw = expr.otherwise(lit(self.otherwise))
        raw = pl.when(rank.is_null()).then(NULL).otherwise(raw)
        group = ctx.group.cast(pl.String) if ctx.group is not None else s("")
        return {"raw": raw, "rank": rank, "group": group}

    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        if v is None:
            return {"raw": None, "rank": None, "group": ctx.group_label or ""}
        rank = rank_row(ctx.group_values, v, higher=self.higher, ties=self.ties)
        raw = dict(self.table).get(rank, self.otherwise)
        return {"raw": float(raw), "rank": float(rank), "group": ctx.group_label or ""}

    def _words(self, lang: str, grouped: bool) -> tuple[str, str, str]:
        if lang == "zh":
            return ("，在 ", " 组内排第 ", " 名") if grouped else ("，", "全体排第 ", " 名")
        return (", rank ", " in group ", "") if grouped else (", rank ", "", " overall")

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        # Ranked within a group only when there was one to rank in (see row_detail).
        a, b, c = self._words(lang, False)
        overall = pl.concat_str([s(a), s(b), fmt_expr(p["rank"]), s(c)])
        a, b, c = self._words(lang, True)
        if lang == "zh":
            grouped = pl.concat_str([s(a), p["group"], s(b), fmt_expr(p["rank"]), s(c)])
        else:
            grouped = pl.concat_str([s(a), fmt_expr(p["rank"]), s(b), p["group"], s(c)])
        no_group = p["group"].is_null() | (p["group"] == "")
        return pl.when(no_group).then(overall).otherwise(grouped)

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        if not p["group"]:
            a, b, c = self._words(lang, False)
            return a + b + fmt_num(p["rank"]) + c
        a, b, c = self._words(lang, True)
        if lang == "zh":
            return a + p["group"] + b + fmt_num(p["rank"]) + c
        return a + fmt_num(p["rank"]) + b + p["group"] + c


# --- rating ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingRule(Rule):
    raters: tuple[tuple[str, float], ...] = ()
    scale: float = 100.0
    missing_policy: str = "renormalize"
    levels: tuple[tuple[str, float], ...] = ()

    def uses_value(self) -> bool:
        return False

    def role_label(self, role: str, lang: str) -> str:
        zh, en = ROLE_NAMES.get(role, (role, role))
        return zh if lang == "zh" else en

    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        cols = {role: pl.col(ctx.rating_cols[role]).cast(pl.Float64) for role, _ in self.raters}
        weighted = [cols[r] * w for r, w in self.raters]
        present_w = [
            pl.when(cols[r].is_not_null()).then(lit(w)).otherwise(lit(0.0)) for r, w in self.raters
        ]
        total_w = pl.sum_horizontal(present_w)
        any_missing = pl.any_horizontal([cols[r].is_null() for r, _ in self.raters])
        summed = pl.sum_horizontal(weighted)  # nulls are skipped
        if self.missing_policy == "renormalize":
            agg = pl.when(total_w == 0).then(NULL).otherwise(F.divide(summed, total_w))
        elif self.missing_policy == "zero":
            agg = pl.when(total_w == 0).then(NULL).otherwise(summed)
        else:
            agg = pl.when(any_missing).then(NULL).otherwise(summed)
        raw = agg * (self.points / self.scale)
        parts = {"raw": raw, "agg": agg, "weight": total_w}
        for role, _ in self.raters:
            parts[f"r:{role}"] = cols[role]
        return parts

    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        vals = {role: ctx.ratings.get(role) for role, _ in self.raters}
        total_w = 0.0
        summed = 0.0
        for role, w in self.raters:
            if vals[role] is not None:
                summed += vals[role] * w  # type: ignore[operator]
                total_w += w
        agg: float | None
        if self.missing_policy == "renormalize":
            agg = None if total_w == 0 else summed / total_w
        elif self.missing_policy == "zero":
            agg = None if total_w == 0 else summed
        else:
            agg = None if any(x is None for x in vals.values()) else summed
        raw = None if agg is None else agg * (self.points / self.scale)
        parts: dict[str, Any] = {"raw": raw, "agg": agg, "weight": total_w}
        for role, _ in self.raters:
            parts[f"r:{role}"] = vals[role]
        return parts

    def _tail(self, lang: str) -> str:
        if self.scale == self.points:
            return ""
        return (
            f"（{fmt_num(self.scale)} 分制）"
            if lang == "zh"
            else f" (out of {fmt_num(self.scale)})"
        )

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

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        terms = []
        for role, w in self.raters:
            label = self.role_label(role, lang)
            terms.append(
                pl.when(p[f"r:{role}"].is_null())
                .then(s(f"{label} 缺" if lang == "zh" else f"{label} missing"))
                .otherwise(
                    pl.concat_str([s(f"{label} "), fmt_expr(p[f"r:{role}"]), s(f" × {pct_row(w)}")])
                )
            )
        head = s("：" if lang == "zh" else ": ")
        a, b = self._gap_note(lang)
        total = sum(w for _, w in self.raters)
        note = pl.when(p["agg"].is_not_null() & (p["weight"] < total)).then(
            pl.concat_str([s(a), pct(p["weight"]), s(b)])
            if self.missing_policy == "renormalize"
            else s(a)
        )
        agg = fmt_expr(p["agg"], missing="缺失" if lang == "zh" else "missing")
        return pl.concat_str(
            [
                head,
                pl.concat_str(terms, separator=" + "),
                s(" = "),
                agg,
                s(self._tail(lang)),
                note.fill_null(""),
            ]
        )

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        terms = []
        for role, w in self.raters:
            label = self.role_label(role, lang)
            v = p[f"r:{role}"]
            if v is None:
                terms.append(f"{label} 缺" if lang == "zh" else f"{label} missing")
            else:
                terms.append(f"{label} {fmt_num(v)} × {pct_row(w)}")
        agg = fmt_num(p["agg"], missing="缺失" if lang == "zh" else "missing")
        note = ""
        if p["agg"] is not None and p["weight"] < sum(w for _, w in self.raters):
            a, b = self._gap_note(lang)
            note = a + pct_row(p["weight"]) + b if self.missing_policy == "renormalize" else a
        return (
            ("：" if lang == "zh" else ": ")
            + " + ".join(terms)
            + " = "
            + agg
            + self._tail(lang)
            + note
        )


# --- formula ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormulaRule(Rule):
    score: Operand = None  # type: ignore[assignment]

    def uses_value(self) -> bool:
        return False

    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        return {"raw": self.score.expr()}

    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        return {"raw": self.score.row(ctx.env)}

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        return pl.concat_str(
            [
                s(f"：{self.score.text} = " if lang == "zh" else f": {self.score.text} = "),
                fmt_expr(p["raw"]),
            ]
        )

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        return (f"：{self.score.text} = " if lang == "zh" else f": {self.score.text} = ") + fmt_num(
            p["raw"]
        )
