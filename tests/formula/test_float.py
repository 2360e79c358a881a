"""The formula language: parsing, errors, and the float backend equal to the per-row oracle."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.formula import (
    PAY,
    Binary,
    FormulaError,
    Str,
    parse,
    round_half_away_expr,
    unparse,
    variables,
)
from jixiao.formula import to_float_expr as to_polars
from tests.formula.oracle import evaluate_float as evaluate
from tests.formula.oracle import round_half_away


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("paid_buyers / inquiries", "paid_buyers / inquiries"),
        ("(orders - orders_prev) / orders_prev", "(orders - orders_prev) / orders_prev"),
        ("a - (b - c)", "a - (b - c)"),
        ("a * (b + c)", "a * (b + c)"),
        ("if(a > 35%, 1, 2)", "if(a > 35%, 1, 2)"),
        ("not a > 1 and b < 2 or c == 3", "not a > 1 and b < 2 or c == 3"),
        ("-a + -(b * 2)", "-a + -(b * 2)"),
        ("round(a/b,2)", "round(a / b, 2)"),
    ],
)
def test_unparse_round_trips(text: str, canonical: str) -> None:
    node = parse(text)
    assert unparse(node) == canonical
    assert parse(unparse(node)) == node


def test_variables() -> None:
    assert variables(parse("min(a, b) / c + 35%")) == {"a", "b", "c"}


def test_percent_literal() -> None:
    assert evaluate(parse("35%"), {}) == pytest.approx(0.35)


@pytest.mark.parametrize(
    ("text", "fragment", "pos"),
    [
        ("a +", "结尾", 4),
        ("a < b < c", "不能连写", 7),
        ("foo(1)", "未知函数 “foo”", 1),
        ("a $ b", "无法识别的字符 “$”", 3),
        ("(a + b", "应当是 “)”", 7),
        ("", "公式为空", 1),
        ("round(a, b)", "位数必须是非负整数", 1),
        ("abs(a, b)", "参数个数不对", 1),
    ],
)
def test_syntax_errors_name_the_position(text: str, fragment: str, pos: int) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert fragment in str(info.value)
    assert f"第 {pos} 个字符" in str(info.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("if(a, 1, 2)", "if 的第一个参数需要条件"),
        ("a + (b > 1)", "需要数值"),
        ("a and b", "需要条件"),
        ("not a", "需要条件"),
    ],
)
def test_type_errors(text: str, fragment: str) -> None:
    with pytest.raises(FormulaError, match=fragment):
        parse(text)


def test_division_by_zero_and_missing_are_none() -> None:
    assert evaluate(parse("a / b"), {"a": 1.0, "b": 0.0}) is None
    assert evaluate(parse("a / b"), {"a": None, "b": 2.0}) is None
    assert evaluate(parse("min(a, b)"), {"a": None, "b": 2.0}) == 2.0
    assert evaluate(parse("coalesce(a, b)"), {"a": None, "b": 2.0}) == 2.0
    assert evaluate(parse("if(a > 1, 1, 2)"), {"a": None}) is None
    assert evaluate(parse("a > 1 and b > 1"), {"a": 0.0, "b": None}) is False
    assert evaluate(parse("a > 1 or b > 1"), {"a": 2.0, "b": None}) is True


def test_no_python_eval_escape() -> None:
    with pytest.raises(FormulaError):
        parse("__import__('os').system('echo hi')")


@pytest.mark.parametrize(
    ("x", "expected"), [(2.675, 2.68), (-2.675, -2.68), (1.005, 1.01), (0.004, 0.0), (-0.004, 0.0)]
)
def test_round_half_away_from_zero(x: float, expected: float) -> None:
    assert round_half_away(x, 2) == expected
    got = pl.select(round_half_away_expr(pl.lit(x, dtype=pl.Float64), 2)).item()
    assert got == expected
    assert math.copysign(1, got) == math.copysign(1, expected)


# --- vectorised == per row, on random formulas -------------------------------------------------

NAMES = ["a", "b", "c"]
values = st.one_of(
    st.none(), st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.5]), st.floats(-1e6, 1e6, allow_nan=False)
)


def numeric(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(NAMES), st.sampled_from(["0", "1", "2.5", "35%"]))
    if depth == 0:
        return leaf
    sub = numeric(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(["+", "-", "*", "/"]), sub).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["min", "max", "coalesce"]), sub, sub).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        sub.map(lambda s: f"abs({s})"),
        sub.map(lambda s: f"round({s}, 1)"),
        sub.map(lambda s: f"floor({s})"),
        st.tuples(condition(depth - 1), sub, sub).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
    )


def condition(depth: int) -> st.SearchStrategy[str]:
    sub = numeric(min(depth, 1)) if depth > 0 else st.sampled_from(NAMES)
    cmp = st.tuples(sub, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), sub).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}"
    )
    return st.one_of(
        cmp,
        st.tuples(cmp, st.sampled_from(["and", "or"]), cmp).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        cmp.map(lambda c: f"not ({c})"),
    )


@settings(max_examples=150, deadline=None)
@given(
    text=numeric(3),
    rows=st.lists(st.fixed_dictionaries({n: values for n in NAMES}), min_size=1, max_size=8),
)
def test_vectorised_equals_per_row(text: str, rows: list[dict]) -> None:
    node = parse(text)
    df = pl.DataFrame(rows, schema={n: pl.Float64 for n in NAMES})
    vec = df.with_columns(to_polars(node).alias("r")).get_column("r").to_list()
    per_row = [evaluate(node, r) for r in rows]
    for v, p in zip(vec, per_row, strict=True):
        if p is None or (isinstance(p, float) and math.isnan(p)):
            assert v is None or math.isnan(v)
        else:
            assert v == pytest.approx(p, rel=1e-12, abs=1e-12) or (math.isinf(p) and v == p)


@settings(max_examples=100, deadline=None)
@given(
    text=condition(2),
    rows=st.lists(st.fixed_dictionaries({n: values for n in NAMES}), min_size=1, max_size=8),
)
def test_vectorised_conditions_equal_per_row(text: str, rows: list[dict]) -> None:
    node = parse(text)
    df = pl.DataFrame(rows, schema={n: pl.Float64 for n in NAMES})
    vec = df.with_columns(to_polars(node).alias("r")).get_column("r").to_list()
    assert vec == [evaluate(node, r) for r in rows]


def test_division_by_a_constant_is_true_division() -> None:
    # Polars would compute 57 / 100 as 57 * 0.01 = 0.5700000000000001, which lies above a
    # "57%" band edge; the engine must agree with Python's 57 / 100 = 0.57 exactly.
    df = pl.DataFrame({"n": [57.0, 35.0, 700.0]})
    got = df.with_columns(to_polars(parse("n / 100")).alias("r")).get_column("r").to_list()
    assert got == [57 / 100, 35 / 100, 700 / 100]


def test_full_width_punctuation_from_a_chinese_input_method() -> None:
    node = parse("max（a，b） × 10％ ÷ 2")
    assert unparse(node) == "max(a, b) * 10% / 2"
    assert evaluate(node, {"a": 3.0, "b": 8.0}) == pytest.approx(0.4)
    with pytest.raises(FormulaError) as info:
        parse("a ＄ b")
    assert info.value.pos == 2 and "＄" in str(info.value)


def test_pay_dialect_shares_the_parser() -> None:
    node = parse('if(grade == "优秀", items.KPI1 * 2, 0)', PAY)
    cond = node.args[0]  # type: ignore[union-attr]
    assert isinstance(cond, Binary) and isinstance(cond.right, Str) and cond.right.value == "优秀"
    with pytest.raises(FormulaError):
        parse('grade == "优秀"')  # text literals are for pay plans only
