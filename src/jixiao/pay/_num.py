"""Money: reading numbers exactly, the one money rounding, and how amounts are shown.

Rules (documented in docs/pay.md and docs/formula.md; the arithmetic itself is
:mod:`jixiao.formula`'s Decimal backend):

* every number is a ``Decimal`` with at most ``SCALE`` (10) decimals; inputs with more are rounded
  half-even to 10 decimals when read;
* ``+`` and ``-`` are exact; the results of ``*`` and ``/`` are rounded half-even to 10 decimals
  (this is what Polars ``Decimal(38, 10)`` does, so the scalar path mirrors it);
* a component's amount is rounded to 0.01 yuan half-up (away from zero) — the only money rounding.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jixiao.formula import DEC, INT_DEC, SCALE, div, lit, mul, q, round_half_up
from jixiao.formula._decimal import CONTEXT

__all__ = [
    "CENT",
    "DEC",
    "INT_DEC",
    "SCALE",
    "div",
    "fmt",
    "lit",
    "money",
    "mul",
    "pct",
    "q",
    "round_half_up",
    "to_decimal",
]

CENT = Decimal("0.01")
_CTX = CONTEXT


def money(x: Decimal) -> Decimal:
    """Round to 0.01 yuan half-up (away from zero), the documented money rule."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP, context=_CTX)


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
    """Plain text of a number: ``places`` fixed decimals (half away from zero), or without
    trailing zeros."""
    if places is not None:
        text = f"{x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_CTX):f}"
    else:
        text = f"{x.normalize(_CTX):f}"
    # A zero is never shown with a sign (0 × -20 is "0.00", not "-0.00").
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def pct(x: Decimal) -> str:
    """0.015 → '1.5%'."""
    return fmt(x * 100) + "%"
