"""History in: a CSV / XLSX table read through :func:`jixiao.files.read_table`, or archived
:class:`~jixiao.engine.ResultRecord` of one month."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

import polars as pl

from jixiao.engine import ResultRecord
from jixiao.files import (
    EMPLOYEE_ALIASES,
    GROUP_ALIASES,
    NAME_ALIASES,
    ROW,
    RawTable,
    location,
    read_table,
)
from jixiao.history._errors import HistoryError
from jixiao.history._history import APPRAISED, ITEM_PREFIX, STATUS_ZH, History, HistoryRow
from jixiao.history._history import _status_code as status_code
from jixiao.history._period import format_period, parse_period

__all__ = ["history_rows", "read_history"]

ALIASES: dict[str, tuple[str, ...]] = {
    "employee": EMPLOYEE_ALIASES,
    "name": NAME_ALIASES,
    "group": GROUP_ALIASES,
    "department": ("department", "部门"),
    "period": ("period", "期间", "月份", "考核月份", "考核期间"),
    "cycle": ("cycle", "周期", "考核周期"),
    "scheme": ("scheme", "方案", "考核方案"),
    "status": ("status", "状态"),
    "total": ("total", "总分", "得分", "考核得分"),
    "grade": ("grade", "等级", "考核等级"),
    "rank": ("rank", "排名", "名次"),
    "group_rank": ("group_rank", "小组排名", "组内排名"),
}
_NUMERIC = {"total": pl.Float64, "rank": pl.Int32, "group_rank": pl.Int32}
_ITEM_HEADS = (ITEM_PREFIX, "考核项:", "考核项：")


def _item_code(header: str) -> str | None:
    for head in _ITEM_HEADS:
        if header.startswith(head) and len(header) > len(head):
            return header[len(head) :].strip()
    return None


def _bad(table: RawTable, row: int, column: str, zh: str, en: str) -> HistoryError:
    where, where_en = location(table.file, table.sheet, row, column)
    return HistoryError(zh, en, where=where, where_en=where_en)


def _number(table: RawTable, header: str, dtype: pl.DataType) -> pl.Series:
    text = table.frame.get_column(header).str.strip_chars()
    values = text.cast(pl.Float64, strict=False)
    bad = table.frame.filter(text.is_not_null() & values.is_null())
    if bad.height:
        row, cell = bad.row(0, named=True)[ROW], bad.row(0, named=True)[header]
        raise _bad(table, row, header, f"“{cell}”不是数字", f"{cell!r} is not a number")
    if dtype == pl.Int32:
        frac = table.frame.filter(values.is_not_null() & (values != values.round(0)))
        if frac.height:
            raise _bad(
                table,
                frac.row(0, named=True)[ROW],
                header,
                "名次应是整数",
                "a rank must be a whole number",
            )
    return values.cast(dtype)


def _check_cells(table: RawTable, header: str, ok: object) -> None:
    """The first row whose period / status cell cannot be read, named."""
    for row, cell in table.frame.select(ROW, header).iter_rows():
        if cell is None:
            continue
        try:
            valid = ok(cell)  # type: ignore[operator]
        except ValueError as exc:
            raise _bad(table, row, header, str(exc), f"{cell!r}: year-month expected") from None
        if not valid:
            allowed = "、".join(STATUS_ZH.values())
            raise _bad(
                table,
                row,
                header,
                f"状态“{cell}”无法识别；可用：{allowed}",
                f"unknown status {cell!r}",
            )


def read_history(path: str | Path, *, sheet: str | int | None = None) -> History:
    """A history file (columns: 工号、期间，and any of 姓名、部门、小组、周期、方案、状态、总分、等级、
    排名、小组排名、``item.<code>`` / ``考核项:<code>``). Errors name the file, row and column."""
    known = frozenset(a for aliases in ALIASES.values() for a in aliases)
    table = read_table(Path(path), sheet=sheet, known_headers=known)
    cols: dict[str, str] = {}
    for key, aliases in ALIASES.items():
        found = table.column(aliases)
        if found is not None:
            cols[key] = found
    for key, zh in (("employee", "工号"), ("period", "期间")):
        if key not in cols:
            where, where_en = location(table.file, table.sheet)
            raise HistoryError(
                f"缺少“{zh}”列（表头：{'、'.join(table.header)}）",
                f"no {key} column",
                where=where,
                where_en=where_en,
            )
    missing_id = table.frame.filter(pl.col(cols["employee"]).is_null())
    if missing_id.height:
        raise _bad(
            table,
            missing_id.row(0, named=True)[ROW],
            cols["employee"],
            "工号为空",
            "empty employee",
        )
    _check_cells(table, cols["period"], lambda c: parse_period(c) >= 0)
    if "status" in cols:
        _check_cells(table, cols["status"], lambda c: status_code(c, True) is not None)
    data: dict[str, pl.Series] = {}
    for key, header in cols.items():
        if key in _NUMERIC:
            data[key] = _number(table, header, _NUMERIC[key]())
        else:
            data[key] = table.frame.get_column(header).str.strip_chars()
    for header in table.header:
        code = _item_code(header)
        if code:
            data[ITEM_PREFIX + code] = _number(table, header, pl.Float64())
    frame = pl.DataFrame(data)
    norm = {p: format_period(parse_period(p)) for p in frame["period"].unique()}
    frame = frame.with_columns(pl.col("period").replace_strict(norm, return_dtype=pl.String))
    try:
        return History.from_frame(frame)
    except HistoryError as exc:
        where, where_en = location(table.file, table.sheet)
        raise HistoryError(exc.reason, exc.reason_en, where=where, where_en=where_en) from None


def history_rows(
    results: Iterable[ResultRecord],
    *,
    period: str,
    cycle: str | None = None,
    scheme: str | None = None,
    departments: Mapping[str, str | None] | None = None,
    on_leave: Collection[str] = (),
    items: Collection[str] | None = None,
) -> list[HistoryRow]:
    """One archived month's results as history rows: not eligible → ``not_appraised`` (``leave``
    for people in ``on_leave``); ``items`` limits the item scores kept (default: all)."""
    rows = []
    for r in results:
        if r.eligible and r.total is not None:
            status = APPRAISED
        else:
            status = "leave" if r.employee in on_leave else "not_appraised"
        kept = {k: v for k, v in r.items.items() if items is None or k in items}
        rows.append(
            HistoryRow(
                employee=r.employee,
                period=period,
                status=status,
                name=r.name,
                department=(departments or {}).get(r.employee),
                group=r.group,
                cycle=cycle,
                scheme=scheme,
                total=r.total,
                grade=r.grade,
                rank=r.rank,
                group_rank=r.group_rank,
                items=kept if status == APPRAISED else {},
            )
        )
    return rows
