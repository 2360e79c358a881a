"""The audit log: HR and the leadership group read it; nobody changes it."""

from __future__ import annotations

from jixiao.web.access._actor import Actor, UserLike, actor_of, has_role
from jixiao.web.access.roles import require_role

__all__ = ["AUDIT_READERS", "can_read_audit", "require_audit_reader"]

AUDIT_READERS = frozenset({"hr", "leadership"})


def can_read_audit(*, user: UserLike) -> bool:
    return has_role(actor_of(user), AUDIT_READERS)


def require_audit_reader(*, user: UserLike) -> Actor:
    return require_role(user=user, roles=AUDIT_READERS)
