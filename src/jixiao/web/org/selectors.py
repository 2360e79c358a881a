"""Reads for the organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from jixiao.web.org.models import Department, Employee

__all__ = ["department_descendant_ids", "employee_list", "skip_level_manager"]


def employee_list(*, department_ids: set[int] | None = None) -> QuerySet[Employee]:
    qs = Employee.objects.select_related("department", "position", "level", "manager")
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    return qs.order_by("number")


def department_descendant_ids(*, department: Department) -> set[int]:
    """The department and everything below it (one query per tree level)."""
    found = {department.pk}
    frontier = {department.pk}
    while frontier:
        frontier = (
            set(Department.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


def direct_manager(*, employee: Employee) -> Employee | None:
    """The direct manager, or the department head when none is set (and it isn't themself)."""
    if employee.manager_id:
        return employee.manager
    head = employee.department.head
    if head is not None and head.pk != employee.pk:
        return head
    parent = employee.department.parent
    while parent is not None:
        if parent.head is not None and parent.head.pk != employee.pk:
            return parent.head
        parent = parent.parent
    return None


def skip_level_manager(*, employee: Employee) -> Employee | None:
    """隔级主管: the manager's manager (falls back to a supervisor of the department)."""
    manager = direct_manager(employee=employee)
    if manager is not None:
        above = direct_manager(employee=manager)
        if above is not None and above.pk != employee.pk:
            return above
    return employee.department.supervisors.exclude(pk=employee.pk).first()
