"""Organisation services and selectors."""

from __future__ import annotations

import pytest

from jixiao.web.audit.models import AuditEntry
from jixiao.web.org.models import Employee, ShopAccount
from jixiao.web.org.selectors import (
    department_descendant_ids,
    direct_manager,
    employee_list,
    skip_level_manager,
)
from jixiao.web.org.services import (
    employee_create,
    employee_set_login,
    employee_update,
    parse_shop_account,
    shop_account_add,
)


def test_new_hire_defaults_to_normal_level(org):
    e = employee_create(user=org.hr.user, number="E099", name="新人", department=org.ops)
    assert e.level.name == "普通"
    assert AuditEntry.objects.filter(entity="employee", action="create", entity_id=str(e.pk))


def test_update_is_audited_and_validated(org):
    employee_update(
        user=org.hr.user, employee=org.employee, level=org.levels["中级"], reason="晋升"
    )
    entry = AuditEntry.objects.get(entity="employee", action="update")
    assert entry.before["level"] != entry.after["level"] and entry.reason == "晋升"
    with pytest.raises(TypeError):
        employee_update(user=org.hr.user, employee=org.employee, number="X")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("旗舰店:小冰", ("旗舰店", "小冰")), ("旗舰店：小冰 ", ("旗舰店", "小冰"))],
)
def test_parse_shop_account(text, expected):
    assert parse_shop_account(text) == expected


@pytest.mark.parametrize("text", ["小冰", ":小冰", "旗舰店:", ""])
def test_parse_shop_account_bad(text):
    with pytest.raises(ValueError, match="店铺:子账号"):
        parse_shop_account(text)


def test_shop_account_add(org):
    acc = shop_account_add(user=org.hr.user, employee=org.employee, account="旗舰店:小冰")
    assert str(acc) == "旗舰店:小冰" and ShopAccount.objects.count() == 1


def test_set_login(org):
    e = employee_create(user=org.hr.user, number="E100", name="无账号", department=org.cs)
    user = employee_set_login(
        user=org.hr.user, employee=e, username="e100", password="a-long-password-1"
    )
    assert user.check_password("a-long-password-1") and Employee.objects.get(pk=e.pk).user


def test_managers(org):
    assert direct_manager(employee=org.employee) == org.head
    assert skip_level_manager(employee=org.employee) == org.supervisor
    assert direct_manager(employee=org.gm) is None
    assert department_descendant_ids(department=org.office) == {
        org.office.pk,
        org.ops.pk,
        org.cs.pk,
    }
    assert employee_list(department_ids={org.cs.pk}).count() == 2


def test_manager_falls_back_to_department_head(org):
    e = employee_create(user=org.hr.user, number="E101", name="无上级", department=org.cs)
    assert direct_manager(employee=e) == org.cs_head


def test_admin_changes_are_audited(org):
    from django.test import Client
    from django.urls import reverse

    org.hr.user.is_staff = org.hr.user.is_superuser = True
    org.hr.user.save()
    c = Client()
    c.force_login(org.hr.user)
    url = reverse("admin:org_level_change", args=[org.levels["普通"].pk])
    r = c.post(
        url,
        {
            "code": "normal",
            "name": "普通",
            "rank": 1,
            "base_pay": "3200",
            "commission_points": "1.0",
            "is_default": "on",
        },
    )
    assert r.status_code == 302
    entry = AuditEntry.objects.get(entity="level", action="admin_change")
    assert entry.after["base_pay"] == "3200" and entry.actor == org.hr.user
    assert c.get(reverse("admin:org_employee_changelist")).status_code == 200
    assert c.get(reverse("admin:audit_auditentry_changelist")).status_code == 200


def test_employee_page_shows_shop_accounts(org):
    from django.test import Client
    from django.urls import reverse

    shop_account_add(user=org.hr.user, employee=org.employee, account="旗舰店:小冰")
    c = Client()
    c.force_login(org.head.user)
    html = c.get(reverse("cycles:employee", args=[org.employee.pk])).content.decode()
    assert "旗舰店:小冰" in html
