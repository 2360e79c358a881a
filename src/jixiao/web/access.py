"""Access rules — the ONE place where permissions are decided (seed 000, archive access).

- An employee sees only their own records.
- A department head sees their own department's records, never another department's.
- A supervisor (分管领导) sees the departments they oversee.
- The leadership group (绩效管理领导小组), the working group, the GM and HR see everyone.
- Only the GM, the leadership and working groups, or people the GM delegates
  (``can_export``), may export or print other people's records. Salary figures follow the same rules.

Every view, export and API fetches through the ``access_*`` functions below: they return the
object or raise ``Http404`` (does not exist) / ``PermissionDenied`` (exists, not yours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.web.cycles.models import Appeal, Cycle, Participant
from jixiao.web.imports.models import ImportBatch
from jixiao.web.org.models import Department, Employee
from jixiao.web.payroll.models import PayrollRun, Payslip

__all__ = [
    "Actor",
    "access_appeal",
    "access_cycle",
    "access_employee",
    "access_import_batch",
    "access_payroll_run",
    "access_payslip",
    "access_result",
    "actor_of",
    "can_export",
    "can_import_data",
    "require_gm",
    "require_hr",
    "visible_employees",
    "visible_participants",
    "visible_payslips",
]


@dataclass(frozen=True)
class Actor:
    """Who is asking, with their roles resolved once per request."""

    user: Any
    employee: Employee | None
    is_hr: bool = False
    is_gm: bool = False
    is_leadership: bool = False
    is_working_group: bool = False
    delegated_export: bool = False
    headed: frozenset[int] = field(default_factory=frozenset)
    overseen: frozenset[int] = field(default_factory=frozenset)

    @property
    def sees_all(self) -> bool:
        return self.is_hr or self.is_gm or self.is_leadership or self.is_working_group

    @property
    def is_head(self) -> bool:
        return bool(self.headed)

    @property
    def is_supervisor(self) -> bool:
        return bool(self.overseen)

    @property
    def department_ids(self) -> frozenset[int] | None:
        """Departments whose records this actor may read; ``None`` means all."""
        if self.sees_all:
            return None
        return self.headed | self.overseen

    @property
    def employee_id(self) -> int | None:
        return self.employee.pk if self.employee else None


def actor_of(user: Any) -> Actor:
    """Resolve (and cache on the user object) the roles of ``user``."""
    cached = getattr(user, "_jixiao_actor", None)
    if cached is not None:
        return cached
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    emp = Employee.objects.filter(user=user).first()
    if emp is None:
        actor = Actor(user=user, employee=None, is_hr=bool(user.is_superuser))
    else:
        headed = frozenset(Department.objects.filter(head=emp).values_list("pk", flat=True))
        overseen = frozenset(emp.oversees.values_list("pk", flat=True))
        actor = Actor(
            user=user,
            employee=emp,
            is_hr=emp.is_hr or user.is_superuser,
            is_gm=emp.is_gm,
            is_leadership=emp.is_leadership,
            is_working_group=emp.is_working_group,
            delegated_export=emp.can_export,
            headed=headed,
            overseen=overseen,
        )
    user._jixiao_actor = actor
    return actor


def _dept_filter(actor: Actor, prefix: str) -> Q:
    """The rows an actor may read: own records plus departments they head or oversee."""
    depts = actor.department_ids
    if depts is None:
        return Q()
    own = Q(**{f"{prefix}pk": actor.employee_id}) if actor.employee_id else Q(pk__in=[])
    return own | Q(**{f"{prefix}department_id__in": depts})


def visible_employees(*, user: Any) -> QuerySet[Employee]:
    actor = actor_of(user)
    return Employee.objects.filter(_dept_filter(actor, ""))


def visible_participants(*, user: Any, cycle: Cycle) -> QuerySet[Participant]:
    actor = actor_of(user)
    qs = Participant.objects.filter(cycle=cycle)
    depts = actor.department_ids
    if depts is None:
        return qs
    own = Q(employee_id=actor.employee_id) if actor.employee_id else Q(pk__in=[])
    return qs.filter(own | Q(department_id__in=depts))


def _may_read(actor: Actor, *, employee_id: int, department_id: int) -> bool:
    if actor.sees_all or employee_id == actor.employee_id:
        return True
    return department_id in actor.headed or department_id in actor.overseen


def access_employee(*, user: Any, employee_id: int) -> Employee:
    actor = actor_of(user)
    emp = (
        Employee.objects.select_related("department", "position", "level")
        .filter(pk=employee_id)
        .first()
    )
    if emp is None:
        raise Http404(_("没有这名员工。"))
    if not _may_read(actor, employee_id=emp.pk, department_id=emp.department_id):
        raise PermissionDenied(_("您无权查看该员工的考核资料：部门负责人只能查看本部门员工。"))
    return emp


def access_cycle(*, user: Any, cycle_id: int) -> Cycle:
    """Every signed-in employee may see that a cycle exists and its state."""
    actor_of(user)
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404(_("没有这个考核周期。"))
    return cycle


def access_result(*, user: Any, participant_id: int, cycle_id: int | None = None) -> Participant:
    """One person's plan and result in one cycle. Employees see their score once published."""
    actor = actor_of(user)
    qs = Participant.objects.select_related(
        "cycle",
        "employee",
        "department",
        "employee__position",
        "employee__level",
        "scheme_version__scheme",
    )
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    p = qs.filter(pk=participant_id).first()
    if p is None:
        raise Http404(_("没有这条考核记录。"))
    if not _may_read(actor, employee_id=p.employee_id, department_id=p.department_id) and not (
        actor.employee_id is not None
        and Appeal.objects.filter(participant=p, handler_id=actor.employee_id).exists()
    ):
        # the skip-level manager handling an appeal may read the record appealed against
        raise PermissionDenied(_("您无权查看这条考核记录。"))
    return p


