"""A tiny ``DATABASE_URL`` parser (sqlite:///path, postgres://user:pw@host:port/name)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["parse_database_url"]

_ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
}


def parse_database_url(url: str, *, base_dir: Path | None = None) -> dict[str, Any]:
    """Turn a URL into a Django ``DATABASES`` entry; raise ``ValueError`` with a hint if unknown."""
    parts = urlsplit(url)
    engine = _ENGINES.get(parts.scheme)
    if engine is None:
        raise ValueError(
            f"DATABASE_URL scheme {parts.scheme!r} is not supported; "
            "use sqlite:///path/to/db.sqlite3 or postgres://user@host:5432/name"
        )
    if engine.endswith("sqlite3"):
        path = unquote(parts.path)
        if url.startswith("sqlite:////"):
            path = "/" + path.lstrip("/")  # sqlite:////abs/path.sqlite3 is absolute
        elif path.startswith("/"):
            path = path[1:]  # sqlite:///var/db.sqlite3 is relative to the base directory
        if path in ("", ":memory:") or parts.netloc == ":memory:":
            return {"ENGINE": engine, "NAME": ":memory:"}
        p = Path(path)
        if not p.is_absolute() and base_dir is not None:
            p = base_dir / p
        return {"ENGINE": engine, "NAME": str(p)}
    options = dict(parse_qsl(parts.query))
    conn_max_age = options.pop("conn_max_age", None)
    cfg: dict[str, Any] = {
        "ENGINE": engine,
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }
    if conn_max_age is not None:
        cfg["CONN_MAX_AGE"] = int(conn_max_age)
    if options:
        cfg["OPTIONS"] = options
    return cfg
