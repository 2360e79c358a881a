"""The model backend, refusing the published demo password in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jixiao.web.demo import DEMO_PASSWORD

__all__ = ["AccountBackend", "is_demo_password"]


def is_demo_password(password: str | None) -> bool:
    """The demo password is printed in the README: in production it opens nothing."""
    return bool(settings.PRODUCTION) and password == DEMO_PASSWORD


class AccountBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if is_demo_password(password):
            # PermissionDenied stops every backend: nobody gets in with the demo password,
            # on the app's login page, the admin's or any other path through authenticate().
            raise PermissionDenied("demo password refused in production")
        return super().authenticate(request, username=username, password=password, **kwargs)
