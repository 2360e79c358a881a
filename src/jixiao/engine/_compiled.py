"""The compiled form of a scheme: numbers resolved, formulas parsed, each rule a kind object.

Built by :mod:`._compile` from a validated document; what scoring, traces and the web read.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao import formula as F
from jixiao.engine import _model as M
from jixiao.engine.kinds import Kind, Operand, RatingSpec
from jixiao.formula import Band

__all__ = ["CDimension", "CEligibility", "CItem", "CompiledScheme"]


@dataclass(frozen=True)
class CItem:
    code: str
    name: str
    name_en: str
    type: str
    points: float
    dim: str
    unit: str
    value: Operand | None
    rule: Kind | None
    veto_when: Operand | None = None
    veto_scope: tuple[str, str | None] = ("total", None)

    @property
    def max_points(self) -> float:
        return self.points if self.rule is None else self.rule.max_raw()

    @property
    def inputs(self) -> tuple[str, ...]:
        if self.value is None or isinstance(self.value.node, F.Var):
            return ()
        return tuple(sorted(F.variables(self.value.node)))


@dataclass(frozen=True)
class CDimension:
    code: str
    name: str
    name_en: str
    weight: float | None
    items: tuple[CItem, ...]

    @property
    def full(self) -> float:
        return sum(i.points for i in self.items if i.type == "normal")


@dataclass(frozen=True)
class CEligibility:
    when: Operand
    label: str
    label_en: str


@dataclass(frozen=True)
class CompiledScheme:
    scheme: M.Scheme
    dimensions: tuple[CDimension, ...]
    grades: tuple[Band, ...]
    grade_en: dict[str, str]
    eligibility: tuple[CEligibility, ...]
    full_score: float
    max_score: float
    min_score: float
    params: dict[str, float]
    units: dict[str, str]

    @property
    def items(self) -> tuple[CItem, ...]:
        return tuple(i for d in self.dimensions for i in d.items)

    @property
    def weighted(self) -> bool:
        return any(d.weight is not None for d in self.dimensions)

    @property
    def input_names(self) -> set[str]:
        return set(self.scheme.metrics) | set(self.scheme.targets) | set(self.params)

    def weight_fraction(self, d: CDimension) -> float:
        """A dimension's weight as a fraction; weights may be written as 70 or as 0.7."""
        total = sum(x.weight or 0 for x in self.dimensions)
        return (d.weight or 0) / 100 if total > 1.5 else (d.weight or 0)

    def dimension_factor(self, d: CDimension) -> float:
        """Weighted mode: a dimension's raw points times this give its share of the total."""
        return self.weight_fraction(d) * self.full_score / d.full if d.full else 0.0

    def rating_items(self) -> tuple[tuple[CItem, RatingSpec], ...]:
        """Items scored from ratings, with their raters."""
        out = []
        for it in self.items:
            spec = None if it.rule is None else it.rule.rating()
            if spec is not None:
                out.append((it, spec))
        return tuple(out)
