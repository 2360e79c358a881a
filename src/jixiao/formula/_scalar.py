"""Per-row evaluators (float and Decimal): the oracle the vectorised backends are tested against.

TEMPORARY in ``src``: the scoring engine's per-row explanation and the pay engine's per-employee
pass still call these. The kinds refactor (issue 8, "compute once") moves production to the
vectorised backends only and this module to ``tests/`` as the oracle. Do not add callers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from jixiao.formula._ast import AGGREGATES, Binary, Bool, Call, Node, Num, Str, Unary, Var
from jixiao.formula._decimal import div, mul, q, round_half_up
from jixiao.formula._float import NUDGE

__all__ = ["EvalError", "aggregates", "evaluate_decimal", "evaluate_float", "round_half_away"]

Value = float | bool | None


def evaluate_float(node: Node, env: Mapping[str, float | None]) -> Value:
    """Evaluate one row with floats; mirrors :func:`.to_float_expr`."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Var):
        v = env.get(node.name)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return float(v)
    if isinstance(node, Unary):
        x = evaluate_float(node.operand, env)
        if x is None:
            return None
        return (not x) if node.op == "not" else -float(x)
    if isinstance(node, Binary):
        a, b = evaluate_float(node.left, env), evaluate_float(node.right, env)
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
            c = evaluate_float(node.args[0], env)
            if c is None:
                return None
            return evaluate_float(node.args[1] if c else node.args[2], env)
        vals = [evaluate_float(a, env) for a in node.args]
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


def round_half_away(x: float, digits: int = 2) -> float:
    scale = 10.0**digits
    y = math.floor(abs(x) * scale + 0.5 + NUDGE) / scale
    return (-y if x < 0 else y) + 0.0  # + 0.0 turns -0.0 into 0.0


class EvalError(ValueError):
    def __init__(self, message: str, message_en: str) -> None:
        self.message, self.message_en = message, message_en
        super().__init__(f"{message} / {message_en}")


def evaluate_decimal(
    node: Node, env: Mapping[str, Any], aggs: Mapping[Node, Decimal] | None = None
) -> Any:
    """Evaluate ``node`` for one employee. ``aggs`` holds precomputed sum()/count() values."""
    if isinstance(node, Num):
        return q(node.decimal)
    if isinstance(node, Bool | Str):
        return node.value
    if isinstance(node, Var):
        return env[node.name]
    if isinstance(node, Unary):
        v = evaluate_decimal(node.operand, env, aggs)
        return -v if node.op == "-" else not v
    if isinstance(node, Binary):
        if node.op == "and":
            return bool(evaluate_decimal(node.left, env, aggs)) and bool(
                evaluate_decimal(node.right, env, aggs)
            )
        if node.op == "or":
            return bool(evaluate_decimal(node.left, env, aggs)) or bool(
                evaluate_decimal(node.right, env, aggs)
            )
        a, b = evaluate_decimal(node.left, env, aggs), evaluate_decimal(node.right, env, aggs)
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
    if node.fn in AGGREGATES:
        if aggs is None or node not in aggs:
            raise EvalError(f"{node.fn}() 未预先计算", f"{node.fn}() was not precomputed")
        return aggs[node]
    if node.fn == "if":
        cond = evaluate_decimal(node.args[0], env, aggs)
        return evaluate_decimal(node.args[1] if cond else node.args[2], env, aggs)
    if node.fn == "round":
        n = int(node.args[1].value) if len(node.args) == 2 and isinstance(node.args[1], Num) else 0
        return round_half_up(evaluate_decimal(node.args[0], env, aggs), n)
    vals = [evaluate_decimal(a, env, aggs) for a in node.args]
    match node.fn:
        case "min":
            return min(vals)
        case "max":
            return max(vals)
        case "floor":
            return q(vals[0].to_integral_value(rounding=ROUND_FLOOR))
        case "ceil":
            return q(vals[0].to_integral_value(rounding=ROUND_CEILING))
        case _:
            return q(abs(vals[0]))


def aggregates(node: Node, rows: list[Mapping[str, Any]]) -> dict[Node, Decimal]:
    """sum()/count() values of every aggregate call inside ``node``, by a plain loop over rows."""
    out: dict[Node, Decimal] = {}

    def walk(n: Node) -> None:
        if isinstance(n, Call):
            if n.fn == "sum":
                out[n] = sum((evaluate_decimal(n.args[0], r) for r in rows), Decimal(0))
                return
            if n.fn == "count":
                out[n] = Decimal(
                    sum(1 for r in rows if not n.args or evaluate_decimal(n.args[0], r))
                )
                return
            for a in n.args:
                walk(a)
        elif isinstance(n, Unary):
            walk(n.operand)
        elif isinstance(n, Binary):
            walk(n.left)
            walk(n.right)

    walk(node)
    return out
