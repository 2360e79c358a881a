"""Shared helpers for the cycle services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from jixiao.web.cycles.models import Cycle, CycleFrozenError

__all__ = ["CycleError", "add_working_days", "ensure_state", "names_preview"]


class CycleError(ValueError):
    """A request the cycle's rules refuse; the message says what to do instead."""


def ensure_state(cycle: Cycle, *states: str, doing: str) -> None:
    """Refuse unless the cycle is (right now, in the database) in one of ``states``."""
    cycle.refresh_from_db()
    if cycle.state == Cycle.State.ARCHIVED:
        raise CycleFrozenError(cycle.name)
    if cycle.state not in states:
        allowed = "、".join(str(Cycle.State(s).label) for s in states)
        raise CycleError(
            f"周期“{cycle.name}”当前处于“{cycle.get_state_display()}”阶段，不能{doing}"
            f"（只能在“{allowed}”阶段进行）。"
        )


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """``days`` working days (Mon–Fri) after ``start``, end of that day. Holidays are not known."""
    current = start
    added = 0
    while added < days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current.replace(hour=23, minute=59, second=59, microsecond=0)


def names_preview(names: Iterable[str], limit: int = 8) -> str:
    names = list(names)
    head = "、".join(names[:limit])
    return head + (f" 等 {len(names)} 人" if len(names) > limit else "")
