"""Monthly periods: ``YYYY-MM`` text in documents and files, a month number in frames so that
periods sort and subtract (``2026-01`` minus one month is ``2025-12``)."""

from __future__ import annotations

import re

__all__ = ["format_period", "parse_period", "period_range"]

_PERIOD = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_period(text: str) -> int:
    """``"2026-09"`` (also ``2026/9``, ``2026年9月``) as a month number; ``ValueError`` otherwise."""
    m = _PERIOD.match(str(text))
    if not m:
        raise ValueError(f"期间“{text}”应写成 年-月，例如 2026-09")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(f"期间“{text}”不是有效的月份")
    return year * 12 + month - 1


def format_period(index: int) -> str:
    """The month number back as ``YYYY-MM``."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_range(first: int, last: int) -> list[str]:
    return [format_period(i) for i in range(first, last + 1)]
