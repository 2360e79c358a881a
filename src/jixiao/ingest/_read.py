"""Reading export files into a table of text cells, safely.

* Size is checked before anything is parsed; XLSX archives are inspected with ``zipfile``
  (total uncompressed size and compression ratio) before fastexcel opens them, so a zip bomb
  is refused instead of exhausting memory.
* CSV encoding is detected, never assumed: strict UTF-8 (with or without BOM) first, then
  GB18030 (a superset of GBK and GB2312); anything else is refused.
* Exports often put a title and notes above the header; the header row is the row among the
  first 30 that matches the most known header aliases (falling back to the first row that
  looks like a header).
* Every cell stays text; ``__row__`` keeps the row number as Excel / WPS shows it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from jixiao.ingest._errors import IngestError

__all__ = [
    "ROW",
    "Limits",
    "RawTable",
    "Source",
    "decode_text",
    "find_header",
    "norm_header",
    "open_source",
    "read_raw",
]

ROW = "__row__"
_SCAN_ROWS = 30
_UNNAMED = re.compile(r"第\d+列")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Limits:
    """Refuse files beyond these sizes (bytes) and XLSX archives beyond this ratio."""

    max_bytes: int = 200 * 2**20
    max_uncompressed: int = 2 * 2**30
    max_ratio: float = 200.0


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    data: bytes
    sha256: str


@dataclass(frozen=True, slots=True)
class RawTable:
    file: str
    sheet: str | None
    encoding: str | None
    header_row: int
    header: tuple[str, ...]
    frame: pl.DataFrame  # one String column per header, plus ROW (Int64)


def open_source(
    src: str | Path | bytes, *, name: str | None = None, limits: Limits | None = None
) -> Source:
    lim = limits or Limits()
    if isinstance(src, bytes):
        data, label = src, name or "上传的文件"
    else:
        path = Path(src)
        label = name or str(path)
        if not path.is_file():
            raise IngestError(f"{label}：找不到文件，请检查路径")
        size = path.stat().st_size
        if size > lim.max_bytes:
            raise IngestError(_too_big(label, size, lim.max_bytes))
        data = path.read_bytes()
    if len(data) > lim.max_bytes:
        raise IngestError(_too_big(label, len(data), lim.max_bytes))
    if not data.strip():
        raise IngestError(f"{label}：文件是空的")
    return Source(label, data, hashlib.sha256(data).hexdigest())


def _too_big(label: str, size: int, limit: int) -> str:
    return (
        f"{label}：文件太大（{size / 2**20:.1f} MB，上限 {limit / 2**20:.0f} MB）；"
        "请按月份或店铺拆分后再导入"
    )


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """(text, encoding); strict UTF-8 with or without BOM first, then GB18030."""
    if data.startswith(_BOM):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    raise IngestError(
        f"{label}：无法识别文件编码（支持 UTF-8、带 BOM 的 UTF-8 与 GBK/GB18030）；"
        "请在 Excel / WPS 中另存为 “CSV UTF-8” 后再导入"
    )


_UNIT_SUFFIX = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]$")


def norm_header(text: str) -> str:
    """Header text as matched against aliases: no spaces, no unit suffix, lower case."""
    t = re.sub(r"\s+", "", str(text)).replace("（", "(").replace("）", ")")
    t = _UNIT_SUFFIX.sub("", t)
    return t.lower()


def header_unit(text: str) -> str | None:
    """The unit in a header's trailing brackets: ``销售额(万元)`` → ``万元``."""
    m = re.search(r"[(（\[【]([^)）\]】]*)[)）\]】]\s*$", str(text))
    return m.group(1).strip() if m else None


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+¥￥]?[\d,.]+%?", text))


def find_header(rows: list[list[str | None]], known: frozenset[str]) -> int:
    """Index of the header row among ``rows`` (the first rows of the file)."""
    best, best_score = -1, 0
    for i, row in enumerate(rows[:_SCAN_ROWS]):
        score = sum(1 for c in row if c and norm_header(c) in known)
        if score > best_score:
            best, best_score = i, score
    if best_score >= 2 or (best_score == 1 and sum(1 for c in rows[best] if c) <= 2):
        return best
    for i, row in enumerate(rows[:_SCAN_ROWS]):
        cells = [c.strip() for c in row if c and c.strip()]
        if len(cells) >= 2 and not any(_is_number(c) for c in cells):
            return i
    return 0


def _unique(header: list[str | None]) -> list[str]:
    out: list[str] = []
    for i, h in enumerate(header):
        name = (h or "").strip() or f"第{i + 1}列"
        base, n = name, 2
        while name in out:
            name, n = f"{base}#{n}", n + 1
        out.append(name)
    return out


def _drop_empty(frame: pl.DataFrame) -> pl.DataFrame:
    cols = [c for c in frame.columns if c != ROW]
    if not cols:
        return frame
    empty = pl.all_horizontal(
        [pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in cols]
    )
    return frame.filter(~empty)


