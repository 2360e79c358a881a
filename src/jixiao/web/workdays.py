"""Working days (工作日) in China, and deadlines that end at 23:59 local time.

Working days come from the ``chinese-calendar`` package: public holidays (法定节假日) are days
off and make-up working days (调休, e.g. a Saturday after National Day) are working days. For a
year the package does not know yet, Monday to Friday are counted instead; such a deadline is
marked ``weekdays_only`` so that every page showing it warns that it may be off, and the
fallback is logged once per year.

A deadline is the end (23:59:59) of its last day in ``settings.TIME_ZONE`` (Asia/Shanghai),
stored as an aware datetime and shown in local time. (Computing the end of the day on the UTC
clock made deadlines show as 07:59 the next morning.)
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.web.errors import WebError

__all__ = [
    "Deadline",
    "add_working_days",
    "calendar_knows",
    "date_from_form",
    "deadline_from_form",
    "end_of_day",
    "is_working_day",
    "working_deadline",
]

logger = logging.getLogger(__name__)
_logged_years: set[int] = set()


@dataclass(frozen=True)
class Deadline:
    at: dt.datetime  # aware, 23:59:59 local time
    weekdays_only: bool = False  # counted Mon–Fri: the holiday calendar did not know a year


def calendar_knows(year: int) -> bool:
    """Whether ``chinese-calendar`` has the holidays and make-up days of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: dt.date) -> bool | None:
    """Holidays off, 调休 days on; ``None`` when the calendar does not know the year."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _logged_years:
            _logged_years.add(day.year)
            logger.warning(
                "chinese-calendar has no holidays for %s: working days are counted Mon-Fri; "
                "update the chinese-calendar package",
                day.year,
            )
        return None


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 of ``day`` in the configured time zone."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(23, 59, 59)), timezone.get_default_timezone()
    )


def working_deadline(start: dt.datetime, days: int) -> Deadline:
    """The end of the ``days``-th working day after the (local) day of ``start``."""
    day = timezone.localtime(start, timezone.get_default_timezone()).date()
    added, fallback = 0, False
    while added < days:
        day += dt.timedelta(days=1)
        working = is_working_day(day)
        if working is None:
            fallback, working = True, day.weekday() < 5
        added += working
    return Deadline(end_of_day(day), weekdays_only=fallback)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """``days`` working days after ``start``, end of that day (local time)."""
    return working_deadline(start, days).at


def date_from_form(raw: str, *, field: str) -> dt.date:
    """A date typed into a form (``YYYY-MM-DD``, as ``<input type="date">`` sends it)."""
    raw = (raw or "").strip()
    if not raw:
        raise WebError(_("请填写日期（YYYY-MM-DD）。"), field=field)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise WebError(
            _("日期“%(raw)s”格式不对，请按 YYYY-MM-DD 填写，例如 2026-10-31。"),
            params={"raw": raw},
            field=field,
        ) from None


def deadline_from_form(raw: str, *, field: str) -> dt.datetime | None:
    """A deadline picked as a day: the end of that day, local time (empty: ``None``)."""
    if not (raw or "").strip():
        return None
    return end_of_day(date_from_form(raw, field=field))
