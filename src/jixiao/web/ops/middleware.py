"""One log line per request: method, path, status, time, size, user, client address."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jixiao.web.clientip import client_ip

log = logging.getLogger("jixiao.request")


class RequestLogMiddleware:
    """Outermost middleware, so the time and status are the ones the client gets.

    The query string is left out (it can carry search terms about people); the user is the
    numeric id, not the name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        ms = (time.perf_counter() - start) * 1000
        user = getattr(request, "user", None)
        uid = user.pk if user is not None and user.is_authenticated else "-"
        size = "-" if response.streaming else len(response.content)
        log.info(
            '%s "%s %s" %d %.0fms %sB user=%s',
            client_ip(request) or "-",
            request.method,
            request.path,
            response.status_code,
            ms,
            size,
            uid,
        )
        return response
