"""The audit log is append-only and browsable by HR."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from jixiao.web.audit.models import AuditEntry, AuditImmutableError
from jixiao.web.audit.selectors import audit_list
from jixiao.web.audit.services import audit_record


@pytest.fixture
def entry(org):
    return audit_record(
        actor=org.hr.user,
        entity="rating",
        entity_id=7,
        action="submit",
        before={"score": "3"},
        after={"score": "4"},
        reason="更正",
        cycle_id=1,
        employee_id=org.employee.pk,
    )


def test_entry_records_who_what_why(org, entry):
    assert entry.actor == org.hr.user and entry.actor_name == "李人事"
    assert (entry.entity, entry.entity_id, entry.action) == ("rating", "7", "submit")
    assert entry.before == {"score": "3"} and entry.after == {"score": "4"}
    assert entry.reason == "更正" and entry.at is not None


def test_entries_cannot_be_changed_or_deleted(entry):
    entry.reason = "改掉"
    with pytest.raises(AuditImmutableError, match="只能追加"):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "更正"


def test_admin_is_read_only(org, entry):
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = org.hr.user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_selector_filters(org, entry):
    audit_record(actor=None, entity="cycle", entity_id=1, action="create")
    assert list(audit_list(entity="rating")) == [entry]
    assert list(audit_list(actor="李")) == [entry]
    assert list(audit_list(employee_id=org.employee.pk)) == [entry]
    assert audit_list(entity="cycle").get().actor_name == "系统"


def test_browser_for_hr_with_filters(org, entry):
    c = Client()
    c.force_login(org.hr.user)
    html = c.get(
        reverse("audit:list"), {"entity": "rating", "since": "bad-date", "cycle": "x"}
    ).content.decode()
    assert "rating#7" in html and "更正" in html
    html = c.get(reverse("audit:list"), {"entity": "appeal"}).content.decode()
    assert "rating#7" not in html


def test_browser_forbidden_for_employee(org, entry):
    c = Client()
    c.force_login(org.employee.user)
    assert c.get(reverse("audit:list")).status_code == 403
