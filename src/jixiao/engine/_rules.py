"""Rule kinds, each implemented twice: as Polars expressions and per row.

Every rule turns an item's value into a raw score and says how, in Chinese and English.
``vector_*`` methods build expressions over a whole population; ``row_*`` methods compute the
same from one row's numbers. The engine's tests compare both for every row, which is why each
step is written with the same float operations in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jixiao.bands import Band, band_expr, band_index_expr, find_band
from jixiao.engine import _formula as F
from jixiao.engine._numfmt import fmt_expr, fmt_num, unit_expr, unit_text

__all__ = ["ROLE_NAMES", "Rule"]

NULL = pl.lit(None, dtype=pl.Float64)
STEP_EPS = 1e-9
ROLE_NAMES = {
    "self": ("自评", "self"),
    "peer": ("互评", "peers"),
    "manager": ("上级", "manager"),
    "skip": ("隔级上级", "skip-level"),
    "subordinate": ("下级", "subordinates"),
    "customer": ("顾客抽样", "sampled customers"),
    "hr": ("人事", "HR"),
}


def lit(x: float) -> pl.Expr:
    return pl.lit(x, dtype=pl.Float64)


def clamp(x: pl.Expr, lo: float, hi: float) -> pl.Expr:
    return x.clip(lo, hi)


def clamp_row(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def s(text: str) -> pl.Expr:
    return pl.lit(text, dtype=pl.String)


def _compact(text: str, lang: str) -> str:
    # "15 秒" reads better as "15秒" inside an interval; English keeps "15 s".
    return text.replace(" ", "") if lang == "zh" else text


UNIT_WORDS = {
    "days": ("天", "day"),
    "hours": ("小时", "hour"),
    "minutes": ("分钟", "minute"),
    "people": ("人", "person"),
    "yuan": ("元", "yuan"),
}


def pct(x: pl.Expr) -> pl.Expr:
    return unit_expr(x, "percent")


def pct_row(x: float | None) -> str:
    return unit_text(x, "percent")


@dataclass(frozen=True)
class Operand:
    """A number or a formula (a target, a band edge); knows how to show itself."""

    node: F.Node
    text: str
    unit: str = "number"

    def expr(self) -> pl.Expr:
        return F.to_polars(self.node)

    def row(self, env: Mapping[str, float | None]) -> float | None:
        v = F.evaluate(self.node, env)
        return None if v is None else float(v)

    @property
    def constant(self) -> float | None:
        return self.node.value if isinstance(self.node, F.Num) else None


@dataclass(frozen=True)
class Rule:
    """Base: subclasses fill ``vector_parts``/``row_parts`` and the two detail builders.

    ``parts`` are the intermediate numbers a trace needs (target, ratio, band index, ...);
    ``raw`` is the rule's score before the item type applies (clamping, sign).
    """

    points: float
    item_type: str
    unit: str

    # -- vectorised
    def vector_parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        raise NotImplementedError

    def vector_detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        raise NotImplementedError

    # -- per row
    def row_parts(self, v: float | None, ctx: RowContext) -> dict[str, Any]:
        raise NotImplementedError

    def row_detail(self, p: Mapping[str, Any], lang: str) -> str:
        raise NotImplementedError

    def uses_value(self) -> bool:
        return True

    def max_raw(self) -> float:
        """The highest score the rule can give (above ``points`` only for a ratio cap > 1)."""
        return self.points


@dataclass
class VectorContext:
    group: pl.Expr | None = None
    rating_cols: Mapping[str, str] = field(default_factory=dict)


@dataclass
class RowContext:
    env: Mapping[str, float | None]
    group_label: str | None = None
    group_values: Sequence[float | None] = ()
    ratings: Mapping[str, float | None] = field(default_factory=dict)


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
