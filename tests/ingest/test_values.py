"""Cell conversions: each export spelling, blanks, errors, and hypothesis round-trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.ingest import parse_value
from jixiao.ingest._values import bad_cells, convert_expr


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("35.2%", "percent", Decimal("0.352")),
        ("35.2", "percent", Decimal("0.352")),
        ("３５．２％", "percent", Decimal("0.352")),
        ("1,234.50", "money", Decimal("1234.5")),
        ("¥1,234", "money", Decimal("1234")),
        ("￥12.5元", "money", Decimal("12.5")),
        ("-¥12.5", "money", Decimal("-12.5")),
        ("1.2万", "money", Decimal("12000")),
        ("1,234", "count", 1234),
        ("12.0", "count", 12),
        ("1.2万", "count", 12000),
        ("00:00:15", "duration", Decimal("15")),
        ("01:02:03", "duration", Decimal("3723")),
        ("01:20", "duration", Decimal("80")),
        ("15秒", "duration", Decimal("15")),
        ("1分20秒", "duration", Decimal("80")),
        ("1小时2分3秒", "duration", Decimal("3723")),
        ("1.5秒", "duration", Decimal("1.5")),
        ("15s", "duration", Decimal("15")),
        ("15", "duration", Decimal("15")),
        ("2026/10/01", "date", dt.date(2026, 10, 1)),
        ("2026-10-01", "date", dt.date(2026, 10, 1)),
        ("2026.10.1", "date", dt.date(2026, 10, 1)),
        ("2026年10月1日", "date", dt.date(2026, 10, 1)),
        ("20261001", "date", dt.date(2026, 10, 1)),
        ("2026-10-02 00:00:00", "date", dt.date(2026, 10, 2)),
        (" 旗舰店 ", "text", "旗舰店"),
    ],
)
def test_export_spellings(raw, kind, expected):
    assert parse_value(raw, kind) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "--", "—", "——"])
@pytest.mark.parametrize("kind", ["count", "number", "money", "percent", "duration", "date"])
def test_blanks_are_missing_not_zero(raw, kind):
    assert parse_value(raw, kind) is None


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("12.5", "count"),
        ("1,23", "number"),
        ("abc", "number"),
        ("12%", "money"),
        ("2026-02-30", "date"),
        ("2026/13/01", "date"),
        ("秒", "duration"),
        ("-5", "duration"),
        ("1分70秒", "duration"),
        ("N/A", "percent"),
    ],
)
def test_unreadable_cells_raise(raw, kind):
    with pytest.raises(ValueError, match="不是有效的"):
        parse_value(raw, kind)


def test_percent_bare_fraction_option():
    assert parse_value("0.352", "percent", percent_bare="fraction") == Decimal("0.352")
    assert parse_value("35.2%", "percent", percent_bare="fraction") == Decimal("0.352")


def test_vectorised_flags_only_non_blank_failures():
    df = pl.DataFrame({"raw": ["1", "--", None, "x", "2,000"]})
    out = df.select(
        v=convert_expr(pl.col("raw"), "count"),
        bad=bad_cells(pl.col("raw"), convert_expr(pl.col("raw"), "count")),
    )
    assert out["v"].to_list() == [1, None, None, None, 2000]
    assert out["bad"].to_list() == [False, False, False, True, False]


money = st.decimals(min_value=Decimal("-99999999"), max_value=Decimal("99999999"), places=2)


def _grouped(d: Decimal) -> str:
    return f"{d:,.2f}"


@settings(max_examples=150, deadline=None)
@given(money, st.sampled_from(["{}", "¥{}", "￥{}", "{}元", "RMB{}"]), st.booleans())
def test_money_round_trip(value, template, grouped):
    text = _grouped(abs(value)) if grouped else f"{abs(value):.2f}"
    raw = ("-" if value < 0 else "") + template.format(text)
    assert parse_value(raw, "money") == value


@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=2))
def test_percent_round_trip(value):
    assert parse_value(f"{value}%", "percent") == value / 100


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=99 * 3600), st.sampled_from(["hms", "cn", "bare"]))
def test_duration_round_trip(seconds, style):
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if style == "hms":
        raw = f"{h:02d}:{m:02d}:{s:02d}"
    elif style == "cn":
        raw = (f"{h}小时" if h else "") + (f"{m}分" if m else "") + f"{s}秒"
    else:
        raw = str(seconds)
    assert parse_value(raw, "duration") == seconds


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(["%Y/%m/%d", "%Y-%m-%d", "cn", "%Y%m%d"]),
)
def test_date_round_trip(day, fmt):
    raw = f"{day.year}年{day.month}月{day.day}日" if fmt == "cn" else day.strftime(fmt)
    assert parse_value(raw, "date") == day


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_count_round_trip(n):
    assert parse_value(f"{n:,}", "count") == n
    assert parse_value(str(n), "count") == n


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(["--", "-", ""]),
            st.integers(-(10**9), 10**9).map(str),
            st.decimals(min_value=-(10**6), max_value=10**6, places=3).map(str),
            st.decimals(min_value=0, max_value=100, places=2).map(lambda d: f"{d}%"),
        ),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(["count", "number", "money", "percent", "duration"]),
    st.sampled_from(["points", "fraction"]),
)
def test_plain_column_fast_path_equals_full_conversion(cells, kind, bare):
    from jixiao.ingest._plan import _fast_expr
    from jixiao.ingest._profiles import ColumnSpec

    spec = ColumnSpec(code="x", aliases=("x",), kind=kind, percent_bare=bare)
    frame = pl.DataFrame({"x": cells}, schema={"x": pl.String})
    fast = _fast_expr(frame, "x", spec)
    full = convert_expr(pl.col("x"), kind, percent_bare=bare)
    if fast is not None:
        got = frame.select(fast.alias("v"))["v"].to_list()
        want = frame.select(full.alias("v"))["v"].to_list()
        assert got == want


def test_xlsx_time_cells(tmp_path):
    import datetime

    import xlsxwriter

    from jixiao.files import read_table

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    fmt = wb.add_format({"num_format": "[h]:mm:ss"})
    ws.write_row(0, 0, ["a"])
    ws.write_datetime(1, 0, datetime.time(0, 1, 15), fmt)
    ws.write_number(2, 0, 1 + 15 / 86400, fmt)  # one day and 15 s
    wb.close()
    cells = read_table(path).frame.get_column("a").to_list()
    assert [parse_value(c, "duration") for c in cells] == [Decimal(75), Decimal(86415)]
