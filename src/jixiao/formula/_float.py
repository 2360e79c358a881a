"""The float backend: a formula as a Polars ``Float64`` expression (scores).

Semantics (the table in docs/formula.md): a missing input is null and propagates through
arithmetic and comparisons; division by zero is missing; a result that overflows to ±inf
is missing (:func:`to_float_expr` with ``finite=True``); ``min``/``max`` ignore missing
arguments; ``coalesce`` takes the first present one; ``if`` with a missing condition is
missing; ``and``/``or`` are three-valued (Kleene); ``round`` rounds half away from zero.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jixiao.formula._ast import (
    FLIP,
    Binary,
    Bool,
    Call,
    Node,
    Num,
    Str,
    Unary,
    Var,
    is_condition,
    variables,
)

__all__ = ["NUDGE", "divide", "round_half_away_expr", "to_float_expr"]


def divide(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """``a / b`` with IEEE true division, as Python computes it.

    Polars divides by a scalar as a multiplication by its reciprocal (57 / 100 gives
    0.5700000000000001, which then sits above a 57% band edge). Turning the divisor into a
    column makes Polars divide element by element, so both paths agree to the last bit.
    """
    column = pl.int_range(pl.len(), dtype=pl.Int64).cast(pl.Float64) * 0.0 + b
    return a / column


def to_float_expr(
    node: Node, columns: Mapping[str, pl.Expr] | None = None, *, finite: bool = False
) -> pl.Expr:
    """Compile to a Polars expression. ``columns`` maps names to expressions (default
    ``pl.col`` cast to Float64); ``finite``: an overflow to ±inf (or NaN) is missing."""

    def col(name: str) -> pl.Expr:
        if columns is not None and name in columns:
            return columns[name]
        return pl.col(name).cast(pl.Float64)

    def go(n: Node) -> pl.Expr:
        if isinstance(n, Num):
            return pl.lit(n.value, dtype=pl.Float64)
        if isinstance(n, Var):
            return col(n.name)
        if isinstance(n, Bool):
            return pl.lit(n.value)
        if isinstance(n, Str):
            return pl.lit(n.value, dtype=pl.String)
        if isinstance(n, Unary):
            return go(n.operand).not_() if n.op == "not" else -go(n.operand)
        if isinstance(n, Binary):
            a, b = go(n.left), go(n.right)
            op = n.op
            if op in FLIP and not variables(n.left) and variables(n.right):
                # Polars 2.1's optimiser mis-sizes `literal < when(...)` as length 1;
                # the same comparison with the column on the left is sized correctly.
                a, b, op = b, a, FLIP[op]
            match op:
                case "+":
                    return a + b
                case "-":
                    return a - b
                case "*":
                    return a * b
                case "/":
                    return (
                        pl.when(b == 0).then(pl.lit(None, dtype=pl.Float64)).otherwise(divide(a, b))
                    )
                case "<":
                    return a < b
                case "<=":
                    return a <= b
                case ">":
                    return a > b
                case ">=":
                    return a >= b
                case "==":
                    return a == b
                case "!=":
                    return a != b
                case "and":
                    # all_/any_horizontal keep Kleene logic and, unlike `&` on a literal,
                    # are never folded into a length-1 constant that fails to broadcast.
                    return pl.all_horizontal([a, b])
                case "or":
                    return pl.any_horizontal([a, b])
        if isinstance(n, Call):
            args = [go(a) for a in n.args]
            match n.fn:
                case "min":
                    return pl.min_horizontal(args) if len(args) > 1 else args[0]
                case "max":
                    return pl.max_horizontal(args) if len(args) > 1 else args[0]
                case "abs":
                    return args[0].abs()
                case "floor":
                    return args[0].floor()
                case "ceil":
                    return args[0].ceil()
                case "coalesce":
                    # A when/then chain rather than pl.coalesce: Polars 2.1 mis-sizes
                    # `literal < coalesce(col, literal)` as a length-1 result.
                    out = args[-1]
                    for arg in reversed(args[:-1]):
                        out = pl.when(arg.is_not_null()).then(arg).otherwise(out)
                    return out
                case "round":
                    digits = int(n.args[1].value) if len(n.args) == 2 else 0  # type: ignore[union-attr]
                    return round_half_away_expr(args[0], digits)
                case "if":
                    c, x, y = args
                    return (
                        pl.when(c.is_null())
                        .then(pl.lit(None, dtype=pl.Float64))
                        .when(c)
                        .then(x)
                        .otherwise(y)
                    )
        raise TypeError(f"unknown node {n!r}")  # pragma: no cover - parse() admits none

    expr = go(node)
    if finite and not isinstance(node, Var | Num) and not is_condition(node):
        # A formula can overflow (a huge number over a tiny one): that is missing, not ±inf.
        expr = pl.when(expr.is_finite()).then(expr)
    return expr


# --- rounding ---------------------------------------------------------------------------------

# Scores are computed in binary floating point; 2.675 is stored as 2.67499999..., which a naive
# half-up rounding sends down. Adding a tiny relative nudge before flooring treats such values as
# the decimal the user wrote (the test oracle uses exactly the same float operations).
NUDGE = 1e-9


def round_half_away_expr(x: pl.Expr, digits: int = 2) -> pl.Expr:
    scale = 10.0**digits
    # Polars turns `/ scale` into `* (1 / scale)` (35 * 0.01 = 0.35000000000000003); the
    # final round() restores the double nearest the decimal, as Python's true division gives.
    y = ((x.abs() * scale + (0.5 + NUDGE)).floor() / scale).round(digits)
    # sign() * y equals `-y if x < 0 else y`; a zero is written as +0.0 (Polars folds `+ 0.0`
    # away, so -0.0 would otherwise reach JSON and CSV as "-0.0").
    return pl.when(y == 0).then(pl.lit(0.0)).otherwise(y * x.sign())
