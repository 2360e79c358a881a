"""Template context: who is signed in and what they may open (for menus and buttons)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jixiao.web.access import abilities_of, actor_of


def roles(request: HttpRequest) -> dict[str, Any]:
    """``actor`` (the signed-in person, for their name) and ``may`` (what the menus offer)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"actor": actor_of(user), "may": abilities_of(user)}
