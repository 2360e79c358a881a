"""Compiled plans: parsed expressions, exact band tables and pool shares, ready to evaluate."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.formula import Band, Node, Type, check_bands, parse_band
from jixiao.pay._errors import Issue, fail
from jixiao.pay._num import fmt, to_decimal
from jixiao.pay._plan import PayPlan, Pool

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


def parse_bands(
    raw: list[dict[str, Any]],
    where: str,
    value_key: str,
    domain: tuple[Decimal, Decimal] | None,
    issues: list[Issue],
) -> list[Band]:
    """Read a band table (bounds exact as written); overlaps, gaps and uncovered parts of
    ``domain`` are issues naming the table."""
    out: list[Band] = []
    for i, b in enumerate(raw):
        try:
            out.append(parse_band(b, where=f"{where}[{i}]", value_key=value_key))
        except ValueError as exc:
            issues.append(Issue(f"{where}[{i}]", str(exc), str(exc)))
    if len(out) == len(raw):
        for issue in check_bands(out, domain=domain):
            issues.append(Issue(where, issue.message, issue.message_en))
    return out


def share_values(spec: Pool, params: dict[str, Decimal]) -> dict[str, Decimal]:
    """A pool's group shares with parameter names resolved; they must sum to exactly 100%."""
    out: dict[str, Decimal] = {}
    for group, raw in (spec.shares or {}).items():
        if isinstance(raw, str) and raw in params:
            out[group] = params[raw]
        else:
            try:
                out[group] = to_decimal(raw)
            except ValueError:
                raise fail(
                    f"shares.{group}", f"{raw!r} 既不是比例也不是参数名", "not a share or parameter"
                ) from None
        if out[group] < 0:
            raise fail(f"shares.{group}", "份额不能为负", "a share cannot be negative")
    total = sum(out.values(), Decimal(0))
    if total != 1:
        detail = " + ".join(f"{g} {fmt(v * 100)}%" for g, v in out.items())
        raise fail(
            "shares",
            f"各份额之和为 {fmt(total * 100)}%（{detail}），必须正好是 100%",
            f"shares sum to {fmt(total * 100)}%, they must sum to exactly 100%",
        )
    return out
