"""Shared helpers for the cycle services."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jixiao.web.cycles.models import Cycle, CycleFrozenError
from jixiao.web.errors import WebError, joined
from jixiao.web.workdays import add_working_days

__all__ = ["CycleError", "add_working_days", "ensure_state", "names_preview", "state_params"]


class CycleError(WebError):
    """A request the cycle's rules refuse; the message says what to do instead."""


def ensure_state(cycle: Cycle, *states: str, doing: str | Promise) -> None:
    """Refuse unless the cycle is (right now, in the database) in one of ``states``."""
    cycle.refresh_from_db()
    if cycle.state == Cycle.State.ARCHIVED:
        raise CycleFrozenError(cycle.name)
    if cycle.state not in states:
        raise CycleError(
            _(
                "周期“%(cycle)s”当前处于“%(state)s”阶段，不能%(doing)s（只能在“%(allowed)s”阶段进行）。"
            ),
            params=state_params(cycle, states, doing),
        )


def state_params(cycle: Cycle, states: Iterable[str], doing: str | Promise) -> dict[str, object]:
    """The parameters of a “wrong stage” message: the cycle, its stage, what was tried and the
    stages it belongs to."""
    return {
        "cycle": cycle.name,
        "state": Cycle.State(cycle.state).label,
        "doing": doing,
        "allowed": joined(Cycle.State(s).label for s in states),
    }


def names_preview(names: Iterable[str], limit: int = 8) -> Promise:
    """``A、B、C 等 12 人`` for a message (a lazy text: rendered in each language)."""
    return joined(names, limit)
