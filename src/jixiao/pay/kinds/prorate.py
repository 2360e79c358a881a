"""``prorate``: 基本工资标准 ÷ 当月应出勤天数 × 当月实际出勤天数."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import polars as pl

from jixiao.formula import Binary, Var
from jixiao.pay._model import ComponentModel, Expr
from jixiao.pay.kinds._base import DIV0, Checks, Kind, Parts, Texts, Vec, concat, fmt_expr

__all__ = ["Prorate", "ProrateKind"]

_FIELDS = ("base", "due_days", "actual_days")


class Prorate(ComponentModel):
    """基本工资标准 ÷ 当月应出勤天数 × 当月实际出勤天数."""

    kind: Literal["prorate"]
    base: Expr
    due_days: Expr
    actual_days: Expr


class ProrateKind(Kind):
    name = "prorate"
    model = Prorate

    def check(self, spec: Any, ck: Checks) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        for f in _FIELDS:
            ck.expr(f, getattr(spec, f), "num")
        return (), ()

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        return {f: v.num(comp.nodes[f]) for f in _FIELDS}

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        rate = Binary("/", Var("base"), Var("due_days"))
        return p.num(Binary("*", rate, Var("actual_days")))

    def failure(self, comp: Any, row: Mapping[str, Any]) -> tuple[str, str]:
        if all(row[f] is not None for f in _FIELDS) and row["due_days"] == 0:
            return "应出勤天数为 0", "days due is 0"
        return DIV0

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        base, due, act = p["base"], fmt_expr(p["due_days"]), fmt_expr(p["actual_days"])
        return (
            concat(
                v.term(comp.spec.base, comp.nodes["base"], base),
                " ÷ 应出勤 ",
                due,
                " 天 × 实际出勤 ",
                act,
                " 天 = ",
                amount,
            ),
            concat(fmt_expr(base), " ÷ ", due, " days due × ", act, " days worked = ", amount),
        )