def result_visible_to(*, user: Any, participant: Participant) -> bool:
    """Scores before publication are for managers only, not for the employee themself."""
    actor = actor_of(user)
    if participant.cycle.results_visible:
        return True
    return not (participant.employee_id == actor.employee_id and not actor.sees_all)


def access_appeal(*, user: Any, appeal_id: int) -> Appeal:
    actor = actor_of(user)
    appeal = (
        Appeal.objects.select_related("participant__cycle", "participant__employee")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise Http404(_("没有这条申诉。"))
    p = appeal.participant
    if not (
        _may_read(actor, employee_id=p.employee_id, department_id=p.department_id)
        or appeal.handler_id == actor.employee_id
    ):
        raise PermissionDenied(_("您无权查看这条申诉。"))
    return appeal


def reads_pay_sheets(actor: Actor) -> bool:
    """Pay sheets (one row per person) are for managers; employees only see their own slip."""
    return actor.sees_all or actor.is_head or actor.is_supervisor


def visible_payslips(*, user: Any, run: PayrollRun) -> QuerySet[Payslip]:
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


def access_payroll_run(*, user: Any, run_id: int) -> PayrollRun:
    """A payroll run's pay sheet: HR, GM, leadership/working group, heads and supervisors."""
    actor = actor_of(user)
    run = (
        PayrollRun.objects.select_related("cycle", "plan_version__plan", "closed_by")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise Http404(_("没有这次工资核算。"))
    if not reads_pay_sheets(actor):
        raise PermissionDenied(
            _("工资表仅限人事行政、总经理、领导小组、部门负责人和分管领导查看。")
        )
    return run


def access_payslip(*, user: Any, payslip_id: int) -> Payslip:
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
            raise PermissionDenied(_("本次工资核算尚未关闭，工资条关闭后才能查看。"))
        return slip
    if not _may_read(actor, employee_id=slip.employee_id, department_id=slip.department_id):
        raise PermissionDenied(_("您无权查看这张工资条：部门负责人只能查看本部门员工的工资。"))
    return slip


def can_export(*, user: Any, employee_id: int | None = None) -> bool:
    """Print/export: own records always; others' only for the GM, leadership or delegates."""
    actor = actor_of(user)
    if employee_id is not None and employee_id == actor.employee_id:
        return True
    return actor.is_gm or actor.is_leadership or actor.is_working_group or actor.delegated_export


def require_export(*, user: Any, employee_id: int | None = None) -> None:
    if not can_export(user=user, employee_id=employee_id):
        raise PermissionDenied(
            _("只有总经理、绩效管理领导小组/工作小组或其授权人员可以打印、导出他人的考核资料。")
        )


def require_hr(*, user: Any) -> Actor:
    actor = actor_of(user)
    if not actor.is_hr:
        raise PermissionDenied(_("此操作仅限人事行政。"))
    return actor


def require_gm(*, user: Any) -> Actor:
    actor = actor_of(user)
    if not actor.is_gm:
        raise PermissionDenied(_("此操作仅限总经理。"))
    return actor


# --- who may act (used by the services, so pages and APIs cannot bypass them) ----------------


def manages(*, actor: Actor, participant: Participant) -> bool:
    """Heads, supervisors, the direct manager (and HR) manage a participant's plan and review."""
    if participant.employee_id == actor.employee_id:
        return False  # nobody appraises themself
    if actor.is_hr:
        return True
    if actor.employee_id is None:
        return False
    if participant.department_id in actor.headed or participant.department_id in actor.overseen:
        return True
    return participant.employee.manager_id == actor.employee_id


def require_manages(*, user: Any, participant: Participant) -> Actor:
    actor = actor_of(user)
    if not manages(actor=actor, participant=participant):
        raise PermissionDenied(_("只有该员工的部门负责人、直接上级、分管领导或人事行政可以操作。"))
    return actor


def require_self(*, user: Any, participant: Participant) -> Actor:
    actor = actor_of(user)
    if participant.employee_id != actor.employee_id:
        raise PermissionDenied(_("只有员工本人可以操作。"))
    return actor


def require_role(*, user: Any, roles: frozenset[str]) -> Actor:
    actor = actor_of(user)
    have = {
        "hr": actor.is_hr,
        "gm": actor.is_gm,
        "leadership": actor.is_leadership,
        "working_group": actor.is_working_group,
    }
    if not any(have.get(r) for r in roles):
        names = {
            "hr": _("人事行政"),
            "gm": _("总经理"),
            "leadership": _("绩效管理领导小组"),
            "working_group": _("绩效工作小组"),
        }
        allowed = "、".join(str(names[r]) for r in sorted(roles))
        raise PermissionDenied(_("此操作仅限：%(who)s。") % {"who": allowed})
    return actor


def require_department_reviewer(*, user: Any, department_id: int) -> Actor:
    actor = actor_of(user)
    if not (actor.is_hr or department_id in actor.headed or department_id in actor.overseen):
        raise PermissionDenied(_("只有本部门负责人或分管领导可以审核本部门。"))
    return actor


# --- data import (web upload of platform exports) ---------------------------------------------


def can_import_data(*, user: Any) -> bool:
    """HR, department heads and supervisors enter measured data (as ``metric_set`` allows)."""
    actor = actor_of(user)
    return actor.is_hr or actor.is_head or actor.is_supervisor


def require_import_data(*, user: Any, employee: Employee | None = None) -> Actor:
    """Who may upload exports; with ``employee``: who may map a sub-account to that person."""
    actor = actor_of(user)
    if not can_import_data(user=user):
        raise PermissionDenied(_("只有人事行政、部门负责人或分管领导可以导入数据。"))
    if employee is not None and not (
        actor.is_hr or employee.department_id in (actor.headed | actor.overseen)
    ):
        raise PermissionDenied(_("您只能为本部门（或分管部门）的员工设置店铺子账号。"))
    return actor


def access_import_batch(*, user: Any, batch_id: int) -> ImportBatch:
    """An import batch: HR sees every batch, a head or supervisor only the ones they uploaded."""
    actor = actor_of(user)
    batch = ImportBatch.objects.select_related("cycle").filter(pk=batch_id).first()
    if batch is None:
        raise Http404(_("没有这个导入批次。"))
    if not (actor.is_hr or (can_import_data(user=user) and batch.uploaded_by_id == user.pk)):
        raise PermissionDenied(_("您无权查看这个导入批次：只有上传人和人事行政可以查看。"))
    return batch
