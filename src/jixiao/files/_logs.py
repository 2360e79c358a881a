"""Large logs (chat and order exports, millions of rows): a lazy CSV scan instead of a table in
memory, with the same size, type and encoding checks as :func:`~jixiao.files.read_table`.

Polars' reader validates UTF-8 strictly (a BOM is accepted); a file that is not UTF-8 is
decoded from GB18030 in Python first (``decode=True``, also after Polars finds invalid UTF-8
past the header)."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from jixiao.files._errors import FileTooLarge, UnreadableFile
from jixiao.files._source import decode_text

__all__ = ["scan_csv"]


def _check(path: Path, max_bytes: int) -> None:
    label = str(path)
    if not path.is_file():
        raise UnreadableFile(label, "找不到文件，请检查路径", "file not found; check the path")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(
            label,
            f"文件太大（{size / 2**30:.1f} GB，上限 {max_bytes / 2**30:.1f} GB）；请按月拆分",
            f"file too large ({size / 2**30:.1f} GB, limit {max_bytes / 2**30:.1f} GB); "
            "split it by month",
        )
    if size == 0:
        raise UnreadableFile(label, "文件是空的", "the file is empty")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04") or b"\x00" in head:
        raise UnreadableFile(
            label,
            "不是 CSV 文件；聊天 / 订单记录请导出为 CSV（UTF-8 或 GBK）",
            "not a CSV file; export chat and order logs as CSV (UTF-8 or GBK)",
        )


def scan_csv(
    path: str | Path, *, max_bytes: int, decode: bool = False
) -> tuple[pl.LazyFrame, list[str]]:
    """(every column as text, lazily; the header names). Rows are not numbered here."""
    p = Path(path)
    _check(p, max_bytes)
    if not decode:
        with p.open("rb") as fh:
            first = fh.read(1 << 16).split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf")
        try:
            first.decode("utf-8")
        except UnicodeDecodeError:
            decode = True
    data: bytes | Path = p
    if decode:
        text, _enc = decode_text(p.read_bytes(), str(p))
        data = text.encode("utf-8")
    try:
        header = pl.read_csv(data, n_rows=0, infer_schema=False).columns
    except pl.exceptions.PolarsError:
        raise UnreadableFile(
            str(p),
            "无法读取为 CSV；请导出为 CSV（UTF-8 或 GBK）",
            "cannot be read as CSV; export it as CSV (UTF-8 or GBK)",
        ) from None
    lf = pl.scan_csv(
        io.BytesIO(data) if isinstance(data, bytes) else data,
        infer_schema=False,
        raise_if_empty=False,
    )
    return lf, header
