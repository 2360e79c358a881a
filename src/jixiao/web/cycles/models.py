"""Appraisal cycles and everything recorded in them. An archived cycle is frozen."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.web.errors import WebError
from jixiao.web.org.models import Department, Employee
from jixiao.web.schemes.models import SchemeVersion


class CycleFrozenError(WebError):
    def __init__(self, cycle_name: str = "") -> None:
        super().__init__(
            _("考核周期“%(cycle)s”已归档，数据已冻结，不能再修改。"), params={"cycle": cycle_name}
        )


class Cycle(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("月度")
        QUARTER = "quarter", _("季度")
        YEAR = "year", _("年度")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PLANNING = "planning", _("制定计划")
        RUNNING = "running", _("执行中")
        RATING = "rating", _("评分")
        REVIEW = "review", _("部门审核")
        APPROVAL = "approval", _("总经理审批")
        PUBLISHED = "published", _("已公布")
        CONFIRMATION = "confirmation", _("确认与申诉")
        APPEALS = "appeals", _("申诉处理")
        ARCHIVED = "archived", _("已归档")

    name = models.CharField(_("名称"), max_length=64, unique=True)
    period = models.CharField(_("周期类型"), max_length=16, choices=Period, default=Period.MONTH)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    state = models.CharField(_("状态"), max_length=16, choices=State, default=State.DRAFT)
    scheme_versions = models.ManyToManyField(
        SchemeVersion, verbose_name=_("使用的方案版本"), blank=True, related_name="cycles"
    )
    grade_quotas = models.JSONField(
        _("强制分布(等级→最高百分比)"),
        default=dict,
        blank=True,
        help_text=_('例如 {"A": 20, "E": 10}；留空表示不强制'),
    )
    rating_deadline = models.DateTimeField(_("评分截止"), null=True, blank=True)
    # counted Mon–Fri: the holiday calendar did not know a year (pages warn next to the date)
    rating_deadline_weekdays_only = models.BooleanField(default=False)
    approval_deadline = models.DateTimeField(_("审批截止"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    appeal_deadline = models.DateTimeField(_("申诉截止"), null=True, blank=True)
    appeal_deadline_weekdays_only = models.BooleanField(default=False)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = Cycle.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == self.State.ARCHIVED:
                raise CycleFrozenError(self.name)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.state == self.State.ARCHIVED:
            raise CycleFrozenError(self.name)
        return super().delete(*args, **kwargs)

    @property
    def results_visible(self) -> bool:
        """Employees see their own scores from publication on."""
        return self.state in {
            self.State.PUBLISHED,
            self.State.CONFIRMATION,
            self.State.APPEALS,
            self.State.ARCHIVED,
        }


class _CycleChild(models.Model):
    """Refuses any write once the owning cycle is archived."""

    class Meta:
        abstract = True

    def _cycle_id(self) -> int:
        raise NotImplementedError

    def _guard(self) -> None:
        row = Cycle.objects.filter(pk=self._cycle_id()).values_list("state", "name").first()
        if row and row[0] == Cycle.State.ARCHIVED:
            raise CycleFrozenError(row[1])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._guard()
        return super().delete(*args, **kwargs)


class Participant(_CycleChild):
    """One employee in one cycle: plan signatures, eligibility, result."""

    # display-only attributes a selector or view sets on rows it hands to a template
    owed: int
    score_visible: bool

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="participants")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="participations")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    scheme_version = models.ForeignKey(
        SchemeVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    absent_days = models.PositiveSmallIntegerField(_("缺勤天数"), default=0)
    eligible = models.BooleanField(_("参与考核"), default=True)
    eligibility_note = models.CharField(_("说明"), max_length=200, blank=True)
    employee_signed_at = models.DateTimeField(_("员工签字"), null=True, blank=True)
    head_signed_at = models.DateTimeField(_("负责人签字"), null=True, blank=True)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    engine_grade = models.CharField(_("计算等级"), max_length=16, blank=True)
    grade = models.CharField(_("等级"), max_length=16, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    items = models.JSONField(default=dict, blank=True)
    dimensions = models.JSONField(default=dict, blank=True)
    traces = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    calibration_note = models.CharField(_("校准说明"), max_length=500, blank=True)
    interview_note = models.TextField(_("面谈记录"), blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        ordering = ["cycle", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="cycles_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} / {self.employee}"

    def _cycle_id(self) -> int:
        return self.cycle_id

    @property
    def plan_signed(self) -> bool:
        return self.employee_signed_at is not None and self.head_signed_at is not None


class PlanItem(_CycleChild):
    """A line of the personal plan: KPI, key task, bonus or penalty item."""

    class Kind(models.TextChoices):
        KPI = "kpi", _("KPI")
        TASK = "task", _("重点工作")
        BONUS = "bonus", _("加分项")
        PENALTY = "penalty", _("扣分项")
        TARGET = "target", _("目标值")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="plan_items"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind, default=Kind.KPI)
    code = models.CharField(_("指标编码"), max_length=64)
    name = models.CharField(_("名称"), max_length=128)
    weight = models.DecimalField(
        _("权重(%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("目标值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    standard = models.CharField(_("评分标准"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("计划项")
        verbose_name_plural = _("计划项")
        ordering = ["participant", "id"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "code"], name="cycles_planitem_unique")
        ]

    def _cycle_id(self) -> int:
        return Participant.objects.values_list("cycle_id", flat=True).get(pk=self.participant_id)


class TargetChange(_CycleChild):
    """A mid-period change of a target: needs a reason and an approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="changes")
    old_target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    new_target = models.DecimalField(max_digits=14, decimal_places=2)
    reason = models.TextField(_("原因"))
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # at most one pending change per plan item, even under identical concurrent posts
            models.UniqueConstraint(
                fields=["plan_item"],
                condition=models.Q(status="pending"),
                name="cycles_targetchange_one_pending",
            )
        ]

    def _cycle_id(self) -> int:
        return PlanItem.objects.values_list("participant__cycle_id", flat=True).get(
            pk=self.plan_item_id
        )


