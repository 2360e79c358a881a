"""Bands: half-open or closed intervals that map a number to a score, grade or coefficient.

Shared by the scoring engine (tier rules, grade bands) and the pay engine (coefficient and
percentage tables), so that both reject the same mistakes with the same words: two bands that
overlap (the seeds' C-1 table lists "60~70" twice) or a gap between two bands.

A band is written in YAML either with explicit bounds::

    {gte: 80, lt: 95, value: 1.2}

or with interval notation, where ``[`` / ``]`` include the bound and ``(`` / ``)`` exclude it::

    {range: "[80, 95)", value: 1.2}

A missing lower bound means "from minus infinity", a missing upper bound "to plus infinity".
Bounds may be written as percentages ("90%" is 0.9). Each bound is kept exactly as written
(a ``Decimal``; ``-Infinity``/``Infinity`` when open) and as the nearest double: the float
backend (scores) compares with the double, the Decimal backend (pay) with the exact value, so
``95%`` is exactly 0.95 in pay and the double nearest 0.95 in scores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from jixiao.formula._decimal import DEC, q

__all__ = [
    "Band",
    "BandIssue",
    "band_expr",
    "check_bands",
    "find_band",
    "parse_band",
    "parse_decimal",
    "parse_number",
]

_RANGE = re.compile(r"^\s*([\[(])\s*([^,]*?)\s*[,，~]\s*([^\])]*?)\s*([\])])\s*$")


_INF = Decimal("Infinity")


def parse_decimal(raw: Any, *, where: str) -> Decimal:
    """A bound or value exactly as written: a number, or text such as "90%", "1,200", "-inf"."""
    if isinstance(raw, bool):
        raise ValueError(f"{where}: expected a number, got {raw!r}")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if math.isinf(raw):
            return _INF if raw > 0 else -_INF
        if math.isnan(raw):
            raise ValueError(f"{where}: {raw!r} is not a number (write e.g. 80, 0.95 or 95%)")
        return Decimal(repr(raw))  # YAML's 0.95 means the decimal 0.95, its shortest repr
    if isinstance(raw, Decimal) and raw.is_finite():
        return raw
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "")
        if text in {"-inf", "-∞", "−∞"}:
            return -_INF
        if text in {"inf", "+inf", "∞", "+∞"}:
            return _INF
        percent = text.endswith(("%", "％"))
        try:
            value = Decimal(text[:-1]) / 100 if percent else Decimal(text)
        except InvalidOperation:
            value = None
        if value is not None and value.is_finite():
            return value
    raise ValueError(f"{where}: {raw!r} is not a number (write e.g. 80, 0.95 or 95%)")


def parse_number(raw: Any, *, where: str) -> float:
    """:func:`parse_decimal` as the nearest double (``95%`` is the double nearest 0.95)."""
    return float(parse_decimal(raw, where=where))


@dataclass(frozen=True, slots=True)
class Band:
    """One interval and what it maps to. ``low``/``high`` are doubles (±inf when open-ended);
    ``low_exact``/``high_exact`` the bounds as written (derived from the doubles if not given)."""

    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    value: Any
    label: str = ""
    low_exact: Decimal = field(default=Decimal("NaN"), compare=False)
    high_exact: Decimal = field(default=Decimal("NaN"), compare=False)

    def __post_init__(self) -> None:
        if self.low_exact.is_nan():
            object.__setattr__(self, "low_exact", _exact(self.low))
        if self.high_exact.is_nan():
            object.__setattr__(self, "high_exact", _exact(self.high))

    def contains(self, x: float | Decimal) -> bool:
        """Whether ``x`` lies in the band; a ``Decimal`` is compared with the exact bounds."""
        lo, hi = (
            (self.low_exact, self.high_exact) if isinstance(x, Decimal) else (self.low, self.high)
        )
        if x < lo or (x == lo and not self.low_inclusive):
            return False
        return not (x > hi or (x == hi and not self.high_inclusive))

    def describe(self, fmt: Any = None) -> str:
        """Interval notation as users wrote it, e.g. ``[80, 95)``; ``fmt`` formats bounds
        (given the doubles); by default the bounds are shown exactly as written."""
        lo = "-∞" if math.isinf(self.low) else (fmt(self.low) if fmt else _plain(self.low_exact))
        hi = "+∞" if math.isinf(self.high) else (fmt(self.high) if fmt else _plain(self.high_exact))
        left = "[" if self.low_inclusive and not math.isinf(self.low) else "("
        right = "]" if self.high_inclusive and not math.isinf(self.high) else ")"
        return f"{left}{lo}, {hi}{right}"

    def is_empty(self) -> bool:
        if self.low_exact > self.high_exact:
            return True
        return self.low_exact == self.high_exact and not (
            self.low_inclusive and self.high_inclusive
        )


def _exact(x: float) -> Decimal:
    if math.isinf(x):
        return _INF if x > 0 else -_INF
    return Decimal(repr(x))


def _plain(x: Decimal | float) -> str:
    if isinstance(x, float):
        x = _exact(x)
    text = format(x.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def parse_band(raw: Any, *, where: str, value_key: str = "value") -> Band:
    """Read one band mapping; ``where`` names it in messages (e.g. ``items[2].rule.bands[1]``)."""
    if not isinstance(raw, dict):
        raise ValueError(
            f"{where}: a band must be a mapping such as {{gte: 80, lt: 95, {value_key}: 1}}"
        )
    keys = set(raw)
    low, high = -_INF, _INF
    low_inc, high_inc = False, False
    if "range" in raw:
        if keys & {"gt", "gte", "lt", "lte"}:
            raise ValueError(f"{where}: write either 'range' or gt/gte/lt/lte, not both")
        m = _RANGE.match(str(raw["range"]))
        if not m:
            raise ValueError(
                f'{where}.range: {raw["range"]!r} is not an interval; write e.g. "[80, 95)"'
            )
        lb, lo_txt, hi_txt, rb = m.groups()
        if lo_txt not in {"", "-inf", "-∞"}:
            low = parse_decimal(lo_txt, where=f"{where}.range")
            low_inc = lb == "["
        if hi_txt not in {"", "inf", "+inf", "∞", "+∞"}:
            high = parse_decimal(hi_txt, where=f"{where}.range")
            high_inc = rb == "]"
    else:
        if "gt" in raw and "gte" in raw:
            raise ValueError(f"{where}: give 'gt' or 'gte', not both")
        if "lt" in raw and "lte" in raw:
            raise ValueError(f"{where}: give 'lt' or 'lte', not both")
        if "gte" in raw:
            low, low_inc = parse_decimal(raw["gte"], where=f"{where}.gte"), True
        elif "gt" in raw:
            low = parse_decimal(raw["gt"], where=f"{where}.gt")
        if "lte" in raw:
            high, high_inc = parse_decimal(raw["lte"], where=f"{where}.lte"), True
        elif "lt" in raw:
            high = parse_decimal(raw["lt"], where=f"{where}.lt")
    if value_key not in raw:
        raise ValueError(f"{where}: missing '{value_key}'")
    band = Band(
        float(low),
        float(high),
        low_inc,
        high_inc,
        raw[value_key],
        str(raw.get("label", "")),
        low_exact=low,
        high_exact=high,
    )
    if band.is_empty():
        raise ValueError(
            f"{where}: the interval {band.describe()} is empty (lower bound above upper)"
        )
    return band


@dataclass(frozen=True, slots=True)
class BandIssue:
    """A problem in a band table. ``index``/``other`` are positions in the table (0-based)."""

    kind: str  # "overlap" | "gap" | "uncovered_low" | "uncovered_high"
    index: int
    other: int | None
    message: str
    message_en: str


def _sort_key(b: Band) -> tuple[Decimal, int]:
    # An inclusive lower bound starts "before" an exclusive one at the same number.
    return (b.low_exact, 0 if b.low_inclusive else 1)


def check_bands(
    bands: Sequence[Band],
    *,
    domain: tuple[float | Decimal, float | Decimal] | None = None,
    fmt: Any = None,
) -> list[BandIssue]:
    """Overlaps and gaps between bands, and (with ``domain``) parts of the domain not covered.

    Bands are compared pairwise after sorting by their lower bound, so the message names the
    two bands by their position as written (1-based in the text, e.g. "第 3 档 [60, 70)").
    """
    issues: list[BandIssue] = []
    order = sorted(range(len(bands)), key=lambda i: _sort_key(bands[i]))

    def name(i: int) -> str:
        return f"第 {i + 1} 档 {bands[i].describe(fmt)}"

    def name_en(i: int) -> str:
        return f"band {i + 1} {bands[i].describe(fmt)}"

    for pos, i in enumerate(order):
        for j in order[pos + 1 :]:
            a, b = bands[i], bands[j]
            if _overlaps(a, b):
                first, second = sorted((i, j))
                issues.append(
                    BandIssue(
                        "overlap",
                        first,
                        second,
                        f"{name(first)} 与 {name(second)} 重叠：同一个数落在两档里，请改成互不重叠的区间",
                        f"{name_en(first)} overlaps {name_en(second)}: make the intervals disjoint",
                    )
                )
    for pos in range(len(order) - 1):
        a, b = bands[order[pos]], bands[order[pos + 1]]
        if _overlaps(a, b):
            continue
        touching = a.high_exact == b.low_exact and (a.high_inclusive or b.low_inclusive)
        if (not touching and a.high_exact < b.low_exact) or (
            a.high_exact == b.low_exact and not touching
        ):
            issues.append(
                BandIssue(
                    "gap",
                    order[pos],
                    order[pos + 1],
                    f"{name(order[pos])} 与 {name(order[pos + 1])} 之间有空档："
                    f"落在 {_gap_text(a, b, fmt)} 的数不属于任何一档",
                    f"gap between {name_en(order[pos])} and {name_en(order[pos + 1])}: "
                    f"values in {_gap_text(a, b, fmt)} fall in no band",
                )
            )
    if domain is not None and bands:
        lo, hi = (v if isinstance(v, Decimal) else _exact(v) for v in domain)
        lowest = bands[order[0]]
        last_index = max(order, key=lambda i: (bands[i].high_exact, bands[i].high_inclusive))
        last = bands[last_index]
        if lowest.low_exact > lo or (
            lowest.low_exact == lo and not lowest.low_inclusive and lo.is_finite()
        ):
            issues.append(
                BandIssue(
                    "uncovered_low",
                    order[0],
                    None,
                    f"最低一档 {name(order[0])} 没有覆盖到 {_plain(lo)}",
                    f"the lowest band {name_en(order[0])} does not reach down to {_plain(lo)}",
                )
            )
        if last.high_exact < hi or (
            last.high_exact == hi and not last.high_inclusive and hi.is_finite()
        ):
            idx = last_index
            issues.append(
                BandIssue(
                    "uncovered_high",
                    idx,
                    None,
                    f"最高一档 {name(idx)} 没有覆盖到 {_plain(hi)}",
                    f"the highest band {name_en(idx)} does not reach up to {_plain(hi)}",
                )
            )
    return issues


def _overlaps(a: Band, b: Band) -> bool:
    lo, lo_inc = (
        (a.low_exact, a.low_inclusive)
        if _sort_key(a) >= _sort_key(b)
        else (b.low_exact, b.low_inclusive)
    )
    if a.high_exact < b.high_exact or (a.high_exact == b.high_exact and not a.high_inclusive):
        hi, hi_inc = a.high_exact, a.high_inclusive
    else:
        hi, hi_inc = b.high_exact, b.high_inclusive
    if lo < hi:
        return True
    return lo == hi and lo_inc and hi_inc


def _gap_text(a: Band, b: Band, fmt: Any) -> str:
    gap = Band(
        a.high,
        b.low,
        not a.high_inclusive,
        not b.low_inclusive,
        None,
        low_exact=a.high_exact,
        high_exact=b.low_exact,
    )
    return gap.describe(fmt)


def find_band(bands: Sequence[Band], x: float | Decimal | None) -> int | None:
    """Index of the band holding ``x`` (the first one, in written order), or None."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    for i, b in enumerate(bands):
        if b.contains(x):
            return i
    return None


