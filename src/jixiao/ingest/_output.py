"""Commit for the CLI: write the import result as a data file for `jixiao score`.

The file is written to a temporary name in the same directory and renamed into place
(``jixiao.files.write_file``), so an interrupted or failed write leaves nothing behind.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from jixiao.files import write_csv, write_xlsx
from jixiao.ingest._errors import IngestError
from jixiao.ingest._values import plain_decimal

__all__ = ["table_rows", "write_output"]


def table_rows(table: pl.DataFrame) -> tuple[list[str], list[list[object]]]:
    """Header and rows with Decimals in plain form (80, not 8E+1); text stays text."""
    rows = [
        [plain_decimal(v) if isinstance(v, Decimal) else v for v in r] for r in table.iter_rows()
    ]
    return list(table.columns), rows


def write_output(table: pl.DataFrame, path: str | Path) -> Path:
    """Write ``table`` as CSV (UTF-8 with BOM) or XLSX, chosen by the file suffix."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise IngestError(f"输出文件 {out} 须以 .csv 或 .xlsx 结尾")
    if not out.parent.is_dir():
        raise IngestError(f"输出目录 {out.parent} 不存在")
    header, rows = table_rows(table)
    if suffix == ".csv":
        return write_csv(out, header, rows)
    return write_xlsx(out, [("data", header, rows)])
