import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ d|get:key }}``: dictionary lookup with a variable key."""
    if isinstance(mapping, dict):
        return mapping.get(key, mapping.get(str(key)))
    return None


@register.filter
def trace(value: Any) -> str:
    """A trace is ``{"zh": ..., "en": ...}``: show the current language, falling back to zh."""
    if isinstance(value, dict):
        lang = "en" if (get_language() or "").startswith("en") else "zh"
        return str(value.get(lang) or value.get("zh") or "")
    return "" if value is None else str(value)


@register.filter
def normalize(value: Any) -> Any:
    if isinstance(value, Decimal):
        n = value.normalize()
        return f"{n:f}"
    return value


@register.simple_tag
def deadline(at: dt.datetime | None, weekdays_only: bool = False) -> SafeString:
    """A deadline in local time (``2026-10-12 23:59``); when it was counted Mon–Fri because
    the holiday calendar did not know the year, a warning says so next to it."""
    if at is None:
        return mark_safe("")
    local = timezone.localtime(at)
    shown = format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), f"{local:%Y-%m-%d %H:%M}"
    )
    if not weekdays_only:
        return shown
    warning = _(
        "%(year)s 年的法定节假日和调休尚未收录，截止日按周一至周五的工作日估算，请核对。"
    ) % {"year": local.year}
    return format_html('{} <span class="badge warn calendar-warning">⚠ {}</span>', shown, warning)
