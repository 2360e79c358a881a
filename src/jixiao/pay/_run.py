"""A month's payroll: the vectorised amounts, the per-employee traces, and the check that the two
agree for every row and component."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl

from jixiao.pay._compiled import CompiledPlan
from jixiao.pay._data import PayData, parse_params, prepare
from jixiao.pay._errors import fail
from jixiao.pay._explain import Line, explain
from jixiao.pay._read import read_results
from jixiao.pay._vector import NET, PoolSummary, compute


@dataclass(frozen=True)
class Slip:
    """One employee's pay slip: every component with its explanation, and the net pay."""

    employee: str
    name: str
    group: str
    lines: tuple[Line, ...]
    net: Decimal


@dataclass(frozen=True)
class Payroll:
    plan: CompiledPlan
    amounts: pl.DataFrame  # employee, name, group, one Decimal column per component, _net
    slips: tuple[Slip, ...]
    pools: tuple[PoolSummary, ...]
    warnings: tuple[str, ...]

    def totals(self) -> dict[str, Decimal]:
        cols = [c.code for c in self.plan.components] + [NET]
        return {c: sum((s[c] for s in self._rows()), Decimal("0.00")) for c in cols}

    def _rows(self) -> list[dict[str, Decimal]]:
        out = []
        for s in self.slips:
            row = {x.code: x.amount for x in s.lines}
            row[NET] = s.net
            out.append(row)
        return out


def run(plan: CompiledPlan, data: PayData, approvals: Collection[str] = ()) -> Payroll:
    """Compute the payroll; raises :class:`PayError` naming the row that cannot be computed."""
    amounts, pools = compute(plan, data.frame, data.params, approvals)
    bad = amounts.select(pl.any_horizontal(pl.all().is_null()).arg_true()).to_series().to_list()
    traced = explain(plan, data.rows, data.params, frozenset(approvals), data.where)
    if bad:  # explain() raises on the real cause; reaching here means a null it did not predict
        raise fail(data.where[bad[0]], "该行无法计算（缺值）", "row could not be computed")
    slips = []
    codes = [c.code for c in plan.components]
    mismatch = []
    columns = {c: amounts[c].to_list() for c in [*codes, NET]}
    for i, (lines, net) in enumerate(traced):
        row = data.rows[i]
        for k, line in enumerate(lines):
            if columns[codes[k]][i] != line.amount:
                mismatch.append(
                    f"{row['employee']}.{codes[k]}: {columns[codes[k]][i]} != {line.amount}"
                )
        if columns[NET][i] != net:
            mismatch.append(f"{row['employee']}.net: {columns[NET][i]} != {net}")
        slips.append(Slip(row["employee"], row["name"], row["group"], tuple(lines), net))
    if mismatch:  # pragma: no cover - a bug in jixiao, not in the user's data
        raise RuntimeError(
            "vectorised and per-employee results differ: " + "; ".join(mismatch[:10])
        )
    return Payroll(plan, amounts, tuple(slips), pools, data.warnings)


def run_files(
    plan: CompiledPlan,
    inputs: str | Path,
    results: str | Path | None = None,
    params: Mapping[str, str] | None = None,
    approvals: Collection[str] = (),
) -> Payroll:
    """Read the files and compute; results may be omitted when the plan does not use scores."""
    if results is None and plan.uses_score:
        raise fail(
            f"方案 {plan.plan.code}",
            "该方案用到考核得分：请用 --results 给出 jixiao score 的结果文件",
            "this plan uses appraisal scores: pass --results",
        )
    res = read_results(results) if results is not None else None
    data = prepare(plan, inputs, res, parse_params(plan, params))
    return run(plan, data, approvals)
