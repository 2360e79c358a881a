"""The one table reader: encodings detected, header rows found, rows numbered as Excel shows
them, broken files refused naming the file (moved here from the ingest reader's tests)."""

from __future__ import annotations

import hashlib

import pytest

from jixiao.files import (
    FileError,
    FileTooLarge,
    Limits,
    UnreadableFile,
    decode_text,
    find_column,
    find_header,
    open_source,
    read_table,
)

from .helpers import KNOWN, REPORT, csv_text, write_xlsx, xlsx_bytes


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16-le"),  # Python writes a BOM, little-endian here
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_csv_encodings_are_detected(tmp_path, encoding, expected):
    p = tmp_path / f"r_{encoding}.csv"
    text = csv_text(REPORT)
    p.write_bytes((("\ufeff" + text) if encoding == "utf-16-be" else text).encode(encoding))
    t = read_table(p, known_headers=KNOWN)
    assert t.encoding == expected
    assert t.header == ("店铺", "旺旺", "接待人数", "销售额")
    assert t.frame.get_column("旺旺").to_list() == ["小冰", "小雪"]
    assert t.frame.get_column("销售额").to_list() == ["1,234.50", "300"]


def test_gb18030_only_characters(tmp_path):
    # 𠀀 (U+20000) is outside GBK: only a GB18030 reading gets it right.
    p = tmp_path / "r.csv"
    p.write_bytes("旺旺,接待人数\n𠀀小冰,3\n".encode("gb18030"))
    assert read_table(p, known_headers=KNOWN).frame.get_column("旺旺")[0] == "𠀀小冰"


@pytest.mark.parametrize(
    "data", [b"\xef\xbb\xbf\xc4\xe3\xff\xff", b"\xff\xfe\x00\xd8", b"a,b\n\x81\x30\xff\xff\n"]
)
def test_undecodable_bytes_are_refused(data):
    with pytest.raises(UnreadableFile, match=r"x\.csv：无法识别文件编码") as info:
        decode_text(data, "x.csv")
    assert "CSV UTF-8" in info.value.message and "encoding" in info.value.message_en


def test_tab_separated_unicode_text_as_excel_saves_it(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(
        "\t".join(REPORT[0]).encode("utf-16") + "\r\n\t小冰\t3\t9\r\n".encode("utf-16-le")
    )
    t = read_table(p, known_headers=KNOWN)
    assert t.header == ("店铺", "旺旺", "接待人数", "销售额")
    assert t.frame.row(0) == (None, "小冰", "3", "9", 2)


def test_title_rows_above_csv_header(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text(
        csv_text(REPORT, title=["客服绩效报表 2026年10月", "说明：数据来自赤兔,单位见表头", ""]),
        encoding="utf-8",
    )
    t = read_table(p, known_headers=KNOWN)
    assert t.header_row == 4
    assert t.frame.get_column("__row__").to_list() == [5, 6]


def test_xlsx_title_rows_leading_blank_rows_and_named_sheet(tmp_path):
    rows = [["客服绩效报表"], ["说明：单位 元"], [], *REPORT]
    p = write_xlsx(tmp_path / "r.xlsx", rows, sheet="客服", start_row=2, extra_sheets=["封面"])
    t = read_table(p, sheet="客服", known_headers=KNOWN)
    assert t.sheet == "客服"
    assert t.header_row == 6  # two empty rows, two title rows, one blank row above it
    assert t.frame.get_column("__row__").to_list() == [7, 8]
    assert read_table(p, sheet=1, known_headers=KNOWN).sheet == "客服"
    assert read_table(p, known_headers=KNOWN).sheet == "封面"
    with pytest.raises(
        UnreadableFile, match="没有名为“不存在”的工作表；现有工作表：“封面”、“客服”"
    ):
        read_table(p, sheet="不存在")
    with pytest.raises(UnreadableFile, match="没有第 3 个工作表（共 2 个）"):
        read_table(p, sheet=2)


def test_xlsx_numbers_read_exactly_as_shown(tmp_path):
    rows = [["工号", "a", "b", "c", "d"], ["1001", 1001, 123456789.123, 2 / 3, 0.1]]
    t = read_table(xlsx_bytes(rows), name="n.xlsx")
    assert t.frame.drop("__row__").row(0) == (
        "1001",
        "1001",
        "123456789.123",
        "0.6666666666666666",
        "0.1",
    )


def test_known_headers_find_the_header_among_title_rows():
    rows = [["报表", "2026年10月"], ["旺旺", "接待人数"], ["小冰", "3"]]
    assert find_header(rows, KNOWN) == 1
    assert find_header(rows, frozenset()) == 0  # no names known: first row that looks like one
    assert find_header([["标题"], ["a", "b"], ["1", "2"]], frozenset()) == 1


def test_one_alias_list_finds_the_employee_column():
    assert find_column(["姓名", "员工编号", "销售额"], ("employee", "工号", "员工编号")) == 1
    assert find_column(["Employee ", "工号"], ("employee", "工号")) == 0  # case, spaces
    assert find_column(["姓名"], ("employee",)) is None


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "big.csv"
    p.write_text(csv_text(REPORT), encoding="utf-8")

    def no_read(*_a, **_k):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(type(p), "open", no_read)
    with pytest.raises(FileTooLarge, match="文件太大") as info:
        open_source(p, limits=Limits(max_bytes=10))
    assert info.value.file == str(p) and "split" in info.value.message_en
    with pytest.raises(FileTooLarge, match="上传的文件：文件太大"):
        read_table(b"x" * 101, limits=Limits(max_bytes=100))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "upload", "已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "upload", "旧版 .xls"),
        (b"\x00\x01\x02binary", "upload", "不是 CSV 或 XLSX"),
        (b"   \n", "upload", "文件是空的"),
        ("旺旺,接待人数\n小冰,1,2,3\n".encode(), "upload", "第 2 行的字段比表头（第 1 行）多"),
        (b"not a workbook", "bad.xlsx", "无法作为 Excel 打开"),
        (b"a,b\n1,2\n", "report.pdf", "只支持 .csv 或 .xlsx"),
    ],
)
def test_malformed_files_are_refused(data, name, message):
    with pytest.raises(UnreadableFile, match=message) as info:
        read_table(data, name=name, known_headers=KNOWN)
    assert info.value.file == name and info.value.message_en


