"""The Decimal backend: a formula as a Polars ``Decimal(38, 10)`` expression (pay).

Exact arithmetic rules (the table in docs/formula.md): every number is a ``Decimal`` with at
most ``SCALE`` (10) decimals — literals are read exactly from their text; ``+`` and ``-`` are
exact; the results of ``*`` and ``/`` are rounded half-even to 10 decimals (what Polars
``Decimal(38, 10)`` does). Division by zero is missing (null). A result beyond 38 digits is an
overflow, which Polars raises as a ``ComputeError``: the pay engine reports it as a user error
naming the component. ``and``/``or`` over conditions, text equality and ordering (ISO dates)
as in the float backend; ``sum``/``count`` aggregate over every row of the frame.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal

import polars as pl

from jixiao.formula._ast import Binary, Bool, Node, Num, Str, Unary, Var

__all__ = ["DEC", "INT_DEC", "SCALE", "div", "lit", "mul", "q", "round_half_up", "to_decimal_expr"]

SCALE = 10
DEC = pl.Decimal(38, SCALE)
INT_DEC = pl.Decimal(38, 0)
_Q = Decimal(1).scaleb(-SCALE)
CONTEXT = Context(prec=60)


def q(x: Decimal) -> Decimal:
    """Round an intermediate result half-even to the working scale."""
    return x.quantize(_Q, rounding=ROUND_HALF_EVEN, context=CONTEXT)


def mul(a: Decimal, b: Decimal) -> Decimal:
    return q(CONTEXT.multiply(a, b))


def div(a: Decimal, b: Decimal) -> Decimal:
    return q(CONTEXT.divide(a, b))


def round_half_up(x: Decimal, n: int) -> Decimal:
    return q(x.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP, context=CONTEXT))


def lit(x: Decimal) -> pl.Expr:
    return pl.lit(x, dtype=DEC)


def to_decimal_expr(node: Node, col: Callable[[str], pl.Expr] = pl.col) -> pl.Expr:
    """The Polars expression of ``node``; ``col`` maps a name to its column expression."""
    if isinstance(node, Num):
        value = node.decimal
        if value == value.to_integral_value():
            # Integer constants as scale 0: multiplying by them needs no rescaling (16× faster
            # in Polars) and the product is exact either way, so results are unchanged.
            return pl.lit(value.to_integral_value(), dtype=INT_DEC)
        return lit(q(value))
    if isinstance(node, Bool):
        return pl.lit(node.value)
    if isinstance(node, Str):
        return pl.lit(node.value, dtype=pl.String)
    if isinstance(node, Var):
        return col(node.name)
    if isinstance(node, Unary):
        arg = to_decimal_expr(node.operand, col)
        return -arg if node.op == "-" else ~arg
    if isinstance(node, Binary):
        fast = _scaled_constant(node, col)
        if fast is not None:
            return fast
        a, b = to_decimal_expr(node.left, col), to_decimal_expr(node.right, col)
        match node.op:
            case "+":
                return a + b
            case "-":
                return a - b
            case "*":
                return (a * b).cast(DEC)
            case "/":
                if isinstance(node.right, Num) and node.right.value != 0:
                    return (a / b).cast(DEC)  # a constant divisor cannot be zero
                # Dividing by null gives null: rows dividing by zero come out null, and the
                # runner re-evaluates them one by one to name the row.
                return (a / pl.when(b != lit(Decimal(0))).then(b)).cast(DEC)
            case "and":
                return a & b
            case "or":
                return a | b
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
            case _:
                return a != b
    args = [to_decimal_expr(a, col) for a in node.args] if node.fn != "round" else []
    match node.fn:
        case "min":
            return pl.min_horizontal(*args)
        case "max":
            return pl.max_horizontal(*args)
        case "abs":
            return args[0].abs()
        case "round":
            n = (
                int(node.args[1].value)
                if len(node.args) == 2 and isinstance(node.args[1], Num)
                else 0
            )
            return to_decimal_expr(node.args[0], col).round(n, mode="half_away_from_zero").cast(DEC)
        case "floor":
            return args[0].floor().cast(DEC)
        case "ceil":
            return args[0].ceil().cast(DEC)
        case "if":
            return pl.when(args[0]).then(args[1]).otherwise(args[2])
        case "sum":
            return args[0].sum().cast(DEC)
        case _:  # count
            if args:
                return args[0].cast(pl.Int64).sum().cast(DEC)
            return pl.len().cast(DEC)


def _int(n: int) -> pl.Expr:
    return pl.lit(Decimal(n), dtype=INT_DEC)


def _scaled_constant(node: Binary, col: Callable[[str], pl.Expr]) -> pl.Expr | None:
    """``x * 0.15`` as ``x * 15 / 100`` and ``x / 1.5`` as ``x * 10 / 15``: the same exact value
    rounded once, but Polars multiplies by a scale-0 integer without rescaling (faster)."""
    if node.op not in {"*", "/"}:
        return None
    if isinstance(node.right, Num):
        const, other = q(node.right.decimal), node.left
    elif node.op == "*" and isinstance(node.left, Num):
        const, other = q(node.left.decimal), node.right
    else:
        return None
    if const == const.to_integral_value() or const == 0:
        return None
    sign, digits, exponent = const.normalize().as_tuple()  # fewest digits: no overflow
    assert isinstance(exponent, int)
    num = int("".join(map(str, digits))) * (-1 if sign else 1)
    den = 10**-exponent
    x = to_decimal_expr(other, col)
    if node.op == "*":
        return (x * _int(num) / _int(den)).cast(DEC)
    return (x * _int(den) / _int(num)).cast(DEC)
