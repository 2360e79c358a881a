"""Evaluating a policy's rules over a history, vectorised over all people at once.

The frame is sorted by person then month, so every per-person sequence is a run of rows and
streaks, counts and windows are running sums over whole columns: no loop over people. Skipped
gap months are filtered out first (per set of skipped statuses), so "the last N months" means
the last N counted months. A rule fires only for people with a result in the month evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

import polars as pl

from jixiao.errors import Issue
from jixiao.history._errors import HistoryError, PolicyError
from jixiao.history._history import APPRAISED, ITEM_PREFIX, History
from jixiao.history._period import parse_period
from jixiao.history._policy import (
    Count,
    Current,
    InOrder,
    Policy,
    PolicyRule,
    Streak,
    Test,
    Threshold,
)

__all__ = ["Fired", "as_of_month", "condition_stages", "fired_rows", "test_expr", "window_expr"]

_COLUMN = {"total": "total", "rank": "place", "group_rank": "group_place", "grade": "grade"}


def column_of(field: str, item: str | None) -> str:
    return ITEM_PREFIX + str(item) if field == "item" else _COLUMN[field]


def test_expr(t: Test) -> pl.Expr:
    """The test on one row; a gap row never meets a test, and a missing value is not met."""
    if t.all or t.any:
        parts = [test_expr(x) for x in (t.all or t.any or [])]
        return reduce(lambda a, b: a & b, parts) if t.all else reduce(lambda a, b: a | b, parts)
    assert t.field is not None
    col = pl.col(column_of(t.field, t.item))
    parts = []
    ops = {"lt": col.__lt__, "lte": col.__le__, "gt": col.__gt__, "gte": col.__ge__}
    for key, value in t.bounds().items():
        if key in ops:
            parts.append(ops[key](value))
        elif key == "eq":
            parts.append(col == value)
        elif key == "ne":
            parts.append(col != value)
        elif key == "in_":
            parts.append(col.is_in(value))
        else:  # not_in
            parts.append(~col.is_in(value))
    met = reduce(lambda a, b: a & b, parts).fill_null(False)
    return met & (pl.col("status") == APPRAISED)


def _tests(rule: PolicyRule) -> Iterable[tuple[str, Test]]:
    c = rule.when
    if isinstance(c, InOrder):
        stack = [(f"when.tests[{i}]", t) for i, t in enumerate(c.tests)]
    else:
        stack = [] if isinstance(c, Threshold) else [("when.test", c.test)]
    while stack:
        path, t = stack.pop()
        yield path, t
        for sub in t.all or t.any or []:
            stack.append((path, sub))


def columns_used(rule: PolicyRule) -> set[str]:
    if isinstance(rule.when, Threshold):
        return {column_of(rule.when.field, rule.when.item)}
    return {column_of(t.field, t.item) for _, t in _tests(rule) if t.field is not None}


def check_against(history: History, policy: Policy) -> None:
    """Refuse rules naming an item the history does not have (they could never fire)."""
    issues = []
    for rule in policy.rules:
        wanted = [(p, t.item) for p, t in _tests(rule) if t.field == "item"]
        if isinstance(rule.when, Threshold) and rule.when.field == "item":
            wanted.append(("when.item", rule.when.item))
        for path, item in wanted:
            if item not in history.items:
                have = "、".join(history.items) or "（没有考核项列）"
                issues.append(
                    Issue(
                        "error",
                        f"rules.{rule.code}.{path}",
                        f"历史数据里没有考核项 {item}；已有：{have}",
                        f"the history has no item {item}",
                    )
                )
    if issues:
        raise PolicyError(issues, source=policy.code)


def as_of_month(history: History, as_of: str | None) -> int:
    if as_of is None:
        return history.last_month
    try:
        month = parse_period(as_of)
    except ValueError as exc:
        raise HistoryError(str(exc), f"{as_of!r} should be year-month, e.g. 2026-09") from None
    if not history.first_month <= month <= history.last_month:
        raise HistoryError(
            f"评估月 {as_of} 不在历史数据的范围内（{history.periods[0]} 至 {history.periods[-1]}）",
            f"{as_of} is outside the history ({history.periods[0]} to {history.periods[-1]})",
        )
    return month


def scoped_frame(history: History, policy: Policy, month: int, columns: set[str]) -> pl.DataFrame:
    """The months up to ``month``, only the columns the rules read; a result under a scheme
    outside ``policy.schemes`` is a ``not_appraised`` month for this policy."""
    wanted = ["person", "month", "status", *sorted(columns)]
    if policy.schemes:
        wanted.append("scheme")
    frame = history.frame.select(wanted)
    if month < history.last_month:
        frame = frame.filter(pl.col("month") <= month)
    if policy.schemes:
        other = (pl.col("status") == APPRAISED) & ~pl.col("scheme").is_in(policy.schemes).fill_null(
            False
        )
        frame = frame.with_columns(
            pl.when(other)
            .then(pl.lit("not_appraised", dtype=frame.schema["status"]))
            .otherwise(pl.col("status"))
            .alias("status")
        )
    return frame


def counted_frame(frame: pl.LazyFrame, skipped: tuple[str, ...]) -> pl.LazyFrame:
    """The counted months; ``_new`` marks a person's first counted row and ``_pos`` counts the
    person's earlier counted rows. Row numbers where a person starts only grow, so a running
    maximum carries each person's first row down (no fill)."""
    if skipped:
        frame = frame.filter(~pl.col("status").is_in(skipped))
    new = (pl.col("person") != pl.col("person").shift(1)).fill_null(True)
    row = pl.int_range(pl.len(), dtype=pl.Int32)
    return frame.with_columns(new.alias("_new")).with_columns(
        (row - (row * pl.col("_new").cast(pl.Int32)).cum_max()).alias("_pos")
    )


