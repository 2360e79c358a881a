"""Prepare a month's data for payroll: join the inputs sheet with the appraisal results.

Every value becomes a ``Decimal`` (numbers) or ``str`` (text) once, here; errors name the file,
the row as a spreadsheet shows it (header = row 1) and the column, and say what to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from jixiao.engine import ResultRecord
from jixiao.files import NAME_ALIASES, ROW, find_column
from jixiao.pay._compiled import CompiledPlan
from jixiao.pay._errors import Issue, PayError, fail
from jixiao.pay._num import fmt
from jixiao.pay._prepare import Columns, join_results, read_inputs
from jixiao.pay._read import cell_text, employee_column, read_number, read_sheet


@dataclass(frozen=True)
class PayData:
    """One row per employee: ``frame`` holds the inputs (numbers as ``Decimal(38, 10)``, text as
    String), the appraisal result and the built-in names; ``where[i]`` names row ``i``'s source
    (file and row as a spreadsheet shows it); ``params`` are the same for everyone."""

    frame: pl.DataFrame
    where: tuple[str, ...]
    params: dict[str, Decimal]
    warnings: tuple[str, ...] = field(default_factory=tuple)


def parse_params(
    plan: CompiledPlan, overrides: Mapping[str, str] | None = None
) -> dict[str, Decimal]:
    """Plan parameters with ``name=value`` overrides, checked against each parameter's [min, max]."""
    params = {k: p.value for k, p in plan.plan.parameters.items()}
    for k, raw in (overrides or {}).items():
        if k not in params:
            raise fail(
                f"--param {k}",
                f"方案中没有参数 {k!r}；可用：{', '.join(params) or '（无）'}",
                f"unknown parameter {k!r}",
            )
        value = read_number(raw, f"--param {k}", "参数")
        if value is None:
            raise fail(
                f"--param {k}", "缺少取值，写成 名称=数值", "missing value; write name=value"
            )
        spec = plan.plan.parameters[k]
        if (spec.min is not None and value < spec.min) or (
            spec.max is not None and value > spec.max
        ):
            lo = fmt(spec.min) if spec.min is not None else "-∞"
            hi = fmt(spec.max) if spec.max is not None else "+∞"
            raise fail(
                f"--param {k}",
                f"取值 {fmt(value)} 超出允许范围 [{lo}, {hi}]",
                f"value {fmt(value)} outside [{lo}, {hi}]",
            )
        params[k] = value
    return params


def prepare(
    plan: CompiledPlan,
    inputs: str | Path,
    results: Mapping[str, ResultRecord] | None = None,
    params: Mapping[str, Decimal] | None = None,
) -> PayData:
    """Join the inputs sheet (the payroll roster) with the results; one row per employee."""
    table = read_sheet(Path(inputs), {s.name for s in plan.plan.inputs})
    return prepare_frame(plan, list(table.header), table.frame, results, params, str(inputs))


def prepare_table(
    plan: CompiledPlan,
    header: list[str],
    data: list[list[Any]],
    results: Mapping[str, ResultRecord] | None = None,
    params: Mapping[str, Decimal] | None = None,
    source: str = "inputs",
    row_numbers: list[int] | None = None,
) -> PayData:
    """:func:`prepare` for a table already in memory (``header`` plus data rows, as read;
    ``row_numbers`` as a spreadsheet shows them, by default 2, 3, … below a header in row 1)."""
    cells = {
        h: pl.Series(
            h,
            [None if c >= len(r) or r[c] is None else cell_text(r[c]) for r in data],
            dtype=pl.String,
        )
        for c, h in enumerate(header)
    }
    numbers = row_numbers or list(range(2, len(data) + 2))
    frame = pl.DataFrame([*cells.values(), pl.Series(ROW, numbers, dtype=pl.Int64)])
    return prepare_frame(plan, header, frame, results, params, source)


def prepare_frame(
    plan: CompiledPlan,
    header: list[str],
    frame: pl.DataFrame,
    results: Mapping[str, ResultRecord] | None = None,
    params: Mapping[str, Decimal] | None = None,
    source: str = "inputs",
) -> PayData:
    """:func:`prepare` for a table of text cells (``None`` when empty) with the spreadsheet row
    number of each row in the column ``jixiao.files.ROW``, as :func:`jixiao.files.read_table`
    returns it. Every problem names the file, row and column; at most about 20 are listed."""
    p = Path(source)
    emp_col = employee_column(header, str(p))
    name_col = find_column(header, NAME_ALIASES)
    specs = [s for s in plan.plan.inputs if s.name in plan.used]
    missing: list[Issue] = []
    for s in specs:
        if s.name not in header and s.default is None:
            near = difflib.get_close_matches(s.name, header, n=1, cutoff=0.5)
            hint = f"；是不是 {near[0]!r}？" if near else ""
            missing.append(
                Issue(
                    str(p),
                    f"缺少列 {s.name!r}（方案 {plan.plan.code} 需要）{hint}现有列：{', '.join(header)}",
                    f"missing column {s.name!r} required by plan {plan.plan.code}",
                )
            )
    if missing:
        raise PayError(missing)
    params = (
        dict(params)
        if params is not None
        else {k: v.value for k, v in plan.plan.parameters.items()}
    )
    cols = Columns(
        str(p), frame, header[emp_col], header[name_col] if name_col is not None else None
    )
    read_inputs(plan, specs, cols)
    if plan.uses_score:
        join_results(plan, results or {}, cols)
    else:
        cols.base_result(results or {})
    cols.raise_problems()
    if not cols.keep:
        raise fail(str(p), "没有任何员工行", "no employee rows")
    warnings = []
    if results:
        extra = sorted(set(results) - set(cols.employees))
        if extra:
            warnings.append(
                f"考核结果中有 {len(extra)} 人不在 inputs 中，未计薪：{', '.join(extra[:10])}"
            )
    return PayData(cols.frame(), cols.wheres(), params, tuple(warnings))
