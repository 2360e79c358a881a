"""Bands: bounds kept exactly as written, compared as doubles (scores) or exactly (pay)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.formula import (
    DEC,
    band_expr,
    band_index_expr,
    check_bands,
    find_band,
    parse_band,
    parse_decimal,
)


def test_bounds_are_exact_as_written() -> None:
    b = parse_band({"gte": "95%", "lt": 1.2, "value": 1}, where="t")
    assert b.low_exact == Decimal("0.95") and b.high_exact == Decimal("1.2")
    assert b.low == 0.95 and b.high == 1.2
    assert b.describe() == "[0.95, 1.2)"
    big = parse_band({"gte": 1000000, "value": 1}, where="t")
    assert big.describe() == "[1000000, +∞)"  # not 1e+06


def test_exact_and_float_comparison_at_the_edge() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 as a double, above a "0.3" edge; as a decimal it is 0.3.
    bands = (
        parse_band({"lt": "0.3", "value": "low"}, where="t"),
        parse_band({"gte": "0.3", "value": "high"}, where="t"),
    )
    assert find_band(bands, 0.1 + 0.2) == 1
    assert find_band(bands, Decimal("0.1") + Decimal("0.2")) == 1
    assert find_band(bands, Decimal("0.2999999999")) == 0
    df = pl.DataFrame({"x": pl.Series([Decimal("0.2999999999"), Decimal("0.3"), None], dtype=DEC)})
    got = df.select(band_index_expr(bands, pl.col("x"), exact=True)).to_series().to_list()
    assert got == [0, 1, None]


def test_checks_use_exact_bounds() -> None:
    touching = [
        parse_band({"gte": "0.1", "lt": "0.3", "value": 1}, where="t"),
        parse_band({"gte": "0.30", "value": 2}, where="t"),
    ]
    assert check_bands(touching) == []
    gap = [
        parse_band({"lt": "0.3", "value": 1}, where="t"),
        parse_band({"gte": "0.3000000001", "value": 2}, where="t"),
    ]
    assert [i.kind for i in check_bands(gap)] == ["gap"]


@pytest.mark.parametrize("bad", ["abc", "nan", True, None, float("nan"), "1e"])
def test_parse_decimal_refuses_what_is_not_a_number(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_decimal(bad, where="t")


@given(
    st.lists(st.decimals(-1000, 1000, places=3), min_size=1, max_size=5, unique=True),
    st.lists(st.decimals(-1100, 1100, places=4), min_size=1, max_size=20),
)
def test_vectorised_exact_lookup_equals_find_band(cuts: list[Decimal], xs: list[Decimal]) -> None:
    cuts.sort()
    raw = [{"lt": str(cuts[0]), "value": 0}]
    raw += [
        {"gte": str(a), "lt": str(b), "value": i + 1}
        for i, (a, b) in enumerate(itertools.pairwise(cuts))
    ]
    raw.append({"gte": str(cuts[-1]), "value": len(cuts)})
    bands = [parse_band(r, where="t") for r in raw]
    df = pl.DataFrame({"x": pl.Series(xs, dtype=DEC)})
    vec = df.select(band_expr(bands, pl.col("x"), exact=True)).to_series().to_list()
    assert vec == [bands[find_band(bands, x)].value for x in xs]  # type: ignore[index]
    fl = pl.DataFrame({"x": [float(x) for x in xs]})
    vec_f = fl.select(band_expr(bands, pl.col("x"))).to_series().to_list()
    assert vec_f == [bands[find_band(bands, float(x))].value for x in xs]  # type: ignore[index]
