"""Append-only audit log: who changed what, when, from what to what, and why."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Audit entries are never edited or deleted."""

    def __init__(self) -> None:
        super().__init__("审计日志只能追加，不能修改或删除。如有错误，请追加一条更正记录。")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError()


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=128, blank=True)
    entity = models.CharField(_("对象类型"), max_length=64, db_index=True)
    entity_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    cycle_id = models.BigIntegerField(_("周期"), null=True, blank=True, db_index=True)
    employee_id = models.BigIntegerField(_("员工"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.entity}#{self.entity_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditImmutableError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError()
