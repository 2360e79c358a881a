"""Organisation: departments (a tree), positions, levels, employees and their roles."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("部门负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A post with its code, e.g. C-1 文案策划, C-2 文案实习, Y-1 运营专员, M-1 首席设计."""

    code = models.CharField(_("岗位编号"), max_length=16, unique=True)
    name = models.CharField(_("岗位名称"), max_length=64)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Level(models.Model):
    """实习 / 普通 / 中级 / 高级, with base pay and commission points (提成点)."""

    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=16)
    rank = models.PositiveSmallIntegerField(_("顺序"), default=0)
    base_pay = models.DecimalField(_("底薪"), max_digits=10, decimal_places=2, default=Decimal(0))
    commission_points = models.DecimalField(
        _("提成点(%)"), max_digits=6, decimal_places=3, default=Decimal(0)
    )
    is_default = models.BooleanField(_("新员工默认"), default=False)

    class Meta:
        verbose_name = _("级别")
        verbose_name_plural = _("级别")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("在职")
        PROBATION = "probation", _("试用")
        LEFT = "left", _("离职")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    number = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=64)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="employees"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("岗位"), null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.ForeignKey(
        Level, verbose_name=_("级别"), null=True, blank=True, on_delete=models.PROTECT
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("直接上级"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    hire_date = models.DateField(_("入职日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.ACTIVE)
    # Roles (seed 000 archive access rules).
    is_hr = models.BooleanField(_("人事行政"), default=False)
    is_gm = models.BooleanField(_("总经理"), default=False)
    is_leadership = models.BooleanField(_("绩效管理领导小组"), default=False)
    is_working_group = models.BooleanField(_("绩效工作小组"), default=False)
    can_export = models.BooleanField(
        _("受托打印/导出"),
        default=False,
        help_text=_("总经理授权的高管或办公室负责人可打印、导出全体员工考核文件"),
    )
    oversees = models.ManyToManyField(
        Department, verbose_name=_("分管部门"), blank=True, related_name="supervisors"
    )

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["number"]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.LEFT


class ShopAccount(models.Model):
    """A shop sub-account, written ``旗舰店:小冰`` (shop:nick)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.CASCADE, related_name="shop_accounts"
    )
    shop = models.CharField(_("店铺"), max_length=64)
    nick = models.CharField(_("子账号"), max_length=64)

    class Meta:
        verbose_name = _("店铺子账号")
        verbose_name_plural = _("店铺子账号")
        constraints = [
            models.UniqueConstraint(fields=["shop", "nick"], name="org_shopaccount_unique")
        ]

    def __str__(self) -> str:
        return f"{self.shop}:{self.nick}"
