"""``/healthz``: database and broker, JSON, 200 or 503; no login needed, no data shown."""

from __future__ import annotations

import socket

import pytest
from django.db import connection
from django.test import Client

from ..localredis import REDIS_URL, redis_up


def test_healthy_without_a_broker(db, settings):
    settings.CELERY_BROKER_URL = ""
    r = Client().get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "broker": "in-process"}


def _gone(execute, sql, params, many, context):
    from django.db.utils import OperationalError

    raise OperationalError("connection refused")


def test_database_down_is_503(db, settings):
    settings.CELERY_BROKER_URL = ""
    with connection.execute_wrapper(_gone):
        r = Client().get("/healthz")
    assert r.status_code == 503
    assert r.json()["database"] == "error: OperationalError" and r.json()["status"] == "error"


def test_unreachable_broker_is_503(db, settings):
    # a port nothing listens on (bound, then closed)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    r = Client().get("/healthz")
    assert r.status_code == 503 and r.json()["broker"].startswith("error")


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_reachable_redis_is_ok(db, settings):
    settings.CELERY_BROKER_URL = REDIS_URL
    r = Client().get("/healthz")
    assert r.status_code == 200 and r.json()["broker"] == "ok"
