"""Schemes as versioned YAML documents; a published version is frozen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.web.documents import Document, DocumentVersion
from jixiao.web.errors import WebError


class SchemeFrozenError(WebError):
    def __init__(self, version: SchemeVersion) -> None:
        super().__init__(
            _("方案 %(code)s 第 %(number)s 版已发布，不能再修改。请“另存为新版本”后编辑。"),
            params={"code": version.scheme.code, "number": version.number},
        )


class Scheme(Document):
    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["code"]


class SchemeVersion(DocumentVersion):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("方案版本")
        verbose_name_plural = _("方案版本")
        ordering = ["scheme__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="schemes_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} v{self.number}"

    def frozen_error(self) -> Exception:
        return SchemeFrozenError(self)
