"""One type checker for both dialects, and the syntax tree's walks."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from jixiao.formula import (
    DEC,
    PAY,
    RESERVED_WORDS,
    SCORE,
    FormulaError,
    Num,
    has_aggregate,
    parse,
    to_decimal_expr,
    typecheck,
    unparse,
    variables_outside_aggregates,
)


def check(src: str, types: dict, *, aggregates: bool = False) -> str:
    return typecheck(parse(src, PAY), text=src, types=types, aggregates=aggregates)


def test_text_compares_with_text_only() -> None:
    types = {"grade": "text", "score": "num"}
    assert check('grade == "优秀"', types) == "bool"
    assert check('if(score > 90, "A", "B")', types) == "text"
    with pytest.raises(FormulaError, match="需要数值"):
        check("grade + 1", types)
    with pytest.raises(FormulaError, match="需要数值"):
        check("grade == 1", types)
    with pytest.raises(FormulaError, match="类型不同"):
        check('if(score > 90, "A", 1)', types)


def test_unknown_names_and_aggregates() -> None:
    with pytest.raises(FormulaError, match="未知名称 'x'"):
        check("x + 1", {})
    with pytest.raises(FormulaError, match="只能用在奖金池金额里"):
        check("sum(a)", {"a": "num"})
    assert check("sum(a) * 1%", {"a": "num"}, aggregates=True) == "num"
    assert check("count(a > 1)", {"a": "num"}, aggregates=True) == "num"
    with pytest.raises(FormulaError, match="不能套在"):
        check("sum(count())", {}, aggregates=True)
    node = parse("sum(a) / count() + b", PAY)
    assert has_aggregate(node) and variables_outside_aggregates(node) == {"b"}


def test_dialects_differ_in_functions_and_literals() -> None:
    with pytest.raises(FormulaError, match="未知函数"):
        parse("sum(a)", SCORE)
    with pytest.raises(FormulaError, match="true/false"):
        parse("true", SCORE)
    assert unparse(parse('a == "x" or b', PAY)) == 'a == "x" or b'
    assert {"sum", "count", "coalesce", "and"} <= RESERVED_WORDS


def test_program_made_literals_are_exact() -> None:
    n = Num.of(Decimal("0.125"))
    assert n.decimal == Decimal("0.125") and n.value == 0.125
    assert Num.of(0.1).decimal == Decimal("0.1")
    assert parse("35%").decimal == Decimal("0.35")  # type: ignore[union-attr]


def test_decimal_floor_ceil_and_overflow() -> None:
    df = pl.DataFrame({"x": pl.Series([Decimal("-1.5"), Decimal("2.25")], dtype=DEC)})
    got = df.select(to_decimal_expr(parse("floor(x) + ceil(x)", PAY))).to_series().to_list()
    assert got == [Decimal("-3"), Decimal("5")]
    big = pl.DataFrame({"x": pl.Series([Decimal("9" * 27)], dtype=DEC)})
    # Beyond 38 digits Polars raises; the pay engine turns that into a user error.
    with pytest.raises(pl.exceptions.ComputeError):
        big.select(to_decimal_expr(parse("x * x", PAY)))
