"""The expression language of pay plans: amounts and conditions (no Python eval).

The grammar, tokeniser and parser are the scoring engine's (:mod:`jixiao.engine._formula`),
used in the pay dialect: besides numbers, names and conditions it has text literals
(``grade == "优秀"``), ``true``/``false``, dotted names (``items.KPI1``), Chinese names and
full-width ``（），×÷％``. Functions: ``min``, ``max``, ``abs``, ``round(x, n)``,
``if(cond, a, b)`` and the aggregates ``sum(x)`` / ``count(cond)`` over all employees (only
where a plan allows them, e.g. pool amounts). Parsed trees are converted to this module's
nodes, whose numbers are exact ``Decimal``; :func:`typecheck` checks arities and types
against the plan's declared inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from jixiao.engine import _formula as F

Type = Literal["num", "bool", "text"]

FUNCTIONS = {"min", "max", "abs", "round", "if", "sum", "count"}
AGGREGATES = {"sum", "count"}
KEYWORDS = {"and", "or", "not", "true", "false"}
PAY_DIALECT = F.Dialect(
    functions=frozenset(FUNCTIONS),
    strings=True,
    bool_literals=True,
    dotted_names=True,
    check_calls=False,  # arities and types are checked by typecheck() against declared inputs
)


class ExprError(ValueError):
    """A syntax or type error; ``pos`` is the 0-based character offset in the source."""

    def __init__(self, message: str, message_en: str, pos: int | None = None) -> None:
        self.message, self.message_en, self.pos = message, message_en, pos
        super().__init__(f"{message} / {message_en}")


@dataclass(frozen=True, slots=True)
class Num:
    value: Decimal


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool


@dataclass(frozen=True, slots=True)
class Str:
    value: str


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" | "not"
    arg: Node


@dataclass(frozen=True, slots=True)
class Bin:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    fn: str
    args: tuple[Node, ...]


Node = Num | Bool | Str | Var | Unary | Bin | Call


def parse(src: str) -> Node:
    """Parse ``src``; raises :class:`ExprError` with a position on bad syntax.

    The tokeniser and parser are the scoring engine's (one grammar for the whole product),
    in the pay dialect: text literals, true/false, dotted names and the aggregates; numbers
    are then read exactly as Decimal from the text the user wrote.
    """
    if not isinstance(src, str) or not src.strip():
        raise ExprError("表达式为空", "empty expression")
    try:
        node = F.parse(src, PAY_DIALECT)
    except F.FormulaError as exc:
        where = "" if exc.pos is None else f"第 {exc.pos + 1} 个字符处："
        where_en = "" if exc.pos is None else f" at {exc.pos + 1}"
        raise ExprError(f"{where}{exc.reason}", f"{exc.reason_en}{where_en}", exc.pos) from None
    return _convert(node)


def _convert(node: F.Node) -> Node:
    if isinstance(node, F.Num):
        text = node.text
        # Exact decimal from the written digits: "0.1" is 0.1, never a binary float.
        return Num(Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text))
    if isinstance(node, F.Str):
        return Str(node.value)
    if isinstance(node, F.Bool):
        return Bool(node.value)
    if isinstance(node, F.Var):
        return Var(node.name)
    if isinstance(node, F.Unary):
        return Unary(node.op, _convert(node.operand))
    if isinstance(node, F.Binary):
        return Bin(node.op, _convert(node.left), _convert(node.right))
    if isinstance(node, F.Call):
        return Call(node.fn, tuple(_convert(a) for a in node.args))
    raise TypeError(node)  # pragma: no cover - the parser makes no other node


def names(node: Node) -> set[str]:
    """Every variable a node reads."""
    if isinstance(node, Var):
        return {node.name}
    if isinstance(node, Unary):
        return names(node.arg)
    if isinstance(node, Bin):
        return names(node.left) | names(node.right)
    if isinstance(node, Call):
        out: set[str] = set()
        for a in node.args:
            out |= names(a)
        return out
    return set()


def has_aggregate(node: Node) -> bool:
    if isinstance(node, Call):
        return node.fn in AGGREGATES or any(has_aggregate(a) for a in node.args)
    if isinstance(node, Unary):
        return has_aggregate(node.arg)
    if isinstance(node, Bin):
        return has_aggregate(node.left) or has_aggregate(node.right)
    return False


_ARITY = {
    "abs": (1, 1),
    "round": (2, 2),
    "if": (3, 3),
    "sum": (1, 1),
    "count": (0, 1),
    "min": (2, 99),
    "max": (2, 99),
}
_TYPE_ZH = {"num": "数值", "bool": "条件", "text": "文本"}


def typecheck(node: Node, types: dict[str, Type], *, aggregates: bool = False) -> Type:
    """The type of ``node``; raises :class:`ExprError` on unknown names or mismatched types."""

    def need(t: Type, want: Type, what: str) -> None:
        if t != want:
            raise ExprError(
                f"{what} 需要{_TYPE_ZH[want]}，这里是{_TYPE_ZH[t]}",
                f"{what} needs a {want} value, got {t}",
            )

    if isinstance(node, Num):
        return "num"
    if isinstance(node, Bool):
        return "bool"
    if isinstance(node, Str):
        return "text"
    if isinstance(node, Var):
        if node.name not in types:
            raise ExprError(f"未知名称 {node.name!r}", f"unknown name {node.name!r}")
        return types[node.name]
    if isinstance(node, Unary):
        t = typecheck(node.arg, types, aggregates=aggregates)
        need(t, "num" if node.op == "-" else "bool", node.op)
        return t
    if isinstance(node, Bin):
        lt = typecheck(node.left, types, aggregates=aggregates)
        rt = typecheck(node.right, types, aggregates=aggregates)
        if node.op in {"and", "or"}:
            need(lt, "bool", node.op)
            need(rt, "bool", node.op)
            return "bool"
        if node.op in {"==", "!="} and lt == "text" and rt == "text":
            return "bool"
        if node.op in {"<", "<=", ">", ">="} and lt == "text" and rt == "text":
            return "bool"  # ISO dates compare as text, e.g. 离职日期 < "2024-01-30"
        need(lt, "num", node.op)
        need(rt, "num", node.op)
        return "bool" if node.op in {"<", "<=", ">", ">=", "==", "!="} else "num"
    lo, hi = _ARITY[node.fn]
    if not lo <= len(node.args) <= hi:
        raise ExprError(f"{node.fn}() 的参数个数不对", f"{node.fn}() takes {lo}..{hi} arguments")
    if node.fn in AGGREGATES and not aggregates:
        raise ExprError(
            f"{node.fn}() 只能用在奖金池金额里", f"{node.fn}() is only allowed in pool amounts"
        )
    ts = [
        typecheck(a, types, aggregates=aggregates and node.fn not in AGGREGATES) for a in node.args
    ]
    if node.fn == "if":
        need(ts[0], "bool", "if() 的第一个参数")
        if ts[1] != ts[2]:
            raise ExprError("if() 的两个分支类型不同", "if() branches have different types")
        return ts[1]
    if node.fn == "count":
        if ts:
            need(ts[0], "bool", "count()")
        return "num"
    if node.fn == "round" and not (
        isinstance(node.args[1], Num) and node.args[1].value == int(node.args[1].value)
    ):
        raise ExprError(
            "round(x, n) 的 n 必须是整数常量", "round(x, n) needs an integer constant n"
        )
    for t in ts:
        need(t, "num", f"{node.fn}()")
    return "num"


def show(node: Node) -> str:
    """Source-like text of a node (used in traces)."""
    if isinstance(node, Num):
        return format(node.value.normalize(), "f")
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, Str):
        return f'"{node.value}"'
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Unary):
        return f"-{show(node.arg)}" if node.op == "-" else f"not {show(node.arg)}"
    if isinstance(node, Bin):
        return f"({show(node.left)} {node.op} {show(node.right)})"
    return f"{node.fn}({', '.join(show(a) for a in node.args)})"
