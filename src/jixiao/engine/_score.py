"""Vectorised scoring: one Polars query scores, grades and ranks a whole population.

Rounding (documented in docs/scheme-format.md): every item score is rounded to 2 decimals,
half away from zero; a dimension is the sum of its rounded item scores (weighted dimensions:
the rounded weighted contribution plus its bonus / deduction items); the total is the sum of
the dimensions, clamped to ``min_score``..``max_score``, rounded again. So the numbers a person
sees always add up.
"""

from __future__ import annotations

import polars as pl

from jixiao.engine import _rules as R
from jixiao.engine._compile import CItem, CompiledScheme
from jixiao.engine._prepare import rating_column
from jixiao.formula import band_expr, round_half_away_expr

__all__ = ["item_parts", "score_frame"]

ITEM = "item:"
DIM = "dim:"
# The per-employee columns of a results table, before the dimension and item columns.
HEAD_COLUMNS = (
    "employee",
    "name",
    "group",
    "eligible",
    "excluded_reason",
    "total",
    "grade",
    "rank",
    "group_rank",
)


def value_expr(item: CItem) -> pl.Expr:
    if item.value is None:
        return pl.lit(None, dtype=pl.Float64)
    return item.value.expr()


def rule_context(cs: CompiledScheme, item: CItem, group_present: bool) -> R.VectorContext:
    rule = item.rule
    group = None
    if isinstance(rule, R.RankRule) and rule.group_by is not None:
        group = pl.col(rule.group_by) if rule.group_by != "group" or group_present else None
    ratings = {}
    if isinstance(rule, R.RatingRule):
        ratings = {role: rating_column(item.code, role) for role, _ in rule.raters}
    return R.VectorContext(group=group, rating_cols=ratings)


VALUE = "__v:"
PART = "__p:"


def value_column(item: CItem) -> str:
    return VALUE + item.code


def part_column(item: CItem, key: str) -> str:
    return f"{PART}{item.code}:{key}"


def value_stage(cs: CompiledScheme, group_present: bool) -> list[pl.Expr]:
    """Stage 1: every item's value as a column (ranked values masked for people not appraised)."""
    out = []
    for it in cs.items:
        if it.type == "veto" or it.rule is None:
            continue
        v = value_expr(it)
        if isinstance(it.rule, R.RankRule):
            # People not appraised this period, or without a group when ranking within groups,
            # take no place in a ranking.
            ok = eligible_expr(cs)
            ctx = rule_context(cs, it, group_present)
            if ctx.group is not None:
                ok = ok & ctx.group.is_not_null()
            v = pl.when(ok).then(v)
        out.append(v.alias(value_column(it)))
    return out


def item_parts(cs: CompiledScheme, item: CItem, group_present: bool) -> dict[str, pl.Expr]:
    """The rule's intermediate expressions over the stage-1 value column, plus ``value``.

    Expressions are built on column references, never on nested copies of other expressions,
    so each stays small: nesting copies grows trees exponentially and Polars' planning with it.
    """
    assert item.rule is not None
    v = pl.col(value_column(item))
    parts = item.rule.vector_parts(v, rule_context(cs, item, group_present))
    if item.rule.uses_value():
        # A missing value is a missing score, whatever a rule's own when/otherwise would say.
        parts["raw"] = pl.when(v.is_null()).then(R.NULL).otherwise(parts["raw"])
    return {**parts, "value": v}


def signed_from_raw(item: CItem, raw: pl.Expr) -> pl.Expr:
    """The raw score bounded to the item's range, negated for deductions; missing counts 0."""
    bounded = raw.clip(0.0, item.max_points)
    signed = -bounded if item.type == "deduction" else bounded
    return signed.fill_null(0.0)


def eligible_expr(cs: CompiledScheme) -> pl.Expr:
    if not cs.eligibility:
        return pl.lit(True)
    return ~pl.any_horizontal([e.when.expr().fill_null(False) for e in cs.eligibility])


def veto_exprs(cs: CompiledScheme) -> dict[str, pl.Expr]:
    return {
        it.code: it.veto_when.expr().fill_null(False)
        for it in cs.items
        if it.type == "veto" and it.veto_when is not None
    }


def _vetoed(
    cs: CompiledScheme, triggers: dict[str, pl.Expr], kind: str, code: str | None
) -> pl.Expr | None:
    hits = [
        triggers[it.code]
        for it in cs.items
        if it.code in triggers and it.veto_scope == (kind, code)
    ]
    if not hits:
        return None
    return pl.any_horizontal(hits)


