"""Cell conversions for values as platform exports write them.

Every conversion is a Polars expression over a text column, so a 200,000-row report is parsed
without a Python loop, and the scalar helpers (``parse_value``) run the very same expression on
a one-element Series: there is one implementation, not two that can drift apart.

A cell is *blank* when it is empty or one of the placeholders exports write for "no data"
(``--``, ``-``, ``—``); blank becomes ``None`` (missing), never 0. A non-blank cell that does
not convert becomes ``None`` in the value column and is reported by :func:`bad_cells`.

Kinds (see docs/import.md for the full table):

* ``count``    whole number: ``1,234``, ``1.2万``, ``12.0``; ``12.5`` is an error.
* ``number``   decimal number: ``1,234.50``, ``-3``, ``1.2万``, ``1e3``.
* ``money``    like number, optionally ``¥`` / ``￥`` / ``RMB`` before or ``元`` after.
* ``percent``  a fraction: ``35.2%`` → 0.352; a bare ``35.2`` is read as percent points
               (→ 0.352) unless the column says ``percent_bare: fraction`` (→ 35.2).
* ``duration`` seconds: ``00:00:15``, ``01:20`` (mm:ss), ``15秒``, ``1分20秒``, XLSX time cells,
               ``1小时2分3秒``, ``15s``, bare ``15``.
* ``date``     ``2026/10/01``, ``2026-10-01``, ``2026.10.01``, ``20261001``,
               ``2026年10月1日``, optionally followed by a time of day (dropped).
* ``text``     stripped text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

import polars as pl

__all__ = [
    "BLANK_TOKENS",
    "DECIMAL",
    "Kind",
    "PercentBare",
    "bad_cells",
    "blank_expr",
    "convert_expr",
    "parse_value",
    "plain_decimal",
]

Kind = Literal["count", "number", "money", "percent", "duration", "date", "text"]
PercentBare = Literal["points", "fraction"]

# Six decimals keep every value an export writes (money has 2, rates 4) exactly; the
# 38-digit precision leaves 32 integer digits, far beyond any shop's turnover.
DECIMAL = pl.Decimal(38, 6)

BLANK_TOKENS = ("", "-", "--", "—", "——", "－", "－－")

# Full-width forms that Chinese input methods produce inside numbers.
_FULLWIDTH = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "，": ",",
    "．": ".",
    "％": "%",
    "－": "-",
    "＋": "+",
    "：": ":",
    "￥": "¥",
}
_FW_FROM = list(_FULLWIDTH)
_FW_TO = list(_FULLWIDTH.values())

# A plain decimal, or one with correctly grouped thousands separators ("1,234.5" but not "1,23").
_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?\.\d+"


def blank_expr(col: pl.Expr) -> pl.Expr:
    """True where the cell is blank (null, empty or a no-data placeholder)."""
    return col.is_null() | col.str.strip_chars().is_in(list(BLANK_TOKENS))


def _normalise(col: pl.Expr) -> pl.Expr:
    text = col.str.replace_many(_FW_FROM, _FW_TO).str.strip_chars()
    return pl.when(text.is_in(list(BLANK_TOKENS))).then(None).otherwise(text)


def _number(text: pl.Expr, *, allow_wan: bool) -> pl.Expr:
    """Parse an already-normalised number, with an optional 万 (×10,000) suffix."""
    wan = allow_wan & text.str.ends_with("万")
    body = pl.when(wan).then(text.str.strip_suffix("万").str.strip_chars()).otherwise(text)
    ok = body.str.contains(f"^(?:{_NUM})$")
    value = (
        pl.when(ok).then(body.str.replace_all(",", "", literal=True)).cast(DECIMAL, strict=False)
    )
    return pl.when(wan).then(value * 10000).otherwise(value)


def _money(text: pl.Expr) -> pl.Expr:
    body = (
        text.str.replace(r"^(?:¥|RMB|CNY)\s*", "")
        .str.replace(r"^([+-])\s*(?:¥|RMB|CNY)\s*", "$1")
        .str.replace(r"\s*元$", "")
    )
    return _number(body, allow_wan=True)


def _percent(text: pl.Expr, bare: PercentBare) -> pl.Expr:
    has_pct = text.str.ends_with("%")
    num = _number(text.str.strip_suffix("%").str.strip_chars(), allow_wan=False)
    if bare == "points":
        return num / 100
    return pl.when(has_pct).then(num / 100).otherwise(num)


_HMS = r"^(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$"
_EXCEL_TIME = r"^(?:1899-12-31|1900-01-(\d{2}))[ t](\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$"
_MS = r"^([0-5]?\d):([0-5]?\d(?:\.\d+)?)$"
_CN = r"^(?:(\d+)\s*(?:小时|时|h))?\s*(?:(\d+)\s*(?:分钟|分|min|m))?\s*(?:(\d+(?:\.\d+)?)\s*(?:秒钟|秒|s))?$"


def _groups(t: pl.Expr, pattern: str, n: int) -> list[pl.Expr]:
    """All capture groups of one regex pass (a non-match gives nulls)."""
    g = t.str.extract_groups(pattern)
    return [g.struct.field(str(i)) for i in range(1, n + 1)]


def _dec(e: pl.Expr) -> pl.Expr:
    return e.cast(DECIMAL, strict=False).fill_null(0)


def _duration(text: pl.Expr) -> pl.Expr:
    """Seconds as a decimal."""
    t = text.str.to_lowercase()
    h1, m1, s1 = _groups(t, _HMS, 3)
    m2, s2 = _groups(t, _MS, 2)
    h3, m3, s3 = _groups(t, _CN, 3)
    # XLSX time-of-day cells reach us as a datetime on Excel's day 0 (1899-12-31); a duration
    # of a day or more lands on 1900-01-DD.
    d4, h4, m4, s4 = _groups(t, _EXCEL_TIME, 4)
    # The Chinese form must have at least one unit and end in one; below the largest unit,
    # minutes and seconds stay < 60 ("1分70秒" is a typo, not 130 s).
    cn_ok = (
        (h3.is_not_null() | m3.is_not_null() | s3.is_not_null())
        & t.str.contains(r"\d\s*(?:小时|时|h|分钟|分|min|m|秒钟|秒|s)$")
        & ~(h3.is_not_null() & (_dec(m3) >= 60))
        & ~((h3.is_not_null() | m3.is_not_null()) & (_dec(s3) >= 60))
    )
    bare = _number(t, allow_wan=False)
    return (
        pl.when(h4.is_not_null())
        .then(_dec(d4) * 86400 + _dec(h4) * 3600 + _dec(m4) * 60 + _dec(s4))
        .when(h1.is_not_null())
        .then(_dec(h1) * 3600 + _dec(m1) * 60 + _dec(s1))
        .when(m2.is_not_null())
        .then(_dec(m2) * 60 + _dec(s2))
        .when(cn_ok)
        .then(_dec(h3) * 3600 + _dec(m3) * 60 + _dec(s3))
        .otherwise(pl.when(bare >= 0).then(bare))
    )


_DATE_PATTERNS = (
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$",
    r"^(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})[日号]?(?:\s*\d{1,2}[:：时]\d{2}.*)?$",
    r"^(\d{4})(\d{2})(\d{2})$",
)


def _date(text: pl.Expr) -> pl.Expr:
    parts = [_groups(text, pat, 3) for pat in _DATE_PATTERNS]
    y, m, d = (pl.coalesce([p[i] for p in parts]) for i in range(3))
    iso = pl.concat_str([y, m.str.zfill(2), d.str.zfill(2)], separator="-")
    # strict=False turns impossible dates (2026-02-30) into null, reported as bad cells.
    return iso.str.to_date("%Y-%m-%d", strict=False)


def convert_expr(col: pl.Expr, kind: Kind, *, percent_bare: PercentBare = "points") -> pl.Expr:
    """The typed value of a text column; null for blank or unreadable cells."""
    text = _normalise(col.cast(pl.String))
    if kind == "text":
        return text
    if kind == "count":
        value = _number(text, allow_wan=True)
        whole = value.cast(pl.Int64, strict=False)
        return pl.when(whole.cast(DECIMAL) == value).then(whole)
    if kind == "number":
        return _number(text, allow_wan=True)
    if kind == "money":
        return _money(text)
    if kind == "percent":
        return _percent(text, percent_bare)
    if kind == "duration":
        return _duration(text)
    if kind == "date":
        return _date(text)
    raise ValueError(f"unknown kind {kind!r}")


def bad_cells(raw: pl.Expr, value: pl.Expr) -> pl.Expr:
    """True where the raw cell holds something but it did not convert."""
    return ~blank_expr(_normalise(raw.cast(pl.String))) & value.is_null()


def parse_value(
    raw: str | None, kind: Kind, *, percent_bare: PercentBare = "points"
) -> int | Decimal | dt.date | str | None:
    """Convert one cell; raises ``ValueError`` when it is not blank and not readable."""
    frame = pl.DataFrame({"raw": [raw]}, schema={"raw": pl.String})
    out = frame.select(
        convert_expr(pl.col("raw"), kind, percent_bare=percent_bare).alias("v"),
        bad_cells(
            pl.col("raw"), convert_expr(pl.col("raw"), kind, percent_bare=percent_bare)
        ).alias("bad"),
    )
    if out["bad"][0]:
        raise ValueError(f"“{raw}” 不是有效的{KIND_NAMES[kind]}")
    value = out["v"][0]
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return value


def plain_decimal(value: Decimal) -> Decimal:
    """Trailing zeros dropped without switching to exponent form (80, not 8E+1)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


KIND_NAMES: dict[Kind, str] = {
    "count": "整数",
    "number": "数字",
    "money": "金额",
    "percent": "百分比",
    "duration": "时长",
    "date": "日期",
    "text": "文本",
}
