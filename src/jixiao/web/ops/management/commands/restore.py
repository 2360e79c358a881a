"""``python -m jixiao.web restore PATH``: replace the database with a backup."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.ops.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Restore the whole database from a backup made by `backup` (replaces everything)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask: replace the database's content"
        )

    def handle(self, *args, **options) -> None:
        source = Path(options["path"])
        if not options["yes"]:
            answer = input(f"用 {source} 替换数据库中的全部数据？输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据库没有改动。")
        try:
            restore_database(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"已从 {source} 恢复。之后请运行 migrate（如有新的迁移）。")
        )
