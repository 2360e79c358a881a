"""XLSX into a :class:`RawTable`: inspected first (``_archive``), then read by fastexcel."""

from __future__ import annotations

import fastexcel
import polars as pl

from jixiao.files._archive import inspect_xlsx
from jixiao.files._errors import UnreadableFile
from jixiao.files._header import SCAN_ROWS, find_header
from jixiao.files._limits import Limits
from jixiao.files._source import Source
from jixiao.files._table import ROW, RawTable, finish, unique_header

__all__ = ["read_xlsx"]

# fastexcel writes a number cell as text with 9 decimals (123456789.123 → "123456789.122999996",
# 2/3 → "0.666666667"); such cells are read again as numbers and written by their shortest repr,
# which is what Excel shows and what the pay engine reads exactly.
_NINE_DECIMALS = r"^-?\d+\.\d{9}$"


def _exact_numbers(reader: fastexcel.ExcelReader, index: int, frame: pl.DataFrame) -> pl.DataFrame:
    suspect = [
        i
        for i, c in enumerate(frame.columns)
        if frame.get_column(c).str.contains(_NINE_DECIMALS).any()
    ]
    if not suspect:
        return frame
    numbers = reader.load_sheet(
        index, header_row=None, use_columns=suspect, dtypes=dict.fromkeys(suspect, "float")
    ).to_polars()
    fixed = []
    for i, num in zip(suspect, numbers.get_columns(), strict=True):
        name = frame.columns[i]
        text = frame.get_column(name)
        exact = pl.Series([None if v is None else repr(v) for v in num.to_list()], dtype=pl.String)
        keep = text.str.contains(_NINE_DECIMALS).fill_null(False) & exact.is_not_null()
        fixed.append(pl.select(pl.when(keep).then(exact).otherwise(text).alias(name)).to_series())
    return frame.with_columns(fixed)


def read_xlsx(src: Source, sheet: str | int | None, known: frozenset[str], lim: Limits) -> RawTable:
    plan = inspect_xlsx(src, sheet, lim)
    try:
        reader = fastexcel.read_excel(src.data)
        frame = reader.load_sheet(plan.index, header_row=None, dtypes="string").to_polars()
        frame = _exact_numbers(reader, plan.index, frame)
    except Exception as exc:  # fastexcel raises its own hierarchy; all mean "unreadable"
        raise UnreadableFile(
            src.name,
            f"无法作为 Excel 打开（{exc.__class__.__name__}）；请重新导出或另存为 CSV",
            f"cannot open it as Excel ({exc.__class__.__name__}); export it again or save as CSV",
        ) from None
    name = plan.names[plan.index]
    head = frame.head(SCAN_ROWS).rows()
    idx = find_header([list(r) for r in head], known)
    header = unique_header(list(head[idx]) if head else [])
    body = frame.slice(idx + 1)
    body = body.select([pl.col(c).alias(h) for c, h in zip(body.columns, header, strict=True)])
    first = plan.first_row + idx + 1
    body = body.with_columns(pl.int_range(first, first + body.height, dtype=pl.Int64).alias(ROW))
    return finish(src.name, name, None, plan.first_row + idx, header, body, lim)
