"""Pay plans as versioned YAML documents, and payroll runs for a cycle.

A published plan version is frozen; a closed run (with its inputs, slips and components) is
frozen: ``save``/``delete`` and queryset ``update``/``delete`` raise a clear error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.web.cycles.models import Cycle, Participant
from jixiao.web.documents import Document, DocumentVersion
from jixiao.web.errors import WebError
from jixiao.web.org.models import Department, Employee


class PayPlanFrozenError(WebError):
    def __init__(self, version: PayPlanVersion) -> None:
        super().__init__(
            _("薪酬方案 %(code)s 第 %(number)s 版已发布，不能再修改。请“另存为新版本”后编辑。"),
            params={"code": version.plan.code, "number": version.number},
        )


class PayrollClosedError(WebError):
    def __init__(self, run_name: str = "") -> None:
        super().__init__(
            _("工资核算“%(run)s”已关闭，数据已冻结，不能再修改。"), params={"run": run_name}
        )


class PayPlan(Document):
    class Meta:
        verbose_name = _("薪酬方案")
        verbose_name_plural = _("薪酬方案")
        ordering = ["code"]


class PayPlanVersion(DocumentVersion):
    plan = models.ForeignKey(PayPlan, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("薪酬方案版本")
        verbose_name_plural = _("薪酬方案版本")
        ordering = ["plan__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="payroll_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number}"

    def frozen_error(self) -> Exception:
        return PayPlanFrozenError(self)


class PayrollRun(models.Model):
    """One payroll for one cycle with one pinned (published) plan version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        CLOSED = "closed", _("已关闭")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="payroll_runs")
    plan_version = models.ForeignKey(PayPlanVersion, on_delete=models.PROTECT, related_name="runs")
    name = models.CharField(_("名称"), max_length=128)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    inputs_changed_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    warnings = models.JSONField(default=list, blank=True)
    pools = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("工资核算")
        verbose_name_plural = _("工资核算")
        ordering = ["-created_at", "-id"]
        constraints = [
            # a double submit of "new run" makes one run (payroll_run_create says so first)
            models.UniqueConstraint(fields=["cycle", "name"], name="payroll_run_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def needs_compute(self) -> bool:
        if self.computed_at is None:
            return True
        return self.inputs_changed_at is not None and self.inputs_changed_at > self.computed_at

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = PayrollRun.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.CLOSED:
                raise PayrollClosedError(self.name)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_closed:
            raise PayrollClosedError(self.name)
        return super().delete(*args, **kwargs)


class _RunChildQuerySet(models.QuerySet):
    """Bulk ``update``/``delete`` are refused when they touch a closed run."""

    run_path = "run"

    def _refuse_closed(self) -> None:
        name = (
            self.filter(**{f"{self.run_path}__status": PayrollRun.Status.CLOSED})
            .values_list(f"{self.run_path}__name", flat=True)
            .first()
        )
        if name is not None:
            raise PayrollClosedError(name)

    def update(self, **kwargs: Any) -> int:
        self._refuse_closed()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_closed()
        return super().delete()


class _ComponentQuerySet(_RunChildQuerySet):
    run_path = "payslip__run"


class _RunChild(models.Model):
    class Meta:
        abstract = True

    def _run_id(self) -> int:
        raise NotImplementedError

    def _guard(self) -> None:
        row = PayrollRun.objects.filter(pk=self._run_id()).values_list("status", "name").first()
        if row and row[0] == PayrollRun.Status.CLOSED:
            raise PayrollClosedError(row[1])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._guard()
        return super().delete(*args, **kwargs)


class PayInput(_RunChild):
    """One person's row of the pay inputs (attendance, sales, counts, rewards/penalties…)."""

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="inputs")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(default=dict, blank=True)

    objects = _RunChildQuerySet.as_manager()

    class Meta:
        ordering = ["run", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="payroll_input_unique")
        ]

    def _run_id(self) -> int:
        return self.run_id


class Payslip(_RunChild):
    """One person's computed pay in one run (stored, so pages never recompute)."""

    amounts: list[Decimal | None]  # display-only: per pay-sheet column, set by the selector

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="payslips")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="payslips")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("组别"), max_length=128, blank=True)
    net = models.DecimalField(_("实发合计"), max_digits=14, decimal_places=2)
    computed_at = models.DateTimeField()

    objects = _RunChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("工资条")
        verbose_name_plural = _("工资条")
        ordering = ["run", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="payroll_payslip_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run} / {self.employee}"

    def _run_id(self) -> int:
        return self.run_id


class PayComponent(_RunChild):
    """One component on one pay slip: the amount (Decimal) and its explanation."""

    payslip = models.ForeignKey(Payslip, on_delete=models.CASCADE, related_name="components")
    index = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=128)
    memo = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    trace = models.TextField(blank=True)
    trace_en = models.TextField(blank=True)

    objects = _ComponentQuerySet.as_manager()

    class Meta:
        ordering = ["payslip", "index"]
        constraints = [
            models.UniqueConstraint(fields=["payslip", "index"], name="payroll_component_unique")
        ]

    def _run_id(self) -> int:
        return Payslip.objects.values_list("run_id", flat=True).get(pk=self.payslip_id)
