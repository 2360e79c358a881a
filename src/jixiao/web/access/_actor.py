"""Who is asking: the signed-in user with their roles resolved once per request.

Private to the access package: pages, services and selectors never read an actor's roles
themselves; they ask the package's ``access_*`` / ``can_*`` / ``require_*`` functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NoReturn, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.web.org.models import Department, Employee

__all__ = [
    "ROLE_NAMES",
    "Actor",
    "UserLike",
    "actor_of",
    "deny",
    "has_role",
    "may_read",
    "signed_in",
]

UserLike: TypeAlias = AbstractBaseUser | AnonymousUser
"""What ``request.user`` is: the project's user (any ``AbstractBaseUser``) or anonymous."""

ROLE_NAMES = {
    "hr": gettext_lazy("人事行政"),
    "gm": gettext_lazy("总经理"),
    "leadership": gettext_lazy("绩效管理领导小组"),
    "working_group": gettext_lazy("绩效工作小组"),
}


@dataclass(frozen=True)
class Actor:
    """Who is asking, with their roles resolved once per request."""

    user: UserLike
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
    def is_manager(self) -> bool:
        """Reads other people's records: everyone-readers, heads and supervisors."""
        return self.sees_all or self.is_head or self.is_supervisor

    @property
    def managed_departments(self) -> frozenset[int]:
        return self.headed | self.overseen

    @property
    def department_ids(self) -> frozenset[int] | None:
        """Departments whose records this actor may read; ``None`` means all."""
        if self.sees_all:
            return None
        return self.managed_departments

    @property
    def employee_id(self) -> int | None:
        return self.employee.pk if self.employee else None


def signed_in(user: UserLike | None) -> User:
    """``user`` as the project's user model, for a row that records who did something;
    anonymous (or a foreign user class): 403."""
    if isinstance(user, User) and user.is_authenticated:
        return user
    raise PermissionDenied(_("请先登录。"))


def actor_of(user: UserLike | None) -> Actor:
    """Resolve (and cache on the user object) the roles of ``user``; anonymous: 403."""
    cached = getattr(user, "_jixiao_actor", None)
    if isinstance(cached, Actor):
        return cached
    user = signed_in(user)
    emp = Employee.objects.filter(user=user).first()
    superuser = bool(getattr(user, "is_superuser", False))
    if emp is None:
        actor = Actor(user=user, employee=None, is_hr=superuser)
    else:
        actor = Actor(
            user=user,
            employee=emp,
            is_hr=emp.is_hr or superuser,
            is_gm=emp.is_gm,
            is_leadership=emp.is_leadership,
            is_working_group=emp.is_working_group,
            delegated_export=emp.can_export,
            headed=frozenset(Department.objects.filter(head=emp).values_list("pk", flat=True)),
            overseen=frozenset(emp.oversees.values_list("pk", flat=True)),
        )
    setattr(user, "_jixiao_actor", actor)  # noqa: B010 - not a declared attribute of the user
    return actor


def deny(message: str) -> NoReturn:
    """Refuse with 403 and the reason (the 403 page shows it)."""
    raise PermissionDenied(message)


def has_role(actor: Actor, roles: Iterable[str]) -> bool:
    """Whether the actor holds one of ``roles`` (keys of :data:`ROLE_NAMES`)."""
    have = {
        "hr": actor.is_hr,
        "gm": actor.is_gm,
        "leadership": actor.is_leadership,
        "working_group": actor.is_working_group,
    }
    return any(have.get(r, False) for r in roles)


def may_read(actor: Actor, *, employee_id: int, department_id: int) -> bool:
    """Own records; everyone's for HR, GM and the groups; departments headed or overseen."""
    if actor.sees_all or employee_id == actor.employee_id:
        return True
    return department_id in actor.managed_departments


def dept_filter(actor: Actor, prefix: str = "") -> Q:
    """The rows an actor may read: own records plus departments they head or oversee."""
    depts = actor.department_ids
    if depts is None:
        return Q()
    own = Q(**{f"{prefix}pk": actor.employee_id}) if actor.employee_id else Q(pk__in=[])
    return own | Q(**{f"{prefix}department_id__in": depts})
