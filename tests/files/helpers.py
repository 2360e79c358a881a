"""Files for the file-layer tests (and the CLI and web hostile tests), made by the tests
themselves: every encoding, layout and attack."""

from __future__ import annotations

import io
import resource
import tracemalloc
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import fastexcel
import pytest
import xlsxwriter

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)

REPORT = [
    ["店铺", "旺旺", "接待人数", "销售额"],
    ["旗舰店", "小冰", "100", "1,234.50"],
    ["旗舰店", "小雪", "30", "300"],
]
KNOWN = frozenset({"旺旺", "接待人数", "销售额", "店铺"})


def csv_text(rows: Sequence[Sequence[object]], title: Sequence[str] = ()) -> str:
    lines = list(title)
    for r in rows:
        lines.append(
            ",".join("" if v is None else (f'"{v}"' if "," in str(v) else str(v)) for v in r)
        )
    return "\n".join(lines) + "\n"


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "Sheet1",
    start_row: int = 0,
    extra_sheets: Sequence[str] = (),
) -> bytes:
    """A workbook as a spreadsheet program writes it (cells typed: numbers are numbers)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name in extra_sheets:
        wb.add_worksheet(name).write(0, 0, "其他")
    ws = wb.add_worksheet(sheet)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(start_row + i, j, v)
    wb.close()
    return buf.getvalue()


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], **kw: object) -> Path:
    path.write_bytes(xlsx_bytes(rows, **kw))  # type: ignore[arg-type]
    return path


def replace_member(data: bytes, name: str, body: bytes, *, stored: bool = False) -> bytes:
    """``data`` (an XLSX) with member ``name`` replaced by ``body``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            content = body if info.filename == name else zin.read(info)
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zout.writestr(info.filename, content, compress_type=method)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_TAIL = b"</sheetData></worksheet>"


def sheet_xml(rows: bytes) -> bytes:
    return _HEAD + rows + _TAIL


def zip_bomb(megabytes: int = 48) -> bytes:
    """A valid XLSX whose sheet is ``megabytes`` MB of rows of long repeated text: it
    compresses about 1000:1, and a spreadsheet reader would parse and hold all of it."""
    row = b'<row><c t="inlineStr"><is><t>' + b"L" * 30_000 + b"</t></is></c></row>"
    body = sheet_xml(row * (megabytes * 2**20 // len(row)))
    return replace_member(xlsx_bytes([["x"]]), SHEET, body)


def far_cell() -> bytes:
    """A few KB: two cells, one of them at row 200001, column BXY (2001)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write(0, 0, "工号")
    ws.write(0, 1, "姓名")
    ws.write(200_000, 2_000, "x")
    wb.close()
    return buf.getvalue()


def billion_laughs(levels: int = 9) -> str:
    """342 bytes of YAML that expand to 10^9 nodes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def deep_yaml(levels: int = 5000) -> str:
    """Lists nested ``levels`` deep."""
    return "code: x\ncomponents: " + "[" * levels + "]" * levels + "\n"


def measured(call: Callable[[], T]) -> tuple[T, int, int]:
    """(result, peak Python allocation, growth of the process' peak RSS) of ``call()``."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss


def raised(exc: type[E], fn: Callable[..., object], *args: object, **kw: object) -> E:
    """The exception ``fn(*args, **kw)`` raises (the test fails if it returns)."""
    try:
        fn(*args, **kw)
    except exc as error:
        return error
    raise AssertionError(f"{exc.__name__} was not raised")


def assert_bounded(peak: int, grown: int, *, python_mb: int = 32, rss_mb: int = 64) -> None:
    assert peak < python_mb * 2**20, f"{peak / 2**20:.0f} MB allocated"
    assert grown < rss_mb * 2**20, f"peak RSS grew by {grown / 2**20:.0f} MB"


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a workbook reaches the spreadsheet parser."""

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a hostile workbook reached the spreadsheet parser")

    monkeypatch.setattr(fastexcel, "read_excel", refuse)
