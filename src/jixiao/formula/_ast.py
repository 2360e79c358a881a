"""The formula syntax tree: one set of nodes for scores and pay, and the walks over it.

Numbers keep the text the user wrote, so each backend reads them its own way without a
round trip through the other's type: the float backend as the nearest double, the Decimal
backend exactly (``0.1`` is one tenth, ``35%`` is 0.35).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

from jixiao.errors import UserError

__all__ = [
    "Binary",
    "Bool",
    "Call",
    "FormulaError",
    "Node",
    "Num",
    "Str",
    "Unary",
    "Var",
    "has_aggregate",
    "has_division",
    "is_condition",
    "unparse",
    "variables",
]

CMP = frozenset({"<", "<=", ">", ">=", "==", "!="})
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
AGGREGATES = frozenset({"sum", "count"})


class FormulaError(UserError):
    """A formula that cannot be parsed or type-checked; ``pos`` is the 0-based offset."""

    def __init__(
        self, message: str, *, text: str, pos: int | None = None, message_en: str | None = None
    ) -> None:
        where = f"（第 {pos + 1} 个字符）" if pos is not None else ""
        where_en = f" (character {pos + 1})" if pos is not None else ""
        super().__init__(
            f"公式 “{text}” 有误{where}：{message}",
            message_en=f"formula {text!r} is wrong{where_en}: {message_en or message}",
        )
        self.text = text
        self.pos = pos
        self.reason = message
        self.reason_en = message_en or message


@dataclass(frozen=True, slots=True)
class Num:
    """A number literal: ``value`` is the nearest double, ``text`` what was written."""

    value: float
    text: str

    @property
    def decimal(self) -> Decimal:
        """The exact decimal the text says (``35%`` is 0.35)."""
        if self.text.endswith("%"):
            return Decimal(self.text[:-1]) / 100
        return Decimal(self.text)

    @classmethod
    def of(cls, value: Decimal | int | float) -> Num:
        """A literal made by a program (e.g. a plan's fixed rate) rather than parsed."""
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return cls(float(d), format(d, "f"))


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Str:
    """A text literal (pay dialect only)."""

    value: str


@dataclass(frozen=True, slots=True)
class Bool:
    """true / false (pay dialect only)."""

    value: bool


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" | "not"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    fn: str
    args: tuple[Node, ...]


Node = Union[Num, Var, Str, Bool, Unary, Binary, Call]  # noqa: UP007 (recursive alias needs Union)


def children(node: Node) -> Iterator[Node]:
    if isinstance(node, Unary):
        yield node.operand
    elif isinstance(node, Binary):
        yield node.left
        yield node.right
    elif isinstance(node, Call):
        yield from node.args


def variables(node: Node) -> frozenset[str]:
    """Every name the formula reads, in no particular order."""
    if isinstance(node, Var):
        return frozenset({node.name})
    out: frozenset[str] = frozenset()
    for c in children(node):
        out |= variables(c)
    return out


def variables_outside_aggregates(node: Node) -> frozenset[str]:
    """Names read outside any ``sum()`` / ``count()``: what differs from one person to the next."""
    if isinstance(node, Call) and node.fn in AGGREGATES:
        return frozenset()
    if isinstance(node, Var):
        return frozenset({node.name})
    out: frozenset[str] = frozenset()
    for c in children(node):
        out |= variables_outside_aggregates(c)
    return out


def has_division(node: Node) -> bool:
    if isinstance(node, Binary) and node.op == "/":
        return True
    return any(has_division(c) for c in children(node))


def has_aggregate(node: Node) -> bool:
    if isinstance(node, Call) and node.fn in AGGREGATES:
        return True
    return any(has_aggregate(c) for c in children(node))


def is_condition(node: Node) -> bool:
    """True when the formula yields a condition (true/false) rather than a number or text.

    Syntactic, and exact for type-checked formulas: a condition is a comparison, ``and`` /
    ``or`` / ``not``, or a true/false literal (``if`` branches are never conditions).
    """
    if isinstance(node, Binary):
        return node.op in CMP or node.op in {"and", "or"}
    if isinstance(node, Unary):
        return node.op == "not"
    return isinstance(node, Bool)


_PREC = {"or": 1, "and": 2, "not": 3, **dict.fromkeys(CMP, 4), "+": 5, "-": 5, "*": 6, "/": 6}


def unparse(node: Node) -> str:
    """Canonical text of a formula (used in traces and messages); parses back to ``node``."""

    def go(n: Node, parent: int) -> str:
        if isinstance(n, Num):
            return n.text
        if isinstance(n, Var):
            return n.name
        if isinstance(n, Str):
            return f'"{n.value}"'
        if isinstance(n, Bool):
            return "true" if n.value else "false"
        if isinstance(n, Unary):
            inner = go(n.operand, 7 if n.op == "-" else 3)
            text = f"-{inner}" if n.op == "-" else f"not {inner}"
            return text if parent <= (7 if n.op == "-" else 3) else f"({text})"
        if isinstance(n, Binary):
            p = _PREC[n.op]
            text = f"{go(n.left, p)} {n.op} {go(n.right, p + 1)}"
            return text if p >= parent else f"({text})"
        return f"{n.fn}({', '.join(go(a, 0) for a in n.args)})"

    return go(node, 0)
