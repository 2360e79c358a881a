from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

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
