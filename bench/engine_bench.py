"""Scoring engine benchmark: N employees × 30 items mixing every rule kind.

Measures, in one run:
* jixiao: scoring + grading + ranking (``score``), and traces for every item (``traces``);
* a bare Polars expression for the same arithmetic (the floor any engine pays);
* a straightforward pandas row-by-row implementation of the same scheme (the baseline).

``JIXIAO_BENCH_EMPLOYEES`` sets N (default 100000). ``JIXIAO_BENCH_BASELINE_ROWS`` runs the
pandas baseline on fewer rows and scales its time linearly (printed as such); by default it
runs on all N rows.
"""

from __future__ import annotations

import math
import os
import time

import numpy as np
import pandas as pd
import polars as pl

from bench._measure import peak_rss_mb, timed
from jixiao.engine import ScoreResult, parse_scheme, score

N_ITEMS = 30


def build_scheme() -> dict:
    items: list[dict] = []
    kinds = (
        ["ratio"] * 6
        + ["linear"] * 4
        + ["tiers"] * 6
        + ["per_occurrence"] * 4
        + ["step"] * 3
        + ["rank"] * 2
        + ["rating"] * 3
        + ["formula"] * 2
    )
    for i, kind in enumerate(kinds):
        code, m = f"i{i:02d}", f"m{i:02d}"
        rule: dict
        if kind == "ratio":
            rule = {"kind": "ratio", "target": "tgt", "cap": 1.2, "floor": 0.3}
        elif kind == "linear":
            rule = {"kind": "linear", "from": {"value": 20}, "to": {"value": 80}}
        elif kind == "tiers":
            rule = {
                "kind": "tiers",
                "bands": [
                    {"lt": 25, "score": 0},
                    {"gte": 25, "lt": 50, "score": 1},
                    {"gte": 50, "lt": 75, "score": 2},
                    {"gte": 75, "score": 3},
                ],
            }
        elif kind == "per_occurrence":
            rule = {"kind": "per_occurrence", "per": 0.5, "free": 2}
        elif kind == "step":
            rule = {"kind": "step", "target": 90, "step": 10, "per": 1}
        elif kind == "rank":
            rule = {
                "kind": "rank",
                "scores": [{"rank": 1, "score": 3}, {"rank": 2, "score": 2}],
                "otherwise": 1,
            }
        elif kind == "rating":
            rule = {
                "kind": "rating",
                "raters": {"self": 0.3, "peer": 0.5, "manager": 0.2},
                "scale": 100,
            }
        else:
            rule = {"kind": "formula", "score": f"min({m} / 20, 3)"}
        value = f"{m} / 100 * tgt" if kind == "ratio" else m
        items.append({"code": code, "name": f"指标{i}", "points": 3, "value": value, "rule": rule})
    for it in items:
        if it["rule"]["kind"] in ("rating", "formula"):
            it.pop("value")
    items.append(
        {"code": "veto", "name": "致命错误", "type": "veto", "when": "fatal >= 1", "scope": "total"}
    )
    metrics = {f"m{i:02d}": {} for i in range(N_ITEMS)} | {"fatal": {}, "absent": {}}
    return {
        "code": "bench",
        "name": "基准",
        "full_score": 90,
        "metrics": metrics,
        "targets": {"tgt": {"default": 1000}},
        "eligibility": [{"when": "absent > 20", "label": "缺勤超过20天"}],
        "dimensions": [
            {"code": "a", "name": "业绩", "items": items[:15]},
            {"code": "b", "name": "能力", "items": items[15:]},
        ],
        "grades": [
            {"grade": "A", "gte": 80},
            {"grade": "B", "gte": 60, "lt": 80},
            {"grade": "C", "lt": 60},
        ],
    }


