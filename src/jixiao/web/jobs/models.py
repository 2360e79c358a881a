"""A background job: one long step (payroll, scores, an import, a large export) and its progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        PAYROLL_COMPUTE = "payroll_compute", _("计算工资")
        SCORE_COMPUTE = "score_compute", _("计算得分并进入部门审核")
        IMPORT_COMMIT = "import_commit", _("提交导入")
        PAY_SHEET_XLSX = "pay_sheet_xlsx", _("导出工资表（Excel）")
        RESULTS_CSV = "results_csv", _("导出考核结果（CSV）")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("任务"), max_length=32, choices=Kind)
    target_id = models.PositiveBigIntegerField(_("对象编号"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("已完成行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    message = models.TextField(_("失败原因"), blank=True)
    message_en = models.TextField(_("失败原因（英文）"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    result_url = models.CharField(_("结果链接"), max_length=255, blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=255, blank=True)
    result_type = models.CharField(_("结果类型"), max_length=128, blank=True)
    result_data = models.BinaryField(_("结果文件"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def has_file(self) -> bool:
        return bool(self.result_name) and self.status == self.Status.DONE
