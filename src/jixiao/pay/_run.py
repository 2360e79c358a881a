"""A month's payroll: one vectorised pass gives every amount and every trace."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import polars as pl

from jixiao.pay._compiled import CompiledPlan
from jixiao.pay._data import PayData, parse_params, prepare
from jixiao.pay._errors import fail
from jixiao.pay._num import CENT, DEC
from jixiao.pay._read import read_results
from jixiao.pay._vector import NET, PoolSummary, evaluate, trace_columns


@dataclass(frozen=True, slots=True)
class Line:
    """One component on one pay slip."""

    code: str
    name: str
    amount: Decimal
    text: str
    text_en: str
    memo: bool = False


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
    """The result of :func:`run`. ``table`` has one row per employee: ``employee``, ``name``,
    ``group``, one Decimal column per component code, the net pay (``NET``) and the trace
    columns (see :meth:`traces`); ``slips`` reads the same table as objects."""

    plan: CompiledPlan
    table: pl.DataFrame
    pools: tuple[PoolSummary, ...]
    warnings: tuple[str, ...]

    @classmethod
    def of_slips(
        cls,
        plan: CompiledPlan,
        slips: Sequence[Slip],
        pools: tuple[PoolSummary, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> Payroll:
        """A payroll rebuilt from stored slips (their lines in plan order), e.g. to export a
        closed run again exactly as it was computed."""
        cols: dict[str, pl.Series] = {
            "employee": pl.Series([s.employee for s in slips], dtype=pl.String),
            "name": pl.Series([s.name for s in slips], dtype=pl.String),
            "group": pl.Series([s.group for s in slips], dtype=pl.String),
            NET: pl.Series([s.net for s in slips], dtype=DEC),
        }
        for k, c in enumerate(plan.components):
            zh, en = trace_columns(c)
            cols[c.code] = pl.Series([s.lines[k].amount for s in slips], dtype=DEC)
            cols[zh] = pl.Series([s.lines[k].text for s in slips], dtype=pl.String)
            cols[en] = pl.Series([s.lines[k].text_en for s in slips], dtype=pl.String)
        table = pl.DataFrame([v.alias(k) for k, v in cols.items()])
        return cls(plan, table, pools, warnings)

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.plan.components]

    @property
    def amounts(self) -> pl.DataFrame:
        """employee, name, group, one Decimal column per component, ``NET``."""
        return self.table.select("employee", "name", "group", *self.codes, NET)

    def traces(self, lang: str = "zh") -> pl.DataFrame:
        """employee plus one text column per component code: the trace in ``lang``."""
        k = 0 if lang == "zh" else 1
        cols = [pl.col(trace_columns(c)[k]).alias(c.code) for c in self.plan.components]
        return self.table.select("employee", *cols)

    def totals(self) -> dict[str, Decimal]:
        """The sum of every component column and of the net pay, to the cent."""
        sums = self.table.select(pl.col([*self.codes, NET]).sum()).row(0)
        return {
            c: Decimal(s or 0).quantize(CENT) for c, s in zip([*self.codes, NET], sums, strict=True)
        }

    @cached_property
    def slips(self) -> tuple[Slip, ...]:
        comps = self.plan.components
        names = [(c.code, c.spec.name, c.spec.memo) for c in comps]
        cents = pl.Decimal(38, 2)  # amounts as they are paid: 580.00, not 580.0000000000
        cols = [pl.col("employee"), pl.col("name"), pl.col("group"), pl.col(NET).cast(cents)]
        for c in comps:
            cols += [pl.col(c.code).cast(cents), *map(pl.col, trace_columns(c))]
        out = []
        for row in self.table.select(cols).iter_rows():
            lines = tuple(
                Line(code, name, row[4 + 3 * k], row[5 + 3 * k], row[6 + 3 * k], memo)
                for k, (code, name, memo) in enumerate(names)
            )
            out.append(Slip(row[0], row[1], row[2], lines, row[3]))
        return tuple(out)


def run(plan: CompiledPlan, data: PayData, approvals: Collection[str] = ()) -> Payroll:
    """Compute the payroll; raises :class:`PayError` naming the row that cannot be computed."""
    table, pools = evaluate(plan, data.frame, data.params, approvals, data.where)
    return Payroll(plan, table, pools, data.warnings)


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
