"""Dialects: what a formula may contain where it is written, and the one table of functions.

Scores use numbers and conditions over declared inputs. Pay plans also have text literals
(``grade == "优秀"``), ``true``/``false``, dotted names (``items.KPI1``) and, in pool amounts
only, the aggregates ``sum(x)`` and ``count(cond)`` over everyone in the payroll.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FUNCTIONS", "KEYWORDS", "PAY", "SCORE", "Dialect", "Function"]


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    min_args: int
    max_args: int | None
    usage: str  # shown when the arguments are wrong


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("min", 1, None, "min(a, b, ...)"),
        Function("max", 1, None, "max(a, b, ...)"),
        Function("abs", 1, 1, "abs(x)"),
        Function("round", 1, 2, "round(x, 位数)"),
        Function("floor", 1, 1, "floor(x)"),
        Function("ceil", 1, 1, "ceil(x)"),
        Function("if", 3, 3, "if(条件, 成立时, 不成立时)"),
        Function("coalesce", 1, None, "coalesce(a, b, ...)"),
        Function("sum", 1, 1, "sum(x)"),
        Function("count", 0, 1, "count(条件)"),
    )
}
KEYWORDS = frozenset({"and", "or", "not", "true", "false"})


@dataclass(frozen=True)
class Dialect:
    """What a formula may contain: its functions and which literal and name forms."""

    name: str
    functions: frozenset[str]
    strings: bool = False
    bool_literals: bool = False
    dotted_names: bool = False


SCORE = Dialect(
    "score", frozenset({"min", "max", "abs", "round", "floor", "ceil", "if", "coalesce"})
)
PAY = Dialect(
    "pay",
    frozenset({"min", "max", "abs", "round", "floor", "ceil", "if", "sum", "count"}),
    strings=True,
    bool_literals=True,
    dotted_names=True,
)
