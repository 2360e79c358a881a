"""A tiny, safe expression language for pay-plan amounts and conditions (no Python eval).

Grammar (lowest precedence first)::

    expr   := and ("or" and)*
    and    := not ("and" not)*
    not    := "not" not | cmp
    cmp    := add (("<" | "<=" | ">" | ">=" | "==" | "!=") add)?
    add    := mul (("+" | "-") mul)*
    mul    := unary (("*" | "/") unary)*
    unary  := "-" unary | atom
    atom   := NUMBER ["%"] | "STRING" | NAME | NAME "(" args ")" | "(" expr ")"

Names may be Chinese and may contain dots (``items.KPI1``). Full-width ``（），×÷`` are accepted.
Functions: ``min``, ``max``, ``abs``, ``round(x, n)``, ``if(cond, a, b)`` and the aggregates
``sum(x)`` / ``count(cond)`` over all employees (only where a plan allows them, e.g. pool amounts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Type = Literal["num", "bool", "text"]

_NORMALISE = str.maketrans({"（": "(", "）": ")", "，": ",", "×": "*", "÷": "/", "％": "%"})
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\"|'[^']*')|(?P<op><=|>=|==|!=|[-+*/()<>,%])"
    r"|(?P<name>[^\W\d][\w.]*))",
    re.UNICODE,
)
FUNCTIONS = {"min", "max", "abs", "round", "if", "sum", "count"}
AGGREGATES = {"sum", "count"}
KEYWORDS = {"and", "or", "not", "true", "false"}


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


def _tokens(src: str) -> list[tuple[str, str, int]]:
    text = src.translate(_NORMALISE)
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            at = len(text) - len(text[pos:].lstrip())
            raise ExprError(
                f"第 {at + 1} 个字符 {bad!r} 无法识别",
                f"unexpected character {bad!r} at {at + 1}",
                at,
            )
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    out.append(("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, src: str) -> None:
        self.toks = _tokens(src)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def accept(self, value: str) -> bool:
        kind, text, _ = self.peek()
        if kind in {"op", "name"} and text == value:
            self.i += 1
            return True
        return False

    def expect(self, value: str) -> None:
        if not self.accept(value):
            _, text, pos = self.peek()
            got = text or "结尾"
            raise ExprError(
                f"第 {pos + 1} 个字符处应为 {value!r}，实为 {got!r}",
                f"expected {value!r} at {pos + 1}, got {text or 'end'!r}",
                pos,
            )

    def parse(self) -> Node:
        node = self.or_()
        kind, text, pos = self.peek()
        if kind != "end":
            raise ExprError(
                f"第 {pos + 1} 个字符处多余的 {text!r}", f"unexpected {text!r} at {pos + 1}", pos
            )
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.accept("or"):
            node = Bin("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.accept("and"):
            node = Bin("and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self.accept("not"):
            return Unary("not", self.not_())
        return self.cmp()

    def cmp(self) -> Node:
        node = self.add()
        kind, text, _ = self.peek()
        if kind == "op" and text in {"<", "<=", ">", ">=", "==", "!="}:
            self.take()
            node = Bin(text, node, self.add())
        return node

    def add(self) -> Node:
        node = self.mul()
        while True:
            kind, text, _ = self.peek()
            if kind == "op" and text in {"+", "-"}:
                self.take()
                node = Bin(text, node, self.mul())
            else:
                return node

    def mul(self) -> Node:
        node = self.unary()
        while True:
            kind, text, _ = self.peek()
            if kind == "op" and text in {"*", "/"}:
                self.take()
                node = Bin(text, node, self.unary())
            else:
                return node

    def unary(self) -> Node:
        if self.accept("-"):
            return Unary("-", self.unary())
        return self.atom()

    def atom(self) -> Node:
        kind, text, pos = self.take()
        if kind == "num":
            value = Decimal(text)
            if self.accept("%"):
                value = value / 100
            return Num(value)
        if kind == "str":
            return Str(text[1:-1])
        if kind == "op" and text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if kind == "name":
            if text in {"true", "false"}:
                return Bool(text == "true")
            if text in KEYWORDS:
                raise ExprError(
                    f"第 {pos + 1} 个字符处 {text!r} 不能作为名称", f"{text!r} is a keyword", pos
                )
            if self.accept("("):
                if text not in FUNCTIONS:
                    raise ExprError(
                        f"未知函数 {text}()；可用：{', '.join(sorted(FUNCTIONS))}",
                        f"unknown function {text}(); available: {', '.join(sorted(FUNCTIONS))}",
                        pos,
                    )
                args: list[Node] = []
                if not self.accept(")"):
                    args.append(self.or_())
                    while self.accept(","):
                        args.append(self.or_())
                    self.expect(")")
                return Call(text, tuple(args))
            return Var(text)
        raise ExprError(
            f"第 {pos + 1} 个字符处缺少数值或名称", f"expected a value or name at {pos + 1}", pos
        )


def parse(src: str) -> Node:
    """Parse ``src``; raises :class:`ExprError` with a position on bad syntax."""
    if not isinstance(src, str) or not src.strip():
        raise ExprError("表达式为空", "empty expression")
    try:
        return _Parser(src).parse()
    except InvalidOperation as exc:  # pragma: no cover - the tokenizer only passes valid numbers
        raise ExprError("数值无效", "invalid number") from exc


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
