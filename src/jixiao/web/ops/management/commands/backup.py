"""``python -m jixiao.web backup [PATH]``: a full copy of the database (see ``ops.backup``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.ops.backup import BackupError, backup_database, default_backup_path


class Command(BaseCommand):
    help = "Back up the whole database (SQLite: online backup API; PostgreSQL: pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", help="file to write (default var/backups/jixiao-<time>.sqlite3|.sql)"
        )

    def handle(self, *args, **options) -> None:
        target = Path(options["path"]) if options["path"] else default_backup_path()
        try:
            written = backup_database(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"已备份到 {written}（{written.stat().st_size} 字节）")
        )
