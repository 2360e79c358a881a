"""``formula``: the amount is one expression (岗位补贴、餐补、工龄工资 ``min(工龄, 10) * 50``)."""

from __future__ import annotations

from typing import Any, Literal

import polars as pl

from jixiao.formula import Var, variables
from jixiao.pay._model import ComponentModel, Expr
from jixiao.pay.kinds._base import Checks, Kind, Parts, Texts, Vec, concat, label

__all__ = ["Formula", "FormulaKind"]


class Formula(ComponentModel):
    kind: Literal["formula"]
    amount: Expr


class FormulaKind(Kind):
    name = "formula"
    model = Formula

    def check(self, spec: Any, ck: Checks) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        ck.expr("amount", spec.amount, "num")
        return (), ()

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        return {"amount": v.num(comp.nodes["amount"])}

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        return p["amount"]

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        spec, node = comp.spec, comp.nodes["amount"]
        if isinstance(node, Var):
            return concat(f"{label(spec.amount)} = ", amount), concat(f"{spec.amount} = ", amount)
        tail = concat("（", v.vars(node), "）") if variables(node) else ""
        text = concat(spec.amount, tail, " = ", amount)
        return text, text