class MetricValue(_CycleChild):
    """Measured data for one participant (sales, conversion, …), keyed by metric code."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="metrics")
    code = models.CharField(max_length=64)
    value = models.DecimalField(max_digits=16, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "code"], name="cycles_metric_unique")
        ]

    def _cycle_id(self) -> int:
        return Participant.objects.values_list("cycle_id", flat=True).get(pk=self.participant_id)


class Rating(_CycleChild):
    """One rating a rater owes (score empty) or has given, for one item of one participant."""

    outline: Any  # display-only: the scheme item's outline, set by the ratings page

    class Role(models.TextChoices):
        SELF = "self", _("自评")
        PEER = "peer", _("同事")
        MANAGER = "manager", _("上级")
        SKIP = "skip", _("隔级上级")
        SUBORDINATE = "subordinate", _("下级")
        CUSTOMER = "customer", _("客户")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="ratings_given")
    role = models.CharField(max_length=16, choices=Role)
    item = models.CharField(max_length=64)
    score = models.CharField(max_length=16, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant", "item", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "rater", "role", "item"], name="cycles_rating_unique"
            )
        ]
        indexes = [models.Index(fields=["rater", "submitted_at"])]

    def _cycle_id(self) -> int:
        return Participant.objects.values_list("cycle_id", flat=True).get(pk=self.participant_id)


class DepartmentReview(_CycleChild):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="reviews")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "department"], name="cycles_review_unique")
        ]

    def _cycle_id(self) -> int:
        return self.cycle_id


class Appeal(_CycleChild):
    """申诉: round 1 to the skip-level manager and working group (10 days);
    round 2 to the leadership group, whose decision is final."""

    class Status(models.TextChoices):
        OPEN = "open", _("处理中")
        UPHELD = "upheld", _("申诉成立")
        REJECTED = "rejected", _("申诉驳回")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="appeals")
    round = models.PositiveSmallIntegerField(default=1)
    reason = models.TextField(_("申诉理由"))
    status = models.CharField(max_length=16, choices=Status, default=Status.OPEN)
    filed_at = models.DateTimeField()
    due_at = models.DateTimeField()
    handler = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals_to_handle"
    )
    decision = models.TextField(_("处理意见"), blank=True)
    new_total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    new_grade = models.CharField(max_length=16, blank=True)
    decided_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant", "round"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "round"], name="cycles_appeal_unique")
        ]

    def _cycle_id(self) -> int:
        return Participant.objects.values_list("cycle_id", flat=True).get(pk=self.participant_id)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
