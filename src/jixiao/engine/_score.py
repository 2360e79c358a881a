"""Vectorised scoring: one Polars query scores, grades and ranks a whole population.

The same query keeps every rule's intermediate numbers (targets, ratios, bands, ranks,
ratings) as columns, and traces are built from those columns (:mod:`._trace`): each number
is computed once, so the number in a trace is the number that was scored.

Rounding (documented in docs/scheme-format.md): every item score is rounded to 2 decimals,
half away from zero; a dimension is the sum of its rounded item scores (weighted dimensions:
the rounded weighted contribution plus its bonus / deduction items); the total is the sum of
the dimensions, clamped to ``min_score``..``max_score``, rounded again. So the numbers a person
sees always add up.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jixiao.engine._compile import CItem, CompiledScheme
from jixiao.engine.kinds import VectorContext
from jixiao.engine.kinds._base import NULL
from jixiao.formula import band_expr, round_half_away_expr

__all__ = ["DIM", "HEAD_COLUMNS", "ITEM", "Evaluation", "evaluate"]

ITEM = "item:"
DIM = "dim:"
VETO = "veto:"
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
ELIGIBLE = "__eligible"
SUM = "__sum"  # the dimensions added up, before min_score / max_score
_VALUE = "__v:"
_PLAIN = "__pv:"
_PART = "__p:"


def part_column(item: CItem, key: str) -> str:
    return f"{_PART}{item.code}:{key}"


@dataclass(frozen=True)
class Evaluation:
    """The results table and, row for row, every rule's intermediate columns."""

    table: pl.DataFrame
    parts: pl.DataFrame  # ``__eligible``, ``__sum`` and ``part_column(item, key)`` columns
    keys: dict[str, tuple[str, ...]]  # item code -> its part keys (``raw``, ``value``, ...)


def scored_items(cs: CompiledScheme) -> list[CItem]:
    return [it for it in cs.items if it.type != "veto" and it.rule is not None]


def group_present(frame: pl.DataFrame) -> bool:
    return frame.get_column("group").null_count() < frame.height


def _context(item: CItem, present: bool) -> VectorContext:
    return VectorContext(
        item=item.code,
        group_present=present,
        eligible=pl.col(ELIGIBLE),
        plain_value=pl.col(_PLAIN + item.code),
    )


def _value_stages(cs: CompiledScheme, present: bool) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """Every item's value as a column; a kind may mask it (ranks skip people not appraised),
    keeping the plain value too so its trace can say why."""
    plain, masked = [], []
    for it in scored_items(cs):
        assert it.rule is not None
        v = pl.lit(None, dtype=pl.Float64) if it.value is None else it.value.expr()
        mask = it.rule.value_mask(_context(it, present))
        if mask is None:
            plain.append(v.alias(_VALUE + it.code))
        else:
            plain.append(v.alias(_PLAIN + it.code))
            masked.append(pl.when(mask).then(pl.col(_PLAIN + it.code)).alias(_VALUE + it.code))
    return plain, masked


def _raw(item: CItem, keys: tuple[str, ...]) -> pl.Expr:
    """The raw score from the part columns.

    Expressions are built on column references, never on nested copies of other expressions,
    so each stays small and is computed once: nesting copies grows trees exponentially and
    Polars' planning with it.
    """
    assert item.rule is not None
    p = {k: pl.col(part_column(item, k)) for k in keys}
    raw = item.rule.raw(p)
    if item.rule.uses_value:
        # A missing value is a missing score, whatever a rule's own when/otherwise would say.
        raw = pl.when(p["value"].is_null()).then(NULL).otherwise(raw)
    return raw


def _signed(item: CItem, raw: pl.Expr) -> pl.Expr:
    """The raw score bounded to the item's range, negated for deductions; missing counts 0."""
    bounded = raw.clip(0.0, item.max_points)
    signed = -bounded if item.type == "deduction" else bounded
    return signed.fill_null(0.0)


def vetoers(cs: CompiledScheme, kind: str, code: str | None) -> list[CItem]:
    """The veto items whose scope is (``kind``, ``code``)."""
    return [it for it in cs.items if it.veto_when is not None and it.veto_scope == (kind, code)]


def _vetoed(cs: CompiledScheme, kind: str, code: str | None, expr: pl.Expr) -> pl.Expr:
    hits = [pl.col(VETO + it.code) for it in vetoers(cs, kind, code)]
    if not hits:
        return expr
    return pl.when(pl.any_horizontal(hits)).then(pl.lit(0.0)).otherwise(expr)


def _head_stage(cs: CompiledScheme) -> list[pl.Expr]:
    reason: pl.Expr = pl.lit(None, dtype=pl.String)
    for e in reversed(cs.eligibility):
        reason = pl.when(e.when.expr().fill_null(False)).then(pl.lit(e.label)).otherwise(reason)
    vetoes = [
        it.veto_when.expr().fill_null(False).alias(VETO + it.code)
        for it in cs.items
        if it.type == "veto" and it.veto_when is not None
    ]
    return [reason.alias("excluded_reason"), *vetoes]


