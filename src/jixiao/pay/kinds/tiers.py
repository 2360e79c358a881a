"""``tiers``: a coefficient / percentage from a band table on ``on`` (default the score),
times ``times`` (500 × 绩效系数、1800 × 任务完成系数、绩效奖金 300 × 比例)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import polars as pl
from pydantic import Field

from jixiao.formula import Band as BandRule
from jixiao.pay._model import Band, ComponentModel, Expr, Number
from jixiao.pay._num import DEC, fmt
from jixiao.pay.kinds._base import (
    DIV0,
    Checks,
    Kind,
    Parts,
    Texts,
    Vec,
    concat,
    fmt_expr,
    label,
    rate_text,
)

__all__ = ["Tiers", "TiersKind", "band_failure", "no_band"]


class Tiers(ComponentModel):
    """Coefficient / percentage table on ``on`` (default the total score), times ``times``."""

    kind: Literal["tiers"]
    on: Expr = "score"
    bands: list[Band] = Field(min_length=1)
    times: Expr
    value_name: str = "系数"
    percent: bool = False
    domain: tuple[Number, Number] | None = None


def no_band(what: str, x: Any) -> tuple[str, str]:
    return f"{what} {fmt(x)} 不在任何一档中", f"{what} {fmt(x)} falls in no band"


def band_failure(comp: Any, row: Mapping[str, Any]) -> tuple[str, str]:
    """Why a band lookup on ``on`` gave nothing: ``x`` in no band, or ``x`` itself missing."""
    if row["x"] is not None and row["band"] is None:
        return no_band(label(comp.spec.on), row["x"])
    return DIV0


class TiersKind(Kind):
    name = "tiers"
    model = Tiers

    def check(self, spec: Any, ck: Checks) -> tuple[tuple[BandRule, ...], tuple[Any, ...]]:
        ck.expr("on", spec.on, "num")
        ck.expr("times", spec.times, "num")
        bands = ck.bands(spec.bands, "bands", "value", spec.domain)
        return ck.number_bands(bands, "bands") or tuple(bands), ()

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        x = v.num(comp.nodes["on"])
        return {"x": x, "band": v.band_index(comp.bands, x), "times": v.num(comp.nodes["times"])}

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        return (Vec.band_value(comp.bands, p["band"]) * p["times"]).cast(DEC)

    def failure(self, comp: Any, row: Mapping[str, Any]) -> tuple[str, str]:
        return band_failure(comp, row)

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        spec, band = comp.spec, p["band"]
        value = rate_text(comp.bands, band, percent=spec.percent)
        where, x = Vec.band_texts(comp.bands, band), fmt_expr(p["x"])
        times = v.term(spec.times, comp.nodes["times"], p["times"])
        on = label(spec.on)
        return (
            concat(
                f"{spec.value_name} ",
                value,
                f"（{on} ",
                x,
                "，落在 ",
                where,
                "）× ",
                times,
                " = ",
                amount,
            ),
            concat(
                value,
                f" ({spec.on} ",
                x,
                " in ",
                where,
                ") × ",
                fmt_expr(p["times"]),
                " = ",
                amount,
            ),
        )
