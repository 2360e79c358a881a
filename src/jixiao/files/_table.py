"""The table every reader returns, and the steps every reader shares."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from jixiao.files._cells import unquote_text
from jixiao.files._errors import FileTooLarge
from jixiao.files._header import find_column
from jixiao.files._limits import Limits

__all__ = ["ROW", "RawTable", "finish", "unique_header"]

ROW = "__row__"
_UNNAMED = re.compile(r"第\d+列")
_QUOTED = r"^'+[=+\-@\t\r]"


@dataclass(frozen=True, slots=True)
class RawTable:
    """Every cell as text (``None`` when empty), as written in the file.

    ``frame`` has one String column per header plus ``__row__``, the row number as Excel / WPS
    shows it, so that every message can point at the row a person sees.
    """

    file: str
    sheet: str | None
    encoding: str | None
    header_row: int
    header: tuple[str, ...]
    frame: pl.DataFrame

    def column(self, aliases: Iterable[str]) -> str | None:
        """The header matching the first alias that matches (see ``find_column``)."""
        i = find_column(self.header, aliases)
        return None if i is None else self.header[i]

    def rows(self) -> list[tuple[int, list[str | None]]]:
        """(row number, cells in header order) for every data row."""
        numbers = self.frame.get_column(ROW).to_list()
        cells = self.frame.select(self.header).rows()
        return [(n, list(r)) for n, r in zip(numbers, cells, strict=True)]


def unique_header(header: list[str | None]) -> list[str]:
    """Stripped names (the apostrophe convention undone); empty ones become ``第N列``,
    repeated ones ``name#2``."""
    out: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(header):
        name = unquote_text((h or "").strip()) or f"第{i + 1}列"
        base, n = name, 2
        while name in seen:
            name, n = f"{base}#{n}", n + 1
        seen.add(name)
        out.append(name)
    return out


def _cell(col: str) -> pl.Expr:
    """Empty text is an empty cell; the apostrophe convention undone."""
    c = pl.col(col)
    return (
        pl.when(c == "")
        .then(None)
        .when(c.str.contains(_QUOTED))
        .then(c.str.slice(1))
        .otherwise(c)
        .alias(col)
    )


def finish(
    file: str,
    sheet: str | None,
    encoding: str | None,
    header_row: int,
    header: list[str],
    frame: pl.DataFrame,
    lim: Limits,
) -> RawTable:
    """Shared last steps: limits on rows and cell length, the apostrophe convention undone,
    unnamed empty columns and empty rows dropped."""
    if frame.height > lim.max_rows:
        raise FileTooLarge(
            file,
            f"有 {frame.height} 行数据，超过上限 {lim.max_rows} 行；请拆分后再导入",
            f"{frame.height} data rows, more than the limit of {lim.max_rows}; split the file",
            sheet=sheet,
        )
    cols = [c for c in frame.columns if c != ROW]
    if cols and frame.height:
        lengths = frame.select(pl.col(cols).str.len_chars().max()).row(0)
        for name, n in zip(cols, lengths, strict=True):
            if n is not None and n > lim.max_cell_chars:
                at = frame.filter(pl.col(name).str.len_chars() > lim.max_cell_chars)
                raise FileTooLarge(
                    file,
                    f"单元格有 {n} 个字符，超过上限 {lim.max_cell_chars}；请检查该单元格",
                    f"a cell holds {n} characters, more than the limit of {lim.max_cell_chars}",
                    sheet=sheet,
                    row=int(at.get_column(ROW)[0]),
                    column=name,
                )
    frame = frame.with_columns([_cell(c) for c in cols])
    unnamed = [
        h
        for h in header
        if _UNNAMED.fullmatch(h) and frame.get_column(h).null_count() == frame.height
    ]
    frame = frame.drop(unnamed)
    header = [h for h in header if h not in unnamed]
    if header:
        empty = pl.all_horizontal(
            [pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in header]
        )
        frame = frame.filter(~empty)
    return RawTable(file, sheet, encoding, header_row, tuple(header), frame)
