"""Schemes as versioned YAML documents validated by the engine; published versions are frozen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.engine import SchemeError
from jixiao.web.schemes.models import Scheme, SchemeFrozenError, SchemeVersion
from jixiao.web.schemes.services import (
    SchemeInvalidError,
    scheme_create,
    scheme_version_new_draft,
    scheme_version_publish,
    scheme_version_update,
)
from jixiao.web.schemes.templates_lib import builtin_templates
from jixiao.web.schemes.validation import (
    compiled_scheme,
    scheme_heading,
    scheme_outline,
    validate_yaml,
)

from ..factories import sample_yaml

BAD = sample_yaml().replace("30%, peer: 50%", "30%, peer: 60%")


def test_builtin_templates_are_valid():
    templates = builtin_templates()
    assert {t.key for t in templates} >= {
        "sample:general-monthly",
        "sample:ops-monthly",
        "sample:cs-monthly",
    }
    for t in templates:
        messages, checked = validate_yaml(t.yaml_text)
        assert checked and not [m for m in messages if m.level == "error"], t.key


def test_engine_messages_for_bad_scheme():
    messages, checked = validate_yaml(BAD)
    assert checked
    errors = [m for m in messages if m.level == "error"]
    assert errors and "raters" in errors[0].path and "100%" in errors[0].message


def test_yaml_syntax_error_located():
    messages, _ = validate_yaml("code: [x\nname: y")
    assert messages[0].level == "error" and "行" in messages[0].path


def test_publish_freezes(org):
    v = scheme_create(user=org.hr.user, code="g", name="通用", yaml_text=sample_yaml())
    v = scheme_version_publish(user=org.hr.user, version=v)
    assert v.is_published
    with pytest.raises(SchemeFrozenError, match="另存为新版本"):
        scheme_version_update(user=org.hr.user, version=v, yaml_text="x")
    v.yaml_text = "sneaky"
    with pytest.raises(SchemeFrozenError):
        v.save()
    with pytest.raises(SchemeFrozenError):
        v.delete()
    draft = scheme_version_new_draft(user=org.hr.user, scheme=v.scheme)
    assert draft.number == 2 and draft.yaml_text == sample_yaml() and not draft.is_published
    assert scheme_version_new_draft(user=org.hr.user, scheme=v.scheme) == draft


def test_publish_refuses_errors(org):
    v = scheme_create(user=org.hr.user, code="b", name="坏", yaml_text=BAD)
    with pytest.raises(SchemeInvalidError, match="请改正后再发布"):
        scheme_version_publish(user=org.hr.user, version=v)
    assert not SchemeVersion.objects.get(pk=v.pk).is_published


def test_outline():
    o = scheme_outline(sample_yaml("ops-monthly"))
    assert o.positions == ("Y-1", "Y-2") and "sales_target" in o.targets
    assert [i.code for i in o.rating_items] == ["teamwork"]
    assert o.rating_items[0].rating_roles == {"self", "peer", "manager"}
    assert o.rating_items[0].rating_max == 40  # no scale: raters score 0..points


def test_outline_is_compiled_once_per_text():
    text = sample_yaml("ops-monthly")
    # Every rating submit reads the outline: it comes from the compiled scheme, cached by text.
    assert compiled_scheme(text) is compiled_scheme(text)
    assert scheme_outline(text) is scheme_outline(text)
    assert scheme_outline(text).code == compiled_scheme(text).scheme.code
    changed = text.replace("name: 团队协作", "name: 协作")
    assert scheme_outline(changed).rating_items[0].name == "协作"


def test_outline_of_a_scheme_with_errors_is_refused_but_a_draft_heading_reads():
    with pytest.raises(SchemeError):
        scheme_outline(BAD)
    assert scheme_heading("code: x\nname: 某方案\n") == ("x", "某方案")
    with pytest.raises(ValueError):
        scheme_heading("- just\n- a list\n")


def test_pages(org):
    c = Client()
    c.force_login(org.hr.user)
    assert "内置模板" in c.get(reverse("schemes:list")).content.decode()
    r = c.post(reverse("schemes:new"), {"template": "sample:ops-monthly"})
    assert r.status_code == 302
    v = SchemeVersion.objects.get(scheme__code="ops-monthly")
    r = c.post(reverse("schemes:new"), {"template": "sample:ops-monthly"})
    assert r.status_code == 400 and "已存在" in r.content.decode()
    r = c.post(reverse("schemes:new"), {"template": "lib:copywriter_c1"})
    assert r.status_code == 302 and Scheme.objects.filter(code="copywriter_c1").exists()
    r = c.post(reverse("schemes:new"), {"template": "sample:nope"})
    assert r.status_code == 400
    # HTMX validation of unsaved text
    r = c.post(reverse("schemes:validate", args=[v.pk]), {"yaml_text": BAD}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "100%" in r.content.decode()
    r = c.post(reverse("schemes:version", args=[v.pk]), {"yaml_text": BAD})
    assert r.status_code == 302
    r = c.post(reverse("schemes:publish", args=[v.pk]))
    assert r.status_code == 400 and "请改正后再发布" in r.content.decode()
    c.post(reverse("schemes:version", args=[v.pk]), {"yaml_text": sample_yaml("ops-monthly")})
    assert c.post(reverse("schemes:publish", args=[v.pk])).status_code == 302
    r = c.post(reverse("schemes:version", args=[v.pk]), {"yaml_text": "x"})
    assert r.status_code == 400 and "已发布" in r.content.decode()
    r = c.post(reverse("schemes:new_draft", args=[v.pk]))
    assert r.status_code == 302 and Scheme.objects.get(code="ops-monthly").versions.count() == 2
    assert c.post(reverse("schemes:new"), {"yaml_text": "a: [", "code": "z"}).status_code == 400


def test_pages_refused_for_non_hr(org):
    v = scheme_create(user=org.hr.user, code="g", name="通用", yaml_text=sample_yaml())
    c = Client()
    c.force_login(org.gm.user)
    assert c.post(reverse("schemes:publish", args=[v.pk])).status_code == 403
    assert c.post(reverse("schemes:validate", args=[v.pk]), {"yaml_text": ""}).status_code == 403
