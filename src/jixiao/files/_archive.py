"""XLSX archives inspected before a spreadsheet reader touches them.

A reader allocates what the archive declares: every member it inflates, and a dense block for
the sheet's used range, however few cells are filled (one cell at XFD1048576 is 17 billion
cells). So, before any XML is parsed:

1. the end-of-central-directory record gives the member count;
2. the central directory gives each member's declared sizes: total, ratio to the file size and
   per member are checked (a zip bomb is refused here, in milliseconds);
3. every member is inflated once, in 1 MiB pieces that are thrown away, to check that it holds
   exactly what the directory declares (a lying directory is refused without ever holding more
   than a piece in memory) and that no XML declares entities;
4. the chosen sheet's XML is scanned on the way for its largest row and column, so rows,
   columns and rows × columns are known before the sheet is read.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

from jixiao.files._errors import FileTooLarge, UnreadableFile
from jixiao.files._limits import Limits
from jixiao.files._source import Source

__all__ = ["SheetPlan", "inspect_xlsx"]

_PIECE_IN = 1 << 16
_PIECE_OUT = 1 << 20
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"


@dataclass(frozen=True, slots=True)
class SheetPlan:
    """What the inspection found: the sheet to read and the shape of its used range."""

    names: tuple[str, ...]
    index: int
    first_row: int  # the first row with a value, as Excel numbers it
    rows: int
    columns: int


def corrupt(src: Source) -> UnreadableFile:
    return UnreadableFile(
        src.name,
        "无法作为 Excel 打开：XLSX 文件已损坏或不完整；请重新导出，或另存为 CSV",
        "cannot open it as Excel: the XLSX file is damaged or incomplete; export it again "
        "or save it as CSV",
    )


def _suspicious(src: Source, zh: str, en: str) -> FileTooLarge:
    return FileTooLarge(
        src.name,
        f"{zh}，疑似压缩炸弹或异常文件，已拒绝；请确认文件来源，或另存为 CSV 后再导入",
        f"{en}: it looks like a zip bomb or a malformed file and was refused; check where it "
        "came from, or save it as CSV",
    )


def _entry_count(src: Source) -> int:
    """Members listed by the end-of-central-directory record (read before the directory)."""
    data = src.data
    at = data.rfind(_EOCD, max(0, len(data) - 22 - 65_535))
    if at < 0 or at + 22 > len(data):
        raise corrupt(src)
    (count,) = struct.unpack_from("<H", data, at + 10)
    loc = at - 20
    if count == 0xFFFF and loc >= 0 and data[loc : loc + 4] == _ZIP64_LOCATOR:
        (eocd64,) = struct.unpack_from("<Q", data, loc + 8)
        if eocd64 + 56 > len(data):
            raise corrupt(src)
        (count,) = struct.unpack_from("<Q", data, eocd64 + 32)
    return int(count)


def _mb(n: float) -> str:
    return f"{n / 2**20:.0f}"


def _check_directory(src: Source, lim: Limits) -> list[zipfile.ZipInfo]:
    count = _entry_count(src)
    if count > lim.max_entries:
        raise _suspicious(
            src,
            f"XLSX 压缩包内有 {count} 个文件（上限 {lim.max_entries}）",
            f"the XLSX archive holds {count} members (limit {lim.max_entries})",
        )
    try:
        infos = zipfile.ZipFile(io.BytesIO(src.data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        raise corrupt(src) from None
    names = [i.filename for i in infos]
    if len(set(names)) != len(names) or len(infos) > lim.max_entries:
        raise corrupt(src)
    total = sum(i.file_size for i in infos)
    ratio = total / max(len(src.data), 1)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0.0)
    if total > lim.max_uncompressed or ratio > lim.max_ratio or worst > lim.max_entry_ratio:
        raise _suspicious(
            src,
            f"XLSX 解压后过大（{_mb(total)} MB，压缩比 {ratio:.0f}:1；"
            f"上限 {_mb(lim.max_uncompressed)} MB、{lim.max_ratio:.0f}:1）",
            f"the XLSX inflates to {_mb(total)} MB, ratio {ratio:.0f}:1 (limits "
            f"{_mb(lim.max_uncompressed)} MB, {lim.max_ratio:.0f}:1)",
        )
    for i in infos:
        if i.flag_bits & 0x1 or i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise corrupt(src)
    return infos


def _inflate(src: Source, info: zipfile.ZipInfo, sink: Callable[[bytes], None] | None) -> None:
    """Inflate one member in pieces, checking that it is exactly what the directory says."""
    data = src.data
    off = info.header_offset
    if data[off : off + 4] != b"PK\x03\x04":
        raise corrupt(src)
    n, e = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + n + e
    comp = memoryview(data)[start : start + info.compress_size]
    if len(comp) != info.compress_size:
        raise corrupt(src)
    total, crc = 0, 0

    def take(out: bytes) -> None:
        nonlocal total, crc
        total += len(out)
        if total > info.file_size:  # more than declared: a lying directory
            raise _suspicious(
                src,
                f"XLSX 中的 {info.filename} 解压后比声明的大",
                f"{info.filename} inflates to more than the archive declares",
            )
        crc = zlib.crc32(out, crc)
        if sink is not None:
            sink(out)

    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(comp), _PIECE_OUT):
            take(bytes(comp[i : i + _PIECE_OUT]))
    else:
        d = zlib.decompressobj(-15)
        try:
            for i in range(0, len(comp), _PIECE_IN):
                buf: bytes | memoryview = comp[i : i + _PIECE_IN]
                while buf and not d.eof:
                    take(d.decompress(buf, _PIECE_OUT))
                    buf = d.unconsumed_tail
                if d.eof:
                    break
            while not d.eof:
                out = d.decompress(b"", _PIECE_OUT)
                if not out:
                    break
                take(out)
        except zlib.error:
            raise corrupt(src) from None
        if not d.eof:
            raise corrupt(src)
    if total != info.file_size or crc != info.CRC:
        raise corrupt(src)


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_SMALL = 16 * 2**20  # the workbook part lists sheets; no real one comes near this


def _member(src: Source, infos: dict[str, zipfile.ZipInfo], name: str) -> bytes:
    info = infos.get(name)
    if info is None:
        if "xl/workbook.bin" in infos:
            raise UnreadableFile(
                src.name,
                "这是 XLSB（二进制工作簿），暂不支持；请在 Excel / WPS 中另存为 .xlsx 或 CSV",
                "XLSB (binary workbook) is not supported; save it as .xlsx or CSV",
            )
        raise corrupt(src)
    if info.file_size > _SMALL:
        raise corrupt(src)
    pieces: list[bytes] = []
    _inflate(src, info, pieces.append)
    body = b"".join(pieces)
    if b"<!ENTITY" in body or b"<!DOCTYPE" in body:
        raise _entities(src, name)
    return body


def _sheets(src: Source, wb: bytes, rels: bytes) -> list[tuple[str, str]]:
    """(name, member path) of every sheet, in the workbook's order."""
    targets = {}
    for tag in _REL_TAG.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        if b"Id" in attrs and b"Target" in attrs:
            targets[attrs[b"Id"]] = unescape(attrs[b"Target"].decode("utf-8", "replace"))
    out = []
    for tag in _SHEET_TAG.findall(wb):
        pairs = _ATTR.findall(tag)
        name = next((v for k, v in pairs if k == b"name"), b"")
        rid = next((v for k, v in pairs if k.endswith(b":id")), b"")
        target = targets.get(rid, "")
        path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else "xl/" + target)
        out.append((unescape(name.decode("utf-8", "replace")), path))
    if not out:
        raise corrupt(src)
    return out


