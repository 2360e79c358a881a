"""View helpers: turn the errors users can act on into 400 pages with the message."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from jixiao.web.audit.models import AuditImmutableError
from jixiao.web.cycles.models import CycleFrozenError
from jixiao.web.cycles.services import CycleError
from jixiao.web.schemes.models import SchemeFrozenError
from jixiao.web.schemes.services import SchemeError, SchemeInvalidError
from jixiao.web.schemes.validation import EngineUnavailable

__all__ = ["USER_ERRORS", "back", "int_or_none", "user_errors"]

USER_ERRORS: tuple[type[Exception], ...] = (
    CycleError,
    CycleFrozenError,
    SchemeFrozenError,
    SchemeError,
    SchemeInvalidError,
    EngineUnavailable,
    AuditImmutableError,
)


def error_page(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(
        request, "error.html", {"message": message, "back": back_url(request)}, status=status
    )


def user_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Errors the user can fix become a 400 page saying what to do (never a 500)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except USER_ERRORS as exc:
            return error_page(request, str(exc))

    return wrapper


def back_url(request: HttpRequest, default: str = "/") -> str:
    url = request.POST.get("next") or request.GET.get("next") or request.META.get("HTTP_REFERER")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def back(request: HttpRequest, message: str = "", default: str = "/") -> HttpResponse:
    if message:
        messages.success(request, message)
    return redirect(back_url(request, default))


def int_or_none(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
