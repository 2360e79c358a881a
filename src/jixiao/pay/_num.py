"""Exact money arithmetic shared by the vectorised and the per-employee evaluators.

Rules (documented in docs/pay.md, identical in both evaluators so that they agree to the cent):

* every number is a ``Decimal`` with at most ``SCALE`` (10) decimals; inputs with more are rounded
  half-even to 10 decimals when read;
* ``+`` and ``-`` are exact; the results of ``*`` and ``/`` are rounded half-even to 10 decimals
  (this is what Polars ``Decimal(38, 10)`` does, so the scalar path mirrors it);
* a component's amount is rounded to 0.01 yuan half-up (away from zero) — the only money rounding.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

import polars as pl

SCALE = 10
DEC = pl.Decimal(38, SCALE)
INT_DEC = pl.Decimal(38, 0)
Q = Decimal(1).scaleb(-SCALE)
CENT = Decimal("0.01")
_CTX = Context(prec=60)


def q(x: Decimal) -> Decimal:
    """Round an intermediate result half-even to the working scale."""
    return x.quantize(Q, rounding=ROUND_HALF_EVEN, context=_CTX)


def mul(a: Decimal, b: Decimal) -> Decimal:
    return q(_CTX.multiply(a, b))


def div(a: Decimal, b: Decimal) -> Decimal:
    return q(_CTX.divide(a, b))


def money(x: Decimal) -> Decimal:
    """Round to 0.01 yuan half-up (away from zero), the documented money rule."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP, context=_CTX)


def round_half_up(x: Decimal, n: int) -> Decimal:
    return q(x.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP, context=_CTX))


def to_decimal(raw: Any) -> Decimal:
    """A number from YAML, JSON, CSV text or an Excel cell, without going through binary floats
    where the source is text; floats (YAML, JSON, Excel) are read by their shortest repr."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError(f"{raw!r} is not a number")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = (
            str(raw).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        )
        factor = Decimal(1)
        if text.endswith(("%", "％")):
            text, factor = text[:-1], Decimal("0.01")
        try:
            value = Decimal(text) * factor
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a finite number")
    return q(value)


def fmt(x: Decimal, places: int | None = None) -> str:
    """Plain text of a number: ``places`` fixed decimals, or without trailing zeros."""
    if places is not None:
        return f"{x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_CTX):f}"
    text = f"{x.normalize(_CTX):f}"
    return "0" if text in {"-0", "0"} else text


def pct(x: Decimal) -> str:
    """0.015 → '1.5%'."""
    return fmt(x * 100) + "%"


def lit(x: Decimal) -> pl.Expr:
    return pl.lit(x, dtype=DEC)