def _choose(src: Source, names: list[str], sheet: str | int | None) -> int:
    if sheet is None:
        return 0
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise UnreadableFile(
                src.name,
                f"没有第 {sheet + 1} 个工作表（共 {len(names)} 个）",
                f"there is no sheet number {sheet + 1} ({len(names)} sheets)",
            )
        return sheet
    if sheet in names:
        return names.index(sheet)
    listed = "、".join(f"“{n}”" for n in names)
    raise UnreadableFile(
        src.name,
        f"没有名为“{sheet}”的工作表；现有工作表：{listed}",
        f'there is no sheet named "{sheet}"; sheets: {", ".join(names)}',
    )


def _above(text: str, first: str, last: str, lead: str) -> str:
    """A regex for strings over the characters ``first``..``last`` (most significant first)
    that are greater than ``text``: longer ones (starting with ``lead``), or as long and
    greater at the first character that differs."""
    any_ = f"[{first}-{last}]"
    alts = [f"{lead}{any_}{{{len(text)},}}"]
    for i, ch in enumerate(text):
        if ch != last:
            alts.append(f"{text[:i]}[{chr(ord(ch) + 1)}-{last}]{any_}{{{len(text) - i - 1}}}")
    return "(?:" + "|".join(alts) + ")"


def _digits_above(n: int) -> str:
    """Row numbers greater than ``n`` (leading zeros allowed)."""
    return "0*" + _above(str(n), "0", "9", "[1-9]")


def _letters_above(col: int) -> str:
    """Column letters after column number ``col`` (1-based): a longer name is a later column."""
    return _above(column_letters(col), "A", "Z", "[A-Z]")


def column_letters(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out or "A"


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_ROW_AT = re.compile(rb'<row\b[^>]*?\br="0*(\d+)"')
_CELL_COL = re.compile(rb'\br="([A-Za-z]+)\d')
_FIRST_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?<!/)>(.*?)</row>', re.S)
_VALUE = re.compile(rb"<(?:v|is|t)[ >]")
_EVENTS = re.compile(rb"<row[\s>/]|<c[\s>/]")


