"""Writes for the organisation: departments, employees, logins, shop sub-accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from jixiao.web.access import UserLike, require_org_admin
from jixiao.web.audit.services import audit_record
from jixiao.web.org.models import Department, Employee, Level, Position, ShopAccount

__all__ = [
    "department_create",
    "employee_create",
    "employee_set_login",
    "employee_update",
    "parse_shop_account",
    "shop_account_add",
]

_EMPLOYEE_FIELDS = (
    "name",
    "department",
    "position",
    "level",
    "manager",
    "hire_date",
    "status",
    "is_hr",
    "is_gm",
    "is_leadership",
    "is_working_group",
    "can_export",
)


def _snapshot(emp: Employee) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in _EMPLOYEE_FIELDS:
        v = (
            getattr(emp, f + "_id", None)
            if f in {"department", "position", "level", "manager"}
            else getattr(emp, f)
        )
        out[f] = v
    return out


@transaction.atomic
def department_create(
    *,
    user: UserLike,
    code: str,
    name: str,
    parent: Department | None = None,
    head: Employee | None = None,
) -> Department:
    require_org_admin(user=user)
    dept = Department.objects.create(code=code, name=name, parent=parent, head=head)
    audit_record(
        actor=user,
        entity="department",
        entity_id=dept.pk,
        action="create",
        after={"code": code, "name": name, "parent": parent.pk if parent else None},
    )
    return dept


def default_level() -> Level | None:
    """A new hire starts at the default level (普通)."""
    return (
        Level.objects.filter(is_default=True).first() or Level.objects.filter(name="普通").first()
    )


@transaction.atomic
def employee_create(
    *,
    user: UserLike,
    number: str,
    name: str,
    department: Department,
    position: Position | None = None,
    level: Level | None = None,
    manager: Employee | None = None,
    hire_date: dt.date | None = None,
    **roles: bool,
) -> Employee:
    require_org_admin(user=user)
    unknown = set(roles) - {"is_hr", "is_gm", "is_leadership", "is_working_group", "can_export"}
    if unknown:
        raise TypeError(f"unknown role flags: {sorted(unknown)}")
    emp = Employee.objects.create(
        number=number,
        name=name,
        department=department,
        position=position,
        level=level or default_level(),
        manager=manager,
        hire_date=hire_date,
        **roles,
    )
    audit_record(
        actor=user,
        entity="employee",
        entity_id=emp.pk,
        action="create",
        after=_snapshot(emp),
        employee_id=emp.pk,
    )
    return emp


@transaction.atomic
def employee_update(
    *, user: UserLike, employee: Employee, reason: str = "", **changes: Any
) -> Employee:
    require_org_admin(user=user)
    bad = set(changes) - set(_EMPLOYEE_FIELDS)
    if bad:
        raise TypeError(f"cannot change {sorted(bad)}")
    before = _snapshot(employee)
    for k, v in changes.items():
        setattr(employee, k, v)
    employee.full_clean(exclude=["user"])
    employee.save()
    audit_record(
        actor=user,
        entity="employee",
        entity_id=employee.pk,
        action="update",
        before=before,
        after=_snapshot(employee),
        reason=reason,
        employee_id=employee.pk,
    )
    return employee


@transaction.atomic
def employee_set_login(
    *, user: UserLike, employee: Employee, username: str, password: str
) -> AbstractBaseUser:
    """Create or reset the employee's login."""
    require_org_admin(user=user)
    User = get_user_model()
    login = employee.user
    if login is None:
        login = User.objects.create_user(username=username, password=password)
        employee.user = login
        employee.save(update_fields=["user"])
    else:
        login.username = username
        login.set_password(password)
        login.save()
    audit_record(
        actor=user,
        entity="employee",
        entity_id=employee.pk,
        action="set_login",
        after={"username": username},
        employee_id=employee.pk,
    )
    return login


def parse_shop_account(text: str) -> tuple[str, str]:
    """``旗舰店:小冰`` (or full-width colon) → ("旗舰店", "小冰")."""
    raw = (text or "").strip().replace("：", ":")
    shop, sep, nick = raw.partition(":")
    if not sep or not shop.strip() or not nick.strip():
        raise ValueError(f"子账号“{text}”格式不对，应写成“店铺:子账号”，例如“旗舰店:小冰”。")
    return shop.strip(), nick.strip()


@transaction.atomic
def shop_account_add(*, user: UserLike, employee: Employee, account: str) -> ShopAccount:
    require_org_admin(user=user)
    shop, nick = parse_shop_account(account)
    acc = ShopAccount.objects.create(employee=employee, shop=shop, nick=nick)
    audit_record(
        actor=user,
        entity="shop_account",
        entity_id=acc.pk,
        action="create",
        after={"account": str(acc)},
        employee_id=employee.pk,
    )
    return acc
