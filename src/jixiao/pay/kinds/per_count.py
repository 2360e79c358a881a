"""``per_count``: count × rate; a negative rate is a deduction (迟到 per time, 请假 per day)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import polars as pl

from jixiao.formula import Binary, Num, Var
from jixiao.pay._model import ComponentModel, Expr, Number
from jixiao.pay._num import fmt
from jixiao.pay.kinds._base import Checks, Kind, Parts, Texts, Vec, concat, fmt_expr

__all__ = ["PerCount", "PerCountKind"]


class PerCount(ComponentModel):
    """count × rate; a negative rate is a deduction (迟到 per time, 请假 per day)."""

    kind: Literal["per_count"]
    count: Expr
    rate: Number
    unit: str = "次"


class PerCountKind(Kind):
    name = "per_count"
    model = PerCount

    def check(self, spec: Any, ck: Checks) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        ck.expr("count", spec.count, "num")
        return (), ()

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        return {"count": v.num(comp.nodes["count"])}

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        rate: Decimal = comp.spec.rate
        return p.num(Binary("*", Var("count"), Num.of(rate)))

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        spec, node, count = comp.spec, comp.nodes["count"], fmt_expr(p["count"])
        name: pl.Expr | str = (
            spec.count if isinstance(node, Var) else concat(f"{spec.count}（", v.vars(node), "）")
        )
        rate = fmt(spec.rate)
        return (
            concat(name, " ", count, f" {spec.unit} × {rate} 元 = ", amount),
            concat(count, f" × {rate} yuan = ", amount),
        )
