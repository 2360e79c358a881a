"""Writes for schemes: create, edit a draft, publish (freeze), start a new draft version."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jixiao.web.audit.services import audit_record
from jixiao.web.schemes.models import Scheme, SchemeFrozenError, SchemeVersion
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
    version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise SchemeFrozenError(version)
    before = version.yaml_text
    version.yaml_text = yaml_text
    version.save(update_fields=["yaml_text"])
    audit_record(
        actor=actor,
        entity="scheme_version",
        entity_id=version.pk,
        action="update",
        before={"yaml": before},
        after={"yaml": yaml_text},
    )
    return version


@transaction.atomic
def scheme_version_publish(
    *, actor: AbstractBaseUser | None, version: SchemeVersion
) -> SchemeVersion:
    version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise SchemeFrozenError(version)
    messages, checked = validate_yaml(version.yaml_text)
    if any(m.level == "error" for m in messages):
        raise SchemeInvalidError(messages)
    version.status = SchemeVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        actor=actor,
        entity="scheme_version",
        entity_id=version.pk,
        action="publish",
        after={"number": version.number, "engine_checked": checked},
    )
    return version


@transaction.atomic
def scheme_version_new_draft(*, actor: AbstractBaseUser | None, scheme: Scheme) -> SchemeVersion:
    """A new draft copied from the latest version (the way to change a published scheme)."""
    latest = scheme.versions.order_by("-number").first()
    if latest is not None and not latest.is_published:
        return latest
    number = (scheme.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = SchemeVersion.objects.create(
        scheme=scheme, number=number, yaml_text=latest.yaml_text if latest else ""
    )
    audit_record(
        actor=actor,
        entity="scheme_version",
        entity_id=version.pk,
        action="new_draft",
        after={"number": number},
    )
    return version
