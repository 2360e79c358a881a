"""The per-row float evaluator: the oracle the vectorised float backend (scoring) is tested
against. The Decimal (pay) per-row oracle is ``tests/pay/oracle.py``. Production never evaluates
per row (issue 8, "compute once")."""

from __future__ import annotations

import math
from collections.abc import Mapping

from jixiao.formula._ast import Binary, Call, Node, Num, Unary, Var
from jixiao.formula._float import NUDGE

__all__ = ["evaluate_float", "round_half_away"]

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