Stages = list[list[pl.Expr]]


def condition_stages(rule: PolicyRule, i: int) -> Stages:
    """Columns computed in order (each stage may use the columns of the earlier ones; Polars
    would otherwise recompute shared sub-expressions): the last stage makes ``_fire{i}``
    (whether the rule's condition holds at each counted row) and ``_detail{i}`` (the streak
    length, count or aggregate behind it; the window size otherwise)."""
    c = rule.when
    fire_col, detail_col = f"_fire{i}", f"_detail{i}"
    pos = pl.col("_pos")
    if isinstance(c, Threshold):
        # A month under another scheme keeps its total in the frame but is not a result here.
        col = pl.when(pl.col("status") == APPRAISED).then(
            pl.col(column_of(c.field, c.item)).cast(pl.Float64)
        )
        n = c.periods
        agg = {
            "mean": col.rolling_mean(n),
            "min": col.rolling_min(n),
            "max": col.rolling_max(n),
            "sum": col.rolling_sum(n),
        }[c.aggregate]
        a = pl.col(detail_col)
        ops = {"lt": a.__lt__, "lte": a.__le__, "gt": a.__gt__, "gte": a.__ge__}
        checks = [ops[k](getattr(c, k)) for k in ops if getattr(c, k) is not None]
        fire = reduce(lambda x, y: x & y, checks).fill_null(False) & (pos >= n - 1)
        return [[agg.alias(detail_col)], [fire.alias(fire_col)]]
    if isinstance(c, InOrder):
        k = len(c.tests)
        names = [f"_t{i}_{j}" for j in range(k)]
        tests = [test_expr(t).alias(name) for t, name in zip(c.tests, names, strict=True)]
        parts = [pl.col(name).shift(k - 1 - j) for j, name in enumerate(names)]
        fire = reduce(lambda x, y: x & y, parts).fill_null(False) & (pos >= k - 1)
        return [tests, [fire.alias(fire_col), pl.lit(float(k)).alias(detail_col)]]
    if isinstance(c, Current):
        return [[test_expr(c.test).alias(fire_col), pl.lit(1.0).alias(detail_col)]]
    pi, cs = pl.col(f"_pi{i}"), pl.col(f"_cs{i}")
    first: Stages = [
        [test_expr(c.test).cast(pl.Int32).alias(f"_pi{i}")],
        [pi.cum_sum().alias(f"_cs{i}")],
    ]
    new = pl.col("_new").cast(pl.Int32)
    if isinstance(c, Streak):
        # The count of met rows before the latest reset (a row not met, or a person's first
        # row) only grows along the column, so a running maximum finds it for every row.
        reset = ((pi == 0) | pl.col("_new")).cast(pl.Int32)
        length = pl.col(detail_col)
        n = c.periods
        fire = {
            "first": length == n,
            "every": length >= n,
            "multiple": (length >= n) & (length.cast(pl.Int32) % n == 0),
        }[c.repeat]
        return [
            *first,
            [(cs - ((cs - pi) * reset).cum_max()).cast(pl.Float64).alias(detail_col)],
            [fire.alias(fire_col)],
        ]
    assert isinstance(c, Count)
    lower = pl.max_horizontal(cs.shift(c.periods).fill_null(0), ((cs - pi) * new).cum_max())
    count = pl.col(detail_col)
    return [
        *first,
        [(cs - lower).cast(pl.Float64).alias(detail_col)],
        [(count >= c.at_least).alias(fire_col)],
    ]


