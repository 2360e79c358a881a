"""``python -m jixiao.web expire_imports``: delete unconfirmed uploads past
``JIXIAO_IMPORT_PREVIEW_HOURS`` (each audited). Uploads also expire a cycle's old previews, so
this is for a daily job on a quiet installation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from jixiao.web.imports.services import import_batches_expire


class Command(BaseCommand):
    help = "删除超过设定时间仍未确认的导入上传（及其文件），每个都记入审计日志。"

    def handle(self, *args: Any, **options: Any) -> None:
        n = import_batches_expire()
        hours = settings.JIXIAO_IMPORT_PREVIEW_HOURS
        self.stdout.write(f"已删除 {n} 个超过 {hours} 小时未确认的导入上传。")
