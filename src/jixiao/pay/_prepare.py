"""Column-wise preparation of a month's data: the inputs sheet read into exact Decimal and text
columns, joined with the appraisal results.

Numbers are parsed by Polars where the text is a plain decimal (the usual case) and by
:func:`jixiao.pay._num.to_decimal` otherwise (percentages, thousands separators, exponents…),
so every cell reads exactly as ``to_decimal`` reads it. Every problem names the file, the row as
a spreadsheet shows it and the column; problems are listed in row order, about 20 at most.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from jixiao.engine import ResultRecord
from jixiao.files import ROW
from jixiao.pay._compiled import CompiledPlan
from jixiao.pay._errors import Issue, PayError
from jixiao.pay._num import DEC, to_decimal
from jixiao.pay._plan import InputSpec
from jixiao.pay._read import cell_text

__all__ = ["Columns", "join_results", "read_inputs"]

_PLAIN = r"^-?\d{1,28}(\.\d{1,10})?$"  # what Polars reads exactly as Decimal(38, 10)
_LIMIT = Decimal(10) ** 28
_MAX_PROBLEMS = 20


class Columns:
    """The prepared columns of one table, the rows kept and the problems found."""

    def __init__(
        self, source: str, frame: pl.DataFrame, emp_header: str, name_header: str | None
    ) -> None:
        self.source, self.raw, self.n = source, frame, frame.height
        self.numbers: list[int] = frame.get_column(ROW).to_list()
        self.employees: list[str] = [cell_text(x) for x in frame.get_column(emp_header)]
        self.problems: list[tuple[int, int, Issue]] = []
        self.cols: dict[str, pl.Series] = {}
        self.keep = [True] * self.n
        seen: dict[str, int] = {}
        for i, emp in enumerate(self.employees):
            if not emp:
                self.problem(i, 0, "", f"列 {emp_header!r} 为空：每行需要工号", "empty employee id")
            elif emp in seen:
                self.problem(
                    i,
                    0,
                    "",
                    f"工号 {emp} 与第 {seen[emp]} 行重复",
                    f"employee {emp} repeats row {seen[emp]}",
                )
            else:
                seen[emp] = self.numbers[i]
                continue
            self.keep[i] = False
        self.valid = list(self.keep)  # rows whose other cells are checked
        self.valid_mask = pl.Series(self.valid, dtype=pl.Boolean)
        names = frame.get_column(name_header) if name_header else None
        self.names = [cell_text(x) for x in names] if names is not None else [""] * self.n

    def where(self, i: int) -> str:
        return f"{self.source} 第 {self.numbers[i]} 行"

    def problem(self, i: int, order: int, column: str, message: str, message_en: str) -> None:
        at = self.where(i) + (f" 列 {column!r}" if column else "")
        self.problems.append((i, order, Issue(at, message, message_en)))

    def raise_problems(self) -> None:
        """All problems of the first rows that hold about 20 (whole rows, in row order)."""
        if not self.problems:
            return
        found = sorted(self.problems, key=lambda t: (t[0], t[1]))
        out: list[Issue] = []
        for k, (i, _order, issue) in enumerate(found):
            out.append(issue)
            last_of_row = k + 1 == len(found) or found[k + 1][0] != i
            if last_of_row and len(out) >= _MAX_PROBLEMS:
                break
        raise PayError(out)

    def put(self, name: str, values: pl.Series | Sequence[Any], dtype: Any) -> None:
        self.cols[name] = pl.Series(name, values, dtype=dtype)

    def base_result(self, results: Mapping[str, ResultRecord]) -> None:
        """Group and name from the results (the name cell wins) for plans without scores."""
        found = [results.get(e) for e in self.employees]
        self.people(found)

    def people(self, found: list[ResultRecord | None]) -> None:
        group = [(r.group or "") if r else "" for r in found]
        name = [
            nm or ((r.name or "") if r else "") for nm, r in zip(self.names, found, strict=True)
        ]
        for k, v in (("employee", self.employees), ("group", group), ("name", name)):
            self.put(k, v, pl.String)
        self.cols["工号"] = self.cols["employee"].alias("工号")
        self.cols["组别"] = self.cols["group"].alias("组别")
        self.cols["姓名"] = self.cols["name"].alias("姓名")

    def frame(self) -> pl.DataFrame:
        df = pl.DataFrame(list(self.cols.values()))
        if all(self.keep):
            return df
        return df.filter(pl.Series(self.keep, dtype=pl.Boolean))

    def wheres(self) -> tuple[str, ...]:
        return tuple(self.where(i) for i in range(self.n) if self.keep[i])


def _plain_decimals(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Decimal(38, 10) values of the cells that are plain decimals (null elsewhere) and the
    mask of those cells; the others are read one by one with ``to_decimal``."""
    plain = text.str.contains(_PLAIN).fill_null(False)
    return pl.select(pl.when(plain).then(text).cast(DEC)).to_series(), plain


