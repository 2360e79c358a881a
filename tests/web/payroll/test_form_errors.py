"""Payroll form mistakes re-render the page holding the form with the message next to the
field and what the user typed kept (400)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from jixiao.web.payroll.models import PayPlanVersion, Payslip

from ..factories import make_cycle, walk
from ..formhtml import field_error, form_error, page_errors, the_form, value
from .helpers import KEFU, computed_run, published_plan


def post(user, url: str, data: dict, lang: str = "") -> str:
    c = Client()
    c.force_login(user)
    if lang:
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    r = c.post(url, data)
    assert r.status_code == 400, r.status_code
    return r.content.decode()


@pytest.fixture
def run(org):
    cycle = walk(org, make_cycle(org), "published")
    return computed_run(org, cycle)


def test_new_plan_with_a_taken_code_keeps_the_yaml(org):
    published_plan(org)
    url = reverse("payroll:plan_new")
    data = {"builtin": "", "code": "kefu_zhuanyuan", "name": "客服", "yaml_text": KEFU}
    html = post(org.hr.user, url, data)
    form = the_form(html, url)
    assert "薪酬方案编码“kefu_zhuanyuan”已存在" in field_error(form, "code")
    assert value(form, "yaml_text").strip() == KEFU.strip()
    assert value(form, "name") == "客服"


def test_publishing_an_invalid_plan_lists_every_issue_in_the_publish_form(org):
    c = Client()
    c.force_login(org.hr.user)
    bad = KEFU.replace("kind: per_count", "kind: per_kount", 1)
    c.post(reverse("payroll:plan_new"), {"code": "bad", "yaml_text": bad})
    version = PayPlanVersion.objects.get(plan__code="bad")
    url = reverse("payroll:plan_publish", args=[version.pk])
    html = post(org.hr.user, url, {})
    text = form_error(the_form(html, url))
    assert "薪酬方案有 1 处错误，请改正后再发布。" in text
    assert text.count("components[2]: 未知的组件类型") == 1  # every issue, listed once


def test_saving_a_published_plan_keeps_the_text_typed(org):
    version = published_plan(org)
    url = reverse("payroll:plan_version", args=[version.pk])
    html = post(org.hr.user, url, {"yaml_text": "name: 改过"})
    # a published version has no editor any more: the message is at the top of the page
    assert "已发布，不能再修改" in page_errors(html)


def test_run_forms(org, run):
    url = reverse("payroll:run_input_set", args=[run.pk])
    data = {"employee": "E999", "column": "个人销售额", "value": "100", "reason": "补录"}
    html = post(org.hr.user, url, data)
    form = the_form(html, url)
    assert field_error(form, "employee") == "没有工号为“E999”的员工。"
    assert {k: value(form, k) for k in data} == data
    html = post(org.hr.user, url, {**data, "employee": org.employee.number, "value": "很多"})
    form = the_form(html, url)
    assert field_error(form, "value") == "“个人销售额”应是数字，收到的是“很多”。"
    url = reverse("payroll:run_inputs", args=[run.pk])
    html = post(org.hr.user, url, {})
    assert field_error(the_form(html, url), "file") == "请选择要上传的工资输入文件（CSV 或 XLSX）。"


def test_new_run_without_a_version(org, run):
    url = reverse("payroll:run_new", args=[run.cycle_id])
    html = post(org.hr.user, url, {"version": "", "name": "十月工资"})
    form = the_form(html, url)
    assert field_error(form, "version") == "请选择一个已发布的薪酬方案版本。"
    assert value(form, "name") == "十月工资"


def test_adjustment_amount_next_to_the_field_in_both_languages(org, run):
    slip = Payslip.objects.get(run=run, employee=org.employee)
    url = reverse("payroll:slip_adjust", args=[slip.pk])
    page = _logged_in(org.hr.user).get(reverse("payroll:slip", args=[slip.pk])).content.decode()
    component = the_form(page, url).find_all("option")[0].attrs["value"]
    data = {"component": component, "amount": "一百", "reason": "好评奖励"}
    html = post(org.hr.user, url, data)
    form = the_form(html, url)
    assert field_error(form, "amount") == (
        "“金额（奖励填正数、处罚填负数）”应是数字，收到的是“一百”。"
    )
    assert {k: value(form, k) for k in data} == data
    html = post(org.hr.user, url, data, lang="en")
    assert field_error(the_form(html, url), "amount") == (
        '"amount (a reward positive, a penalty negative)" must be a number, got "一百".'
    )


def _logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c
