"""``piecewise``: a band table on ``on`` where each band has its own amount expression
(企划部：<70 扣 (100−分)%，70–90 不变，>90 上浮)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import polars as pl
from pydantic import Field

from jixiao.formula import Band as BandRule
from jixiao.formula import variables
from jixiao.pay._model import Band, ComponentModel, Expr, Number
from jixiao.pay._num import DEC
from jixiao.pay.kinds._base import Checks, Kind, Parts, Texts, Vec, concat, fmt_expr, label
from jixiao.pay.kinds.tiers import band_failure

__all__ = ["Piecewise", "PiecewiseKind"]


class Piecewise(ComponentModel):
    """A different amount expression per band of ``on`` (each band has ``amount`` instead of value)."""

    kind: Literal["piecewise"]
    on: Expr = "score"
    bands: list[Band] = Field(min_length=1)
    domain: tuple[Number, Number] | None = None


class PiecewiseKind(Kind):
    name = "piecewise"
    model = Piecewise

    def check(self, spec: Any, ck: Checks) -> tuple[tuple[BandRule, ...], tuple[Any, ...]]:
        ck.expr("on", spec.on, "num")
        bands = ck.bands(spec.bands, "bands", "amount", spec.domain)
        for k, b in enumerate(bands):
            ck.expr(f"bands[{k}].amount", str(b.value), "num")
        return tuple(bands), ()

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        x = v.num(comp.nodes["on"])
        band = v.band_index(comp.bands, x)
        value: Any = pl
        for k in range(len(comp.bands)):
            value = value.when(band == k).then(v.num(comp.nodes[f"bands[{k}].amount"]))
        return {"x": x, "band": band, "value": value.otherwise(None).cast(DEC)}

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        return p["value"]

    def failure(self, comp: Any, row: Mapping[str, Any]) -> tuple[str, str]:
        return band_failure(comp, row)

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        spec, band = comp.spec, p["band"]
        x, where = fmt_expr(p["x"]), Vec.band_texts(comp.bands, band)
        body: Any = pl
        for k, b in enumerate(comp.bands):
            node = comp.nodes[f"bands[{k}].amount"]
            tail = concat("（", v.vars(node), "）") if variables(node) else ""
            body = body.when(band == k).then(concat(f"{b.value}", tail))
        body = body.otherwise(pl.lit(None, dtype=pl.String))
        return (
            concat(f"{label(spec.on)} ", x, " 落在 ", where, "：", body, " = ", amount),
            concat(f"{spec.on} ", x, " in ", where, ": ", body, " = ", amount),
        )
