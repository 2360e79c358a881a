"""``commission``: Σ sales × rate over its lines; each rate flat or from bands on ``tier_on``
(客服 2% 提成；Y-1 团购合作家数分档提成)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import polars as pl
from pydantic import Field

from jixiao.formula import Band as BandRule
from jixiao.pay._model import Band, ComponentModel, Expr, Frozen, Number
from jixiao.pay._num import DEC, pct
from jixiao.pay.kinds._base import (
    DIV0,
    Checks,
    Kind,
    Parts,
    Texts,
    Vec,
    concat,
    fmt2_expr,
    fmt_expr,
    rate_text,
)
from jixiao.pay.kinds.tiers import no_band

__all__ = ["Commission", "CommissionKind", "CommissionLine"]


class CommissionLine(Frozen):
    name: str
    sales: Expr
    rate: Number | None = None
    rates: list[Band] | None = None


class Commission(ComponentModel):
    """Σ sales × rate; each line's rate is flat or from bands on ``tier_on``."""

    kind: Literal["commission"]
    tier_on: Expr | None = None
    tier_label: str = ""
    lines: list[CommissionLine] = Field(min_length=1)


class CommissionKind(Kind):
    name = "commission"
    model = Commission

    def check(
        self, spec: Any, ck: Checks
    ) -> tuple[tuple[BandRule, ...], tuple[tuple[BandRule, ...] | None, ...]]:
        ck.expr("tier_on", spec.tier_on, "num")
        line_bands: list[tuple[BandRule, ...] | None] = []
        for k, line in enumerate(spec.lines):
            ck.expr(f"lines[{k}].sales", line.sales, "num")
            if (line.rate is None) == (line.rates is None):
                ck.issue(
                    f"lines[{k}]",
                    "请给出 rate（固定比例）或 rates（分档），二选一",
                    "give either rate or rates",
                )
                line_bands.append(None)
            elif line.rates is not None:
                if spec.tier_on is None:
                    ck.issue(
                        "tier_on", "分档提成需要 tier_on（按什么分档）", "tiered rates need tier_on"
                    )
                path = f"lines[{k}].rates"
                line_bands.append(ck.number_bands(ck.bands(line.rates, path, "value"), path))
            else:
                line_bands.append(None)
        return (), tuple(line_bands)

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        out: dict[str, pl.Expr] = {}
        tier = v.num(comp.nodes["tier_on"]) if "tier_on" in comp.nodes else None
        if tier is not None:
            out["tier"] = tier
        for k in range(len(comp.spec.lines)):
            out[f"sales{k}"] = v.num(comp.nodes[f"lines[{k}].sales"])
            bands = comp.line_bands[k]
            if bands is not None and tier is not None:
                out[f"band{k}"] = v.band_index(bands, tier)
        return out

    def _rate(self, comp: Any, p: Parts, k: int) -> pl.Expr:
        bands = comp.line_bands[k]
        if bands is None:
            return pl.lit(comp.spec.lines[k].rate, dtype=DEC)
        return Vec.band_value(bands, p[f"band{k}"])

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        total: pl.Expr | None = None
        for k in range(len(comp.spec.lines)):
            part = (p[f"sales{k}"] * self._rate(comp, p, k)).cast(DEC)
            total = part if total is None else total + part
        assert total is not None
        return total

    def failure(self, comp: Any, row: Mapping[str, Any]) -> tuple[str, str]:
        spec = comp.spec
        if row.get("tier", 0) is None:
            return DIV0
        for k in range(len(spec.lines)):
            if row[f"sales{k}"] is None:
                return DIV0
            if comp.line_bands[k] is not None and row[f"band{k}"] is None:
                return no_band(spec.tier_label or str(spec.tier_on), row["tier"])
        return DIV0  # pragma: no cover - every null part is named above

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        spec = comp.spec
        zh: list[pl.Expr | str] = []
        en: list[pl.Expr | str] = []
        for k, line in enumerate(spec.lines):
            sales = fmt2_expr(p[f"sales{k}"])
            bands = comp.line_bands[k]
            zh += [" + " if k else "", f"{line.name} ", sales, " × "]
            en += [" + " if k else "", sales, " × "]
            if bands is None:
                rate = pct(line.rate if line.rate is not None else Decimal(0))
                zh.append(rate)
                en.append(rate)
                continue
            band, tier = p[f"band{k}"], fmt_expr(p["tier"])
            what, where = spec.tier_label or str(spec.tier_on), Vec.band_texts(bands, band)
            rate_col = rate_text(bands, band)
            zh += [rate_col, f"（{what} ", tier, "，落在 ", where, "）"]
            en += [rate_col, " (", tier, " in ", where, ")"]
        return concat(*zh, " = ", amount), concat(*en, " = ", amount)