class _SheetScan:
    """Largest row and column of a sheet's XML, fed in pieces (matches may cross pieces)."""

    def __init__(self) -> None:
        self.row = 0
        self.col = 0
        self.head = b""
        self.prev = b""
        self.rowless = 0  # <row> elements without a position
        self.row_cells = 0  # cells since the last <row>, for cells without a position
        self.widest = 0
        self.entities = False
        self._row_rx: re.Pattern[bytes] | None = None
        self._col_rx: re.Pattern[bytes] | None = None

    def _rx_rows(self) -> re.Pattern[bytes]:
        if self._row_rx is None:
            self._row_rx = re.compile(
                rb'\br="[A-Za-z]*(' + _digits_above(self.row).encode() + b')"'
            )
        return self._row_rx

    def _rx_cols(self) -> re.Pattern[bytes]:
        if self._col_rx is None:
            self._col_rx = re.compile(
                rb'\br="(' + _letters_above(self.col).encode() + rb")\d", re.I
            )
        return self._col_rx

    def feed(self, piece: bytes) -> None:
        buf = self.prev[-64:] + piece
        if len(self.head) < _PIECE_OUT:
            self.head += piece[: _PIECE_OUT - len(self.head)]
        if b"<!ENTITY" in buf or b"<!DOCTYPE" in buf:
            self.entities = True
        last = buf.rfind(b"<row")
        m = _ROW_AT.match(buf, last) if last >= 0 else None
        if m and int(m.group(1)) > self.row:
            self.row, self._row_rx = int(m.group(1)), None
        found = [int(x) for x in self._rx_rows().findall(buf)]
        if found:
            self.row, self._row_rx = max(self.row, *found), None
        if self.col == 0:
            cols = {c.decode().upper() for c in _CELL_COL.findall(buf)}
            if cols:
                self.col = max(column_number(c) for c in cols)
        found = [column_number(c.decode()) for c in self._rx_cols().findall(buf)]
        if found:
            self.col, self._col_rx = max(self.col, *found), None
        self._count_unpositioned(buf)
        self.prev = piece

    def _count_unpositioned(self, buf: bytes) -> None:
        skip = min(64, len(self.prev))  # bytes of buf seen in the previous piece
        rows = sum(buf.count(t) for t in (b"<row>", b"<row/>", b"<row ")) - buf.count(b'<row r="')
        cells = sum(buf.count(t) for t in (b"<c>", b"<c/>", b"<c ")) - buf.count(b'<c r="')
        if rows <= 0 and cells <= 0:
            return
        # Rare: rows / cells placed by position. Count cells per row exactly.
        for m in _EVENTS.finditer(buf):
            if m.end() <= skip:
                continue
            if m.group().startswith(b"<row"):
                self.row_cells = 0
                if not buf.startswith(b'<row r="', m.start()):
                    self.rowless += 1
            else:
                self.row_cells += 1
                self.widest = max(self.widest, self.row_cells)

    def first_row(self) -> int:
        for m in _FIRST_ROW.finditer(self.head):
            if _VALUE.search(m.group(2)):
                return int(m.group(1))
        return 1

    @property
    def rows(self) -> int:
        return self.row + self.rowless

    @property
    def columns(self) -> int:
        return max(self.col, self.widest)


def inspect_xlsx(src: Source, sheet: str | int | None, lim: Limits) -> SheetPlan:
    """Check the archive against ``lim`` and choose the sheet; raises before any XML is parsed
    by a spreadsheet reader."""
    infos = _check_directory(src, lim)
    by_name = {i.filename: i for i in infos}
    found = _sheets(src, _member(src, by_name, _WORKBOOK), _member(src, by_name, _WORKBOOK_RELS))
    names = [n for n, _ in found]
    index = _choose(src, names, sheet)
    path = found[index][1]
    scan = _SheetScan()
    if path not in by_name:
        raise corrupt(src)
    for info in infos:
        if info.filename in (_WORKBOOK, _WORKBOOK_RELS):
            continue
        _inflate(src, info, scan.feed if info.filename == path else _entity_check(src, info))
    if scan.entities:
        raise _entities(src, path)
    rows, cols = scan.rows, scan.columns
    label = names[index]
    if rows > lim.max_rows or cols > lim.max_columns or rows * cols > lim.max_cells:
        raise FileTooLarge(
            src.name,
            f"数据区域为 {rows} 行 × {cols} 列（上限 {lim.max_rows} 行、{lim.max_columns} 列、"
            f"共 {lim.max_cells} 个单元格）；请删除远处的空白单元格格式，或拆分后再导入",
            f"the used range is {rows} rows × {cols} columns (limits {lim.max_rows} rows, "
            f"{lim.max_columns} columns, {lim.max_cells} cells); clear formatting far from the "
            "data or split the file",
            sheet=label,
        )
    return SheetPlan(tuple(names), index, scan.first_row(), rows, cols)


def _entities(src: Source, member: str) -> FileTooLarge:
    return _suspicious(
        src,
        f"XLSX 中的 {member} 声明了 XML 实体（DOCTYPE / ENTITY）",
        f"{member} declares XML entities (DOCTYPE / ENTITY)",
    )


def _entity_check(src: Source, info: zipfile.ZipInfo) -> Callable[[bytes], None] | None:
    if not info.filename.endswith((".xml", ".rels")):
        return None
    prev = b""

    def sink(piece: bytes) -> None:
        nonlocal prev
        buf = prev + piece
        if b"<!ENTITY" in buf or b"<!DOCTYPE" in buf:
            raise _entities(src, info.filename)
        prev = piece[-16:]

    return sink
