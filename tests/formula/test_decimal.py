"""The Decimal backend (pay): syntax in the pay dialect, and vectorised equal to the oracle."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.formula import DEC, PAY, FormulaError, typecheck
from jixiao.formula import parse as _parse
from jixiao.formula import to_decimal_expr as to_polars
from jixiao.pay._num import money, to_decimal
from tests.pay.oracle import EvalError, evaluate


def parse(src: str):  # the pay dialect
    return _parse(src, PAY)


def test_full_width_operators_and_percent_literals() -> None:
    node = parse("底薪 × 10％ ÷ （1 + 1） + max（1，2）")
    assert evaluate(node, {"底薪": Decimal("1800")}) == Decimal("92")


def test_precedence_and_functions() -> None:
    env = {"x": Decimal("3"), "g": "优秀"}
    assert evaluate(parse("1 + 2 * x"), env) == 7
    assert evaluate(parse("-(1 + 2) * x"), env) == -9
    assert evaluate(parse('if(g == "优秀", max(1, x, 2), 0)'), env) == 3
    assert evaluate(parse("round(10 / 3, 2)"), env) == Decimal("3.33")
    assert evaluate(parse("not x > 2 or x == 3"), env) is True


@pytest.mark.parametrize("src", ["", "1 +", "(1", "1 2", "min()", "__import__('os')", "a.b(1)"])
def test_rejected(src: str) -> None:
    with pytest.raises(FormulaError):
        typecheck(parse(src), text=src, types={"a.b": "num"})


def test_division_by_zero() -> None:
    with pytest.raises(EvalError):
        evaluate(parse("1 / x"), {"x": Decimal(0)})
    df = pl.DataFrame({"x": pl.Series([Decimal(0), Decimal(4)], dtype=DEC)})
    assert df.select(to_polars(parse("1 / x"), pl.col)).to_series().to_list() == [
        None,
        Decimal("0.25"),
    ]


def test_to_decimal_never_goes_through_binary_floats_for_text() -> None:
    assert to_decimal("0.1") + to_decimal("0.2") == Decimal("0.3")
    assert to_decimal("1,200.50") == Decimal("1200.5")
    assert to_decimal("12%") == Decimal("0.12")
    assert to_decimal(0.1) == Decimal("0.1")
    assert money(Decimal("0.125")) == Decimal("0.13") and money(Decimal("-0.125")) == Decimal(
        "-0.13"
    )
    for bad in ("abc", "nan", "inf", None, True):
        with pytest.raises(ValueError):
            to_decimal(bad)


decimals = st.decimals(
    min_value=Decimal("-100000"),
    max_value=Decimal("100000"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
EXPRS = [
    "a * b",
    "a / b",
    "a * b / c",
    "round(a / c, 2) * b",
    "min(a, b) - max(b, c) * 1.5%",
    "if(a > b, a * 0.333, b / 7)",
    "abs(a - b) * c / 3",
    "a / 7 + b * 3 / 100",
    "b * 1.5 / 8 - c * 0.125",
    "if(c > 0, 0, a * 20)",
    "min(a * 2, 10, b) + max(0, c / 3)",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(decimals, decimals, decimals.filter(lambda d: d != 0)), min_size=1, max_size=20
    ),
    st.sampled_from(EXPRS),
)
def test_vectorised_equals_scalar(rows: list[tuple[Decimal, Decimal, Decimal]], src: str) -> None:
    node = parse(src)
    df = pl.DataFrame({k: pl.Series([r[i] for r in rows], dtype=DEC) for i, k in enumerate("abc")})
    got = df.select(to_polars(node, pl.col).cast(DEC).alias("v"))["v"].to_list()
    want = [
        evaluate(node, {"a": to_decimal(a), "b": to_decimal(b), "c": to_decimal(c)})
        for a, b, c in rows
    ]
    assert got == want
