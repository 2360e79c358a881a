"""Every limit of the table reader, checked before parsing: the spreadsheet reader is never
called for a file beyond one (``no_parse``), so a refusal costs no memory."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from jixiao.files import FileTooLarge, Limits, UnreadableFile, read_table

from .helpers import (
    REPORT,
    SHEET,
    far_cell,
    measured,
    raised,
    replace_member,
    sheet_xml,
    xlsx_bytes,
    zip_bomb,
)


def test_zip_bomb_is_refused_from_the_directory_with_bounded_memory(no_parse):
    bomb = zip_bomb()
    assert len(bomb) < 2**20  # well under 1 MB, 48 MB once inflated
    info, peak, _ = measured(lambda: raised(FileTooLarge, read_table, bomb, name="bomb.xlsx"))
    assert peak < 4 * 2**20  # the archive was never inflated
    assert info.file == "bomb.xlsx" and "zip bomb" in info.message_en
    assert "压缩比" in info.message


def test_decompressed_size_limit(no_parse):
    data = xlsx_bytes(REPORT)
    with pytest.raises(FileTooLarge, match="解压后过大"):
        read_table(data, limits=Limits(max_uncompressed=1000))


def test_ratio_limit_is_overridable():
    data = xlsx_bytes(REPORT)
    read_table(data)  # a real workbook is far below the default ratio
    with pytest.raises(FileTooLarge, match=r"压缩比 \d+:1"):
        read_table(data, limits=Limits(max_ratio=1.0))


def test_entry_count_is_read_before_the_directory(no_parse, monkeypatch):
    data = xlsx_bytes(REPORT)

    def no_directory(*_a, **_k):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", no_directory)
    with pytest.raises(FileTooLarge, match="个文件（上限 3）"):
        read_table(data, limits=Limits(max_entries=3))


def test_a_lying_directory_is_refused_while_inflating(no_parse):
    """The directory declares 100 bytes for a member that inflates to 10 MB."""
    body = sheet_xml(
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"L" * 10_000_000 + b"</t></is></c></row>"
    )
    data = bytearray(replace_member(xlsx_bytes([["x"]]), SHEET, body))
    at = data.find(b"PK\x01\x02")  # central directory entries, one per member
    while data[at + 46 : at + 46 + len(SHEET)] != SHEET.encode():
        at = data.find(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, at + 24, 100)  # uncompressed size in the central directory
    info, peak, _ = measured(lambda: raised(FileTooLarge, read_table, bytes(data)))
    assert "解压后比声明的大" in info.message and peak < 8 * 2**20


def test_far_away_cell_is_refused_by_its_used_range(no_parse):
    data = far_cell()
    assert len(data) < 20_000
    with pytest.raises(FileTooLarge, match=r"200001 行 × 2001 列") as info:
        read_table(data, name="far.xlsx")
    assert info.value.sheet == "Sheet1" and "clear formatting" in info.value.message_en


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(max_rows=3), "上限 3 行"),
        (Limits(max_columns=3), "上限.*3 列"),
        (Limits(max_cells=10), "共 10 个单元格"),
    ],
)
def test_xlsx_rows_columns_and_cells(no_parse, limits, message):
    with pytest.raises(FileTooLarge, match=message):
        read_table(xlsx_bytes(REPORT + [["a", "b", "c", "d"]] * 2), limits=limits)


def test_rows_found_out_of_order_and_without_positions(no_parse):
    late = (
        b'<row r="900000"><c r="A900000"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>'
    )
    with pytest.raises(FileTooLarge, match="900000 行"):
        read_table(
            replace_member(xlsx_bytes([["x"]]), SHEET, sheet_xml(late)),
            limits=Limits(max_rows=1000),
        )
    wide = b"<row>" + b"<c><v>1</v></c>" * 50 + b"</row>"
    with pytest.raises(FileTooLarge, match="× 50 列"):
        read_table(
            replace_member(xlsx_bytes([["x"]]), SHEET, sheet_xml(wide * 2)),
            limits=Limits(max_columns=40),
        )


def test_cell_column_found_past_the_first_piece(no_parse):
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 60_000))
    rows += b'<row r="60000"><c r="ZZZ60000"><v>1</v></c></row>'
    data = replace_member(xlsx_bytes([["x"]]), SHEET, sheet_xml(rows))
    with pytest.raises(FileTooLarge, match="60000 行 × 18278 列"):
        read_table(data)


def test_xml_entities_are_refused(no_parse):
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + sheet_xml(b"")[21:]
    with pytest.raises(FileTooLarge, match="XML 实体"):
        read_table(replace_member(xlsx_bytes([["x"]]), SHEET, body))


def test_csv_rows_columns_and_cell_length():
    text = "a,b\n" + "1,2\n" * 5
    with pytest.raises(FileTooLarge, match="有 5 行数据，超过上限 4 行"):
        read_table(text.encode(), limits=Limits(max_rows=4))
    with pytest.raises(FileTooLarge, match="表头有 3 列，超过上限 2 列") as info:
        read_table(b"a,b,c\n1,2,3\n", limits=Limits(max_columns=2))
    assert info.value.row == 1
    with pytest.raises(FileTooLarge, match="第 3 行，列“b”：单元格有 6 个字符") as info:
        read_table(b"a,b\n1,x\n2,yyyyyy\n", name="c.csv", limits=Limits(max_cell_chars=5))
    assert info.value.where == "c.csv，第 3 行，列“b”"


def test_xlsx_cell_length():
    data = xlsx_bytes([["a"], ["x" * 40]])
    with pytest.raises(FileTooLarge, match="第 2 行，列“a”：单元格有 40 个字符"):
        read_table(data, limits=Limits(max_cell_chars=39))


def test_binary_workbooks_and_unknown_compression_are_refused(no_parse):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]]))) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            name = "xl/workbook.bin" if info.filename == "xl/workbook.xml" else info.filename
            zout.writestr(name, zin.read(info))
    with pytest.raises(UnreadableFile, match="XLSB"):
        read_table(out.getvalue(), name="b.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]]))) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info), compress_type=zipfile.ZIP_BZIP2)
    with pytest.raises(UnreadableFile, match="已损坏"):
        read_table(out.getvalue(), name="bz.xlsx")


def test_limits_are_frozen_and_have_sane_defaults():
    lim = Limits()
    with pytest.raises(AttributeError):
        lim.max_rows = 1  # type: ignore[misc]
    assert lim.max_rows == 1_048_576 and lim.max_columns == 16_384  # Excel's own sheet limits
    assert lim.max_cell_chars == 32_767  # Excel's cell limit
    assert lim.max_entry_ratio == lim.max_ratio * 5
