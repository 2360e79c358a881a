"""Authentication attacks through HTTP (issue 9 items 4, 8, 11): guessing passwords on the app's
login and on /admin/, spraying many usernames, locking another person out, demo accounts in
production, and every user's password change."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from jixiao.web.demo import DEMO_PASSWORD

from ..factories import PASSWORD

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def _post(client: Client, url: str, username: str, password: str, **meta: str):
    return client.post(url, {"username": username, "password": password}, **meta)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "", PASSWORD)


def test_admin_login_is_locked_after_five_wrong_passwords(root):
    attacker = Client()
    for _ in range(5):
        _post(attacker, ADMIN_LOGIN, "root", "wrong-password")
    r = _post(attacker, ADMIN_LOGIN, "root", PASSWORD)  # the right one, too late
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()
    assert not _logged_in(attacker)


def test_a_lock_on_the_app_login_holds_on_the_admin_login(root):
    c = Client()
    for _ in range(5):
        _post(c, LOGIN, "root", "wrong-password")
    assert _post(c, ADMIN_LOGIN, "root", PASSWORD).status_code == 429
    assert not _logged_in(c)


def test_the_lock_is_in_the_database_and_survives_a_restart(org):
    from axes.models import AccessAttempt

    c = Client()
    for _ in range(5):
        _post(c, LOGIN, "employee", "wrong-password")
    cache.clear()  # a restarted process: an in-memory counter would be gone
    assert AccessAttempt.objects.filter(username="employee").exists()
    r = _post(Client(), LOGIN, "employee", PASSWORD)
    assert r.status_code == 429 and not _logged_in(c)


def test_spraying_many_usernames_from_one_address_is_stopped(org, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 30
    c = Client()
    # 40 names × 1 guess: under the per-pair limit every time, over the per-address one
    for i in range(40):
        _post(c, LOGIN, f"user{i}", "Summer2026!")
    r = _post(c, LOGIN, "employee", PASSWORD)
    assert r.status_code == 429 and not _logged_in(c)
    # somebody else, at another address, is not affected
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert _post(other, LOGIN, "employee", PASSWORD).status_code == 302


def test_an_outsider_cannot_lock_the_gm_out_from_elsewhere(org):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(10):
        _post(attacker, LOGIN, "gm", "wrong-password")
    gm = Client(REMOTE_ADDR="198.51.100.7")
    assert _post(gm, LOGIN, "gm", PASSWORD).status_code == 302 and _logged_in(gm)


def test_behind_a_trusted_proxy_the_forwarded_address_is_locked_not_the_proxy(org, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(10):
        _post(attacker, LOGIN, "gm", "wrong-password")
    # the GM comes through the same proxy from their own address
    gm = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _post(gm, LOGIN, "gm", PASSWORD).status_code == 302 and _logged_in(gm)


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(org, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    # the attacker connects directly and claims to be a different address on every try
    for i in range(6):
        c = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        _post(c, LOGIN, "employee", "wrong-password")
    r = _post(Client(REMOTE_ADDR="203.0.113.9"), LOGIN, "employee", PASSWORD)
    assert r.status_code == 429


def test_a_client_cannot_choose_its_address_by_prepending_to_the_header(org, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    # the proxy appends the real peer; what the client wrote before it is not believed
    for _ in range(5):
        c = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
        _post(c, LOGIN, "gm", "wrong-password")
    gm = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _post(gm, LOGIN, "gm", PASSWORD).status_code == 302


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_the_demo_password_is_refused_in_production(url, org, settings):
    user = org.hr.user
    user.is_staff = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    settings.PRODUCTION = True
    c = Client()
    r = _post(c, url, user.username, DEMO_PASSWORD)
    assert not _logged_in(c)
    assert r.status_code == 200
    if url == LOGIN:
        assert "演示账号的公开密码不能在正式环境中登录" in r.content.decode()
    settings.PRODUCTION = False
    assert _post(Client(), url, user.username, DEMO_PASSWORD).status_code == 302


def test_load_demo_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="正式环境"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()


def test_every_user_can_change_their_password(org):
    c = Client()
    assert _post(c, LOGIN, "employee", PASSWORD).status_code == 302
    page = c.get(reverse("cycles:me"))
    assert reverse("accounts:password") in page.content.decode()  # the menu link
    assert c.get(reverse("accounts:password")).status_code == 200
    weak = c.post(
        reverse("accounts:password"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200  # refused, with the validators' reasons
    new = "a-much-longer-passphrase-42"
    r = c.post(
        reverse("accounts:password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert r.status_code == 302 and r.url == reverse("accounts:password_done")
    assert _post(Client(), LOGIN, "employee", PASSWORD).status_code == 200  # old one is gone
    assert _post(Client(), LOGIN, "employee", new).status_code == 302


def test_changing_the_password_needs_the_old_one(org):
    c = Client()
    c.force_login(org.employee.user)
    r = c.post(
        reverse("accounts:password"),
        {
            "old_password": "guess",
            "new_password1": "x-new-pass-777",
            "new_password2": "x-new-pass-777",
        },
    )
    assert r.status_code == 200
    org.employee.user.refresh_from_db()
    assert org.employee.user.check_password(PASSWORD)


def test_jixiao_demo_refuses_to_run_in_production(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    drop = {"DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        PYTHONPATH=str(root / "src"),
        JIXIAO_ENV="production",
        SECRET_KEY="k" * 50,
        JIXIAO_HOME=str(tmp_path),
    )
    proc = subprocess.run(
        [sys.executable, "-c", "from jixiao.cli import main; main()", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "正式环境" in proc.stderr + proc.stdout
    assert not (tmp_path / "var" / "jixiao.sqlite3").exists()  # not even migrated
