"""Template context: the signed-in person's roles (for the menu)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from jixiao.web.access import actor_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    try:
        return {"actor": actor_of(user)}
    except PermissionDenied:
        return {}
