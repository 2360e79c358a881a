"""CSV (and tab-separated text, as Excel's "Unicode text" saves it) into a :class:`RawTable`."""

from __future__ import annotations

import csv
import io

import polars as pl

from jixiao.files._errors import FileTooLarge, UnreadableFile
from jixiao.files._header import SCAN_ROWS, find_header
from jixiao.files._limits import Limits
from jixiao.files._source import Source, decode_text
from jixiao.files._table import ROW, RawTable, finish, unique_header

__all__ = ["read_csv"]


def _separator(lines: list[str], encoding: str) -> str:
    """Tab or comma, by the lines that hold only one of them (a cell may hold the other);
    when that does not decide, tab for UTF-16 (Excel's "Unicode text"), comma otherwise."""
    tabs = sum(1 for ln in lines if "\t" in ln and "," not in ln)
    commas = sum(1 for ln in lines if "," in ln and "\t" not in ln)
    if tabs != commas:
        return "\t" if tabs > commas else ","
    return "\t" if encoding.startswith("utf-16") else ","


def _parse(body: str, header: list[str], sep: str, *, ragged: bool = False) -> pl.DataFrame:
    return pl.read_csv(
        body.encode("utf-8"),
        has_header=False,
        separator=sep,
        schema=dict.fromkeys(header, pl.String),
        truncate_ragged_lines=ragged,
        raise_if_empty=False,
    )


def _ragged(body: str, width: int, sep: str) -> tuple[int, int | None]:
    """(widest row, index of the first row with a non-empty cell beyond ``width``)."""
    widest = 0
    for i, row in enumerate(csv.reader(io.StringIO(body, newline=""), delimiter=sep)):
        widest = max(widest, len(row))
        if len(row) > width and any(c.strip() for c in row[width:]):
            return widest, i
    return widest, None


def _malformed(src: Source, exc: Exception) -> UnreadableFile:
    return UnreadableFile(
        src.name,
        f"CSV 格式有误，无法读取（{exc}）；请重新导出",
        f"malformed CSV ({exc}); export it again",
    )


def _head(text: str, sep: str) -> tuple[list[list[str | None]], list[int]]:
    """The first records (quoted line breaks kept inside their cell) and where each ends."""
    buf = io.StringIO(text, newline="")
    rows: list[list[str | None]] = []
    ends: list[int] = []
    for record in csv.reader(buf, delimiter=sep):
        rows.append(list(record))
        ends.append(buf.tell())
        if len(rows) >= SCAN_ROWS:
            break
    return rows, ends


def read_csv(src: Source, known: frozenset[str], lim: Limits) -> RawTable:
    text, encoding = decode_text(src.data, src.name)
    sep = _separator(text[:65_536].split("\n", SCAN_ROWS + 1)[:SCAN_ROWS], encoding)
    try:
        rows, ends = _head(text, sep)
    except csv.Error as exc:
        raise _malformed(src, exc) from None
    idx = find_header(rows, known)
    header = unique_header(list(rows[idx]) if idx < len(rows) else [])
    if len(header) > lim.max_columns:
        raise FileTooLarge(
            src.name,
            f"表头有 {len(header)} 列，超过上限 {lim.max_columns} 列；请删除多余的列",
            f"the header has {len(header)} columns, more than the limit of {lim.max_columns}",
            row=idx + 1,
        )
    body = text[ends[idx] :] if idx < len(ends) else ""
    try:
        frame = _parse(body, header, sep)
    except pl.exceptions.PolarsError as exc:
        try:
            widest, bad = _ragged(body, len(header), sep)
        except csv.Error as again:
            raise _malformed(src, again) from None
        if bad is not None:
            raise UnreadableFile(
                src.name,
                f"第 {idx + 2 + bad} 行的字段比表头（第 {idx + 1} 行）多；"
                "可能有未加引号的逗号，请检查该行或另存为 XLSX",
                f"row {idx + 2 + bad} has more fields than the header (row {idx + 1}); "
                "a comma may be missing its quotes: check that row or save as XLSX",
            ) from None
        if widest <= len(header) or widest > lim.max_columns:
            raise _malformed(src, exc) from None
        # Only empty fields beyond the header (exports pad rows with commas): drop them.
        try:
            frame = _parse(body, header, sep, ragged=True)
        except pl.exceptions.PolarsError as again:
            raise _malformed(src, again) from None
    frame = frame.with_columns(
        pl.int_range(idx + 2, idx + 2 + frame.height, dtype=pl.Int64).alias(ROW)
    )
    return finish(src.name, None, encoding, idx + 1, header, frame, lim)
