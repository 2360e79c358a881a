"""Import batches: one uploaded file (its bytes and sha256) and the metric values it wrote.

A batch is uploaded (status ``preview``: nothing written into the cycle yet), then committed
in one transaction. Re-importing the same file (same sha256) into the same cycle replaces the
rows the earlier batch wrote (status ``replaced``) instead of adding to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.web.cycles.models import Cycle, Participant, _CycleChild


class ImportBatch(_CycleChild):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("待确认")
        COMMITTED = "committed", _("已提交")
        REPLACED = "replaced", _("已被重新导入替换")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="import_batches")
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("字节数"), default=0)
    content = models.BinaryField(_("文件内容"))
    profile_requested = models.CharField(_("指定的导入方案"), max_length=64, blank=True)
    profile = models.CharField(_("导入方案"), max_length=64, blank=True)
    profile_name = models.CharField(_("导入方案名称"), max_length=128, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.PREVIEW)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced"
    )
    rows_read = models.PositiveIntegerField(_("读取行数"), default=0)
    rows_used = models.PositiveIntegerField(_("使用行数"), default=0)
    rows_rejected = models.PositiveIntegerField(_("拒绝行数"), default=0)
    people_matched = models.PositiveIntegerField(_("已对应人数"), default=0)
    people_unmatched = models.PositiveIntegerField(_("未对应账号数"), default=0)
    values_written = models.PositiveIntegerField(_("写入数值个数"), default=0)
    # the preview as parsed at upload (imports/stored.py): pages show it without re-parsing
    preview = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["cycle", "sha256", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def _cycle_id(self) -> int:
        return self.cycle_id


class ImportedValue(_CycleChild):
    """One metric value a committed batch wrote, with the value it replaced (for re-imports)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="values")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=64)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    previous = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["batch", "participant", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "participant", "code"], name="imports_value_unique"
            )
        ]
        indexes = [models.Index(fields=["participant", "code"])]

    def _cycle_id(self) -> int:
        return ImportBatch.objects.values_list("cycle_id", flat=True).get(pk=self.batch_id)
