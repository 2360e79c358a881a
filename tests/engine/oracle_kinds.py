"""The test oracle's rule kinds: each kind's raw score and rule detail for one row, in plain
Python (float arithmetic in the same order as the vectorised expressions), independent of the
Polars code in ``jixiao.engine.kinds``. Only the tests use it (see :mod:`tests.engine.oracle`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jixiao.engine._numfmt import fmt_num, unit_text
from jixiao.engine.kinds import Kind, Operand
from jixiao.engine.kinds.formula import FormulaKind
from jixiao.engine.kinds.linear import LinearKind
from jixiao.engine.kinds.per_occurrence import PerOccurrenceKind
from jixiao.engine.kinds.rank import NO_GROUP, UNRANKED, RankKind
from jixiao.engine.kinds.rating import RatingKind
from jixiao.engine.kinds.ratio import RatioKind
from jixiao.engine.kinds.step import STEP_EPS, StepKind
from jixiao.engine.kinds.tiers import TiersKind
from jixiao.formula import find_band
from tests.formula.oracle import evaluate_float

__all__ = [
    "NO_GROUP",
    "UNRANKED",
    "RowContext",
    "operand_row",
    "rank_row",
    "row_detail",
    "row_parts",
]

Parts = dict[str, Any]


@dataclass
class RowContext:
    env: Mapping[str, float | None]
    group_label: str | None = None
    group_values: Sequence[float | None] = ()
    ratings: Mapping[str, float | None] = field(default_factory=dict)


def operand_row(op: Operand, env: Mapping[str, float | None]) -> float | None:
    v = evaluate_float(op.node, env)
    if v is None or not math.isfinite(float(v)):
        return None
    return float(v)


def _clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def _pct(x: float | None) -> str:
    return unit_text(x, "percent")


# --- ratio, linear, tiers --------------------------------------------------------------------


def _ratio(k: RatioKind, v: float | None, ctx: RowContext) -> Parts:
    t = operand_row(k.target, ctx.env)
    r: float | None
    if v is None or t is None:
        r = None
    elif k.direction == "higher":
        r = None if t == 0 else v / t
    else:
        r = k.cap if v <= 0 else t / v
    raw: float | None = None
    if r is not None:
        raw = k.points * _clamp(r, 0.0, k.cap)
        if k.floor is not None and r < k.floor:
            raw = 0.0
    return {"raw": raw, "target": t, "ratio": r}


def _ratio_text(k: RatioKind, p: Parts, lang: str) -> str:
    zh = lang == "zh"
    out = ("，目标 " if zh else ", target ") + unit_text(p["target"], k.target.unit, lang=lang)
    out += ("，完成率 " if zh else ", attainment ") + _pct(p["ratio"])
    r = p["ratio"]
    if r is not None and k.floor is not None and r < k.floor:
        f = _pct(k.floor)
        out += f"（低于 {f} 不得分）" if zh else f" (below {f} scores 0)"
    if r is not None and r > k.cap:
        out += f"（按 {_pct(k.cap)} 封顶）" if zh else f" (capped at {_pct(k.cap)})"
    return out


def _linear(k: LinearKind, v: float | None, ctx: RowContext) -> Parts:
    x0, x1 = operand_row(k.x0, ctx.env), operand_row(k.x1, ctx.env)
    raw = None
    if v is not None and x0 is not None and x1 is not None and x1 != x0:
        lo, hi = min(k.s0, k.s1), max(k.s0, k.s1)
        raw = _clamp(k.s0 + ((v - x0) / (x1 - x0)) * (k.s1 - k.s0), lo, hi)
    return {"raw": raw, "x0": x0, "x1": x1}


def _linear_text(k: LinearKind, p: Parts, lang: str) -> str:
    x0, x1 = unit_text(p["x0"], k.unit, lang=lang), unit_text(p["x1"], k.unit, lang=lang)
    s0, s1 = fmt_num(k.s0), fmt_num(k.s1)
    if lang == "zh":
        return f"，在 {x0}（{s0} 分）与 {x1}（{s1} 分）之间线性计分"
    return f", linear between {x0} ({s0} pts) and {x1} ({s1} pts)"


def _tiers(k: TiersKind, v: float | None, ctx: RowContext) -> Parts:
    q = v
    parts: Parts = {}
    if k.target is not None:
        t = operand_row(k.target, ctx.env)
        q = None if v is None or t is None or t == 0 else v / t
        parts["target"] = t
    idx = find_band(k.bands, q)
    raw = None if q is None else (0.0 if idx is None else float(k.bands[idx].value))
    parts.update({"raw": raw, "q": q, "band": idx})
    return parts


def _tiers_text(k: TiersKind, p: Parts, lang: str) -> str:
    zh = lang == "zh"
    out = ""
    if k.target is not None:
        out += ("，目标 " if zh else ", target ") + unit_text(p["target"], k.target.unit, lang=lang)
        out += ("，完成率 " if zh else ", attainment ") + _pct(p["q"])
    if p["band"] is None:
        return out + ("，不在任何一档内" if zh else ", in no band")
    return out + ("，落在 " if zh else ", in band ") + k.band_texts(lang)[p["band"]]


# --- per_occurrence, step --------------------------------------------------------------------


def _per(k: PerOccurrenceKind, v: float | None, ctx: RowContext) -> Parts:
    if v is None:
        return {"raw": None, "amount": None}
    excess = v - k.free if v - k.free > 0 else 0.0
    amount = k.max_amount if excess * k.per > k.max_amount else excess * k.per
    full = k.item_type == "normal" and k.start == "full"
    return {"raw": k.points - amount if full else amount, "amount": amount}


def _per_text(k: PerOccurrenceKind, p: Parts, lang: str) -> str:
    a, b = k.words(lang)
    return a + fmt_num(p["amount"]) + b


def _step(k: StepKind, v: float | None, ctx: RowContext) -> Parts:
    t = operand_row(k.target, ctx.env)
    if v is None or t is None:
        return {"raw": None, "target": t, "short": None, "steps": None}
    short = (t - v) if k.direction == "higher" else (v - t)
    short = short if short > 0 else 0.0
    q = short / k.step
    steps = float(math.floor(q + STEP_EPS) if k.rounding == "floor" else math.ceil(q - STEP_EPS))
    return {"raw": k.points - steps * k.per, "target": t, "short": short, "steps": steps}


def _step_text(k: StepKind, p: Parts, lang: str) -> str:
    step = unit_text(k.step, k.unit, lang=lang)
    target = unit_text(p["target"], k.target.unit, lang=lang)
    short = unit_text(p["short"], k.unit, lang=lang)
    n = fmt_num(p["steps"])
    amount = fmt_num(None if p["steps"] is None else p["steps"] * k.per)
    if lang == "zh":
        gap = "差" if k.direction == "higher" else "超出"
        return f"，目标 {target}，{gap} {short}，每{gap} {step} 扣 {fmt_num(k.per)} 分：{n} 档共扣 {amount} 分"
    gap = "short by" if k.direction == "higher" else "over by"
    return f", target {target}, {gap} {short}, minus {fmt_num(k.per)} per {step}: {n} steps, {amount} in all"


# --- rank, rating, formula -------------------------------------------------------------------


def rank_row(values: Sequence[float | None], v: float, *, higher: bool, ties: str) -> int:
    """Rank of ``v`` among ``values`` (nulls ignored), 1 = best, by the tie policy."""
    present = [x for x in values if x is not None]
    if ties == "dense":
        return sorted(set(present), reverse=higher).index(v) + 1
    better = sum(1 for x in present if (x > v if higher else x < v))
    if ties == "min":
        return better + 1
    return better + sum(1 for x in present if x == v)


def _rank(k: RankKind, v: float | None, ctx: RowContext) -> Parts:
    if v is None:
        return {"raw": None, "rank": None, "group": ctx.group_label or ""}
    rank = rank_row(ctx.group_values, v, higher=k.higher, ties=k.ties)
    raw = dict(k.table).get(rank, k.otherwise)
    return {"raw": float(raw), "rank": float(rank), "group": ctx.group_label or ""}


def _rank_text(k: RankKind, p: Parts, lang: str) -> str:
    rank, group = fmt_num(p["rank"]), p["group"]
    if lang == "zh":
        return f"，在 {group} 组内排第 {rank} 名" if group else f"，全体排第 {rank} 名"
    return f", rank {rank} in group {group}" if group else f", rank {rank} overall"


def _rating(k: RatingKind, v: float | None, ctx: RowContext) -> Parts:
    vals = {role: ctx.ratings.get(role) for role, _ in k.raters}
    total_w = summed = 0.0
    for role, w in k.raters:
        x = vals[role]
        if x is not None:
            summed += x * w
            total_w += w
    agg: float | None
    if k.missing_policy == "renormalize":
        agg = None if total_w == 0 else summed / total_w
    elif k.missing_policy == "zero":
        agg = None if total_w == 0 else summed
    else:
        agg = None if any(x is None for x in vals.values()) else summed
    parts: Parts = {"raw": None if agg is None else agg * (k.points / k.scale), "agg": agg}
    parts["weight"] = total_w
    for role, _ in k.raters:
        parts[f"r:{role}"] = vals[role]
    return parts


def _rating_text(k: RatingKind, p: Parts, lang: str) -> str:
    zh = lang == "zh"
    terms = []
    for role, w in k.raters:
        label, x = k.role_label(role, lang), p[f"r:{role}"]
        missing = f"{label} 缺" if zh else f"{label} missing"
        terms.append(missing if x is None else f"{label} {fmt_num(x)} × {_pct(w)}")
    text = ("：" if zh else ": ") + " + ".join(terms) + " = "
    text += fmt_num(p["agg"], missing="缺失" if zh else "missing")
    if k.scale != k.points:
        text += f"（{fmt_num(k.scale)} 分制）" if zh else f" (out of {fmt_num(k.scale)})"
    if p["agg"] is not None and p["weight"] < sum(w for _, w in k.raters):
        if k.missing_policy == "renormalize":
            w = _pct(p["weight"])
            text += (
                f"（有评分人缺评：按在评人权重合计 {w} 折算）"
                if zh
                else f" (some raters missing: divided by the present weights, {w})"
            )
        elif k.missing_policy == "zero":
            text += "（缺评按 0 分计）" if zh else " (missing ratings count as 0)"
    return text


def _formula(k: FormulaKind, v: float | None, ctx: RowContext) -> Parts:
    return {"raw": operand_row(k.score, ctx.env)}


def _formula_text(k: FormulaKind, p: Parts, lang: str) -> str:
    return (f"：{k.score.text} = " if lang == "zh" else f": {k.score.text} = ") + fmt_num(p["raw"])


ROWS: dict[type[Kind], tuple[Callable[..., Parts], Callable[..., str]]] = {
    RatioKind: (_ratio, _ratio_text),
    LinearKind: (_linear, _linear_text),
    TiersKind: (_tiers, _tiers_text),
    PerOccurrenceKind: (_per, _per_text),
    StepKind: (_step, _step_text),
    RankKind: (_rank, _rank_text),
    RatingKind: (_rating, _rating_text),
    FormulaKind: (_formula, _formula_text),
}


def row_parts(rule: Kind, v: float | None, ctx: RowContext) -> Parts:
    return ROWS[type(rule)][0](rule, v, ctx)


def row_detail(rule: Kind, p: Parts, lang: str) -> str:
    return ROWS[type(rule)][1](rule, p, lang)
