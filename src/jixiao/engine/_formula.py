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

import re
from dataclasses import dataclass
from typing import Union

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


class FormulaError(ValueError):
    """A formula that cannot be parsed or type-checked; ``pos`` is the 0-based offset."""

    def __init__(self, message: str, *, text: str, pos: int | None = None) -> None:
        where = f"（第 {pos + 1} 个字符）" if pos is not None else ""
        super().__init__(f"公式 “{text}” 有误{where}：{message}")
        self.text = text
        self.pos = pos
        self.reason = message


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


Node = Union[Num, Var, Unary, Binary, Call]  # noqa: UP007 (recursive alias needs Union)

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?%?|\.\d+%?)
  | (?P<name>[^\W\d]\w*)
  | (?P<op><=|>=|==|!=|[-+*/()<>,])
    """,
    re.VERBOSE,
)

_CMP = {"<", "<=", ">", ">=", "==", "!="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise FormulaError(f"无法识别的字符 “{text[pos]}”", text=text, pos=pos)
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    out.append(_Tok("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            got = tok.text or "结尾"
            raise FormulaError(f"这里应当是 “{text}”，实际是 “{got}”", text=self.text, pos=tok.pos)

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise FormulaError("公式为空", text=self.text, pos=0)
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise FormulaError(f"多余的 “{tok.text}”", text=self.text, pos=tok.pos)
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek().text == "or":
            self.take()
            node = Binary("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.peek().text == "and":
            self.take()
            node = Binary("and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self.peek().text == "not":
            self.take()
            return Unary("not", self.not_())
        return self.cmp()

    def cmp(self) -> Node:
        node = self.sum_()
        if self.peek().text in _CMP:
            op = self.take().text
            node = Binary(op, node, self.sum_())
            if self.peek().text in _CMP:
                tok = self.peek()
                raise FormulaError(
                    "比较不能连写（如 a < b < c），请写成 a < b and b < c",
                    text=self.text,
                    pos=tok.pos,
                )
        return node

    def sum_(self) -> Node:
        node = self.term()
        while self.peek().text in {"+", "-"}:
            op = self.take().text
            node = Binary(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek().text in {"*", "/"}:
            op = self.take().text
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek().text == "-":
            self.take()
            return Unary("-", self.unary())
        if self.peek().text == "+":
            self.take()
            return self.unary()
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            raw = tok.text
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
            return Num(value, raw)
        if tok.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if tok.kind == "name":
            if tok.text in {"true", "false"}:
                raise FormulaError(
                    "不支持 true/false 字面量，请写比较式", text=self.text, pos=tok.pos
                )
            if tok.text in KEYWORDS:
                raise FormulaError(f"“{tok.text}” 不能出现在这里", text=self.text, pos=tok.pos)
            if self.peek().text == "(":
                if tok.text not in FUNCTIONS:
                    known = "、".join(sorted(FUNCTIONS))
                    raise FormulaError(
                        f"未知函数 “{tok.text}”，可用函数：{known}", text=self.text, pos=tok.pos
                    )
                self.take()
                args: list[Node] = []
                if self.peek().text != ")":
                    args.append(self.or_())
                    while self.peek().text == ",":
                        self.take()
                        args.append(self.or_())
                self.expect(")")
                return self._check_call(tok, tuple(args))
            if tok.text in FUNCTIONS:
                raise FormulaError(f"函数 “{tok.text}” 后面要跟括号", text=self.text, pos=tok.pos)
            return Var(tok.text)
        got = tok.text or "结尾"
        raise FormulaError(
            f"这里应当是数字、名称或括号，实际是 “{got}”", text=self.text, pos=tok.pos
        )

    def _check_call(self, tok: _Tok, args: tuple[Node, ...]) -> Call:
        n = len(args)
        fn = tok.text
        ok = {
            "min": n >= 1,
            "max": n >= 1,
            "coalesce": n >= 1,
            "abs": n == 1,
            "floor": n == 1,
            "ceil": n == 1,
            "round": n in (1, 2),
            "if": n == 3,
        }[fn]
        if not ok:
            usage = {
                "min": "min(a, b, ...)",
                "max": "max(a, b, ...)",
                "coalesce": "coalesce(a, b, ...)",
                "abs": "abs(x)",
                "floor": "floor(x)",
                "ceil": "ceil(x)",
                "round": "round(x, 位数)",
                "if": "if(条件, 成立时, 不成立时)",
            }[fn]
            raise FormulaError(f"{fn} 的参数个数不对，用法：{usage}", text=self.text, pos=tok.pos)
        if fn == "round" and n == 2:
            digits = args[1]
            if not (
                isinstance(digits, Num) and digits.value == int(digits.value) and digits.value >= 0
            ):
                raise FormulaError("round 的位数必须是非负整数", text=self.text, pos=tok.pos)
        return Call(fn, args)


def parse(text: str) -> Node:
    """Parse and type-check ``text``; raises :class:`FormulaError` with the position."""
    if not isinstance(text, str):
        raise FormulaError("公式必须是文本", text=str(text))
    node = _Parser(text).parse()
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
