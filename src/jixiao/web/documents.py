"""Versioned YAML documents (schemes, pay plans): the fields and the freeze they share.

A document has numbered versions; publishing a version freezes it — saving or deleting a
published version raises the subclass's ``frozen_error``, so no page or service can change
what a cycle or a payroll run has pinned.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Document(models.Model):
    """A document's identity: its code and name; the content lives in its versions."""

    code = models.CharField(_("方案编码"), max_length=64, unique=True)
    name = models.CharField(_("方案名称"), max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DocumentVersion(models.Model):
    """One version's YAML text; frozen once published."""

    Status = DocumentStatus

    number = models.PositiveIntegerField(_("版本号"))
    yaml_text = models.TextField(_("YAML"))
    status = models.CharField(
        _("状态"), max_length=16, choices=DocumentStatus, default=DocumentStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def frozen_error(self) -> Exception:
        raise NotImplementedError

    @property
    def is_published(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)  # type: ignore[attr-defined]
                .values_list("status", flat=True)
                .first()
            )
            if stored == DocumentStatus.PUBLISHED:
                raise self.frozen_error()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published:
            raise self.frozen_error()
        return super().delete(*args, **kwargs)
