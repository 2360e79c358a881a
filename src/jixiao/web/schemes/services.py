"""Writes for schemes: create, edit a draft, publish (freeze), start a new draft version."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jixiao.web.access import UserLike, require_scheme_admin
from jixiao.web.document_versions import (
    document_create,
    version_new_draft,
    version_publish,
    version_update,
)
from jixiao.web.errors import DocumentInvalidError, WebError
from jixiao.web.schemes.models import Scheme, SchemeVersion
from jixiao.web.schemes.validation import validate_yaml

__all__ = [
    "SchemeError",
    "SchemeInvalidError",
    "scheme_create",
    "scheme_version_new_draft",
    "scheme_version_publish",
    "scheme_version_update",
]


class SchemeError(WebError):
    """A request the scheme rules refuse; the message says what to do instead."""


class SchemeInvalidError(DocumentInvalidError):
    """A scheme that cannot be published."""

    detailed = _("方案有错误，请改正后再发布：%(lines)s")
    counted = _("方案有 %(n)s 处错误，请改正后再发布。")


@transaction.atomic
def scheme_create(*, user: UserLike, code: str, name: str, yaml_text: str) -> SchemeVersion:
    require_scheme_admin(user=user)
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise SchemeError(_("请填写方案编码（或在 YAML 中写 code:）。"), field="code")

    def taken() -> SchemeError:
        return SchemeError(
            _("方案编码“%(code)s”已存在，请换一个编码，或打开该方案新建版本。"),
            params={"code": code},
            field="code",
        )

    version = document_create(
        actor=user,
        model=Scheme,
        code=code,
        name=name,
        yaml_text=yaml_text,
        entity="scheme",
        taken=taken,
    )
    assert isinstance(version, SchemeVersion)  # the document's own version model
    return version


@transaction.atomic
def scheme_version_update(
    *, user: UserLike, version: SchemeVersion, yaml_text: str
) -> SchemeVersion:
    require_scheme_admin(user=user)
    return version_update(actor=user, version=version, yaml_text=yaml_text, entity="scheme_version")


def _publishable(yaml_text: str) -> dict[str, object]:
    messages, checked = validate_yaml(yaml_text)
    if any(m.level == "error" for m in messages):
        raise SchemeInvalidError(messages)
    return {"engine_checked": checked}


@transaction.atomic
def scheme_version_publish(*, user: UserLike, version: SchemeVersion) -> SchemeVersion:
    require_scheme_admin(user=user)
    return version_publish(actor=user, version=version, entity="scheme_version", check=_publishable)


@transaction.atomic
def scheme_version_new_draft(*, user: UserLike, scheme: Scheme) -> SchemeVersion:
    """A new draft copied from the latest version (the way to change a published scheme)."""
    require_scheme_admin(user=user)
    draft = version_new_draft(actor=user, document=scheme, entity="scheme_version")
    assert isinstance(draft, SchemeVersion)
    return draft
