"""Role checks shared by every domain, and the export / print rule (seed 000)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from jixiao.web.access._actor import ROLE_NAMES, Actor, UserLike, actor_of, deny, has_role

__all__ = [
    "can_export",
    "has_any_role",
    "require_export",
    "require_gm",
    "require_hr",
    "require_role",
]


def has_any_role(*, user: UserLike, roles: Iterable[str]) -> bool:
    """``roles``: "hr", "gm", "leadership", "working_group"."""
    return has_role(actor_of(user), roles)


def require_role(*, user: UserLike, roles: Iterable[str]) -> Actor:
    actor = actor_of(user)
    roles = frozenset(roles)
    if not has_role(actor, roles):
        allowed = "、".join(str(ROLE_NAMES[r]) for r in sorted(roles))
        deny(_("此操作仅限：%(who)s。") % {"who": allowed})
    return actor


def require_hr(*, user: UserLike) -> Actor:
    actor = actor_of(user)
    if not actor.is_hr:
        deny(_("此操作仅限人事行政。"))
    return actor


def require_gm(*, user: UserLike) -> Actor:
    actor = actor_of(user)
    if not actor.is_gm:
        deny(_("此操作仅限总经理。"))
    return actor


def can_export(*, user: UserLike, employee_id: int | None = None) -> bool:
    """Print/export: own records always; others' only for the GM, leadership or delegates."""
    actor = actor_of(user)
    if employee_id is not None and employee_id == actor.employee_id:
        return True
    return actor.is_gm or actor.is_leadership or actor.is_working_group or actor.delegated_export


def require_export(*, user: UserLike, employee_id: int | None = None) -> None:
    if not can_export(user=user, employee_id=employee_id):
        deny(_("只有总经理、绩效管理领导小组/工作小组或其授权人员可以打印、导出他人的考核资料。"))
