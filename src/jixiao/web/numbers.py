"""The one numeric input domain of the web layer: what a typed or imported number may be.

Every number a user types or imports (metric values, targets, weights, ratings, appeal totals,
pay inputs, rewards and penalties, absence days) is read by :func:`parse_number` with the
:class:`Domain` of the column that will hold it, so that a value that is accepted can always be
stored, read back and computed with on SQLite and PostgreSQL alike. (An unchecked ``1e15`` in
``MetricValue.value`` — ``DecimalField(16, 4)`` — was stored by SQLite and then broke every read
of the cycle.)

Accepted: ASCII digits with an optional sign, decimal point, exponent (``1E+5`` as spreadsheets
write it), thousands separators (``1,234`` / ``1，234``) and a trailing ``%`` (``35%`` is 35);
full-width digits (``１２``, typed by a Chinese input method) are read as their ASCII forms
(Unicode NFKC). Refused with a message naming the field and the allowed range: anything else
(``NaN``, ``inf``, other scripts' digits, ``1_000``), values outside ``[minimum, maximum]`` and
more decimal places than the column keeps (never silently rounded).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jixiao.web.errors import WebError, bilingual

__all__ = [
    "ABSENT_DAYS",
    "AMOUNT",
    "DOMAINS",
    "METRIC",
    "PAY_INPUT",
    "PERCENT",
    "SCORE",
    "TARGET",
    "TOTAL",
    "Domain",
    "NumberError",
    "fits",
    "parse_number",
]

_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_SHOWN = 40  # characters of a refused value echoed back in the message


class NumberError(WebError):
    """A number outside its domain (or no number at all)."""


@dataclass(frozen=True)
class Domain:
    """Inclusive range and decimal places; ``column`` documents the column it must fit."""

    minimum: Decimal
    maximum: Decimal
    places: int
    column: str = ""

    def contains(self, d: Decimal) -> bool:
        if not d.is_finite() or not (self.minimum <= d <= self.maximum):
            return False
        return d == d.quantize(Decimal(1).scaleb(-self.places))

    def describe(self) -> Promise:
        """The range in words, in the reader's language."""
        params = {"low": _plain(self.minimum), "high": _plain(self.maximum), "places": self.places}
        if self.places == 0:
            return bilingual(_("%(low)s 到 %(high)s 之间的整数"), params)
        return bilingual(_("%(low)s 到 %(high)s 之间、最多 %(places)s 位小数的数"), params)


def _plain(d: Decimal) -> str:
    return f"{d:,f}"


_TWELVE = Decimal("999999999999")  # 12 integer digits: fits DecimalField(14, 2) and (16, 4)

METRIC = Domain(-_TWELVE, _TWELVE, 4, "cycles.MetricValue.value DecimalField(16, 4)")
TARGET = Domain(Decimal(0), _TWELVE, 2, "cycles.PlanItem.target DecimalField(14, 2)")
PERCENT = Domain(Decimal(0), Decimal(100), 2, "cycles.PlanItem.weight DecimalField(6, 2)")
SCORE = Domain(Decimal(0), Decimal(1000), 2, "cycles.Rating.score CharField(16)")
TOTAL = Domain(Decimal(0), Decimal(1000), 2, "cycles.Appeal.new_total DecimalField(8, 2)")
PAY_INPUT = Domain(-_TWELVE, _TWELVE, 4, "payroll.PayInput.values (JSON text)")
AMOUNT = Domain(Decimal(-99_999_999), Decimal(99_999_999), 2, "payroll amounts (14, 2)")
ABSENT_DAYS = Domain(Decimal(0), Decimal(366), 0, "cycles.Participant.absent_days")

DOMAINS = {
    "METRIC": METRIC,
    "TARGET": TARGET,
    "PERCENT": PERCENT,
    "SCORE": SCORE,
    "TOTAL": TOTAL,
    "PAY_INPUT": PAY_INPUT,
    "AMOUNT": AMOUNT,
    "ABSENT_DAYS": ABSENT_DAYS,
}


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def fits(value: Any, domain: Domain) -> bool:
    """Whether ``value`` (a number or text) is in ``domain``."""
    try:
        parse_number(value, domain=domain, label="")
    except NumberError:
        return False
    return True


@overload
def parse_number(
    value: Any,
    *,
    domain: Domain,
    label: str | Promise,
    field: str | None = ...,
    required: Literal[True] = ...,
    error: type[WebError] = ...,
) -> Decimal: ...


@overload
def parse_number(
    value: Any,
    *,
    domain: Domain,
    label: str | Promise,
    field: str | None = ...,
    required: bool,
    error: type[WebError] = ...,
) -> Decimal | None: ...


def parse_number(
    value: Any,
    *,
    domain: Domain,
    label: str | Promise,
    field: str | None = None,
    required: bool = True,
    error: type[WebError] = NumberError,
) -> Decimal | None:
    """``value`` (typed or imported) as a Decimal in ``domain``, or a user error naming
    ``label`` (the field's name) and the allowed range; ``field`` is the form field."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        value = str(value)
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFKC", text).strip()
    if text == "":
        if required:
            raise error(_("请填写“%(label)s”。"), params={"label": label}, field=field)
        return None
    text = text.replace(",", "").replace("，", "")  # NFKC made "，" a ","; both for clarity
    text = text.removesuffix("%").strip()  # "35%" is 35: the number the user sees
    d: Decimal | None = None
    if _NUMBER.fullmatch(text):
        try:
            d = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            d = None
    if d is None:
        raise error(
            _("“%(label)s”应是数字，收到的是“%(value)s”。"),
            params={"label": label, "value": _shown(value)},
            field=field,
        )
    if not domain.contains(d):
        raise error(
            _("“%(label)s”应是 %(range)s，收到的是“%(value)s”。"),
            params={"label": label, "range": domain.describe(), "value": _shown(value)},
            field=field,
        )
    return d
