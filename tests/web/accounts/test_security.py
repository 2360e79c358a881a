"""Security baseline: login throttling, CSRF, headers, production settings, DATABASE_URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.dburl import parse_database_url

from ..factories import PASSWORD

ROOT = Path(__file__).resolve().parents[3]


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_success(org, client):
    r = _login(client, "employee", PASSWORD)
    assert r.status_code == 302 and r.url == reverse("cycles:home")


def test_login_throttled_after_five_failures(org, client):
    for _ in range(4):
        r = _login(client, "employee", "wrong-password")
        assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()
    r = _login(client, "employee", "wrong-password")  # the fifth locks the pair
    assert r.status_code == 429 and "暂时锁定" in r.content.decode()
    r = _login(client, "employee", PASSWORD)  # right password, but locked
    assert r.status_code == 429 and "暂时锁定" in r.content.decode()
    assert "_auth_user_id" not in client.session
    # another username from the same address is not locked
    assert _login(Client(), "peer", PASSWORD).status_code == 302


def test_success_resets_counter(org, client):
    for _ in range(4):
        _login(client, "employee", "wrong")
    assert _login(client, "employee", PASSWORD).status_code == 302
    c2 = Client()
    for _ in range(4):
        _login(c2, "employee", "wrong")
    assert _login(c2, "employee", PASSWORD).status_code == 302


def test_csrf_enforced(org):
    c = Client(enforce_csrf_checks=True)
    c.force_login(org.hr.user)
    r = c.post(reverse("cycles:new"), {"name": "x"})
    assert r.status_code == 403


def test_security_headers(org, client):
    r = client.get(reverse("accounts:login"))
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_passwords_are_hashed_with_pbkdf2_by_default(org):
    from jixiao.web import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")
    assert PASSWORD not in org.employee.user.password  # tests use a fast hasher, still hashed
    validators = [v["NAME"].rsplit(".", 1)[1] for v in project_settings.AUTH_PASSWORD_VALIDATORS]
    assert "MinimumLengthValidator" in validators


def _run(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    drop = {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update({"PYTHONPATH": str(ROOT / "src"), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "jixiao.web", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_production_settings_pass_check_deploy(tmp_path):
    r = _run(
        {
            "JIXIAO_ENV": "production",
            "SECRET_KEY": "k" * 20 + "Zx9!-random-" * 5,
            "ALLOWED_HOSTS": "jixiao.example.com",
            "JIXIAO_HOME": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.slow
def test_production_needs_secret_key(tmp_path):
    r = _run({"JIXIAO_ENV": "production", "SECRET_KEY": "", "JIXIAO_HOME": str(tmp_path)}, "check")
    assert r.returncode != 0 and "SECRET_KEY is not set" in r.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://postgres@127.0.0.1:5432/test",
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "test",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": "5432",
                "PASSWORD": "",
            },
        ),
        (
            "postgresql://u:p%40ss@db/jx?sslmode=require",
            {
                "NAME": "jx",
                "USER": "u",
                "PASSWORD": "p@ss",
                "HOST": "db",
                "PORT": "",
                "OPTIONS": {"sslmode": "require"},
            },
        ),
        (
            "sqlite:////tmp/x.sqlite3",
            {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.sqlite3"},
        ),
        ("sqlite://:memory:", {"NAME": ":memory:"}),
    ],
)
def test_database_url(url, expected):
    cfg = parse_database_url(url, base_dir=Path("/base"))
    for k, v in expected.items():
        assert cfg[k] == v


def test_database_url_relative_sqlite_and_bad_scheme():
    assert (
        parse_database_url("sqlite:///var/db.sqlite3", base_dir=Path("/b"))["NAME"]
        == "/b/var/db.sqlite3"
    )
    with pytest.raises(ValueError, match="not supported"):
        parse_database_url("mysql://x/y")
