"""Writers: formula injection neutralised the same way in CSV and XLSX, numbers kept numbers,
UTF-8 with BOM, atomic files, and our own exports read back exactly (hypothesis)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.files import (
    FileError,
    XlsxBook,
    csv_bytes,
    json_text,
    quote_text,
    read_table,
    unquote_text,
    write_csv,
    write_file,
    write_json,
    xlsx_bytes,
)

HOSTILE = [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+SUM(1,2)", "'+SUM(1,2)"),
    ("-1+1", "'-1+1"),
    ("@cmd", "'@cmd"),
    ("\tX", "'\tX"),
    ("\rX", "'\rX"),
    ("'=already quoted", "''=already quoted"),
    ("张三", "张三"),
    ("a=b", "a=b"),
    ("'plain", "'plain"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "written"), HOSTILE)
def test_quote_convention(text, written):
    assert quote_text(text) == written
    assert unquote_text(written) == text


def test_csv_neutralises_text_and_keeps_numbers():
    data = csv_bytes(
        ["name", "n", "d", "b", "none"],
        [[t, -5, Decimal("-1.50"), True, None] for t, _ in HOSTILE],
    )
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == [w for _, w in HOSTILE]
    assert rows[1][1:] == ["-5", "-1.50", "true", ""]
    back = read_table(data, name="x.csv")
    assert back.frame.get_column("name").to_list() == [t or None for t, _ in HOSTILE]


def test_xlsx_neutralises_text_and_keeps_numbers():
    data = xlsx_bytes(
        [("结果", ["name", "n", "d"], [[t, -5, Decimal("-1.5")] for t, _ in HOSTILE])]
    )
    ws = openpyxl.load_workbook(io.BytesIO(data))["结果"]
    for i, (text, written) in enumerate(HOSTILE, start=2):
        cell = ws.cell(i, 1)
        assert cell.data_type != "f"
        if "\r" not in text:  # openpyxl leaves the _x000D_ escape undecoded; Excel decodes it
            assert (cell.value or "") == written
        if text:
            assert cell.data_type == "s"
        assert ws.cell(i, 2).value == -5 and ws.cell(i, 2).data_type == "n"
        assert ws.cell(i, 3).value == -1.5
    back = read_table(data, name="x.xlsx")
    assert back.frame.get_column("name").to_list() == [t or None for t, _ in HOSTILE]


def test_xlsx_book_cells_go_through_one_place():
    with XlsxBook() as book:
        sheet = book.sheet("a/b:c*")  # characters a sheet name cannot hold are replaced
        sheet.write(0, 0, "=1+1", book.format(bold=True))
        sheet.write_row(1, 0, ["@x", 3, None, float("nan")])
    ws = openpyxl.load_workbook(io.BytesIO(book.data))["a_b_c_"]
    assert ws["A1"].value == "'=1+1"
    assert [c.value for c in ws[2]] == ["'@x", 3, None, "nan"]


def test_json_keeps_text_and_decimals_exact():
    text = json_text({"name": "=x", "amount": Decimal("0.10"), "中": 1})
    assert json.loads(text) == {"name": "=x", "amount": "0.10", "中": 1}
    assert "中" in text  # not \\u escaped


def test_files_are_replaced_atomically(tmp_path, monkeypatch):
    out = tmp_path / "r.csv"
    write_csv(out, ["a"], [["1"]])
    old = out.read_bytes()
    import os

    real = os.fdopen

    def broken(fd, *a, **k):
        fh = real(fd, *a, **k)

        def fail(_data):
            raise OSError(28, "No space left on device")

        fh.write = fail  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr(os, "fdopen", broken)
    with pytest.raises(FileError, match="无法写出") as info:
        write_csv(out, ["a"], [["2"]])
    assert "cannot write" in info.value.message_en
    monkeypatch.undo()
    assert out.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]  # no temporary file left
    with pytest.raises(FileError, match="nope"):
        write_json(tmp_path / "nope" / "r.json", {})
    with pytest.raises(FileError):
        write_file(tmp_path / "nope" / "x.xlsx", b"")


# Any text a cell can hold: everything but NUL and lone surrogates, including line breaks,
# carriage returns, control characters, apostrophes and the formula characters up front.
_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
TEXT = st.one_of(
    st.text(_CHARS, min_size=1, max_size=60),
    st.builds(
        lambda p, t: p + t,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''=", "'-", " "]),
        st.text(_CHARS, max_size=20),
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_csv_round_trips_any_text(cells):
    rows = [[f"r{i}", c] for i, c in enumerate(cells)]
    back = read_table(
        csv_bytes(["id", "text"], rows), name="p.csv", known_headers=frozenset({"id", "text"})
    )
    assert back.frame.get_column("text").to_list() == cells


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_xlsx_round_trips_any_text(cells):
    rows = [[f"r{i}", c] for i, c in enumerate(cells)]
    data = xlsx_bytes([("S", ["id", "text"], rows)])
    back = read_table(data, name="p.xlsx", known_headers=frozenset({"id", "text"}))
    assert back.frame.get_column("text").to_list() == cells


@given(st.text(_CHARS))
def test_quote_is_a_bijection(text):
    assert unquote_text(quote_text(text)) == text
    assert not quote_text(text).startswith(("=", "+", "-", "@", "\t", "\r"))
