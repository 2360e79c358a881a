"""Payroll: salary figures follow the appraisal rules (seed 000); HR runs the payroll.

An employee sees only their own slip, and only once the run is closed; a head their department;
a supervisor the departments overseen; HR, the GM and the groups everyone. Pay sheets (one row
per person) are for managers; exporting others' pay needs ``can_export``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.web.access._actor import Actor, UserLike, actor_of, deny, may_read
from jixiao.web.access.roles import require_hr
from jixiao.web.payroll.models import PayPlanVersion, PayrollRun, Payslip

__all__ = [
    "access_payplan_version",
    "access_payroll_run",
    "access_payslip",
    "can_manage_payroll",
    "can_read_pay_sheets",
    "can_see_pay_totals",
    "reads_pay_sheets",
    "require_pay_sheet_reader",
    "require_payroll_admin",
    "visible_payslips",
]


def reads_pay_sheets(actor: Actor) -> bool:
    """Pay sheets (one row per person) are for managers; employees only see their own slip."""
    return actor.is_manager


def can_read_pay_sheets(*, user: UserLike) -> bool:
    return reads_pay_sheets(actor_of(user))


def require_pay_sheet_reader(*, user: UserLike) -> Actor:
    actor = actor_of(user)
    if not reads_pay_sheets(actor):
        deny(_("工资表仅限人事行政、总经理、领导小组、部门负责人和分管领导查看。"))
    return actor


def can_see_pay_totals(*, user: UserLike) -> bool:
    """Totals over everyone's pay: only those who read everyone's records."""
    return actor_of(user).sees_all


def can_manage_payroll(*, user: UserLike) -> bool:
    """Pay plans, runs, inputs, adjustments, compute and close: HR."""
    return actor_of(user).is_hr


def require_payroll_admin(*, user: UserLike) -> Actor:
    return require_hr(user=user)


def visible_payslips(*, user: UserLike, run: PayrollRun) -> QuerySet[Payslip]:
    """Salary figures follow the appraisal rules: own slip (closed runs), own departments."""
    actor = actor_of(user)
    qs = Payslip.objects.filter(run=run)
    depts = actor.department_ids
    if depts is None:
        return qs
    if actor.employee_id is None:
        return qs.filter(department_id__in=depts)
    own = Q(employee_id=actor.employee_id)
    others = Q(department_id__in=depts) & ~own
    return qs.filter((own | others) if run.is_closed else others)


def access_payplan_version(*, user: UserLike, version_id: int) -> PayPlanVersion:
    """A pay plan version: HR only (plans hold every level's pay)."""
    require_payroll_admin(user=user)
    version = PayPlanVersion.objects.select_related("plan").filter(pk=version_id).first()
    if version is None:
        raise Http404(_("没有这个薪酬方案版本。"))
    return version


def access_payroll_run(*, user: UserLike, run_id: int) -> PayrollRun:
    """A payroll run's pay sheet: HR, GM, leadership/working group, heads and supervisors."""
    run = (
        PayrollRun.objects.select_related("cycle", "plan_version__plan", "closed_by")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise Http404(_("没有这次工资核算。"))
    require_pay_sheet_reader(user=user)
    return run


def access_payslip(*, user: UserLike, payslip_id: int) -> Payslip:
    """One pay slip: the employee themself once the run is closed; managers as for results."""
    actor = actor_of(user)
    slip = (
        Payslip.objects.select_related(
            "run__cycle", "run__plan_version__plan", "employee", "department"
        )
        .filter(pk=payslip_id)
        .first()
    )
    if slip is None:
        raise Http404(_("没有这张工资条。"))
    if slip.employee_id == actor.employee_id and not actor.sees_all:
        if not slip.run.is_closed:
            deny(_("本次工资核算尚未关闭，工资条关闭后才能查看。"))
        return slip
    if not may_read(actor, employee_id=slip.employee_id, department_id=slip.department_id):
        deny(_("您无权查看这张工资条：部门负责人只能查看本部门员工的工资。"))
    return slip
