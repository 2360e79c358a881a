"""Error pages and error logs (issue 9, Low): a database failure or a bad request shows a
branded Chinese page (English through the language switch), not Django's bare
"Server Error (500)"; a 403 is one log line, not a traceback."""

from __future__ import annotations

import logging

from django.db import connection
from django.test import Client
from django.urls import reverse

from ..factories import client_for


def _database_gone(execute, sql, params, many, context):
    """Every query fails, as when the database server goes away."""
    from django.db.utils import OperationalError

    raise OperationalError("server closed the connection unexpectedly")


def test_a_database_failure_shows_the_chinese_500_page(org):
    c = client_for(org.hr.user)
    c.raise_request_exception = False
    with connection.execute_wrapper(_database_gone):
        r = c.get(reverse("cycles:list"))
    assert r.status_code == 500
    text = r.content.decode()
    assert "服务器出错了" in text and "Server Error (500)" not in text
    assert "jixiao/app.css" in text  # the app's look, not a bare page


def test_the_500_page_in_english(org):
    c = client_for(org.hr.user)
    c.raise_request_exception = False
    c.cookies["django_language"] = "en"
    with connection.execute_wrapper(_database_gone):
        r = c.get(reverse("cycles:list"))
    assert r.status_code == 500 and "Server error" in r.content.decode()


def test_a_bad_host_gets_the_chinese_400_page(db):
    r = Client().get("/accounts/login/", HTTP_HOST="evil.example")
    assert r.status_code == 400
    text = r.content.decode()
    assert "请求无效" in text and "Bad Request (400)" not in text


def test_404_and_403_pages_are_chinese(org):
    c = client_for(org.outsider.user)
    r404 = c.get("/cycles/999999/")
    assert r404.status_code == 404 and "找不到" in r404.content.decode()
    r403 = c.get(reverse("audit:list"))
    assert r403.status_code == 403 and "无权访问" in r403.content.decode()


def test_a_403_is_logged_as_one_line_without_a_traceback(org, caplog):
    c = client_for(org.outsider.user)
    with caplog.at_level(logging.INFO):
        r = c.get(reverse("audit:list"))
    assert r.status_code == 403
    assert not [rec for rec in caplog.records if rec.exc_info or rec.exc_text]
    lines = [rec for rec in caplog.records if "/audit/" in rec.getMessage()]
    assert len(lines) == 1 and " 403 " in lines[0].getMessage()
