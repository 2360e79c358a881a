"""A small, safe expression language for item values, targets and conditions.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | cmp
    cmp     := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER ["%"] | NAME | NAME "(" args ")" | "(" expr ")"

Functions: ``min``, ``max``, ``abs``, ``floor``, ``ceil``, ``round(x, n)``, ``if(cond, a, b)``, ``coalesce(a, b, ...)``.

No Python ``eval``: text is tokenised and parsed here, then compiled either to a Polars
expression (vectorised scoring) or evaluated per row by :func:`evaluate` (traces). Both paths
implement the same semantics, which the test-suite checks row by row:

* a missing input is ``None``/null and propagates through arithmetic and comparisons;
* division by zero gives missing (the trace says so), never ``inf`` or an error;
* ``min``/``max`` ignore missing arguments (missing only if all are);
* ``if(c, a, b)`` is missing when ``c`` is missing;
* ``and``/``or`` use three-valued (Kleene) logic: ``false and missing`` is false;
* ``round(x, n)`` rounds half away from zero; ``n`` must be a whole number literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from jixiao.errors import UserError

__all__ = [
    "Binary",
    "Call",
    "FormulaError",
    "Node",
    "Num",
    "Unary",
    "Var",
    "evaluate",
    "parse",
    "to_polars",
    "variables",
]

FUNCTIONS = {"min", "max", "abs", "round", "floor", "ceil", "if", "coalesce"}
KEYWORDS = {"and", "or", "not", "true", "false"}


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
    value: float
    text: str


@dataclass(frozen=True, slots=True)
class Var:
    name: str


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


@dataclass(frozen=True, slots=True)
class Str:
    """A text literal (pay dialect only)."""

    value: str


@dataclass(frozen=True, slots=True)
class Bool:
    """true / false (pay dialect only)."""

    value: bool


Node = Union[Num, Var, Unary, Binary, Call, Str, Bool]  # noqa: UP007 (recursive alias needs Union)

_CMP = {"<", "<=", ">", ">=", "==", "!="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@dataclass(frozen=True)
class Dialect:
    """What a formula may contain. The scoring engine's formulas are numbers and conditions;
    the pay engine's also have text literals ("优秀"), true/false, dotted names (items.kpi1)
    and aggregates, and it checks arities and types itself against declared inputs."""

    functions: frozenset[str]
    strings: bool = False
    bool_literals: bool = False
    dotted_names: bool = False
    check_calls: bool = True


ENGINE_DIALECT = Dialect(functions=frozenset(FUNCTIONS))


def parse(text: str, dialect: Dialect = ENGINE_DIALECT) -> Node:
    """Parse ``text`` (and, in the engine's dialect, type-check it); raises
    :class:`FormulaError` with the position."""
    from jixiao.engine._formula_parse import Parser  # it imports this module's nodes

    if not isinstance(text, str):
        raise FormulaError("公式必须是文本", text=str(text), message_en="a formula must be text")
    node = Parser(text, dialect).parse()
    if dialect is ENGINE_DIALECT:
        _typecheck(node, text)
    return node


def _is_bool(node: Node) -> bool:
    if isinstance(node, Binary):
        return node.op in _CMP or node.op in {"and", "or"}
    if isinstance(node, Unary):
        return node.op == "not"
    return False


def _typecheck(node: Node, text: str) -> None:
    """Booleans (comparisons) and numbers do not mix; ``if`` needs a condition first."""

    def num(n: Node, what: str) -> None:
        if _is_bool(n):
            raise FormulaError(f"{what}需要数值，这里却是条件（比较式）", text=text)

    def cond(n: Node, what: str) -> None:
        if not _is_bool(n):
            raise FormulaError(f"{what}需要条件（比较式，如 x > 0），这里却是数值", text=text)

    if isinstance(node, Unary):
        (cond if node.op == "not" else num)(node.operand, f"“{node.op}”")
        _typecheck(node.operand, text)
    elif isinstance(node, Binary):
        if node.op in {"and", "or"}:
            cond(node.left, f"“{node.op}”两边")
            cond(node.right, f"“{node.op}”两边")
        else:
            num(node.left, f"“{node.op}”两边")
            num(node.right, f"“{node.op}”两边")
        _typecheck(node.left, text)
        _typecheck(node.right, text)
    elif isinstance(node, Call):
        if node.fn == "if":
            cond(node.args[0], "if 的第一个参数")
            num(node.args[1], "if 的第二个参数")
            num(node.args[2], "if 的第三个参数")
        else:
            for a in node.args:
                num(a, f"{node.fn} 的参数")
        for a in node.args:
            _typecheck(a, text)


def is_condition(node: Node) -> bool:
    """True when the formula yields a condition (true/false) rather than a number."""
    return _is_bool(node)


def variables(node: Node) -> frozenset[str]:
    """Every name the formula reads, in no particular order."""
    if isinstance(node, Var):
        return frozenset({node.name})
    if isinstance(node, Unary):
        return variables(node.operand)
    if isinstance(node, Binary):
        return variables(node.left) | variables(node.right)
    if isinstance(node, Call):
        out: frozenset[str] = frozenset()
        for a in node.args:
            out |= variables(a)
        return out
    return frozenset()


def has_division(node: Node) -> bool:
    if isinstance(node, Binary):
        return node.op == "/" or has_division(node.left) or has_division(node.right)
    if isinstance(node, Unary):
        return has_division(node.operand)
    if isinstance(node, Call):
        return any(has_division(a) for a in node.args)
    return False


def unparse(node: Node) -> str:
    """Canonical text of a formula (used in traces and messages)."""
    prec = {"or": 1, "and": 2, "not": 3, **dict.fromkeys(_CMP, 4), "+": 5, "-": 5, "*": 6, "/": 6}

    def go(n: Node, parent: int) -> str:
        if isinstance(n, Num):
            return n.text
        if isinstance(n, Var):
            return n.name
        if isinstance(n, Unary):
            inner = go(n.operand, 7 if n.op == "-" else 3)
            text = f"-{inner}" if n.op == "-" else f"not {inner}"
            return text if parent <= (7 if n.op == "-" else 3) else f"({text})"
        if isinstance(n, Binary):
            p = prec[n.op]
            text = f"{go(n.left, p)} {n.op} {go(n.right, p + 1)}"
            return text if p >= parent else f"({text})"
        if isinstance(n, Call):
            return f"{n.fn}({', '.join(go(a, 0) for a in n.args)})"
        raise TypeError(n)  # pragma: no cover

    return go(node, 0)


# The evaluators live in ._formula_eval; they are re-exported here so that callers keep one
# module to import from (the import sits last because that module imports the nodes above).
from jixiao.engine._formula_eval import (  # noqa: E402
    _NUDGE,
    Value,
    divide,
    evaluate,
    round_half_away,
    round_half_away_expr,
    to_polars,
)

__all__ += [
    "_NUDGE",
    "Value",
    "divide",
    "round_half_away",
    "round_half_away_expr",
]
