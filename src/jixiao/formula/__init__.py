"""The formula language of jixiao: one syntax tree, one parser, one type checker, two backends.

Scores and pay share it::

    node = parse("paid_buyers / inquiries")             # the score dialect, type-checked
    expr = to_float_expr(node, finite=True)              # Polars Float64 (scoring)

    node = parse('if(grade == "优秀", 底薪 * 10%, 0)', PAY)
    typecheck(node, text=..., types={"grade": "text", "底薪": "num"})
    expr = to_decimal_expr(node)                         # Polars Decimal(38, 10) (pay)

Bands (tier tables, grade bands, coefficient tables) live here too, exact in both backends.
The semantics of each backend — missing values, division by zero, overflow, every function —
are one table in docs/formula.md. Pure Python + Polars; no Django, no Python ``eval``.
"""

from __future__ import annotations

from jixiao.formula._ast import (
    AGGREGATES,
    Binary,
    Bool,
    Call,
    FormulaError,
    Node,
    Num,
    Str,
    Unary,
    Var,
    has_aggregate,
    has_division,
    is_condition,
    unparse,
    variables,
    variables_outside_aggregates,
)
from jixiao.formula._bands import (
    Band,
    BandIssue,
    band_expr,
    band_index_expr,
    check_bands,
    find_band,
    parse_band,
    parse_decimal,
    parse_number,
)
from jixiao.formula._decimal import (
    DEC,
    INT_DEC,
    SCALE,
    div,
    lit,
    mul,
    q,
    round_half_up,
    to_decimal_expr,
)
from jixiao.formula._dialect import FUNCTIONS, KEYWORDS, PAY, SCORE, Dialect
from jixiao.formula._float import NUDGE, divide, round_half_away_expr, to_float_expr
from jixiao.formula._parse import Parser
from jixiao.formula._types import Type, typecheck

__all__ = [
    "AGGREGATES",
    "DEC",
    "FUNCTIONS",
    "INT_DEC",
    "KEYWORDS",
    "NUDGE",
    "PAY",
    "RESERVED_WORDS",
    "SCALE",
    "SCORE",
    "Band",
    "BandIssue",
    "Binary",
    "Bool",
    "Call",
    "Dialect",
    "FormulaError",
    "Node",
    "Num",
    "Str",
    "Type",
    "Unary",
    "Var",
    "band_expr",
    "band_index_expr",
    "check_bands",
    "div",
    "divide",
    "find_band",
    "has_aggregate",
    "has_division",
    "is_condition",
    "lit",
    "mul",
    "parse",
    "parse_band",
    "parse_decimal",
    "parse_number",
    "q",
    "round_half_away_expr",
    "round_half_up",
    "to_decimal_expr",
    "to_float_expr",
    "typecheck",
    "unparse",
    "variables",
    "variables_outside_aggregates",
]

RESERVED_WORDS = frozenset(FUNCTIONS) | KEYWORDS


def parse(text: str, dialect: Dialect = SCORE) -> Node:
    """Parse ``text``; raise :class:`FormulaError` naming the position.

    In the score dialect the formula is also type-checked (every name a number); pay plans
    type-check with :func:`typecheck` against their declared inputs.
    """
    if not isinstance(text, str):
        raise FormulaError("公式必须是文本", text=str(text), message_en="a formula must be text")
    node = Parser(text, dialect).parse()
    if dialect is SCORE:
        typecheck(node, text=text)
    return node
