"""Backups of the whole database, and restoring one.

- SQLite: the online backup API (``sqlite3.Connection.backup``): a consistent copy while the
  application keeps running, into a ``.sqlite3`` file; restore copies it back the same way.
- PostgreSQL: ``pg_dump`` (plain SQL, ``--clean --if-exists``, no owners or grants, so it
  restores into a database of another name or owner) and ``psql --single-transaction`` to
  restore: the restore either applies whole or leaves the database as it was.

Every table is in the copy, the audit log included. Connection settings come from
``DATABASES["default"]`` (``DATABASE_URL``); the password goes to the tools through
``PGPASSWORD``, never on a command line.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

__all__ = ["BackupError", "backup_database", "default_backup_path", "restore_database"]


class BackupError(Exception):
    """A backup or restore that could not be done (message in Chinese, for the operator)."""


def _vendor() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def default_backup_path() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3" if _vendor() == "sqlite" else ".sql"
    return Path(settings.VAR_DIR) / "backups" / f"jixiao-{stamp}{suffix}"


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）。"
        )
    return path


def _db_name() -> str:
    # the database in use (tests run against test_<name>)
    return str(connection.settings_dict["NAME"])


def _run(argv: list[str]) -> None:
    proc = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackupError(
            f"{Path(argv[0]).name} 失败（退出码 {proc.returncode}）：{proc.stderr.strip()}"
        )


def backup_database(target: Path) -> Path:
    """Write a full copy of the database to ``target`` (parent folders are created)."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"备份文件 {target} 已存在，不会覆盖：请换一个文件名。")
    target.parent.mkdir(parents=True, exist_ok=True)
    if _vendor() == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
    elif _vendor() == "postgresql":
        _run(
            [
                _pg_tool("pg_dump"),
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--file",
                str(target),
                _db_name(),
            ]
        )
    else:
        raise BackupError(f"不支持备份 {_vendor()} 数据库（支持 SQLite 与 PostgreSQL）。")
    return target


def _check_sqlite_file(source: Path) -> None:
    with source.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{source} 不是 SQLite 备份文件。")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        ok = src.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        src.close()
    if ok != "ok":
        raise BackupError(f"备份文件 {source} 已损坏（integrity_check：{ok}）。")
    if "django_migrations" not in tables:
        raise BackupError(f"{source} 不是本系统的备份（没有 django_migrations 表）。")


def restore_database(source: Path) -> None:
    """Replace the database's content with the backup ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}。")
    if _vendor() == "sqlite":
        _check_sqlite_file(source)
        connection.ensure_connection()
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
    elif _vendor() == "postgresql":
        head = source.read_bytes()[:4096]
        if b"PostgreSQL database dump" not in head:
            raise BackupError(f"{source} 不是 pg_dump 生成的备份文件。")
        connection.close()  # psql needs the tables: do not hold locks on them
        _run(
            [
                _pg_tool("psql"),
                "--quiet",
                "--no-psqlrc",
                "--set",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                "--file",
                str(source),
                "--dbname",
                _db_name(),
            ]
        )
    else:
        raise BackupError(f"不支持恢复 {_vendor()} 数据库（支持 SQLite 与 PostgreSQL）。")