def build_data(n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {
        "employee": [f"E{i:06d}" for i in range(n)],
        "group": rng.choice(["一组", "二组", "三组", "四组"], n).tolist(),
    }
    for i in range(N_ITEMS):
        cols[f"m{i:02d}"] = rng.uniform(0, 100, n).round(1)
    cols["fatal"] = (rng.uniform(0, 1, n) < 0.01).astype(float)
    cols["absent"] = rng.integers(0, 23, n).astype(float)
    for i in (25, 26, 27):  # the rating items
        for role in ("self", "peer", "manager"):
            vals = rng.uniform(50, 100, n).round(0)
            vals[rng.uniform(0, 1, n) < 0.05] = np.nan
            cols[f"i{i:02d}:{role}"] = vals
    return pl.DataFrame(cols).fill_nan(None)


# --- baseline: a straightforward pandas, row-by-row implementation ---------------------------


def _r2(x: float) -> float:
    return math.floor(abs(x) * 100 + 0.5 + 1e-9) / 100 * (1 if x >= 0 else -1)


def pandas_baseline(df: pd.DataFrame, doc: dict) -> pd.DataFrame:
    items = [it for d in doc["dimensions"] for it in d["items"] if it.get("type") != "veto"]
    ranks = {}
    for it in items:
        if it["rule"]["kind"] == "rank":
            m = it["value"]
            eligible = df[m].where(df["absent"] <= 20)
            ranks[it["code"]] = eligible.groupby(df["group"]).rank(method="min", ascending=False)
    out_rows = []
    for idx, row in df.iterrows():
        scores = {}
        for it in items:
            rule, pts = it["rule"], it["points"]
            kind = rule["kind"]
            v = row[it["value"].split(" ")[0]] if "value" in it else None
            if kind == "ratio":
                r = (v / 100 * 1000) / 1000
                s = 0.0 if r < 0.3 else pts * min(max(r, 0), 1.2)
            elif kind == "linear":
                s = min(max((v - 20) / 60 * pts, 0), pts)
            elif kind == "tiers":
                s = 0 if v < 25 else 1 if v < 50 else 2 if v < 75 else 3
            elif kind == "per_occurrence":
                s = pts - min(max(v - 2, 0) * 0.5, pts)
            elif kind == "step":
                s = pts - math.floor(max(90 - v, 0) / 10) * 1
            elif kind == "rank":
                rk = ranks[it["code"]][idx]
                s = 0 if pd.isna(rk) else 3 if rk == 1 else 2 if rk == 2 else 1
            elif kind == "rating":
                num = den = 0.0
                for role, w in rule["raters"].items():
                    x = row[f"{it['code']}:{role}"]
                    if not pd.isna(x):
                        num += x * w
                        den += w
                s = num / den * pts / 100 if den else 0.0
            else:
                s = min(row[f"m{int(it['code'][1:]):02d}"] / 20, 3)
            scores[it["code"]] = _r2(min(max(s, 0), pts))
        total = _r2(sum(scores.values()))
        if row["fatal"] >= 1:
            total = 0.0
        eligible = not row["absent"] > 20
        grade = None if not eligible else "A" if total >= 80 else "B" if total >= 60 else "C"
        out_rows.append(
            {
                "employee": row["employee"],
                "total": total if eligible else None,
                "grade": grade,
                **scores,
            }
        )
    res = pd.DataFrame(out_rows)
    res["rank"] = res["total"].rank(method="min", ascending=False)
    return res


def main() -> None:
    n = int(os.environ.get("JIXIAO_BENCH_EMPLOYEES", "100000"))
    base_rows = int(os.environ.get("JIXIAO_BENCH_BASELINE_ROWS", str(n)))
    doc = build_scheme()
    scheme = parse_scheme(doc)
    data = build_data(n)
    print(f"{n} employees × {N_ITEMS} items ({n * N_ITEMS:,} item scores)")

    score(scheme, data.head(100))  # warm-up: compile paths, thread pool
    t_score, result = timed(lambda: score(scheme, data), repeat=7)
    # A fresh result object each time, so that cached traces are not re-used.
    t_trace, traces = timed(
        lambda: ScoreResult(result.scheme, result.frame, result.table).traces("zh")
    )
    assert traces.height == n

    # A bare Polars expression doing the same arithmetic, without the engine.
    def bare() -> pl.DataFrame:
        exprs = []
        for i in range(N_ITEMS):
            exprs.append((pl.col(f"m{i:02d}") / 100 * 3).clip(0, 3).round(2).alias(f"s{i}"))
        return (
            data.lazy()
            .with_columns(exprs)
            .with_columns(pl.sum_horizontal([f"s{i}" for i in range(N_ITEMS)]).alias("total"))
            .with_columns(pl.col("total").rank("min", descending=True).alias("rank"))
            .collect()
        )

    t_bare, _ = timed(bare, repeat=7)

    pdf = pd.DataFrame(data.head(base_rows).to_dict(as_series=False))
    t0 = time.perf_counter()
    base = pandas_baseline(pdf, doc)
    t_base = (time.perf_counter() - t0) * (n / base_rows)
    # Same scheme, same numbers: the baseline must agree with the engine on the totals it scored.
    mine = result.table.head(base_rows).get_column("total").to_list()
    theirs = [None if pd.isna(x) else float(x) for x in base["total"].tolist()]
    agree = sum(
        1
        for a, b in zip(mine, theirs, strict=True)
        if a == b or (a is not None and b is not None and abs(a - b) < 0.011)
    )

    scaled = "" if base_rows == n else f" (measured on {base_rows} rows, scaled ×{n / base_rows:g})"
    print(f"score+grade+rank : {t_score:8.3f} s   (target ≤ 0.3 s)")
    print(f"traces, all items: {t_trace:8.3f} s   (target ≤ 3 s, {n * (N_ITEMS + 1):,} sentences)")
    print(f"bare polars expr : {t_bare:8.3f} s   (engine overhead ×{t_score / t_bare:.1f})")
    print(f"pandas row-by-row: {t_base:8.3f} s{scaled}")
    print(f"speed-up vs pandas baseline: ×{t_base / t_score:.0f}   (target ≥ 100×)")
    print(f"baseline totals agreeing with the engine: {agree}/{len(mine)}")
    print(f"peak RSS: {peak_rss_mb():.0f} MiB")
