"""The one helper every change goes through to leave an audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Model, QuerySet

from jixiao.web.audit.models import AuditEntry

__all__ = ["audit_record", "jsonable"]


def jsonable(value: Any) -> Any:
    """Make values JSON-safe (Decimals, dates, nested containers)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, QuerySet):
        return [jsonable(v) for v in value]
    return str(value)


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    entity: str,
    entity_id: Any = "",
    action: str,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    cycle_id: int | None = None,
    employee_id: int | None = None,
) -> AuditEntry:
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    name = ""
    if user is not None:
        emp = getattr(user, "employee", None)
        name = emp.name if emp is not None else user.get_username()
    return AuditEntry.objects.create(
        actor=user,
        actor_name=name or "系统",
        entity=entity,
        entity_id=str(entity_id),
        action=action,
        before=jsonable(before),
        after=jsonable(after),
        reason=reason,
        cycle_id=cycle_id,
        employee_id=employee_id,
    )
