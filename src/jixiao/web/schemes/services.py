"""Writes for schemes: create, edit a draft, publish (freeze), start a new draft version."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from jixiao.web.audit.services import audit_record
from jixiao.web.document_versions import version_new_draft, version_publish, version_update
from jixiao.web.schemes.models import Scheme, SchemeVersion
from jixiao.web.schemes.validation import validate_yaml

__all__ = [
    "SchemeInvalidError",
    "scheme_create",
    "scheme_version_new_draft",
    "scheme_version_publish",
    "scheme_version_update",
]


class SchemeInvalidError(ValueError):
    def __init__(self, messages: list) -> None:
        self.messages = messages
        lines = "；".join(f"{m.path}: {m.message}" for m in messages if m.level == "error")
        super().__init__(f"方案有错误，请改正后再发布：{lines}")


@transaction.atomic
def scheme_create(
    *, actor: AbstractBaseUser | None, code: str, name: str, yaml_text: str
) -> SchemeVersion:
    scheme = Scheme.objects.create(code=code, name=name)
    version = SchemeVersion.objects.create(scheme=scheme, number=1, yaml_text=yaml_text)
    audit_record(
        actor=actor,
        entity="scheme",
        entity_id=scheme.pk,
        action="create",
        after={"code": code, "name": name, "version": 1},
    )
    return version


@transaction.atomic
def scheme_version_update(
    *, actor: AbstractBaseUser | None, version: SchemeVersion, yaml_text: str
) -> SchemeVersion:
    return version_update(
        actor=actor, version=version, yaml_text=yaml_text, entity="scheme_version"
    )


def _publishable(yaml_text: str) -> dict[str, object]:
    messages, checked = validate_yaml(yaml_text)
    if any(m.level == "error" for m in messages):
        raise SchemeInvalidError(messages)
    return {"engine_checked": checked}


@transaction.atomic
def scheme_version_publish(
    *, actor: AbstractBaseUser | None, version: SchemeVersion
) -> SchemeVersion:
    return version_publish(
        actor=actor, version=version, entity="scheme_version", check=_publishable
    )


@transaction.atomic
def scheme_version_new_draft(*, actor: AbstractBaseUser | None, scheme: Scheme) -> SchemeVersion:
    """A new draft copied from the latest version (the way to change a published scheme)."""
    draft = version_new_draft(actor=actor, document=scheme, entity="scheme_version")
    assert isinstance(draft, SchemeVersion)
    return draft
