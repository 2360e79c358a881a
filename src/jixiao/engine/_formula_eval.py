"""Evaluating formulas: as Polars expressions (vectorised) and per row (traces).

Both implement the semantics documented in :mod:`._formula`, with the same float operations
in the same order, so that the vectorised scores and the per-row explanations agree exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import polars as pl

from jixiao.engine._formula import _FLIP, Binary, Call, Node, Num, Unary, Var, variables

# --- vectorised ----------------------------------------------------------------------------


def divide(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """``a / b`` with IEEE true division, as Python computes it.

    Polars divides by a scalar as a multiplication by its reciprocal (57 / 100 gives
    0.5700000000000001, which then sits above a 57% band edge). Turning the divisor into a
    column makes Polars divide element by element, so both paths agree to the last bit.
    """
    column = pl.int_range(pl.len(), dtype=pl.Int64).cast(pl.Float64) * 0.0 + b
    return a / column


def to_polars(node: Node, columns: Mapping[str, pl.Expr] | None = None) -> pl.Expr:
    """Compile to a Polars expression. ``columns`` maps names to expressions (default ``pl.col``)."""

    def col(name: str) -> pl.Expr:
        if columns is not None and name in columns:
            return columns[name]
        return pl.col(name).cast(pl.Float64)

    def go(n: Node) -> pl.Expr:
        if isinstance(n, Num):
            return pl.lit(n.value, dtype=pl.Float64)
        if isinstance(n, Var):
            return col(n.name)
        if isinstance(n, Unary):
            return go(n.operand).not_() if n.op == "not" else -go(n.operand)
        if isinstance(n, Binary):
            a, b = go(n.left), go(n.right)
            op = n.op
            if op in _FLIP and not variables(n.left) and variables(n.right):
                # Polars 2.1's optimiser mis-sizes `literal < when(...)` as length 1;
                # the same comparison with the column on the left is sized correctly.
                a, b, op = b, a, _FLIP[op]
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

    return go(node)


# --- per row -------------------------------------------------------------------------------

Value = float | bool | None


def evaluate(node: Node, env: Mapping[str, float | None]) -> Value:
    """Evaluate one row. Mirrors :func:`to_polars` exactly (see the module docstring)."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Var):
        v = env.get(node.name)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return float(v)
    if isinstance(node, Unary):
        x = evaluate(node.operand, env)
        if x is None:
            return None
        return (not x) if node.op == "not" else -float(x)
    if isinstance(node, Binary):
        a, b = evaluate(node.left, env), evaluate(node.right, env)
        if node.op == "and":
            if a is False or b is False:
                return False
            return None if a is None or b is None else True
        if node.op == "or":
            if a is True or b is True:
                return True
            return None if a is None or b is None else False
        if a is None or b is None:
            return None
        fa, fb = float(a), float(b)
        match node.op:
            case "+":
                return fa + fb
            case "-":
                return fa - fb
            case "*":
                return fa * fb
            case "/":
                return None if fb == 0 else fa / fb
            case "<":
                return fa < fb
            case "<=":
                return fa <= fb
            case ">":
                return fa > fb
            case ">=":
                return fa >= fb
            case "==":
                return fa == fb
            case "!=":
                return fa != fb
    if isinstance(node, Call):
        if node.fn == "if":
            c = evaluate(node.args[0], env)
            if c is None:
                return None
            return evaluate(node.args[1] if c else node.args[2], env)
        vals = [evaluate(a, env) for a in node.args]
        match node.fn:
            case "min" | "max":
                present = [float(v) for v in vals if v is not None]
                if not present:
                    return None
                return min(present) if node.fn == "min" else max(present)
            case "coalesce":
                return next((float(v) for v in vals if v is not None), None)
            case "abs":
                return None if vals[0] is None else abs(float(vals[0]))
            case "floor":
                return None if vals[0] is None else float(math.floor(float(vals[0])))
            case "ceil":
                return None if vals[0] is None else float(math.ceil(float(vals[0])))
            case "round":
                digits = int(node.args[1].value) if len(node.args) == 2 else 0  # type: ignore[union-attr]
                return None if vals[0] is None else round_half_away(float(vals[0]), digits)
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover


# --- rounding shared by both paths ----------------------------------------------------------

# Scores are computed in binary floating point; 2.675 is stored as 2.67499999..., which a naive
# half-up rounding sends down. Adding a tiny relative nudge before flooring treats such values as
# the decimal the user wrote. Both paths use exactly these float operations, so they agree.
_NUDGE = 1e-9


def round_half_away(x: float, digits: int = 2) -> float:
    scale = 10.0**digits
    y = math.floor(abs(x) * scale + 0.5 + _NUDGE) / scale
    return (-y if x < 0 else y) + 0.0  # + 0.0 turns -0.0 into 0.0


def round_half_away_expr(x: pl.Expr, digits: int = 2) -> pl.Expr:
    scale = 10.0**digits
    # Polars turns `/ scale` into `* (1 / scale)` (35 * 0.01 = 0.35000000000000003); the
    # final round() restores the double nearest the decimal, as Python's true division gives.
    y = ((x.abs() * scale + (0.5 + _NUDGE)).floor() / scale).round(digits)
    # sign() * y equals `-y if x < 0 else y`; a zero is written as +0.0 (Polars folds `+ 0.0`
    # away, so -0.0 would otherwise reach JSON and CSV as "-0.0").
    return pl.when(y == 0).then(pl.lit(0.0)).otherwise(y * x.sign())
