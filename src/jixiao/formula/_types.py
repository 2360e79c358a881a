"""The one type checker: numbers, conditions and text do not mix.

Types are ``num``, ``bool`` (a condition) and ``text`` (pay dialect only). With ``types``
given, every name must be declared there; without, every name is a number (the scoring
engine checks names itself first, so that it can suggest close ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from jixiao.formula._ast import (
    AGGREGATES,
    CMP,
    Binary,
    Bool,
    Call,
    FormulaError,
    Node,
    Num,
    Str,
    Unary,
    Var,
)

__all__ = ["Type", "typecheck"]

Type = Literal["num", "bool", "text"]

_NAME = {"num": "数值", "bool": "条件（比较式，如 x > 0）", "text": "文本"}
_NAME_EN = {"num": "a number", "bool": "a condition (a comparison such as x > 0)", "text": "text"}
_SHORT = {"num": "数值", "bool": "条件（比较式）", "text": "文本"}


def typecheck(
    node: Node,
    *,
    text: str,
    types: Mapping[str, Type] | None = None,
    aggregates: bool = False,
) -> Type:
    """The type of ``node``; raises :class:`FormulaError` (naming ``text``) on a mismatch.

    ``aggregates``: whether ``sum()`` / ``count()`` may appear (pool amounts only).
    """

    def need(got: Type, want: Type, what: str) -> None:
        if got != want:
            raise FormulaError(
                f"{what}需要{_NAME[want]}，这里却是{_SHORT[got]}",
                text=text,
                message_en=f"{what.strip('“”')} needs {_NAME_EN[want]}, got {_NAME_EN[got]}",
            )

    def go(n: Node, in_aggregate: bool) -> Type:
        if isinstance(n, Num):
            return "num"
        if isinstance(n, Bool):
            return "bool"
        if isinstance(n, Str):
            return "text"
        if isinstance(n, Var):
            if types is None:
                return "num"
            if n.name not in types:
                raise FormulaError(
                    f"未知名称 {n.name!r}", text=text, message_en=f"unknown name {n.name!r}"
                )
            return types[n.name]
        if isinstance(n, Unary):
            t = go(n.operand, in_aggregate)
            need(t, "bool" if n.op == "not" else "num", f"“{n.op}”")
            return t
        if isinstance(n, Binary):
            lt, rt = go(n.left, in_aggregate), go(n.right, in_aggregate)
            if n.op in {"and", "or"}:
                need(lt, "bool", f"“{n.op}”两边")
                need(rt, "bool", f"“{n.op}”两边")
                return "bool"
            if n.op in CMP and lt == "text" and rt == "text":
                return "bool"  # text equality; ISO dates compare in order as text
            need(lt, "num", f"“{n.op}”两边")
            need(rt, "num", f"“{n.op}”两边")
            return "bool" if n.op in CMP else "num"
        assert isinstance(n, Call)
        if n.fn in AGGREGATES:
            if not aggregates:
                raise FormulaError(
                    f"{n.fn}() 只能用在奖金池金额里",
                    text=text,
                    message_en=f"{n.fn}() is only allowed in pool amounts",
                )
            if in_aggregate:
                raise FormulaError(
                    f"{n.fn}() 不能套在另一个 sum()/count() 里",
                    text=text,
                    message_en=f"{n.fn}() cannot be nested in another aggregate",
                )
        inner = in_aggregate or n.fn in AGGREGATES
        ts = [go(a, inner) for a in n.args]
        if n.fn == "if":
            need(ts[0], "bool", "if 的第一个参数")
            if ts[1] == "bool" or ts[2] == "bool":
                need("bool", "num", "if 的第二、三个参数")
            if ts[1] != ts[2]:
                raise FormulaError(
                    "if 的两个分支类型不同（一个是数值，一个是文本）",
                    text=text,
                    message_en="the branches of if() have different types",
                )
            return ts[1]
        if n.fn == "count":
            if ts:
                need(ts[0], "bool", "count 的参数")
            return "num"
        for t in ts:
            need(t, "num", f"{n.fn} 的参数")
        return "num"

    return go(node, False)
