"""Readers: encodings detected, header rows found, hostile and broken files refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from jixiao.ingest import IngestError, Limits, decode_text, open_source, read_raw

from .conftest import CS_REPORT, csv_text, write_xlsx

KNOWN = frozenset({"旺旺", "接待人数", "询单人数", "销售额", "店铺"})


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_encodings_are_detected(tmp_path, encoding, expected):
    p = tmp_path / f"r_{encoding}.csv"
    p.write_bytes(csv_text(CS_REPORT).encode(encoding))
    t = read_raw(open_source(p), known_headers=KNOWN)
    assert t.encoding == expected
    assert t.header[:3] == ("店铺", "旺旺", "接待人数")
    assert t.frame.get_column("旺旺").to_list()[:2] == ["小冰", "小冰"]


def test_gb18030_only_characters(tmp_path):
    # 𠀀 (U+20000) is outside GBK: only a GB18030 reading gets it right.
    p = tmp_path / "r.csv"
    p.write_bytes("旺旺,接待人数\n𠀀小冰,3\n".encode("gb18030"))
    t = read_raw(open_source(p), known_headers=KNOWN)
    assert t.frame.get_column("旺旺")[0] == "𠀀小冰"


def test_undecodable_bytes_are_refused():
    with pytest.raises(IngestError, match="编码"):
        decode_text(b"\xef\xbb\xbf\xc4\xe3\xff\xff", "x.csv")


def test_title_rows_above_csv_header(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text(
        csv_text(CS_REPORT, title=["客服绩效报表 2026年10月", "说明：数据来自赤兔,单位见表头", ""]),
        encoding="utf-8",
    )
    t = read_raw(open_source(p), known_headers=KNOWN)
    assert t.header_row == 4
    assert t.frame.get_column("__row__").to_list()[0] == 5


def test_xlsx_title_rows_leading_blank_rows_and_named_sheet(tmp_path):
    rows = [["客服绩效报表"], ["说明：单位 元"], [], *CS_REPORT]
    p = write_xlsx(tmp_path / "r.xlsx", rows, sheet="客服", start_row=2, extra_sheets=["封面"])
    t = read_raw(open_source(p), sheet="客服", known_headers=KNOWN)
    assert t.sheet == "客服"
    assert t.header_row == 6  # two empty rows, two title rows, one blank row above it
    assert t.frame.get_column("__row__")[0] == 7
    first = read_raw(open_source(p), known_headers=KNOWN)
    assert first.sheet == "封面"
    with pytest.raises(IngestError, match="没有名为“不存在”的工作表"):
        read_raw(open_source(p), sheet="不存在", known_headers=KNOWN)


def test_oversized_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "big.csv"
    p.write_text(csv_text(CS_REPORT), encoding="utf-8")
    with pytest.raises(IngestError, match="文件太大"):
        open_source(p, limits=Limits(max_bytes=100))


def _bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * size)
    return buf.getvalue()


def test_zip_bomb_is_refused_by_ratio():
    data = _bomb(20 * 2**20)
    with pytest.raises(IngestError, match="压缩炸弹"):
        read_raw(open_source(data, name="bomb.xlsx"))


def test_zip_bomb_is_refused_by_total_size(tmp_path):
    good = write_xlsx(tmp_path / "r.xlsx", CS_REPORT)
    with pytest.raises(IngestError, match="解压后过大"):
        read_raw(open_source(good), limits=Limits(max_uncompressed=1000))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 .xls"),
        (b"\x00\x01\x02binary", "不是 CSV 或 XLSX"),
        (b"   \n", "文件是空的"),
        ("旺旺,接待人数\n小冰,1,2,3\n".encode(), "第 2 行的字段比表头"),
    ],
)
def test_malformed_files_are_refused(data, message):
    with pytest.raises(IngestError, match=message):
        read_raw(open_source(data, name="upload"), known_headers=KNOWN)


def test_truncated_xlsx_is_refused(tmp_path):
    good = write_xlsx(tmp_path / "r.xlsx", CS_REPORT).read_bytes()
    with pytest.raises(IngestError, match="XLSX"):
        read_raw(open_source(good[: len(good) // 2], name="half.xlsx"))


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="找不到文件"):
        open_source(tmp_path / "nope.csv")


def test_sha256_is_of_the_file_bytes(tmp_path):
    import hashlib

    p = tmp_path / "r.csv"
    p.write_bytes(b"a,b\n1,2\n")
    assert open_source(p).sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert open_source(p.read_bytes()).sha256 == open_source(p).sha256


def test_blank_rows_are_dropped_and_rows_keep_their_numbers(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("旺旺,接待人数\n小冰,1\n,\n\n小雪,2\n", encoding="utf-8")
    t = read_raw(open_source(p), known_headers=KNOWN)
    assert t.frame.get_column("__row__").to_list() == [2, 5]


def test_padding_commas_do_not_make_rows_ragged(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("旺旺,接待人数,,\n小冰,1,,\n小雪,2,,\n", encoding="utf-8")
    t = read_raw(open_source(p), known_headers=KNOWN)
    assert t.header == ("旺旺", "接待人数")
    assert t.frame.get_column("接待人数").to_list() == ["1", "2"]