def _numbers(cols: Columns, spec: InputSpec, k: int, raw: pl.Series, empty: pl.Series) -> None:
    cleaned = raw.str.strip_chars().str.replace_all(r"[,，¥￥]", "")
    values, plain = _plain_decimals(cleaned)
    plain = plain & ~empty
    fix_at: list[int] = []
    fix: list[Decimal] = []
    slow = (~plain & cols.valid_mask).arg_true().to_list()
    cells = raw.to_list()
    empties = empty.to_list()
    for i in slow:
        cell: Any = spec.default if empties[i] else cells[i]
        if cell is None:
            cols.problem(
                i, 1 + k, spec.name, "为空：请填写数值（没有就填 0）", "empty cell: fill it in"
            )
            continue
        try:
            value = to_decimal(cell)
        except ValueError:
            cols.problem(i, 1 + k, spec.name, f"{cell!r} 不是数值", f"{cell!r} is not a number")
            continue
        if abs(value) >= _LIMIT:
            cols.problem(i, 1 + k, spec.name, f"{cell!r} 数值过大", f"{cell!r} is too large")
            continue
        fix_at.append(i)
        fix.append(value)
    if fix_at:
        values = values.scatter(fix_at, pl.Series(fix, dtype=DEC))
    cols.put(spec.name, values, DEC)


def _texts(cols: Columns, spec: InputSpec, k: int, raw: pl.Series, empty: pl.Series) -> None:
    if spec.default is None:
        for i in (empty & cols.valid_mask).arg_true().to_list():
            cols.problem(i, 1 + k, spec.name, "为空", "empty cell: fill it in")
        filled = raw.str.strip_chars()
    else:
        default = cell_text(spec.default)
        stripped = raw.str.strip_chars()
        filled = pl.select(pl.when(empty).then(pl.lit(default)).otherwise(stripped)).to_series()
    cols.put(spec.name, filled, pl.String)


def read_inputs(plan: CompiledPlan, specs: list[InputSpec], cols: Columns) -> None:
    """Every input column the plan uses, and the lookups keyed by them."""
    for k, spec in enumerate(specs):
        if spec.name in cols.raw.columns:
            raw = cols.raw.get_column(spec.name).cast(pl.String)
        else:
            raw = pl.Series(spec.name, [None] * cols.n, dtype=pl.String)
        empty = (raw.is_null() | (raw.str.strip_chars() == "")).fill_null(True)
        (_numbers if spec.type == "number" else _texts)(cols, spec, k, raw, empty)
    order = 1 + len(specs)
    for lname, lk in plan.plan.lookups.items():
        if lname not in plan.used or lk.key not in cols.cols:
            continue
        keys = cols.cols[lk.key]
        found = keys.replace_strict(
            list(lk.values), list(lk.values.values()), default=None, return_dtype=DEC
        )
        missing = (found.is_null() & keys.is_not_null() & cols.valid_mask).arg_true()
        for i in missing.to_list():
            key = keys[i]
            cols.problem(
                i,
                order,
                lk.key,
                f"{key!r} 不在对照表 {lname} 中；可选：{', '.join(lk.values)}",
                f"{key!r} is not in lookup {lname}",
            )
        cols.put(lname, found, DEC)


def join_results(plan: CompiledPlan, results: Mapping[str, ResultRecord], cols: Columns) -> None:
    """The appraisal result of each person: score, grade, ranks and any items./dims. used."""
    pp = plan.plan
    item_names = sorted(n for n in plan.used if n.startswith(("items.", "dims.")))
    order = 2 + len(pp.inputs)
    found = [results.get(e) for e in cols.employees]
    cols.people(found)
    totals = [r.total if r else None for r in found]
    score = _floats(totals)
    if pp.score_default is not None:
        score = score.fill_null(pl.lit(pp.score_default, dtype=DEC))
    extra: dict[str, list[Decimal | None]] = {n: [] for n in item_names}
    for i, res in enumerate(found):
        total = totals[i]
        if cols.valid[i] and total is None and pp.score_default is None:
            why = "不在考核结果中" if res is None else "没有考核得分（不参与考核）"
            emp = cols.employees[i]
            cols.problem(
                i,
                order,
                "",
                f"员工 {emp} {why}；方案 {pp.code} 需要得分。请补上考核结果，或在方案里设 score_default",
                f"employee {emp} has no appraisal score",
            )
            cols.keep[i] = False
        for n in item_names:
            kind, code = n.split(".", 1)
            table = (res.items if kind == "items" else res.dimensions) if res else {}
            value = table.get(code)
            if value is None and cols.keep[i] and cols.valid[i]:
                cols.problem(
                    i,
                    order + 1,
                    "",
                    f"员工 {cols.employees[i]} 的考核结果里没有 {n}；可用：{', '.join(table) or '（无）'}",
                    f"no {n} in the results for {cols.employees[i]}",
                )
            extra[n].append(None if value is None else to_decimal(value))
    grade = [(r.grade or "") if r else "" for r in found]
    for names, values, dtype in (
        (("score", "得分"), score, DEC),
        (("grade", "等级"), grade, pl.String),
        (("rank", "排名"), _ranks(found, "rank"), DEC),
        (("group_rank", "组内排名"), _ranks(found, "group_rank"), DEC),
    ):
        for name in names:
            cols.put(name, values, dtype)
    for n, vals in extra.items():
        cols.put(n, vals, DEC)


def _ranks(found: list[ResultRecord | None], field: str) -> pl.Series:
    ranks = pl.Series([getattr(r, field) if r else None for r in found], dtype=pl.Int64)
    return ranks.fill_null(0).cast(DEC)


def _floats(values: list[float | None]) -> pl.Series:
    """Scores as exact decimals: each float read by its shortest text, as ``to_decimal``
    reads a float (Polars prints the same shortest digits; anything else is read by Python)."""
    text = pl.Series(values, dtype=pl.Float64).cast(pl.String)
    out, plain = _plain_decimals(text)
    slow = (~plain & text.is_not_null()).arg_true().to_list()
    if slow:
        out = out.scatter(slow, pl.Series([to_decimal(values[i]) for i in slow], dtype=DEC))
    return out