def _total_stages(cs: CompiledScheme, present: bool) -> list[list[pl.Expr]]:
    dim_cols: list[pl.Expr] = []
    for d in cs.dimensions:
        normal = [pl.col(ITEM + i.code) for i in d.items if i.type == "normal"]
        extra = [pl.col(ITEM + i.code) for i in d.items if i.type in ("bonus", "deduction")]
        base = pl.sum_horizontal(normal) if normal else pl.lit(0.0)
        if d.weight is not None:
            base = round_half_away_expr(base * cs.dimension_factor(d), 2)
        dim = base + (pl.sum_horizontal(extra) if extra else pl.lit(0.0))
        dim = _vetoed(cs, "dimension", d.code, dim)
        dim_cols.append(round_half_away_expr(dim, 2).alias(DIM + d.code))
    summed = pl.sum_horizontal([pl.col(DIM + d.code) for d in cs.dimensions])
    total = round_half_away_expr(pl.col("__total"), 2)
    total = _vetoed(cs, "total", None, total)
    eligible = pl.col(ELIGIBLE)
    grade = band_expr(cs.grades, pl.col("total")) if cs.grades else pl.lit(None, dtype=pl.String)
    rank = pl.col("total").rank(method=cs.scheme.ranking.ties, descending=True).cast(pl.Int32)
    group_col = cs.scheme.ranking.group_by
    if group_col and (group_col != "group" or present):
        # People without a group get no group rank (not a rank among the ungrouped).
        group_rank: pl.Expr = (
            pl.when(pl.col(group_col).is_not_null()).then(rank.over(group_col)).otherwise(None)
        )
    else:
        group_rank = pl.lit(None, dtype=pl.Int32)
    return [
        dim_cols,
        [summed.alias(SUM)],
        [pl.col(SUM).clip(cs.min_score, cs.max_score).alias("__total")],
        [pl.when(eligible).then(total).alias("total")],
        [
            grade.cast(pl.String).alias("grade"),
            rank.alias("rank"),
            group_rank.cast(pl.Int32).alias("group_rank"),
        ],
    ]


def evaluate(cs: CompiledScheme, frame: pl.DataFrame) -> Evaluation:
    """Score a prepared frame: the results table (employee, name, group, eligible,
    excluded_reason, total, grade, rank, group_rank, ``dim:<code>``, ``item:<code>``,
    ``veto:<code>``) and every rule's intermediate columns, in one query."""
    lf, table_cols, part_cols, keys = query(cs, frame)
    wide = lf.collect()
    return Evaluation(wide.select(table_cols), wide.select(part_cols), keys)


def query(
    cs: CompiledScheme, frame: pl.DataFrame
) -> tuple[pl.LazyFrame, list[str], list[str], dict[str, tuple[str, ...]]]:
    """The scoring query, its table columns, its part columns and each item's part keys."""
    present = group_present(frame)
    items = scored_items(cs)
    plain, masked = _value_stages(cs, present)
    lf = frame.lazy().with_columns(_head_stage(cs))
    lf = lf.with_columns(pl.col("excluded_reason").is_null().alias(ELIGIBLE), *plain)
    if masked:
        lf = lf.with_columns(masked)
    keys: dict[str, tuple[str, ...]] = {}
    part_exprs = []
    for it in items:
        assert it.rule is not None
        parts = it.rule.parts(pl.col(_VALUE + it.code), _context(it, present))
        keys[it.code] = (*parts, "value", "raw")
        part_exprs += [e.alias(part_column(it, k)) for k, e in parts.items()]
        part_exprs.append(pl.col(_VALUE + it.code).alias(part_column(it, "value")))
    lf = lf.with_columns(part_exprs)
    lf = lf.with_columns(_raw(it, keys[it.code][:-1]).alias(part_column(it, "raw")) for it in items)
    # Bounded and signed in a stage of its own, so rounding reads a column, not an expression.
    lf = lf.with_columns(
        _signed(it, pl.col(part_column(it, "raw"))).alias("__s:" + it.code) for it in items
    )
    lf = lf.with_columns(
        _vetoed(cs, "item", it.code, round_half_away_expr(pl.col("__s:" + it.code), 2)).alias(
            ITEM + it.code
        )
        for it in items
    )
    for stage in _total_stages(cs, present):
        lf = lf.with_columns(stage)
    lf = lf.with_columns(pl.col(ELIGIBLE).alias("eligible"))
    veto_cols = [VETO + it.code for it in cs.items if it.type == "veto" and it.veto_when]
    table_cols = [
        *HEAD_COLUMNS,
        *(DIM + d.code for d in cs.dimensions),
        *(ITEM + it.code for it in cs.items if it.type != "veto"),
        *veto_cols,
    ]
    part_cols = [ELIGIBLE, SUM] + [part_column(it, k) for it in items for k in keys[it.code]]
    return lf.select(*table_cols, *part_cols), table_cols, part_cols, keys
