"""``attendance_bonus``: base × rate unless a forfeit rule holds (全勤奖，迟到 3 次或旷工即取消)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import polars as pl
from pydantic import Field

from jixiao.formula import Binary, Num, Var
from jixiao.pay._model import ComponentModel, Expr, Frozen, Number
from jixiao.pay._num import DEC, pct
from jixiao.pay.kinds._base import Checks, Kind, Parts, Texts, Vec, concat, fmt_expr

__all__ = ["AttendanceBonus", "AttendanceBonusKind", "Forfeit"]


class Forfeit(Frozen):
    when: Expr
    reason: str


class AttendanceBonus(ComponentModel):
    """Full-attendance bonus: ``base × rate`` unless any forfeit rule holds."""

    kind: Literal["attendance_bonus"]
    base: Expr
    rate: Number = Decimal("0.1")
    forfeit: list[Forfeit] = Field(default_factory=list)


class AttendanceBonusKind(Kind):
    name = "attendance_bonus"
    model = AttendanceBonus

    def check(self, spec: Any, ck: Checks) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        ck.expr("base", spec.base, "num")
        for k, rule in enumerate(spec.forfeit):
            ck.expr(f"forfeit[{k}].when", rule.when, "bool")
        return (), ()

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        # ``forfeit``: the first rule that holds (rules are read in order, as written), the
        # number of rules when none holds, null when a rule cannot be decided.
        n = len(comp.spec.forfeit)
        which: Any = pl
        for k in range(n):
            cond = v.num(comp.nodes[f"forfeit[{k}].when"])
            which = which.when(cond.is_null()).then(None).when(cond).then(pl.lit(k))
        first = which.otherwise(pl.lit(n)) if n else pl.lit(0)
        return {"base": v.num(comp.nodes["base"]), "forfeit": first.cast(pl.Int32)}

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        pay = p.num(Binary("*", Var("base"), Num.of(comp.spec.rate)))
        forfeit = p["forfeit"]
        n = len(comp.spec.forfeit)
        return (
            pl.when(p["base"].is_null() | forfeit.is_null())
            .then(None)
            .when(forfeit < n)
            .then(pl.lit(Decimal(0), dtype=DEC))
            .otherwise(pay)
        )

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        spec, base = comp.spec, p["base"]
        rate = pct(spec.rate)
        zh = concat(v.term(spec.base, comp.nodes["base"], base), f" × {rate} = ", amount)
        en = concat(fmt_expr(base), f" × {rate} = ", amount)
        for k in reversed(range(len(spec.forfeit))):
            why = v.vars(comp.nodes[f"forfeit[{k}].when"])
            reason = spec.forfeit[k].reason
            hit = p["forfeit"] == k
            zh = pl.when(hit).then(concat(f"取消全勤奖：{reason}（", why, "）")).otherwise(zh)
            en = pl.when(hit).then(concat(f"forfeited: {reason} (", why, ")")).otherwise(en)
        return zh, en
