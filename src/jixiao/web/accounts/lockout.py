"""Login lockout with django-axes: per (username, address) pair, plus a per-address limit.

django-axes records every failed login — on the app's login page and on ``/admin/login/``,
both go through ``authenticate()`` — in the database (``axes.AccessAttempt``), so a lock holds
across processes, workers and restarts. The policy (settings ``LOGIN_*``):

- ``LOGIN_FAILURE_LIMIT`` failures for one username from one address lock that pair for
  ``LOGIN_FAILURE_WINDOW`` seconds. Locking the pair, not the account, means an outsider
  guessing the GM's password from elsewhere does not lock the GM out.
- ``LOGIN_IP_FAILURE_LIMIT`` failures from one address over any usernames (password spraying)
  lock the address for the same time.

The address comes from :func:`jixiao.web.clientip.client_ip` (``X-Forwarded-For`` only from
trusted proxies).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = ["LockoutBackend", "LockoutHandler", "lockout_response", "username_of"]


def username_of(request: HttpRequest, credentials: dict[str, Any]) -> str:
    """Usernames are compared case-insensitively (``GM`` and ``gm`` share one counter)."""
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(raw).strip().lower()


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check; logins without a request (scripts, tests' ``client.login``) are not HTTP
    attempts and are left to the next backend."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def _address_failures(ip: str) -> int:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit: an address over it counts as having
    reached the pair limit for whichever username it tries next (axes decides the lock from
    this count, both before a login and after a failure)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        ip = getattr(request, "axes_ip_address", None)
        if ip and _address_failures(ip) >= settings.LOGIN_IP_FAILURE_LIMIT:
            return max(failures, settings.LOGIN_FAILURE_LIMIT)
        return failures


def lockout_response(
    request: HttpRequest, response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The login page again, with the lock explained (status 429), for the app and the admin."""
    minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
    message = _(
        "登录失败次数过多，已暂时锁定。请 %(minutes)d 分钟后再试，或联系人事行政重置密码。"
    ) % {"minutes": minutes}
    return render(request, "accounts/locked.html", {"message": message}, status=429)
