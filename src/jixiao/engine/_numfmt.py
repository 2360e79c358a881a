"""Number formatting for traces, implemented twice with identical arithmetic.

The vectorised path (Polars expressions) and the per-row path (plain Python) must print the
same text for the same float, so neither uses printf-style formatting: both round half away
from zero with :mod:`jixiao.formula`'s nudge, split into integer and fraction digits with integer
arithmetic, and drop trailing zeros.
"""

from __future__ import annotations

import math

import polars as pl

from jixiao.formula import NUDGE

__all__ = ["UNITS", "fmt_expr", "fmt_num", "unit_expr", "unit_text"]

# unit -> (decimals, multiplier, zh suffix, en suffix)
UNITS: dict[str, tuple[int, float, str, str]] = {
    "percent": (1, 100.0, "%", "%"),
    "ratio": (4, 1.0, "", ""),
    "count": (2, 1.0, "", ""),
    "times": (2, 1.0, " 次", " time(s)"),
    "people": (2, 1.0, " 人", " people"),
    "yuan": (2, 1.0, " 元", " yuan"),
    "seconds": (1, 1.0, " 秒", " s"),
    "minutes": (1, 1.0, " 分钟", " min"),
    "hours": (2, 1.0, " 小时", " h"),
    "days": (1, 1.0, " 天", " days"),
    "score": (2, 1.0, " 分", " pts"),
    "number": (2, 1.0, "", ""),
}

_LIMIT = 9.0e15  # beyond this, digits would not be exact in a 64-bit integer


def fmt_num(x: float | None, decimals: int = 2, *, missing: str = "缺失") -> str:
    if x is None or not math.isfinite(x) or abs(x) * 10.0**decimals >= _LIMIT:
        return missing
    scale = 10**decimals
    n = math.floor(abs(x) * float(scale) + (0.5 + NUDGE))
    whole, frac = divmod(n, scale)
    sign = "-" if x < 0 and n > 0 else ""
    text = f"{sign}{whole}"
    if frac:
        text += "." + str(frac).zfill(decimals).rstrip("0")
    return text


def fmt_expr(x: pl.Expr, decimals: int = 2, *, missing: str = "缺失", suffix: str = "") -> pl.Expr:
    scale = 10**decimals
    ok = x.is_finite() & (x.abs() * float(scale) < _LIMIT)
    n = (x.abs() * float(scale) + (0.5 + NUDGE)).floor().cast(pl.Int64, strict=False)
    whole = (n // scale).cast(pl.String)
    frac = n % scale
    sign = pl.when((x < 0) & (n > 0)).then(pl.lit("-")).otherwise(pl.lit(""))
    if decimals:
        frac_text = (
            pl.when(frac == 0)
            .then(pl.lit(""))
            .otherwise(
                pl.lit(".") + frac.cast(pl.String).str.zfill(decimals).str.strip_chars_end("0")
            )
        )
    else:
        frac_text = pl.lit("")
    # The suffix joins the number inside this one expression: testing the text for "missing"
    # afterwards would copy the whole formatting tree (slow to plan for thousands of items).
    text = pl.concat_str([sign, whole, frac_text, *([pl.lit(suffix)] if suffix else [])])
    return pl.when(ok.fill_null(False)).then(text).otherwise(pl.lit(missing))


def unit_text(x: float | None, unit: str, *, lang: str = "zh") -> str:
    decimals, mult, zh, en = UNITS.get(unit, UNITS["number"])
    missing = "缺失" if lang == "zh" else "missing"
    if x is None:
        return missing
    text = fmt_num(x * mult if mult != 1.0 else x, decimals, missing=missing)
    return text if text == missing else text + (zh if lang == "zh" else en)


def unit_expr(x: pl.Expr, unit: str, *, lang: str = "zh") -> pl.Expr:
    decimals, mult, zh, en = UNITS.get(unit, UNITS["number"])
    missing = "缺失" if lang == "zh" else "missing"
    suffix = zh if lang == "zh" else en
    return fmt_expr(x * mult if mult != 1.0 else x, decimals, missing=missing, suffix=suffix)
