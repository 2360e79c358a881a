"""Helpers for pay tests: results files as `jixiao score` writes them, and plan runs."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from jixiao.pay import LIBRARY, Payroll, example_inputs, load_plan, run_files


def write_results(path: Path, scores: Mapping[str, float | None], group: str = "G") -> Path:
    rows = [
        {
            "employee": e,
            "name": "",
            "group": group,
            "eligible": s is not None,
            "total": s,
            "grade": None,
            "rank": None,
            "group_rank": None,
            "items": {},
            "dimensions": {},
        }
        for e, s in scores.items()
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def run_builtin(
    tmp: Path,
    stem: str,
    scores: Mapping[str, float | None] | None = None,
    params: Mapping[str, str] | None = None,
    approvals: tuple[str, ...] = (),
) -> Payroll:
    """Run a built-in plan on its shipped example inputs."""
    plan_file = LIBRARY / f"{stem}.yaml"
    plan = load_plan(plan_file)
    results = write_results(tmp / "results.json", scores) if scores is not None else None
    return run_files(plan, example_inputs(plan_file), results, params, approvals)


def amounts(payroll: Payroll) -> dict[str, dict[str, Decimal]]:
    """{employee: {component code: amount, "net": net}}."""
    out = {}
    for s in payroll.slips:
        row = {x.code: x.amount for x in s.lines}
        row["net"] = s.net
        out[s.employee] = row
    return out
