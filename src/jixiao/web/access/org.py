"""The organisation: who may read an employee's records, who may change the organisation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.web.access._actor import Actor, UserLike, actor_of, deny, dept_filter, may_read
from jixiao.web.org.models import Employee

__all__ = [
    "access_employee",
    "can_manage_org",
    "can_open_admin",
    "can_read_everyone",
    "find_employee",
    "require_org_admin",
    "visible_employees",
]


def visible_employees(*, user: UserLike) -> QuerySet[Employee]:
    """Own record, the departments headed or overseen; everyone for HR, GM and the groups."""
    return Employee.objects.filter(dept_filter(actor_of(user)))


def can_read_everyone(*, user: UserLike) -> bool:
    """HR, the GM and the leadership and working groups read every department's records."""
    return actor_of(user).sees_all


def access_employee(*, user: UserLike, employee_id: int) -> Employee:
    actor = actor_of(user)
    emp = (
        Employee.objects.select_related("department", "position", "level")
        .filter(pk=employee_id)
        .first()
    )
    if emp is None:
        raise Http404(_("没有这名员工。"))
    if not may_read(actor, employee_id=emp.pk, department_id=emp.department_id):
        deny(_("您无权查看该员工的考核资料：部门负责人只能查看本部门员工。"))
    return emp


def find_employee(*, user: UserLike, number: str) -> Employee | None:
    """The employee with 工号 ``number`` among those ``user`` may read (``None``: no such one,
    so that a form can say the number is wrong instead of failing with 404)."""
    number = (number or "").strip()
    if not number:
        return None
    return visible_employees(user=user).filter(number=number).first()


def can_manage_org(*, user: UserLike) -> bool:
    """Departments, employees, logins and shop sub-accounts are HR's."""
    return actor_of(user).is_hr


def can_open_admin(*, user: UserLike) -> bool:
    """Django's admin (organisation set-up) is for staff accounts."""
    return bool(user.is_authenticated and getattr(user, "is_staff", False))


def require_org_admin(*, user: UserLike) -> Actor:
    actor = actor_of(user)
    if not actor.is_hr:
        deny(_("只有人事行政可以维护组织、员工和账号。"))
    return actor
