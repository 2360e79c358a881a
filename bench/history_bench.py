"""History benchmark: every built-in consequence rule over 24 months × 100,000 people.

Target (issue 12): all built-in policies' rules evaluated, proposals and traces included, in
≤ 1 s. The baseline is the per-person oracle the tests compare with (tests/history/oracle.py),
run in the same process on the first ``JIXIAO_HISTORY_BENCH_BASELINE`` people (default 10,000)
and scaled linearly; its firings must equal the vectorised ones on those people. Set
``JIXIAO_HISTORY_BENCH_N`` to change the number of people (e.g. 2000 for a smoke test).
"""

from __future__ import annotations

import os
import subprocess
import time

import numpy as np
import polars as pl

from bench._measure import peak_rss_mb, python_peak_mb, timed
from jixiao.history import History, Policy, builtin_policies, evaluate, format_period, parse_period
from tests.history.oracle import oracle

MONTHS = 24
SCHEMES = [
    "ecommerce_staff_general",
    "taobao_cs",
    "planning_dept",
    "network_sales",
    "copywriter_c1",
    "ops_specialist_y1",
]


def build_frame(n: int, seed: int = 12) -> pl.DataFrame:
    """n people × 24 months: totals 40–100, 3 % leave, 2 % not appraised, grades per scheme,
    ranks (ties ranked max) and group ranks in groups of 20."""
    rng = np.random.default_rng(seed)
    first = parse_period("2025-01")
    people = np.array([f"E{i:06d}" for i in range(n)])
    cells = n * MONTHS
    roll = rng.random(cells)
    status = np.where(roll < 0.03, "leave", np.where(roll < 0.05, "not_appraised", "appraised"))
    frame = pl.DataFrame(
        {
            "employee": np.repeat(people, MONTHS),
            "period": np.tile(np.array([format_period(first + m) for m in range(MONTHS)]), n),
            "scheme": np.repeat(np.array(SCHEMES)[np.arange(n) % len(SCHEMES)], MONTHS),
            "group": np.repeat(np.array([f"G{i // 20}" for i in range(n)]), MONTHS),
            "status": status,
            "total": rng.integers(40, 101, cells).astype(float),
        }
    )
    total = pl.when(pl.col("status") == "appraised").then(pl.col("total"))
    grade = (
        pl.when(pl.col("scheme") == "planning_dept")
        .then(
            pl.when(total > 90)
            .then(pl.lit("优秀员工"))
            .when(total < 70)
            .then(pl.lit("差评员工"))
            .otherwise(pl.lit("普通员工"))
        )
        .when(pl.col("scheme") == "network_sales")
        .then(
            pl.when(total >= 90)
            .then(pl.lit("A"))
            .when(total >= 80)
            .then(pl.lit("B"))
            .when(total >= 70)
            .then(pl.lit("C"))
            .when(total >= 60)
            .then(pl.lit("D"))
            .otherwise(pl.lit("E"))
        )
        .otherwise(pl.when(total >= 60).then(pl.lit("合格")).otherwise(pl.lit("不合格")))
    )
    return frame.with_columns(total.alias("total")).with_columns(
        pl.when(total.is_not_null()).then(grade).alias("grade"),
        total.rank("max", descending=True).over(["period", "scheme"]).cast(pl.Int32).alias("rank"),
        total.rank("max", descending=True)
        .over(["period", "scheme", "group"])
        .cast(pl.Int32)
        .alias("group_rank"),
    )


def run_all(history: History, policies: list[Policy]) -> int:
    return sum(evaluate(history, p).table.height for p in policies)


def _load() -> str:
    try:
        return subprocess.run(
            ["uptime"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return "load: " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    n = int(os.environ.get("JIXIAO_HISTORY_BENCH_N", "100000"))
    n_base = min(n, int(os.environ.get("JIXIAO_HISTORY_BENCH_BASELINE", "10000")))
    policies = builtin_policies()
    n_rules = sum(len(p.rules) for p in policies)
    print(f"uptime before: {_load()}")
    frame = build_frame(n)
    t_build, history = timed(lambda: History.from_frame(frame))
    print(
        f"{n:,} people × {MONTHS} months ({frame.height:,} rows), {len(policies)} policies, {n_rules} rules"
    )

    run_all(history, policies)  # warm-up
    t_rules, n_props = timed(lambda: run_all(history, policies), repeat=5)
    # CPU time of all threads for one run: less sensitive than wall time to a loaded machine.
    c0 = time.process_time()
    run_all(history, policies)
    cpu_rules = time.process_time() - c0

    sample = History.from_frame(frame.head(n_base * MONTHS))
    t0 = time.perf_counter()
    expected = [oracle(sample, p, sample.last_month) for p in policies]
    t_base = (time.perf_counter() - t0) * (n / n_base)
    got = [
        {
            (x.rule, x.employee, x.periods)
            for x in evaluate(sample, p).proposals
            if x.source == "rule"
        }
        for p in policies
    ]
    agree = all(a == b for a, b in zip(got, expected, strict=True))

    scaled = "" if n_base == n else f" (measured on {n_base:,} people, scaled ×{n / n_base:g})"
    print(f"history frame build      : {t_build:8.3f} s   (densify, ties; not part of the target)")
    print(
        f"all built-in rules       : {t_rules:8.3f} s   (target ≤ 1 s; {n_props:,} proposals with traces)"
    )
    print(f"  CPU time, all threads  : {cpu_rules:8.3f} s   (one run)")
    print(f"per-person Python oracle : {t_base:8.3f} s{scaled}")
    print(f"ratio oracle / vectorised: ×{t_base / t_rules:.0f}")
    print(f"oracle firings equal to the vectorised ones on the sample: {agree}")
    print(
        f"Python heap peak, one run: {python_peak_mb(lambda: run_all(history, policies)):.2f} MiB (tracemalloc)"
    )
    print(f"peak RSS: {peak_rss_mb():.0f} MiB")
    print(f"uptime after: {_load()}")
