"""Writers for CSV, XLSX and JSON: formula injection neutralised the same way everywhere
(``_cells``), numbers kept numbers, files replaced atomically (a failed write leaves nothing).

CSV is UTF-8 with a BOM (so that Excel and WPS on Chinese Windows open it correctly) and CRLF
line ends (RFC 4180, what Excel itself writes).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import math
import os
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from jixiao.files._cells import quote_text
from jixiao.files._errors import FileError

__all__ = [
    "XlsxBook",
    "XlsxSheet",
    "csv_bytes",
    "csv_text",
    "json_text",
    "write_csv",
    "write_file",
    "write_json",
    "write_xlsx",
    "xlsx_bytes",
]

Rows = Sequence[Sequence[Any]]
_BOM = "\ufeff"
_XLSX_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_BAD_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return quote_text(str(value))


def csv_text(header: Sequence[Any], rows: Rows) -> str:
    """CSV text (no BOM): for printing, and inside :func:`csv_bytes`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([_csv_cell(h) for h in header])
    for row in rows:
        w.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def csv_bytes(header: Sequence[Any], rows: Rows) -> bytes:
    """A CSV file's bytes: UTF-8 with BOM."""
    return (_BOM + csv_text(header, rows)).encode("utf-8")


def write_file(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``path`` and rename it into place."""
    out = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".jixiao-", suffix=out.suffix, dir=out.parent)
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        tmp.replace(out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _cannot_write(out, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return out


def _cannot_write(out: Path, exc: OSError) -> FileError:
    return FileError(
        str(out),
        f"无法写出（目录不存在、没有权限或文件被占用？{exc.strerror or exc}）",
        f"cannot write it (missing folder, no permission or file in use? {exc})",
    )


def write_csv(path: str | Path, header: Sequence[Any], rows: Rows) -> Path:
    return write_file(path, csv_bytes(header, rows))


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_text(payload: Any) -> str:
    """JSON as people read it: UTF-8 text, indented; Decimals as strings, never floats."""
    return json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default)


def write_json(path: str | Path, payload: Any) -> Path:
    return write_file(path, (json_text(payload) + "\n").encode("utf-8"))


class XlsxSheet:
    """A worksheet whose every cell goes through one place: text is neutralised and written
    as text (never a formula or a link), numbers as numbers."""

    def __init__(self, ws: Worksheet) -> None:
        self._ws = ws

    def write(self, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
        ws = self._ws
        if value is None or value == "":
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float | Decimal) and math.isfinite(value):
            ws.write_number(row, col, float(value), fmt)
        else:
            text = value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
            ws.write_string(row, col, quote_text(text), fmt)

    def write_row(
        self, row: int, col: int, values: Sequence[Any], fmt: Format | None = None
    ) -> None:
        for i, v in enumerate(values):
            self.write(row, col + i, v, fmt)

    def set_column(self, first: int, last: int, width: float) -> None:
        self._ws.set_column(first, last, width)

    def freeze_panes(self, row: int, col: int) -> None:
        self._ws.freeze_panes(row, col)

    def fit_to_pages(self, width: int, height: int) -> None:
        self._ws.fit_to_pages(width, height)

    def set_h_pagebreaks(self, breaks: list[int]) -> None:
        self._ws.set_h_pagebreaks(breaks)


class XlsxBook:
    """An XLSX workbook built in memory: ``with XlsxBook() as book: …; data = book.data``."""

    def __init__(self) -> None:
        self._buf = io.BytesIO()
        self._wb = xlsxwriter.Workbook(self._buf, _XLSX_OPTIONS)
        self.data = b""

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def format(self, **props: Any) -> Format:
        return self._wb.add_format(props)

    def sheet(self, name: str) -> XlsxSheet:
        return XlsxSheet(self._wb.add_worksheet(name.translate(_BAD_SHEET_CHARS)[:31] or None))

    def close(self) -> bytes:
        if not self.data:
            self._wb.close()
            self.data = self._buf.getvalue()
        return self.data


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Any], Rows]]) -> bytes:
    """A workbook of plain tables: (sheet name, header, rows) each; header bold and frozen."""
    with XlsxBook() as book:
        bold = book.format(bold=True, bg_color="#F2F2F2", border=1)
        for name, header, rows in sheets:
            ws = book.sheet(name)
            for c, h in enumerate(header):
                ws.write(0, c, "" if h is None else str(h), bold)
                ws.set_column(c, c, max(8, min(60, len(str(h)) * 2 + 2)))
            for r, row in enumerate(rows, start=1):
                ws.write_row(r, 0, row)
            ws.freeze_panes(1, 0)
    return book.data


def write_xlsx(path: str | Path, sheets: Sequence[tuple[str, Sequence[Any], Rows]]) -> Path:
    return write_file(path, xlsx_bytes(sheets))
