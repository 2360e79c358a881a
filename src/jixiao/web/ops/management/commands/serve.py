"""``python -m jixiao.web serve``: the production server (gunicorn), static files collected first."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × CPUs + 1 (``WEB_CONCURRENCY`` overrides it)."""
    env = os.environ.get("WEB_CONCURRENCY", "").strip()
    if env:
        return max(1, int(env))
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_argv(*, bind: str, workers: int, timeout: int) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "jixiao.web.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        # recycle workers now and then (a leak cannot grow forever), staggered
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        # the request log is jixiao.request (one line per request); gunicorn's own messages
        # (worker start/stop, timeouts) go to stderr
        "--error-logfile",
        "-",
    ]
    if settings.TRUSTED_PROXIES:
        # gunicorn believes X-Forwarded-Proto (https) only from these
        argv += ["--forwarded-allow-ips", ",".join(settings.TRUSTED_PROXIES)]
    return argv


class Command(BaseCommand):
    help = "Run the production web server: collectstatic, then gunicorn with N workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("JIXIAO_BIND", "127.0.0.1:8000"),
            help="address:port or unix:/path (env JIXIAO_BIND; default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes (env WEB_CONCURRENCY; default 2 × CPUs + 1)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("JIXIAO_TIMEOUT", "120")),
            help="seconds before a stuck worker is restarted (env JIXIAO_TIMEOUT; default 120)",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="skip collectstatic (already done by the deployment)",
        )
        parser.add_argument(
            "--print", action="store_true", help="print the gunicorn command instead of running it"
        )

    def handle(self, *args, **options) -> None:
        workers = options["workers"] or default_workers()
        argv = gunicorn_argv(bind=options["bind"], workers=workers, timeout=options["timeout"])
        if options["print"]:
            self.stdout.write(" ".join(argv))
            return
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"gunicorn on {options['bind']} with {workers} workers")
        self.stdout.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        # replace this process: gunicorn's master gets the signals (SIGTERM, SIGHUP) directly
        os.execv(sys.executable, argv)
