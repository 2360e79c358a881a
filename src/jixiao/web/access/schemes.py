"""Schemes (考核方案): HR writes and publishes them; cycles pin published versions."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.web.access._actor import Actor, UserLike, actor_of
from jixiao.web.access.roles import require_role
from jixiao.web.schemes.models import SchemeVersion

__all__ = ["access_scheme_version", "can_manage_schemes", "require_scheme_admin"]


def can_manage_schemes(*, user: UserLike) -> bool:
    return actor_of(user).is_hr


def require_scheme_admin(*, user: UserLike) -> Actor:
    return require_role(user=user, roles={"hr"})


def access_scheme_version(*, user: UserLike, version_id: int) -> SchemeVersion:
    """A scheme version, for HR (who edit schemes and pin them to cycles)."""
    require_scheme_admin(user=user)
    version = SchemeVersion.objects.select_related("scheme").filter(pk=version_id).first()
    if version is None:
        raise Http404(_("没有这个方案版本。"))
    return version
