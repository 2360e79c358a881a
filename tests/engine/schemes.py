"""Small scheme dicts for engine tests, fed to ``jixiao.engine.parse_scheme``."""

from __future__ import annotations

from typing import Any

import polars as pl

from jixiao.engine import ScoreResult, parse_scheme, score


def one_item(
    rule: dict[str, Any] | None,
    points: float = 10,
    *,
    code: str = "x",
    metrics: dict[str, Any] | None = None,
    targets: dict[str, Any] | None = None,
    extra_items: list[dict[str, Any]] | None = None,
    **item_kw: Any,
) -> dict[str, Any]:
    """A scheme with one dimension ``d`` holding item ``code`` (full score = ``points``).

    The item reads the input named like the item unless ``value=`` is given.
    """
    item: dict[str, Any] = {"code": code, "name": "考核项", "points": points, **item_kw}
    if rule is not None:
        item["rule"] = rule
    return {
        "code": "t",
        "name": "测试方案",
        "full_score": points,
        "metrics": metrics if metrics is not None else {code: {"name": "指标"}},
        "targets": targets or {},
        "dimensions": [{"code": "d", "name": "维度", "items": [item, *(extra_items or [])]}],
    }


def frame(**cols: list[Any]) -> pl.DataFrame:
    """A data frame with an ``employee`` column E1..En and Float64 metric columns."""
    n = len(next(iter(cols.values())))
    data: dict[str, pl.Series] = {
        "employee": pl.Series("employee", [f"E{i + 1}" for i in range(n)], dtype=pl.String)
    }
    for k, v in cols.items():
        dtype = pl.String if any(isinstance(x, str) for x in v) else pl.Float64
        data[k] = pl.Series(k, v, dtype=dtype)
    return pl.DataFrame(data)


def run(doc: dict[str, Any], data: pl.DataFrame, **kw: Any) -> ScoreResult:
    return score(parse_scheme(doc), data, **kw)


def item_scores(result: ScoreResult, code: str = "x") -> list[float]:
    return result.table.get_column(f"item:{code}").to_list()


def traces(result: ScoreResult, code: str = "x", lang: str = "zh") -> list[str]:
    return result.traces(lang).get_column(code).to_list()


def score_values(rule: dict[str, Any], values: list[float | None], points: float = 10, **kw: Any):
    """Score item ``x`` for one employee per value; returns the item scores."""
    return item_scores(run(one_item(rule, points, **kw), frame(x=values)))