def band_condition(band: Band, x: pl.Expr, *, exact: bool = False) -> pl.Expr:
    """The Polars predicate ``x in band``: on doubles, or (``exact``) on ``Decimal(38, 10)``
    columns against the bounds as written. A comparison with null is null (not in the band)."""

    def bound(d: Decimal, f: float) -> pl.Expr | float:
        return pl.lit(q(d), dtype=DEC) if exact else f

    cond: pl.Expr | None = None
    if not math.isinf(band.low):
        lo = bound(band.low_exact, band.low)
        cond = (x >= lo) if band.low_inclusive else (x > lo)
    if not math.isinf(band.high):
        hi = bound(band.high_exact, band.high)
        upper = (x <= hi) if band.high_inclusive else (x < hi)
        cond = upper if cond is None else cond & upper
    return cond if cond is not None else x.is_not_null()


def band_expr(
    bands: Sequence[Band],
    x: pl.Expr,
    values: Sequence[Any] | None = None,
    *,
    exact: bool = False,
) -> pl.Expr:
    """Vectorised lookup: the value (or ``values[i]``) of the first band holding ``x``; null if none."""
    vals = list(values) if values is not None else [b.value for b in bands]
    if not bands:
        return pl.lit(None)
    expr: Any = pl
    for band, val in zip(bands, vals, strict=True):
        expr = expr.when(band_condition(band, x, exact=exact)).then(
            val if isinstance(val, pl.Expr) else pl.lit(val)
        )
    return expr.otherwise(pl.lit(None))


def band_index_expr(bands: Sequence[Band], x: pl.Expr, *, exact: bool = False) -> pl.Expr:
    """Vectorised :func:`find_band`: the 0-based index of the holding band, null if none."""
    return band_expr(bands, x, [pl.lit(i, dtype=pl.Int32) for i in range(len(bands))], exact=exact)
