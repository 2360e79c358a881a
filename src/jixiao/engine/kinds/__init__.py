"""The registry of scoring rule kinds: one class per kind, one module per class.

Each kind owns its document model, its checks, its vectorised expressions and its trace
wording (see :class:`Kind`). To add a kind, write a module here and list its class in
``KINDS``; docs/rules.md ("Adding a kind") gives the recipe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Union

from pydantic import Field

from jixiao.engine.kinds._base import (
    Doc,
    Formula,
    Kind,
    Number,
    Operand,
    RatingSpec,
    RuleDoc,
    Site,
    VectorContext,
    rating_column,
)
from jixiao.engine.kinds.formula import FormulaKind, FormulaRule
from jixiao.engine.kinds.linear import LinearKind, LinearPoint, LinearRule
from jixiao.engine.kinds.per_occurrence import PerOccurrenceKind, PerOccurrenceRule
from jixiao.engine.kinds.rank import RankKind, RankRule, RankScore
from jixiao.engine.kinds.rating import RatingKind, RatingRule
from jixiao.engine.kinds.ratio import RatioKind, RatioRule
from jixiao.engine.kinds.step import StepKind, StepRule
from jixiao.engine.kinds.tiers import BandSpec, TiersKind, TiersRule

__all__ = [
    "BY_NAME",
    "KINDS",
    "BandSpec",
    "Doc",
    "Formula",
    "FormulaRule",
    "Kind",
    "LinearPoint",
    "LinearRule",
    "Number",
    "Operand",
    "PerOccurrenceRule",
    "RankRule",
    "RankScore",
    "RatingRule",
    "RatingSpec",
    "RatioRule",
    "RuleDoc",
    "RuleDocument",
    "Site",
    "StepRule",
    "TiersRule",
    "VectorContext",
    "rating_column",
]

# The registry, in the order documents and the JSON schema list the kinds.
KINDS: tuple[type[Kind], ...] = (
    RatioKind,
    LinearKind,
    TiersKind,
    PerOccurrenceKind,
    StepKind,
    RankKind,
    RatingKind,
    FormulaKind,
)
BY_NAME: dict[str, type[Kind]] = {k.kind: k for k in KINDS}

if TYPE_CHECKING:
    RuleDocument = RuleDoc
else:
    # A document's ``rule``: one of the registered kinds' models, chosen by its ``kind`` tag.
    RuleDocument = Annotated[Union[tuple(k.doc for k in KINDS)], Field(discriminator="kind")]  # noqa: UP007
