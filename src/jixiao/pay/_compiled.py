"""Compiled plans: parsed expressions and exact band tables, ready to evaluate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.formula import Band, Node, Type
from jixiao.pay._plan import PayPlan
from jixiao.pay.kinds import REGISTRY, Kind

BUILTINS: dict[str, Type] = {
    "score": "num",
    "得分": "num",
    "grade": "text",
    "等级": "text",
    "rank": "num",
    "排名": "num",
    "group_rank": "num",
    "组内排名": "num",
    "group": "text",
    "组别": "text",
    "name": "text",
    "姓名": "text",
    "employee": "text",
    "工号": "text",
}
SCORE_NAMES = {"score", "得分", "grade", "等级", "rank", "排名", "group_rank", "组内排名"}


@dataclass(frozen=True)
class CompiledComponent:
    index: int
    spec: Any
    nodes: dict[str, Node]
    bands: tuple[Band, ...] = ()
    line_bands: tuple[tuple[Band, ...] | None, ...] = ()

    @property
    def code(self) -> str:
        return str(self.spec.code)

    @property
    def kind(self) -> Kind:
        return REGISTRY[self.spec.kind]

    @property
    def where(self) -> str:
        return f"components[{self.index}]「{self.spec.name}」"


@dataclass(frozen=True)
class CompiledPlan:
    plan: PayPlan
    components: tuple[CompiledComponent, ...]
    types: dict[str, Type]
    used: frozenset[str] = field(default_factory=frozenset)

    @property
    def uses_score(self) -> bool:
        return any(n in SCORE_NAMES or n.startswith(("items.", "dims.")) for n in self.used)
