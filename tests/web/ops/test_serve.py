"""The production server for real: ``python -m jixiao.web serve`` with JIXIAO_ENV=production
(DEBUG off) runs gunicorn, collects static files, and serves htmx and ECharts with hashed,
compressed names (issue 9 item 13: they were 404 with DEBUG off); one log line per request."""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    drop = {"DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "JIXIAO_ENV": "production",
            "SECRET_KEY": "test-" + "k" * 60,
            "ALLOWED_HOSTS": "127.0.0.1",
            "JIXIAO_HOME": str(tmp_path),
            "TRUSTED_PROXIES": "127.0.0.1",
            **extra,
        }
    )
    return env


def test_serve_prints_gunicorn_with_workers_from_the_cpu_count(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "jixiao.web", "serve", "--print", "--bind", "0.0.0.0:9000"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "-m gunicorn jixiao.web.wsgi:application --bind 0.0.0.0:9000" in out
    assert f"--workers {2 * (os.cpu_count() or 1) + 1}" in out
    assert "--forwarded-allow-ips 127.0.0.1" in out


@pytest.mark.slow
def test_gunicorn_serves_pages_static_files_and_health(tmp_path):
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "jixiao.web", "migrate", "--noinput"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jixiao.web",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):  # gunicorn up within 60 s (collectstatic first)
            try:
                status, _h, body = _get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("server did not start:\n" + log.read_text(errors="replace"))
        assert status == 200 and b'"database": "ok"' in body

        status, _h, page = _get(base + "/accounts/login/")
        assert status == 200
        html = page.decode()
        htmx = re.search(r'src="(/static/vendor/htmx-[\d.]+\.min\.[0-9a-f]{12}\.js)"', html)
        assert htmx, "htmx is linked by its hashed name"
        status, headers, body = _get(base + htmx.group(1), **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert b"htmx" in gzip.decompress(body)
        assert "immutable" in headers.get("Cache-Control", "")
        echarts = next((tmp_path / "var" / "static" / "vendor").glob("echarts*.min.*.js"))
        status, _h, _b = _get(f"{base}/static/vendor/{echarts.name}")
        assert status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    text = log.read_text(errors="replace")
    assert re.search(r'jixiao.request 127.0.0.1 "GET /accounts/login/" 200 \d+ms', text), text
    assert text.count('"GET /accounts/login/"') == 1  # one line per request
