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

from jixiao.files import NAME_ALIASES, find_column
from jixiao.pay._compiled import CompiledPlan
from jixiao.pay._errors import Issue, PayError, fail
from jixiao.pay._num import DEC, fmt, to_decimal
from jixiao.pay._read import Result, cell_text, employee_column, read_number, read_sheet


@dataclass(frozen=True)
class PayData:
    """One row per employee: ``rows`` for the scalar path, ``frame`` (same values) for Polars."""

    rows: tuple[dict[str, Any], ...]
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
    results: Mapping[str, Result] | None = None,
    params: Mapping[str, Decimal] | None = None,
) -> PayData:
    """Join the inputs sheet (the payroll roster) with the results; one row per employee."""
    table = read_sheet(Path(inputs), {s.name for s in plan.plan.inputs})
    numbers, data = zip(*table.rows(), strict=True) if table.frame.height else ((), ())
    return prepare_table(
        plan, list(table.header), list(data), results, params, str(inputs), list(numbers)
    )


def prepare_table(
    plan: CompiledPlan,
    header: list[str],
    data: list[list[Any]],
    results: Mapping[str, Result] | None = None,
    params: Mapping[str, Decimal] | None = None,
    source: str = "inputs",
    row_numbers: list[int] | None = None,
) -> PayData:
    """:func:`prepare` for a table already in memory (``header`` plus data rows, as read;
    ``row_numbers`` as a spreadsheet shows them, by default 2, 3, … below a header in row 1)."""
    p = Path(source)
    emp_col = employee_column(header, str(p))
    name_col = find_column(header, NAME_ALIASES)
    used = plan.used
    specs = [s for s in plan.plan.inputs if s.name in used]
    cols: dict[str, int] = {}
    missing: list[Issue] = []
    for s in specs:
        if s.name in header:
            cols[s.name] = header.index(s.name)
        elif s.default is None:
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
    item_names = {n for n in used if n.startswith(("items.", "dims."))}
    rows: list[dict[str, Any]] = []
    wheres: list[str] = []
    problems: list[Issue] = []
    seen: dict[str, int] = {}
    numbers = row_numbers or list(range(2, len(data) + 2))
    for r, row in zip(numbers, data, strict=True):
        where = f"{p} 第 {r} 行"
        emp = cell_text(row[emp_col] if emp_col < len(row) else None)
        if not emp:
            problems.append(
                Issue(where, f"列 {header[emp_col]!r} 为空：每行需要工号", "empty employee id")
            )
            continue
        if emp in seen:
            problems.append(
                Issue(
                    where,
                    f"工号 {emp} 与第 {seen[emp]} 行重复",
                    f"employee {emp} repeats row {seen[emp]}",
                )
            )
            continue
        seen[emp] = r
        res = (results or {}).get(emp)
        env: dict[str, Any] = dict(params)
        env.update(
            employee=emp, 工号=emp, group=res.group if res else "", 组别=res.group if res else ""
        )
        nm = str(row[name_col] or "") if name_col is not None and name_col < len(row) else ""
        env["name"] = env["姓名"] = nm or (res.name if res else "")
        for s in specs:
            raw = row[cols[s.name]] if s.name in cols and cols[s.name] < len(row) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                raw = s.default
            cell = f"{where} 列 {s.name!r}"
            if raw is None:
                problems.append(
                    Issue(
                        cell,
                        "为空：请填写数值（没有就填 0）" if s.type == "number" else "为空",
                        "empty cell: fill it in",
                    )
                )
                continue
            if s.type == "number":
                try:
                    env[s.name] = to_decimal(raw)
                except ValueError:
                    problems.append(Issue(cell, f"{raw!r} 不是数值", f"{raw!r} is not a number"))
            else:
                env[s.name] = cell_text(raw)
        for lname, lk in plan.plan.lookups.items():
            if lname in used and lk.key in env:
                key = env[lk.key]
                if key not in lk.values:
                    problems.append(
                        Issue(
                            f"{where} 列 {lk.key!r}",
                            f"{key!r} 不在对照表 {lname} 中；可选：{', '.join(lk.values)}",
                            f"{key!r} is not in lookup {lname}",
                        )
                    )
                else:
                    env[lname] = lk.values[key]
        if plan.uses_score:
            total = res.total if res else None
            if total is None and plan.plan.score_default is None:
                why = "不在考核结果中" if res is None else "没有考核得分（不参与考核）"
                problems.append(
                    Issue(
                        where,
                        f"员工 {emp} {why}；方案 {plan.plan.code} 需要得分。请补上考核结果，"
                        "或在方案里设 score_default",
                        f"employee {emp} has no appraisal score",
                    )
                )
                continue
            env["score"] = env["得分"] = total if total is not None else plan.plan.score_default
            env["grade"] = env["等级"] = res.grade if res else ""
            for k, v in (
                ("rank", res.rank if res else None),
                ("group_rank", res.group_rank if res else None),
            ):
                env[k] = env["排名" if k == "rank" else "组内排名"] = (
                    v if v is not None else Decimal(0)
                )
            for n in item_names:
                kind, code = n.split(".", 1)
                table = (res.items if kind == "items" else res.dims) if res else {}
                if table.get(code) is None:
                    problems.append(
                        Issue(
                            where,
                            f"员工 {emp} 的考核结果里没有 {n}；可用：{', '.join(table) or '（无）'}",
                            f"no {n} in the results for {emp}",
                        )
                    )
                else:
                    env[n] = table[code]
        rows.append(env)
        wheres.append(where)
        if len(problems) >= 20:
            break
    if problems:
        raise PayError(problems)
    if not rows:
        raise fail(str(p), "没有任何员工行", "no employee rows")
    warnings = []
    if results:
        extra = sorted(set(results) - set(seen))
        if extra:
            warnings.append(
                f"考核结果中有 {len(extra)} 人不在 inputs 中，未计薪：{', '.join(extra[:10])}"
            )
    return PayData(
        tuple(rows), frame_of(rows, plan, params), tuple(wheres), dict(params), tuple(warnings)
    )


def frame_of(
    rows: list[dict[str, Any]] | tuple[dict[str, Any], ...],
    plan: CompiledPlan,
    params: Mapping[str, Decimal],
) -> pl.DataFrame:
    """The Polars frame of prepared rows: numbers as Decimal(38, 10), text as String."""
    names = [
        "employee",
        "name",
        "group",
        *sorted(n for n in rows[0] if n not in {"employee", "name", "group"}),
    ]
    cols: dict[str, pl.Series] = {}
    for n in names:
        values = [r.get(n) for r in rows]
        is_text = n in {"employee", "name", "group"} or plan.types.get(n) == "text"
        cols[n] = pl.Series(n, values, dtype=pl.String if is_text else DEC)
    return pl.DataFrame(cols)
