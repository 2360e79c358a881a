"""Backup and restore round trip: every row of every table, the audit log included, comes back
identical after the database was changed in between (SQLite always, PostgreSQL when the suite
runs on it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles.models import Participant

from ..factories import make_cycle, walk
from ..payroll.helpers import computed_run

pytestmark = pytest.mark.django_db(transaction=True)  # the tools see committed data only


def _snapshot() -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
    return out


def _damage() -> None:
    """What a bad day does: rows removed (the audit log too, behind the models' back), added
    and changed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEntry._meta.db_table} WHERE id IN (SELECT id FROM {AuditEntry._meta.db_table} ORDER BY id LIMIT 3)"
        )
        cursor.execute(f"UPDATE {Participant._meta.db_table} SET grade = 'E'")
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("intruder", password="x-unused-pass-1")


def test_round_trip_restores_every_row(org, tmp_path: Path):
    cycle = walk(org, make_cycle(org), "published")
    computed_run(org, cycle)
    before = _snapshot()
    assert len(before[AuditEntry._meta.db_table]) > 10 and len(before) > 20

    target = tmp_path / ("db.sqlite3" if connection.vendor == "sqlite" else "db.sql")
    call_command("backup", str(target))
    assert target.stat().st_size > 0
    _damage()
    assert _snapshot() != before

    call_command("restore", str(target), "--yes")
    connection.close()
    assert _snapshot() == before


def test_backup_does_not_overwrite(db, tmp_path: Path):
    target = tmp_path / "x.bak"
    target.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(target))
    assert target.read_bytes() == b"keep me"


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path: Path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    before = _snapshot()
    with pytest.raises(CommandError, match="不是"):
        call_command("restore", str(bogus), "--yes")
    assert _snapshot() == before
