"""Two evaluators of the same expression tree: Polars (all employees at once) and Decimal (one).

They must agree exactly; tests compare them row by row. Division by zero gives null in Polars and
raises :class:`EvalError` in the scalar path, which the runner uses to name the row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import polars as pl

from jixiao.pay._expr import Bin, Bool, Call, Node, Num, Str, Unary, Var
from jixiao.pay._num import DEC, INT_DEC, div, lit, mul, q, round_half_up

_CMP = {"<", "<=", ">", ">=", "==", "!="}


class EvalError(ValueError):
    def __init__(self, message: str, message_en: str) -> None:
        self.message, self.message_en = message, message_en
        super().__init__(f"{message} / {message_en}")


def to_polars(node: Node, col: Callable[[str], pl.Expr]) -> pl.Expr:
    """The Polars expression of ``node``; ``col`` maps a name to its column expression."""
    if isinstance(node, Num):
        if node.value == node.value.to_integral_value():
            # Integer constants as scale 0: multiplying by them needs no rescaling (16× faster
            # in Polars) and the product is exact either way, so results are unchanged.
            return pl.lit(node.value.to_integral_value(), dtype=INT_DEC)
        return lit(node.value)
    if isinstance(node, Bool):
        return pl.lit(node.value)
    if isinstance(node, Str):
        return pl.lit(node.value, dtype=pl.String)
    if isinstance(node, Var):
        return col(node.name)
    if isinstance(node, Unary):
        arg = to_polars(node.arg, col)
        return -arg if node.op == "-" else ~arg
    if isinstance(node, Bin):
        fast = _scaled_constant(node, col)
        if fast is not None:
            return fast
        a, b = to_polars(node.left, col), to_polars(node.right, col)
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
    args = [to_polars(a, col) for a in node.args] if node.fn != "round" else []
    match node.fn:
        case "min":
            return pl.min_horizontal(*args)
        case "max":
            return pl.max_horizontal(*args)
        case "abs":
            return args[0].abs()
        case "round":
            n = int(node.args[1].value) if isinstance(node.args[1], Num) else 0
            return to_polars(node.args[0], col).round(n, mode="half_away_from_zero").cast(DEC)
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


def _scaled_constant(node: Bin, col: Callable[[str], pl.Expr]) -> pl.Expr | None:
    """``x * 0.15`` as ``x * 15 / 100`` and ``x / 1.5`` as ``x * 10 / 15``: the same exact value
    rounded once, but Polars multiplies by a scale-0 integer without rescaling (faster)."""
    if node.op not in {"*", "/"}:
        return None
    if isinstance(node.right, Num):
        const, other = node.right.value, node.left
    elif node.op == "*" and isinstance(node.left, Num):
        const, other = node.left.value, node.right
    else:
        return None
    if const == const.to_integral_value() or const == 0:
        return None
    sign, digits, exponent = const.normalize().as_tuple()  # fewest digits: no overflow
    assert isinstance(exponent, int)
    num = int("".join(map(str, digits))) * (-1 if sign else 1)
    den = 10**-exponent
    x = to_polars(other, col)
    if node.op == "*":
        return (x * _int(num) / _int(den)).cast(DEC)
    return (x * _int(den) / _int(num)).cast(DEC)


def evaluate(node: Node, env: Mapping[str, Any], aggs: Mapping[Node, Decimal] | None = None) -> Any:
    """Evaluate ``node`` for one employee. ``aggs`` holds precomputed sum()/count() values."""
    if isinstance(node, Num | Bool | Str):
        return node.value
    if isinstance(node, Var):
        return env[node.name]
    if isinstance(node, Unary):
        v = evaluate(node.arg, env, aggs)
        return -v if node.op == "-" else not v
    if isinstance(node, Bin):
        if node.op == "and":
            return bool(evaluate(node.left, env, aggs)) and bool(evaluate(node.right, env, aggs))
        if node.op == "or":
            return bool(evaluate(node.left, env, aggs)) or bool(evaluate(node.right, env, aggs))
        a, b = evaluate(node.left, env, aggs), evaluate(node.right, env, aggs)
        match node.op:
            case "+":
                return a + b
            case "-":
                return a - b
            case "*":
                return mul(a, b)
            case "/":
                if b == 0:
                    raise EvalError("除数为 0", "division by zero")
                return div(a, b)
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
    if node.fn in {"sum", "count"}:
        if aggs is None or node not in aggs:
            raise EvalError(f"{node.fn}() 未预先计算", f"{node.fn}() was not precomputed")
        return aggs[node]
    if node.fn == "if":
        cond = evaluate(node.args[0], env, aggs)
        return evaluate(node.args[1] if cond else node.args[2], env, aggs)
    if node.fn == "round":
        n = int(node.args[1].value) if isinstance(node.args[1], Num) else 0
        return round_half_up(evaluate(node.args[0], env, aggs), n)
    vals = [evaluate(a, env, aggs) for a in node.args]
    match node.fn:
        case "min":
            return min(vals)
        case "max":
            return max(vals)
        case _:
            return q(abs(vals[0]))


def aggregates(node: Node, rows: list[Mapping[str, Any]]) -> dict[Node, Decimal]:
    """sum()/count() values of every aggregate call inside ``node``, by a plain loop over rows."""
    out: dict[Node, Decimal] = {}

    def walk(n: Node) -> None:
        if isinstance(n, Call):
            if n.fn == "sum":
                out[n] = sum((evaluate(n.args[0], r) for r in rows), Decimal(0))
                return
            if n.fn == "count":
                out[n] = Decimal(sum(1 for r in rows if not n.args or evaluate(n.args[0], r)))
                return
            for a in n.args:
                walk(a)
        elif isinstance(n, Unary):
            walk(n.arg)
        elif isinstance(n, Bin):
            walk(n.left)
            walk(n.right)

    walk(node)
    return out
