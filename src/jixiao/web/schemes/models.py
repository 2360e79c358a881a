"""Schemes as versioned YAML documents; a published version is frozen."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeFrozenError(Exception):
    def __init__(self, version: SchemeVersion) -> None:
        super().__init__(
            f"方案 {version.scheme.code} 第 {version.number} 版已发布，不能再修改。"
            "请“另存为新版本”后编辑。"
        )


class Scheme(models.Model):
    code = models.CharField(_("方案编码"), max_length=64, unique=True)
    name = models.CharField(_("方案名称"), max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SchemeVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    yaml_text = models.TextField(_("YAML"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("方案版本")
        verbose_name_plural = _("方案版本")
        ordering = ["scheme__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="schemes_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = (
                SchemeVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored == self.Status.PUBLISHED:
                raise SchemeFrozenError(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published:
            raise SchemeFrozenError(self)
        return super().delete(*args, **kwargs)
