"""Scheme form mistakes re-render the page holding the form with the message next to the field
and the YAML the user typed kept (400)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from jixiao.web.schemes.models import SchemeVersion
from jixiao.web.schemes.services import scheme_create

from ..factories import sample_yaml
from ..formhtml import field_error, form_error, the_form, value
from .test_schemes import BAD


def hr(org) -> Client:
    c = Client()
    c.force_login(org.hr.user)
    return c


def test_new_scheme_with_a_taken_code_keeps_the_yaml(org):
    scheme_create(user=org.hr.user, code="g", name="通用", yaml_text=sample_yaml())
    url = reverse("schemes:new")
    data = {"template": "", "code": "g", "name": "另一个", "yaml_text": sample_yaml()}
    r = hr(org).post(url, data)
    assert r.status_code == 400
    form = the_form(r.content.decode(), url)
    assert field_error(form, "code") == "方案编码“g”已存在，请换一个编码，或打开该方案新建版本。"
    assert value(form, "yaml_text").strip() == sample_yaml().strip()
    assert value(form, "name") == "另一个"


def test_unreadable_yaml_is_next_to_the_editor(org):
    url = reverse("schemes:new")
    r = hr(org).post(url, {"template": "", "code": "z", "yaml_text": "a: ["})
    form = the_form(r.content.decode(), url)
    assert field_error(form, "yaml_text").startswith("方案无法读取：")
    assert value(form, "yaml_text") == "a: [" and value(form, "code") == "z"


def test_publish_lists_the_issues_and_save_after_publish_is_refused(org):
    v = scheme_create(user=org.hr.user, code="b", name="坏", yaml_text=BAD)
    url = reverse("schemes:publish", args=[v.pk])
    r = hr(org).post(url)
    assert r.status_code == 400
    text = form_error(the_form(r.content.decode(), url))
    assert "方案有 1 处错误，请改正后再发布。" in text and "100%" in text
    assert not SchemeVersion.objects.get(pk=v.pk).is_published


def test_failed_save_keeps_the_typed_text_and_checks_it(org):
    v = scheme_create(user=org.hr.user, code="g", name="通用", yaml_text=sample_yaml())
    url = reverse("schemes:version", args=[v.pk])
    r = hr(org).post(url, {"yaml_text": "x" * 200_001})
    assert r.status_code == 400
    form = the_form(r.content.decode(), url)
    assert field_error(form, "yaml_text") == "方案文本过长（超过 200 KB），请精简后再保存。"
    assert value(form, "yaml_text") == "x" * 200_001
    # the validation below the editor checks the text shown, not the stored one
    assert "方案应是一个 YAML 映射" in r.content.decode()
