"""Reads of the audit log (HR browser)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from jixiao.web.audit.models import AuditEntry

__all__ = ["audit_list"]


def audit_list(
    *,
    entity: str = "",
    actor: str = "",
    cycle_id: int | None = None,
    employee_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if entity:
        qs = qs.filter(entity=entity)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    if since is not None:
        qs = qs.filter(at__date__gte=since)
    if until is not None:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")
