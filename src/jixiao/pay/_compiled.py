"""Compiled plans: parsed expressions, exact band tables and pool shares, ready to evaluate."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from jixiao.bands import Band, check_bands, parse_band
from jixiao.pay._errors import Issue, fail
from jixiao.pay._expr import Bin, Call, Node, Type, Unary, names
from jixiao.pay._num import fmt, lit, q, to_decimal
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


@dataclass(frozen=True, slots=True)
class DBand:
    """A band with exact Decimal bounds (None = unbounded) and its value (number or expression)."""

    low: Decimal | None
    high: Decimal | None
    low_inc: bool
    high_inc: bool
    value: Any
    text: str

    def contains(self, x: Decimal) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inc)):
            return False
        return self.high is None or x < self.high or (x == self.high and self.high_inc)

    def condition(self, x: pl.Expr) -> pl.Expr:
        # A comparison with null is null, which when/then treats as false: no null check needed.
        lower = upper = None
        if self.low is not None:
            lower = (x >= lit(self.low)) if self.low_inc else (x > lit(self.low))
        if self.high is not None:
            upper = (x <= lit(self.high)) if self.high_inc else (x < lit(self.high))
        if lower is not None and upper is not None:
            return lower & upper
        return lower if lower is not None else upper if upper is not None else x.is_not_null()


@dataclass(frozen=True)
class CompiledComponent:
    index: int
    spec: Any
    nodes: dict[str, Node]
    bands: tuple[DBand, ...] = ()
    line_bands: tuple[tuple[DBand, ...] | None, ...] = ()

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


def _dec_bound(x: float) -> Decimal | None:
    # bands.py keeps float bounds; users write short decimals, so the repr rounded to 10 places
    # is exactly what they wrote (95% → 0.9500000000000001 → 0.95).
    return None if math.isinf(x) else q(Decimal(repr(x)))


def parse_bands(
    raw: list[dict[str, Any]],
    where: str,
    value_key: str,
    domain: tuple[Decimal, Decimal] | None,
    issues: list[Issue],
) -> list[tuple[Band, DBand]]:
    out: list[tuple[Band, DBand]] = []
    for i, b in enumerate(raw):
        try:
            band = parse_band(b, where=f"{where}[{i}]", value_key=value_key)
        except ValueError as exc:
            issues.append(Issue(f"{where}[{i}]", str(exc), str(exc)))
            continue
        out.append(
            (
                band,
                DBand(
                    _dec_bound(band.low),
                    _dec_bound(band.high),
                    band.low_inclusive,
                    band.high_inclusive,
                    band.value,
                    band.describe(),
                ),
            )
        )
    if len(out) == len(raw):
        dom = (float(domain[0]), float(domain[1])) if domain else None
        for issue in check_bands([b for b, _ in out], domain=dom):
            issues.append(Issue(where, issue.message, issue.message_en))
    return out


def outside_aggregates(node: Node) -> set[str]:
    """Names read outside any sum()/count() call."""
    if isinstance(node, Call):
        if node.fn in {"sum", "count"}:
            return set()
        return set().union(*(outside_aggregates(a) for a in node.args)) if node.args else set()
    if isinstance(node, Unary):
        return outside_aggregates(node.arg)
    if isinstance(node, Bin):
        return outside_aggregates(node.left) | outside_aggregates(node.right)
    return names(node)


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
