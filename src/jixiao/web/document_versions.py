"""The life of a versioned document's versions (schemes, pay plans): edit a draft, publish it
(frozen from then on), start a new draft from the latest version. Every step is audited.

Each app's services wrap these with its own permission check and validation, so the rules
of the lifecycle live in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Max
from django.utils import timezone

from jixiao.web.access import UserLike, signed_in
from jixiao.web.audit.services import audit_record
from jixiao.web.documents import Document, DocumentStatus, DocumentVersion
from jixiao.web.locking import unique_or

V = TypeVar("V", bound=DocumentVersion)


def _locked(version: V) -> V:
    locked = type(version).objects.select_for_update().get(pk=version.pk)  # type: ignore[attr-defined]
    if locked.is_published:
        raise locked.frozen_error()
    return locked


def version_update(*, actor: UserLike, version: V, yaml_text: str, entity: str) -> V:
    """Replace a draft's YAML; a published version refuses."""
    version = _locked(version)
    before = version.yaml_text
    version.yaml_text = yaml_text
    version.save(update_fields=["yaml_text"])
    audit_record(
        actor=actor,
        entity=entity,
        entity_id=version.pk,
        action="update",
        before={"yaml": before},
        after={"yaml": yaml_text},
    )
    return version


def version_publish(
    *, actor: UserLike, version: V, entity: str, check: Callable[[str], dict[str, Any]]
) -> V:
    """Freeze a draft. ``check`` validates the YAML (raising the app's error when it is not
    publishable) and returns what the audit entry should record about the check."""
    version = _locked(version)
    checked = check(version.yaml_text)
    version.status = DocumentStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = signed_in(actor)
    version.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        actor=actor,
        entity=entity,
        entity_id=version.pk,
        action="publish",
        after={"number": version.number, **checked},
    )
    return version


def document_create(
    *,
    actor: UserLike,
    model: type[Document],
    code: str,
    name: str,
    yaml_text: str,
    entity: str,
    taken: Callable[[], Exception],
) -> DocumentVersion:
    """A new document ``code`` with its first draft ``yaml_text``; a taken code (also the same
    form posted twice at once) raises ``taken()``, the app's message."""
    if model._default_manager.filter(code=code).exists():
        raise taken()
    with unique_or(taken):
        document = model._default_manager.create(code=code, name=name or code)
    version = document.versions.create(number=1, yaml_text=yaml_text)  # type: ignore[attr-defined]
    audit_record(
        actor=actor,
        entity=entity,
        entity_id=document.pk,
        action="create",
        after={"code": code, "name": document.name, "version": 1},
    )
    return version


def version_new_draft(*, actor: UserLike, document: Document, entity: str) -> DocumentVersion:
    """A new draft copied from the latest version (the way to change a published document);
    an existing draft is returned as it is."""
    # identical posts wait for the first one here; then they find its draft and return it
    document = type(document)._default_manager.select_for_update().get(pk=document.pk)  # type: ignore[attr-defined]
    versions = document.versions  # type: ignore[attr-defined]
    latest = versions.order_by("-number").first()
    if latest is not None and not latest.is_published:
        return latest
    number = (versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = versions.create(number=number, yaml_text=latest.yaml_text if latest else "")
    audit_record(
        actor=actor,
        entity=entity,
        entity_id=version.pk,
        action="new_draft",
        after={"code": document.code, "number": number},
    )
    return version