def score_frame(cs: CompiledScheme, frame: pl.DataFrame) -> pl.DataFrame:
    """The results table: employee, name, group, eligible, excluded_reason, total, grade, rank,
    group_rank, ``dim:<code>`` and ``item:<code>`` columns (and ``veto:<code>`` flags)."""
    group_present = frame.get_column("group").null_count() < frame.height
    veto_cols = [t.alias("veto:" + code) for code, t in veto_exprs(cs).items()]
    triggers = {code: pl.col("veto:" + code) for code in veto_exprs(cs)}
    lf = frame.lazy().with_columns(value_stage(cs, group_present) + veto_cols)
    normal_items = [it for it in cs.items if it.type != "veto"]
    raws = [
        item_parts(cs, it, group_present)["raw"].alias(part_column(it, "raw"))
        for it in normal_items
    ]
    lf = lf.with_columns(raws)
    # Bounded and signed in a stage of its own, so rounding reads a column, not an expression.
    lf = lf.with_columns(
        [
            signed_from_raw(it, pl.col(part_column(it, "raw"))).alias(part_column(it, "signed"))
            for it in normal_items
        ]
    )
    item_cols: list[pl.Expr] = []
    for it in normal_items:
        sc = round_half_away_expr(pl.col(part_column(it, "signed")), 2)
        veto = _vetoed(cs, triggers, "item", it.code)
        if veto is not None:
            sc = pl.when(veto).then(pl.lit(0.0)).otherwise(sc)
        item_cols.append(sc.alias(ITEM + it.code))
    lf = lf.with_columns(item_cols)

    dim_cols: list[pl.Expr] = []
    for d in cs.dimensions:
        normal = [pl.col(ITEM + i.code) for i in d.items if i.type == "normal"]
        extra = [pl.col(ITEM + i.code) for i in d.items if i.type in ("bonus", "deduction")]
        base = pl.sum_horizontal(normal) if normal else pl.lit(0.0)
        if d.weight is not None:
            base = round_half_away_expr(base * cs.dimension_factor(d), 2)
        dim = base + (pl.sum_horizontal(extra) if extra else pl.lit(0.0))
        veto = _vetoed(cs, triggers, "dimension", d.code)
        if veto is not None:
            dim = pl.when(veto).then(pl.lit(0.0)).otherwise(dim)
        dim_cols.append(round_half_away_expr(dim, 2).alias(DIM + d.code))
    lf = lf.with_columns(dim_cols)

    total = pl.sum_horizontal([pl.col(DIM + d.code) for d in cs.dimensions]).clip(
        cs.min_score, cs.max_score
    )
    lf = lf.with_columns(total.alias("__total"))
    total = round_half_away_expr(pl.col("__total"), 2)
    veto_total = _vetoed(cs, triggers, "total", None)
    if veto_total is not None:
        total = pl.when(veto_total).then(pl.lit(0.0)).otherwise(total)
    reason: pl.Expr = pl.lit(None, dtype=pl.String)
    for e in reversed(cs.eligibility):
        reason = pl.when(e.when.expr().fill_null(False)).then(pl.lit(e.label)).otherwise(reason)
    lf = lf.with_columns(reason.alias("excluded_reason"))
    eligible = pl.col("excluded_reason").is_null()
    lf = lf.with_columns(eligible.alias("eligible"), pl.when(eligible).then(total).alias("total"))
    grade = band_expr(cs.grades, pl.col("total")) if cs.grades else pl.lit(None, dtype=pl.String)
    ties = cs.scheme.ranking.ties
    rank = pl.col("total").rank(method=ties, descending=True).cast(pl.Int32)
    group_col = cs.scheme.ranking.group_by
    if group_col and (group_col != "group" or group_present):
        # People without a group get no group rank (not a rank among the ungrouped).
        group_rank: pl.Expr = (
            pl.when(pl.col(group_col).is_not_null()).then(rank.over(group_col)).otherwise(None)
        )
    else:
        group_rank = pl.lit(None, dtype=pl.Int32)
    lf = lf.with_columns(
        grade.cast(pl.String).alias("grade"),
        rank.alias("rank"),
        group_rank.cast(pl.Int32).alias("group_rank"),
    )
    head = list(HEAD_COLUMNS)
    rest = [DIM + d.code for d in cs.dimensions] + [
        ITEM + i.code for i in cs.items if i.type != "veto"
    ]
    return lf.select(head + rest + [c.meta.output_name() for c in veto_cols]).collect()