def test_csv_named_xlsx_is_read_by_its_content():
    t = read_table("旺旺,接待人数\n小冰,1\n".encode(), name="导出.xlsx", known_headers=KNOWN)
    assert t.frame.get_column("旺旺").to_list() == ["小冰"]


def test_truncated_xlsx_is_refused(tmp_path):
    good = write_xlsx(tmp_path / "r.xlsx", REPORT).read_bytes()
    with pytest.raises(UnreadableFile, match=r"half\.xlsx：无法作为 Excel 打开"):
        read_table(good[: len(good) // 2], name="half.xlsx")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UnreadableFile, match="找不到文件"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(UnreadableFile, match="这是文件夹"):
        read_table(tmp_path)


def test_sha256_is_of_the_file_bytes(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes(b"a,b\n1,2\n")
    assert open_source(p).sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert open_source(p.read_bytes()).sha256 == open_source(p).sha256


def test_blank_rows_are_dropped_and_rows_keep_their_numbers(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("旺旺,接待人数\n小冰,1\n,\n\n小雪,2\n", encoding="utf-8")
    t = read_table(p, known_headers=KNOWN)
    assert t.frame.get_column("__row__").to_list() == [2, 5]
    assert t.rows() == [(2, ["小冰", "1"]), (5, ["小雪", "2"])]


def test_padding_commas_do_not_make_rows_ragged(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("旺旺,接待人数,,\n小冰,1,,\n小雪,2,,,,\n", encoding="utf-8")
    t = read_table(p, known_headers=KNOWN)
    assert t.header == ("旺旺", "接待人数")
    assert t.frame.get_column("接待人数").to_list() == ["1", "2"]


def test_repeated_and_empty_header_names():
    t = read_table(b"a,a,,b\n1,2,3,4\n")
    assert t.header == ("a", "a#2", "第3列", "b")


def test_cells_keep_their_text_exactly():
    t = read_table(b'a,b\n"  x ","l1\nl2"\n')
    assert t.frame.row(0) == ("  x ", "l1\nl2", 2)


def test_every_refusal_is_a_user_error_naming_the_file():
    from jixiao.errors import UserError

    with pytest.raises(UserError) as info:
        read_table(b"\x00", name="d.csv")
    assert isinstance(info.value, FileError) and info.value.where == "d.csv"
