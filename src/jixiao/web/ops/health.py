"""``/healthz``: is the database answering, is the broker reachable (JSON, 200 or 503)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jixiao.files import json_text

__all__ = ["healthz"]


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is the answer, not a crash
        return f"error: {type(exc).__name__}"
    return "ok"


def _broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "in-process"  # no broker configured: jobs run inside the web process
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring; says nothing about people, no login needed."""
    checks = {"database": _database(), "broker": _broker()}
    healthy = not any(v.startswith("error") for v in checks.values())
    return HttpResponse(
        json_text({"status": "ok" if healthy else "error", **checks}),
        content_type="application/json",
        status=200 if healthy else 503,
    )
