"""Data import (web upload of platform exports): HR, department heads and supervisors.

A head or supervisor imports data for the people they manage (``metric_set`` rules), sees the
batches they uploaded and maps shop sub-accounts for their departments' staff; HR all of it.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.web.access._actor import Actor, UserLike, actor_of, deny
from jixiao.web.cycles.models import Cycle
from jixiao.web.imports.models import ImportBatch
from jixiao.web.org.models import Employee

__all__ = [
    "access_import_batch",
    "can_import_data",
    "mappable_employees",
    "require_import_data",
    "upload_limit",
    "visible_import_batches",
]


def upload_limit(*, user: UserLike) -> int:
    """The largest upload (bytes) this user may send (``JIXIAO_UPLOAD_MAX_BYTES``)."""
    limits = settings.JIXIAO_UPLOAD_MAX_BYTES
    actor = actor_of(user)
    return int(limits["hr"] if actor.is_hr or actor.sees_all else limits["manager"])


def _imports(actor: Actor) -> bool:
    return actor.is_hr or actor.is_head or actor.is_supervisor


def can_import_data(*, user: UserLike) -> bool:
    """HR, department heads and supervisors enter measured data (as ``metric_set`` allows)."""
    return _imports(actor_of(user))


def require_import_data(*, user: UserLike, employee: Employee | None = None) -> Actor:
    """Who may upload exports; with ``employee``: who may map a sub-account to that person."""
    actor = actor_of(user)
    if not _imports(actor):
        deny(_("只有人事行政、部门负责人或分管领导可以导入数据。"))
    if employee is not None and not (
        actor.is_hr or employee.department_id in actor.managed_departments
    ):
        deny(_("您只能为本部门（或分管部门）的员工设置店铺子账号。"))
    return actor


def access_import_batch(*, user: UserLike, batch_id: int) -> ImportBatch:
    """An import batch: HR sees every batch, a head or supervisor only the ones they uploaded."""
    actor = actor_of(user)
    # the stored file is read only by the services that need it (commit, refresh)
    batch = ImportBatch.objects.select_related("cycle").defer("content").filter(pk=batch_id).first()
    if batch is None:
        raise Http404(_("没有这个导入批次。"))
    if not (actor.is_hr or (_imports(actor) and batch.uploaded_by_id == user.pk)):
        deny(_("您无权查看这个导入批次：只有上传人和人事行政可以查看。"))
    return batch


def visible_import_batches(*, user: UserLike, cycle: Cycle) -> QuerySet[ImportBatch]:
    """HR sees every batch of the cycle; heads and supervisors the ones they uploaded."""
    actor = actor_of(user)
    qs = ImportBatch.objects.filter(cycle=cycle)
    return qs if actor.is_hr else qs.filter(uploaded_by_id=user.pk)


def mappable_employees(*, user: UserLike) -> QuerySet[Employee]:
    """Employees this person may give a shop sub-account to (HR: all; heads: their departments)."""
    actor = actor_of(user)
    qs = Employee.objects.exclude(status=Employee.Status.LEFT)
    if actor.is_hr:
        return qs
    return qs.filter(department_id__in=actor.managed_departments)
