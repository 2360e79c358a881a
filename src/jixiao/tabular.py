"""Reading and writing the CLI's tables: CSV / XLSX in, CSV / XLSX / JSON out.

Reading keeps every cell as text so that the engine, not a type guesser, decides what is a
number, and so that an unreadable cell can be reported with its file, row and column.
Writing neutralises spreadsheet formula injection: a text cell that starts with ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading apostrophe, so Excel / WPS show it as text
instead of running it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from jixiao.errors import UserError

__all__ = ["TableError", "read_table", "safe_cell", "write_csv", "write_json", "write_xlsx"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


class TableError(UserError):
    """A file that cannot be read as a table; the message names the file."""


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def _decode(raw: bytes, path: Path) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise TableError(f"{path}：无法识别文件编码（支持 UTF-8 与 GBK/GB18030），请另存为 UTF-8 CSV")


def read_table(path: str | Path, *, sheet: str | None = None) -> pl.DataFrame:
    """Every column as text (``None`` for empty cells); header names stripped."""
    p = Path(path)
    if not p.exists():
        raise TableError(f"找不到文件 {p}")
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            df = (
                pl.read_excel(p, sheet_name=sheet, infer_schema_length=0)
                if sheet
                else pl.read_excel(p, infer_schema_length=0)
            )
        elif suffix in (".csv", ".txt", ""):
            text = _decode(p.read_bytes(), p)
            df = pl.read_csv(io.StringIO(text), infer_schema_length=0)
        else:
            raise TableError(f"{p}：不支持的文件类型 “{suffix}”，请使用 CSV 或 XLSX")
    except TableError:
        raise
    except Exception as exc:  # polars / fastexcel raise many kinds; all mean "unreadable"
        raise TableError(f"{p}：无法读取为表格（{type(exc).__name__}: {exc}）") from None
    df = df.rename({c: c.strip() for c in df.columns})
    return df.with_columns(
        [pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in df.columns]
    )


def write_csv(path: Path | None, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(h) for h in header])
    for row in rows:
        w.writerow([_csv_value(v) for v in row])
    text = buf.getvalue()
    if path is not None:
        # BOM so that Excel opens Chinese text correctly.
        path.write_text(text, encoding="utf-8-sig")
    return text


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return safe_cell(v)


def write_json(path: Path | None, payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False)
    if path is not None:
        path.write_text(text + "\n", encoding="utf-8")
    return text


def write_xlsx(
    path: Path, sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]
) -> None:
    """Write sheets of (name, header, rows). Text is always written as text, never as a formula."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        bold = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        for name, header, rows in sheets:
            ws = wb.add_worksheet(name[:31])
            for c, h in enumerate(header):
                ws.write_string(0, c, str(safe_cell(h)), bold)
                ws.set_column(c, c, max(8, min(60, len(str(h)) * 2 + 2)))
            for r, row in enumerate(rows, start=1):
                for c, v in enumerate(row):
                    if v is None:
                        continue
                    if isinstance(v, bool):
                        ws.write_boolean(r, c, v)
                    elif isinstance(v, int | float):
                        ws.write_number(r, c, v)
                    else:
                        ws.write_string(r, c, str(safe_cell(str(v))))
            ws.freeze_panes(1, 0)
    finally:
        wb.close()
