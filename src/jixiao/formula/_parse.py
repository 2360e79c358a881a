"""Tokeniser and recursive-descent parser for the formula language.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | cmp
    cmp     := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | "+" unary | atom
    atom    := NUMBER ["%"] | STRING | NAME | NAME "(" args ")" | "(" expr ")"

One parser serves both the scoring engine and the pay engine; a :class:`Dialect` says what
each accepts. No Python ``eval``. Full-width punctuation typed with a Chinese input method (（）， × ÷ ％) is read
as its ASCII form; the mapping is one character for one, so positions in messages still
point at the character the user typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jixiao.formula._ast import CMP, Binary, Bool, Call, FormulaError, Node, Num, Str, Unary, Var
from jixiao.formula._dialect import FUNCTIONS, KEYWORDS, Dialect

_NORMALISE = str.maketrans({"（": "(", "）": ")", "，": ",", "×": "*", "÷": "/", "％": "%"})


@cache
def _token_re(dialect: Dialect) -> re.Pattern[str]:
    name = r"[^\W\d][\w.]*" if dialect.dotted_names else r"[^\W\d]\w*"
    string = r"|(?P<str>\"[^\"]*\"|'[^']*')" if dialect.strings else ""
    return re.compile(
        r"(?P<ws>\s+)"
        r"|(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:\s*%)?|\.\d+(?:\s*%)?)"
        + string
        + rf"|(?P<name>{name})"
        + r"|(?P<op><=|>=|==|!=|[-+*/()<>,])"
    )


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    pos: int


def _tokenize(source: str, dialect: Dialect) -> list[_Tok]:
    text = source.translate(_NORMALISE)
    token = _token_re(dialect)
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = token.match(text, pos)
        if not m:
            raise FormulaError(
                f"无法识别的字符 “{source[pos]}”",
                text=source,
                pos=pos,
                message_en=f"unexpected character {source[pos]!r}",
            )
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    out.append(_Tok("end", "", len(text)))
    return out


class Parser:
    def __init__(self, text: str, dialect: Dialect) -> None:
        self.text = text
        self.dialect = dialect
        self.toks = _tokenize(text, dialect)
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
            raise FormulaError(
                f"这里应当是 “{text}”，实际是 “{got}”",
                text=self.text,
                pos=tok.pos,
                message_en=f"expected {text!r}, got {tok.text or 'the end'!r}",
            )

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise FormulaError("公式为空", text=self.text, pos=0, message_en="empty formula")
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise FormulaError(
                f"多余的 “{tok.text}”",
                text=self.text,
                pos=tok.pos,
                message_en=f"unexpected {tok.text!r}",
            )
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
        if self.peek().text in CMP:
            op = self.take().text
            node = Binary(op, node, self.sum_())
            if self.peek().text in CMP:
                tok = self.peek()
                raise FormulaError(
                    "比较不能连写（如 a < b < c），请写成 a < b and b < c",
                    text=self.text,
                    pos=tok.pos,
                    message_en="comparisons cannot be chained; write a < b and b < c",
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
            raw = tok.text.replace(" ", "")
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
            return Num(value, raw)
        if tok.kind == "str":
            return Str(tok.text[1:-1])
        if tok.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if tok.kind == "name":
            if tok.text in {"true", "false"}:
                if self.dialect.bool_literals:
                    return Bool(tok.text == "true")
                raise FormulaError(
                    "不支持 true/false 字面量，请写比较式",
                    text=self.text,
                    pos=tok.pos,
                    message_en="true/false literals are not supported; write a comparison",
                )
            if tok.text in KEYWORDS:
                raise FormulaError(
                    f"“{tok.text}” 不能出现在这里",
                    text=self.text,
                    pos=tok.pos,
                    message_en=f"{tok.text!r} cannot stand here",
                )
            functions = self.dialect.functions
            if self.peek().text == "(":
                if tok.text not in functions:
                    known = sorted(functions)
                    raise FormulaError(
                        f"未知函数 “{tok.text}”，可用函数：{'、'.join(known)}",
                        text=self.text,
                        pos=tok.pos,
                        message_en=f"unknown function {tok.text}(); available: {', '.join(known)}",
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
            if tok.text in functions:
                raise FormulaError(
                    f"函数 “{tok.text}” 后面要跟括号",
                    text=self.text,
                    pos=tok.pos,
                    message_en=f"function {tok.text} needs parentheses",
                )
            return Var(tok.text)
        got = tok.text or "结尾"
        raise FormulaError(
            f"这里应当是数字、名称或括号，实际是 “{got}”",
            text=self.text,
            pos=tok.pos,
            message_en=f"expected a number, name or parenthesis, got {tok.text or 'the end'!r}",
        )

    def _check_call(self, tok: _Tok, args: tuple[Node, ...]) -> Call:
        n = len(args)
        fn = FUNCTIONS[tok.text]
        if n < fn.min_args or (fn.max_args is not None and n > fn.max_args):
            raise FormulaError(
                f"{fn.name} 的参数个数不对，用法：{fn.usage}",
                text=self.text,
                pos=tok.pos,
                message_en=f"wrong number of arguments to {fn.name}()",
            )
        if fn.name == "round" and n == 2:
            digits = args[1]
            if not (
                isinstance(digits, Num) and digits.value == int(digits.value) and digits.value >= 0
            ):
                raise FormulaError(
                    "round 的位数必须是非负整数",
                    text=self.text,
                    pos=tok.pos,
                    message_en="round()'s digits must be a non-negative whole number",
                )
        return Call(fn.name, args)
