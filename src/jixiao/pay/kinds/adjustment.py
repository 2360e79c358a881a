"""``adjustment``: a one-off reward (+) or penalty (−) from an input column, with its reason."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

import polars as pl

from jixiao.pay._model import ComponentModel, Expr
from jixiao.pay.kinds._base import Checks, Kind, Parts, Texts, Vec, concat

__all__ = ["Adjustment", "AdjustmentKind"]


class Adjustment(ComponentModel):
    """One-off reward (+) or penalty (−) entered by a manager, with the reason shown on the slip."""

    kind: Literal["adjustment"]
    amount: Expr
    reason: str | None = None


class AdjustmentKind(Kind):
    name = "adjustment"
    model = Adjustment

    def check(self, spec: Any, ck: Checks) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        ck.expr("amount", spec.amount, "num")
        if spec.reason is not None and ck.types.get(spec.reason) != "text":
            ck.issue(
                "reason",
                f"{spec.reason!r} 必须是 inputs 里的文本列",
                f"{spec.reason!r} must be a text input",
            )
        elif spec.reason:
            ck.use(spec.reason)
        return (), ()

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        reason = comp.spec.reason
        text = pl.col(reason) if reason and reason in frame.columns else pl.lit("")
        return {"amount": v.num(comp.nodes["amount"]), "reason": text.fill_null("")}

    def manual_entry(self, spec: Any, inputs: Collection[str]) -> tuple[str, str | None] | None:
        column = str(spec.amount).strip()
        if column not in inputs:  # an expression, not one column a person could type into
            return None
        return column, spec.reason if spec.reason in inputs else None

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        return p["amount"]

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        name, reason = comp.spec.name, p["reason"]
        given = reason != ""
        why = pl.when(given).then(reason).otherwise(pl.lit("无说明"))
        why_en = pl.when(given).then(reason).otherwise(pl.lit("no reason given"))
        return (
            concat(f"{name}（", why, "）：", amount),
            concat(f"{name} (", why_en, "): ", amount),
        )