def lookback(rule: PolicyRule) -> int | None:
    """How many months back (the month evaluated included) a rule can look when no month is
    skipped; ``None``: the whole history (a streak that pays again every N months)."""
    c = rule.when
    if isinstance(c, Streak):
        return c.periods + 1 if c.repeat == "first" else None
    if isinstance(c, InOrder):
        return len(c.tests)
    if isinstance(c, Current):
        return 1
    return c.periods


def window_expr(rule: PolicyRule) -> pl.Expr:
    """How many counted months, ending at the month evaluated, the condition rests on."""
    c = rule.when
    if isinstance(c, Streak):
        return pl.col("_detail").cast(pl.Int64)
    if isinstance(c, InOrder):
        return pl.lit(len(c.tests), dtype=pl.Int64)
    if isinstance(c, Current):
        return pl.lit(1, dtype=pl.Int64)
    return pl.lit(c.periods, dtype=pl.Int64)


@dataclass(frozen=True, slots=True)
class Fired:
    """The people a rule fires for in the month evaluated (``person``, ``_detail``), and the
    counted frame it was evaluated on (with the rule's columns: ``_pi{index}`` is 1 where the
    test is met, for streaks and counts)."""

    index: int

    rule: PolicyRule
    skipped: tuple[str, ...]
    people: pl.DataFrame
    counted: pl.DataFrame


def fired_rows(history: History, policy: Policy, month: int) -> tuple[pl.DataFrame, list[Fired]]:
    """The scoped frame and, per rule, who it fires for at ``month``. Rules that skip the same
    gaps and look back as far are evaluated in one pass over the frame."""
    check_against(history, policy)
    used: set[str] = (
        set().union(*(columns_used(r) for r in policy.rules)) if policy.rules else set()
    )
    frame = scoped_frame(history, policy, month, used)
    groups: dict[tuple[tuple[str, ...], int | None], list[int]] = {}
    for i, rule in enumerate(policy.rules):
        skipped = (rule.gaps or policy.gaps).skipped()
        # With months skipped, N counted months may reach back any distance.
        back = None if skipped else lookback(rule)
        groups.setdefault((skipped, back), []).append(i)
    found: dict[int, Fired] = {}
    at_month = (pl.col("month") == month) & (pl.col("status") == APPRAISED)
    for (skipped, back), members in groups.items():
        base = frame.lazy() if back is None else frame.lazy().filter(pl.col("month") > month - back)
        plan = counted_frame(base, skipped)
        stages: Stages = []
        for i in members:
            for k, stage in enumerate(condition_stages(policy.rules[i], i)):
                if k == len(stages):
                    stages.append([])
                stages[k] += stage
        for stage in stages:
            plan = plan.with_columns(stage)
        counted = plan.collect()
        hits = counted.filter(at_month)
        for i in members:
            people = hits.filter(pl.col(f"_fire{i}")).select(
                "person", pl.col(f"_detail{i}").alias("_detail")
            )
            found[i] = Fired(i, policy.rules[i], skipped, people, counted)
    return frame, [found[i] for i in range(len(policy.rules))]
