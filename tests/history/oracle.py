"""A per-person, row-by-row evaluator of policy rules: the slow and obvious reading of
docs/history.md that the vectorised evaluator is compared with (tests/history/test_properties.py)
and that bench/history_bench.py uses as its baseline."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Any

from jixiao.history import (
    APPRAISED,
    ITEM_PREFIX,
    Count,
    Current,
    History,
    InOrder,
    Policy,
    Streak,
    Test,
    Threshold,
    format_period,
)

_COL = {"total": "total", "rank": "place", "group_rank": "group_place", "grade": "grade"}


def _value(row: dict[str, Any], field: str, item: str | None) -> Any:
    return row[ITEM_PREFIX + str(item)] if field == "item" else row[_COL[field]]


def met(t: Test, row: dict[str, Any]) -> bool:
    if t.all is not None:
        return all(met(x, row) for x in t.all)
    if t.any is not None:
        return any(met(x, row) for x in t.any)
    if row["status"] != APPRAISED:
        return False
    assert t.field is not None
    v = _value(row, t.field, t.item)
    if v is None:
        return False
    ops = {
        "lt": operator.lt,
        "lte": operator.le,
        "gt": operator.gt,
        "gte": operator.ge,
        "eq": operator.eq,
        "ne": operator.ne,
        "in_": lambda a, b: a in b,
        "not_in": lambda a, b: a not in b,
    }
    return all(ops[key](v, bound) for key, bound in t.bounds().items())


def _people(history: History) -> Iterator[list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    for row in history.frame.iter_rows(named=True):
        if rows and rows[-1]["employee"] != row["employee"]:
            yield rows
            rows = []
        rows.append(row)
    if rows:
        yield rows


def oracle(history: History, policy: Policy, month: int) -> set[tuple[str, str, tuple[str, ...]]]:
    """(rule code, employee, months listed in the trace) for every rule firing at ``month``."""
    out = set()
    for person in _people(history):
        rows = []
        for r in person:
            if r["month"] > month:
                continue
            r = dict(r)
            if policy.schemes and r["status"] == APPRAISED and r["scheme"] not in policy.schemes:
                r["status"] = "not_appraised"
            rows.append(r)
        if rows[-1]["month"] != month or rows[-1]["status"] != APPRAISED:
            continue
        for rule in policy.rules:
            skipped = (rule.gaps or policy.gaps).skipped()
            seq = [r for r in rows if r["status"] not in skipped]
            listed = _fires(rule.when, seq)
            if listed is not None:
                out.add(
                    (
                        rule.code,
                        rows[-1]["employee"],
                        tuple(format_period(r["month"]) for r in listed),
                    )
                )
    return out


def _fires(c: Any, seq: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    if isinstance(c, Current):
        return seq[-1:] if met(c.test, seq[-1]) else None
    if isinstance(c, Streak):
        length = 0
        for r in reversed(seq):
            if not met(c.test, r):
                break
            length += 1
        n = c.periods
        ok = {
            "first": length == n,
            "every": length >= n,
            "multiple": length >= n and length % n == 0,
        }
        return seq[len(seq) - length :] if ok[c.repeat] else None
    if isinstance(c, Count):
        window = seq[-c.periods :]
        hits = [r for r in window if met(c.test, r)]
        return hits if len(hits) >= c.at_least else None
    if isinstance(c, InOrder):
        window = seq[-len(c.tests) :]
        if len(window) == len(c.tests) and all(
            met(t, r) for t, r in zip(c.tests, window, strict=True)
        ):
            return window
        return None
    assert isinstance(c, Threshold)
    window = seq[-c.periods :]
    values = [_value(r, c.field, c.item) if r["status"] == APPRAISED else None for r in window]
    if len(window) < c.periods or any(v is None for v in values):
        return None
    nums = [float(v) for v in values if v is not None]
    agg = {
        "mean": sum(nums) / len(nums),
        "min": min(nums),
        "max": max(nums),
        "sum": sum(nums),
    }[c.aggregate]
    bounds = {"lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge}
    within = all(f(agg, getattr(c, k)) for k, f in bounds.items() if getattr(c, k) is not None)
    return window if within else None