def _read_csv(src: Source, known: frozenset[str]) -> RawTable:
    text, encoding = decode_text(src.data, src.name)
    head_lines = text.split("\n", _SCAN_ROWS + 1)[:_SCAN_ROWS]
    rows: list[list[str | None]] = [
        list(r) if r else [] for r in (next(csv.reader([ln]), []) for ln in head_lines)
    ]
    idx = find_header(rows, known)
    header = _unique(list(rows[idx]) if idx < len(rows) else [])
    body = text.split("\n", idx + 1)[idx + 1] if text.count("\n") > idx else ""
    schema = dict.fromkeys(header, pl.String)
    try:
        frame = pl.read_csv(
            body.encode("utf-8"),
            has_header=False,
            schema=schema,
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        line = _first_ragged(body, len(header))
        if line is None:
            raise IngestError(f"{src.name}：CSV 格式有误，无法读取（{exc}）；请重新导出") from None
        raise IngestError(
            f"{src.name}：第 {idx + 2 + line} 行的字段比表头（第 {idx + 1} 行）多；"
            "可能有未加引号的逗号，请检查该行或另存为 XLSX"
        ) from None
    frame = frame.with_columns(
        pl.int_range(idx + 2, idx + 2 + frame.height, dtype=pl.Int64).alias(ROW)
    )
    # Columns without a header and without data come from exports padding rows with commas.
    unnamed = [
        h
        for h in header
        if _UNNAMED.fullmatch(h) and frame.get_column(h).null_count() == frame.height
    ]
    frame = frame.drop(unnamed)
    header = [h for h in header if h not in unnamed]
    return RawTable(src.name, None, encoding, idx + 1, tuple(header), _drop_empty(frame))


def _first_ragged(body: str, width: int) -> int | None:
    for i, row in enumerate(csv.reader(io.StringIO(body))):
        if len(row) > width:
            return i
    return None


def _check_zip(src: Source, lim: Limits) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(src.data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise IngestError(f"{src.name}：XLSX 文件已损坏或不完整，请重新导出") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0.0)
    if total > lim.max_uncompressed or total / packed > lim.max_ratio or worst > lim.max_ratio * 5:
        raise IngestError(
            f"{src.name}：XLSX 解压后过大（{total / 2**20:.0f} MB，压缩比 {total / packed:.0f}:1），"
            "疑似压缩炸弹或异常文件，已拒绝；请确认文件来源，或另存为 CSV 后再导入"
        )
    return zf


_ROW_XML = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?<!/)>(.*?)</row>', re.S)
_VALUE_XML = re.compile(rb"<(?:v|is|t)[ >]")


def _first_row(zf: zipfile.ZipFile, sheet_index: int) -> int:
    """Row number of the first cell with a value (calamine trims leading empty rows)."""
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
        rids = re.findall(rb'<sheet\b[^>]*?r:id="([^"]+)"', wb)
        rid = rids[sheet_index]
        target = re.search(
            rb'<Relationship\b[^>]*?Id="' + re.escape(rid) + rb'"[^>]*?Target="([^"]+)"', rels
        )
        if target is None:
            target = re.search(
                rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="' + re.escape(rid) + rb'"', rels
            )
        path = target.group(1).decode() if target else ""
        path = path.lstrip("/") if path.startswith("/") else "xl/" + path
        with zf.open(path) as fh:
            head = fh.read(1 << 20)
        for m in _ROW_XML.finditer(head):
            if _VALUE_XML.search(m.group(2)):
                return int(m.group(1))
    except (KeyError, IndexError, AttributeError, ValueError, zipfile.BadZipFile):
        pass
    return 1


def _read_xlsx(
    src: Source, sheet: str | int | None, known: frozenset[str], lim: Limits
) -> RawTable:
    zf = _check_zip(src, lim)
    try:
        reader = fastexcel.read_excel(src.data)
        names = reader.sheet_names
        if sheet is None:
            index = 0
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise IngestError(f"{src.name}：没有第 {sheet + 1} 个工作表（共 {len(names)} 个）")
            index = sheet
        elif sheet in names:
            index = names.index(sheet)
        else:
            listed = "、".join(f"“{n}”" for n in names)
            raise IngestError(f"{src.name}：没有名为“{sheet}”的工作表；现有工作表：{listed}")
        frame = reader.load_sheet(index, header_row=None, dtypes="string").to_polars()
    except IngestError:
        raise
    except Exception as exc:  # fastexcel raises its own hierarchy; all mean "unreadable"
        raise IngestError(
            f"{src.name}：无法读取 XLSX（{exc.__class__.__name__}）；请重新导出或另存为 CSV"
        ) from None
    sheet_name = names[index]
    offset = _first_row(zf, index)
    head = frame.head(_SCAN_ROWS).rows()
    idx = find_header([list(r) for r in head], known)
    header = _unique(list(head[idx]) if head else [])
    keep = [i for i, h in enumerate(header) if not (h.startswith("第") and h.endswith("列"))]
    body = frame.slice(idx + 1)
    body = body.select([pl.col(body.columns[i]).alias(header[i]) for i in keep])
    first = offset + idx + 1
    body = body.with_columns(pl.int_range(first, first + body.height, dtype=pl.Int64).alias(ROW))
    return RawTable(
        src.name, sheet_name, None, offset + idx, tuple(header[i] for i in keep), _drop_empty(body)
    )


def read_raw(
    src: Source,
    *,
    sheet: str | int | None = None,
    known_headers: frozenset[str] = frozenset(),
    limits: Limits | None = None,
) -> RawTable:
    lim = limits or Limits()
    magic = src.data[:8]
    if magic.startswith(b"PK\x03\x04"):
        return _read_xlsx(src, sheet, known_headers, lim)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(
            f"{src.name}：这是旧版 .xls 文件，暂不支持；请在 Excel / WPS 中另存为 .xlsx 或 CSV"
        )
    if b"\x00" in src.data[:4096]:
        raise IngestError(
            f"{src.name}：不是 CSV 或 XLSX 文件（含二进制内容）；请导出为 CSV 或 XLSX"
        )
    if sheet is not None:
        raise IngestError(f"{src.name}：CSV 文件没有工作表，不能指定工作表“{sheet}”")
    return _read_csv(src, known_headers)
