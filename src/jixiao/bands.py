"""Bands: half-open or closed intervals that map a number to a score, grade or coefficient.

Shared by the scoring engine (tier rules, grade bands) and the pay engine (coefficient and
percentage tables), so that both reject the same mistakes with the same words: two bands that
overlap (the seeds' C-1 table lists "60~70" twice) or a gap between two bands.

A band is written in YAML either with explicit bounds::

    {gte: 80, lt: 95, value: 1.2}

or with interval notation, where ``[`` / ``]`` include the bound and ``(`` / ``)`` exclude it::

    {range: "[80, 95)", value: 1.2}

A missing lower bound means "from minus infinity", a missing upper bound "to plus infinity".
Bounds may be written as percentages ("90%" is 0.9). Pure Python + Polars; no Django.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

__all__ = [
    "Band",
    "BandIssue",
    "band_expr",
    "check_bands",
    "find_band",
    "parse_band",
    "parse_number",
]

_RANGE = re.compile(r"^\s*([\[(])\s*([^,]*?)\s*[,，~]\s*([^\])]*?)\s*([\])])\s*$")


def parse_number(raw: Any, *, where: str) -> float:
    """A bound or value from YAML: a number, or a string such as "90%", "1,200", "-inf"."""
    if isinstance(raw, bool):
        raise ValueError(f"{where}: expected a number, got {raw!r}")
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "")
        if text in {"-inf", "-∞", "−∞"}:
            return -math.inf
        if text in {"inf", "+inf", "∞", "+∞"}:
            return math.inf
        percent = text.endswith("%")
        try:
            # Divide, not multiply by 0.01: 95 * 0.01 is 0.9500000000000001, above "95%".
            return float(text[:-1]) / 100 if percent else float(text)
        except ValueError:
            pass
    raise ValueError(f"{where}: {raw!r} is not a number (write e.g. 80, 0.95 or 95%)")


@dataclass(frozen=True, slots=True)
class Band:
    """One interval and what it maps to. ``low``/``high`` are ±inf when open-ended."""

    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    value: Any
    label: str = ""

    def contains(self, x: float) -> bool:
        if x < self.low or (x == self.low and not self.low_inclusive):
            return False
        return not (x > self.high or (x == self.high and not self.high_inclusive))

    def describe(self, fmt: Any = None) -> str:
        """Interval notation as users wrote it, e.g. ``[80, 95)``; ``fmt`` formats bounds."""
        f = fmt or _plain
        lo = "-∞" if math.isinf(self.low) else f(self.low)
        hi = "+∞" if math.isinf(self.high) else f(self.high)
        left = "[" if self.low_inclusive and not math.isinf(self.low) else "("
        right = "]" if self.high_inclusive and not math.isinf(self.high) else ")"
        return f"{left}{lo}, {hi}{right}"

    def is_empty(self) -> bool:
        if self.low > self.high:
            return True
        return self.low == self.high and not (self.low_inclusive and self.high_inclusive)


def _plain(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else repr(x)


def parse_band(raw: Any, *, where: str, value_key: str = "value") -> Band:
    """Read one band mapping; ``where`` names it in messages (e.g. ``items[2].rule.bands[1]``)."""
    if not isinstance(raw, dict):
        raise ValueError(
            f"{where}: a band must be a mapping such as {{gte: 80, lt: 95, {value_key}: 1}}"
        )
    keys = set(raw)
    low, high = -math.inf, math.inf
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
            low = parse_number(lo_txt, where=f"{where}.range")
            low_inc = lb == "["
        if hi_txt not in {"", "inf", "+inf", "∞", "+∞"}:
            high = parse_number(hi_txt, where=f"{where}.range")
            high_inc = rb == "]"
    else:
        if "gt" in raw and "gte" in raw:
            raise ValueError(f"{where}: give 'gt' or 'gte', not both")
        if "lt" in raw and "lte" in raw:
            raise ValueError(f"{where}: give 'lt' or 'lte', not both")
        if "gte" in raw:
            low, low_inc = parse_number(raw["gte"], where=f"{where}.gte"), True
        elif "gt" in raw:
            low = parse_number(raw["gt"], where=f"{where}.gt")
        if "lte" in raw:
            high, high_inc = parse_number(raw["lte"], where=f"{where}.lte"), True
        elif "lt" in raw:
            high = parse_number(raw["lt"], where=f"{where}.lt")
    if value_key not in raw:
        raise ValueError(f"{where}: missing '{value_key}'")
    band = Band(low, high, low_inc, high_inc, raw[value_key], str(raw.get("label", "")))
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


def _sort_key(b: Band) -> tuple[float, int]:
    # An inclusive lower bound starts "before" an exclusive one at the same number.
    return (b.low, 0 if b.low_inclusive else 1)


def check_bands(
    bands: Sequence[Band],
    *,
    domain: tuple[float, float] | None = None,
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
        touching = a.high == b.low and (a.high_inclusive or b.low_inclusive)
        if (not touching and a.high < b.low) or (a.high == b.low and not touching):
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
        lo, hi = domain
        lowest = bands[order[0]]
        last_index = max(order, key=lambda i: (bands[i].high, bands[i].high_inclusive))
        last = bands[last_index]
        if lowest.low > lo or (
            lowest.low == lo and not lowest.low_inclusive and not math.isinf(lo)
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
        if last.high < hi or (last.high == hi and not last.high_inclusive and not math.isinf(hi)):
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
        (a.low, a.low_inclusive) if _sort_key(a) >= _sort_key(b) else (b.low, b.low_inclusive)
    )
    if a.high < b.high or (a.high == b.high and not a.high_inclusive):
        hi, hi_inc = a.high, a.high_inclusive
    else:
        hi, hi_inc = b.high, b.high_inclusive
    if lo < hi:
        return True
    return lo == hi and lo_inc and hi_inc


def _gap_text(a: Band, b: Band, fmt: Any) -> str:
    gap = Band(a.high, b.low, not a.high_inclusive, not b.low_inclusive, None)
    return gap.describe(fmt)


def find_band(bands: Sequence[Band], x: float | None) -> int | None:
    """Index of the band holding ``x`` (the first one, in written order), or None."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    for i, b in enumerate(bands):
        if b.contains(x):
            return i
    return None


def band_condition(band: Band, x: pl.Expr) -> pl.Expr:
    """The Polars predicate ``x in band``; mirrors :meth:`Band.contains` exactly."""
    cond: pl.Expr | None = None
    if not math.isinf(band.low):
        cond = (x >= band.low) if band.low_inclusive else (x > band.low)
    if not math.isinf(band.high):
        upper = (x <= band.high) if band.high_inclusive else (x < band.high)
        cond = upper if cond is None else cond & upper
    return cond if cond is not None else x.is_not_null()


def band_expr(bands: Sequence[Band], x: pl.Expr, values: Sequence[Any] | None = None) -> pl.Expr:
    """Vectorised lookup: the value (or ``values[i]``) of the first band holding ``x``; null if none."""
    vals = list(values) if values is not None else [b.value for b in bands]
    if not bands:
        return pl.lit(None)
    expr: Any = pl
    for band, val in zip(bands, vals, strict=True):
        expr = expr.when(band_condition(band, x)).then(
            val if isinstance(val, pl.Expr) else pl.lit(val)
        )
    return expr.otherwise(pl.lit(None))


def band_index_expr(bands: Sequence[Band], x: pl.Expr) -> pl.Expr:
    """Vectorised :func:`find_band`: the 0-based index of the holding band, null if none."""
    return band_expr(bands, x, [pl.lit(i, dtype=pl.Int32) for i in range(len(bands))])
