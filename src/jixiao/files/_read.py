"""One reader for every table the project takes in: bytes in, limits enforced before parsing."""

from __future__ import annotations

from pathlib import Path, PurePath

from jixiao.files._archive import corrupt
from jixiao.files._csv import read_csv
from jixiao.files._errors import UnreadableFile
from jixiao.files._limits import Limits
from jixiao.files._source import Source, open_source
from jixiao.files._table import RawTable
from jixiao.files._xlsx import read_xlsx

__all__ = ["TABLE_SUFFIXES", "read_table"]

TABLE_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ""})
_XLSX = (".xlsx", ".xlsm")


def read_table(
    src: Source | str | Path | bytes,
    *,
    name: str | None = None,
    sheet: str | int | None = None,
    known_headers: frozenset[str] = frozenset(),
    limits: Limits | None = None,
) -> RawTable:
    """A CSV (UTF-8 / UTF-8 BOM / UTF-16 / GBK / GB18030) or XLSX file as a table of text.

    ``src`` is a path (its size is checked before it is read), uploaded bytes (``name`` is the
    file name shown in messages) or an already opened :class:`Source`. The header row is found
    among the first rows with ``known_headers`` (title rows above it are skipped).
    Raises :class:`~jixiao.files.FileError` naming the file, and the row where it applies.
    """
    lim = limits or Limits()
    source = src if isinstance(src, Source) else open_source(src, name=name, limits=lim)
    suffix = PurePath(source.name).suffix.lower()
    if suffix not in TABLE_SUFFIXES and suffix[1:].isascii() and suffix[1:].isalpha():
        raise UnreadableFile(
            source.name,
            f"不支持的文件类型“{suffix}”：只支持 .csv 或 .xlsx 文件",
            f'unsupported file type "{suffix}": only .csv and .xlsx files are read',
        )
    magic = source.data[:8]
    if magic.startswith(b"PK\x03\x04"):
        return read_xlsx(source, sheet, known_headers, lim)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            source.name,
            "这是旧版 .xls 文件或加密的 Excel 文件，暂不支持；"
            "请在 Excel / WPS 中另存为 .xlsx（不设密码）或 CSV",
            "an old .xls file or an encrypted workbook is not supported; save it as .xlsx "
            "(without a password) or CSV",
        )
    if b"\x00" in source.data[:4096] and not source.data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(
            source.name,
            "不是 CSV 或 XLSX 文件（含二进制内容）；请导出为 CSV 或 XLSX",
            "not a CSV or XLSX file (binary content); export it as CSV or XLSX",
        )
    first_line = source.data[:4096].split(b"\n", 1)[0]
    if suffix in _XLSX and b"," not in first_line and b"\t" not in first_line:
        raise corrupt(source)  # named .xlsx, neither a workbook nor delimited text
    if sheet is not None:
        raise UnreadableFile(
            source.name,
            f"CSV 文件没有工作表，不能指定工作表“{sheet}”",
            f'a CSV file has no sheets; sheet "{sheet}" cannot be chosen',
        )
    return read_csv(source, known_headers, lim)
