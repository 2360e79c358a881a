"""Rule kinds, each implemented twice: as Polars expressions and per row.

Every rule turns an item's value into a raw score and says how, in Chinese and English.
``vector_*`` methods build expressions over a whole population; ``row_*`` methods compute the
same from one row's numbers. The engine's tests compare both for every row, which is why each
step is written with the same float operations in the same order.

The kinds live in three modules by theme; this one gathers them under one name.
"""

from __future__ import annotations

from jixiao.engine._rules_base import (
    NULL,
    ROLE_NAMES,
    STEP_EPS,
    Operand,
    RowContext,
    Rule,
    VectorContext,
    clamp,
    clamp_row,
    lit,
    pct,
    pct_row,
    s,
)
from jixiao.engine._rules_count import PerOccurrenceRule, StepRule
from jixiao.engine._rules_people import FormulaRule, RankRule, RatingRule, rank_row
from jixiao.engine._rules_value import LinearRule, RatioRule, TiersRule

__all__ = [
    "NULL",
    "ROLE_NAMES",
    "STEP_EPS",
    "FormulaRule",
    "LinearRule",
    "Operand",
    "PerOccurrenceRule",
    "RankRule",
    "RatingRule",
    "RatioRule",
    "RowContext",
    "Rule",
    "StepRule",
    "TiersRule",
    "VectorContext",
    "clamp",
    "clamp_row",
    "lit",
    "pct",
    "pct_row",
    "rank_row",
    "s",
]
