"""Hostile uploads and documents through the web, the path a user takes: refused with a
message (never a 500), before any spreadsheet parser runs (memory stays small), nothing saved."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from files.helpers import (
    assert_bounded,
    billion_laughs,
    deep_yaml,
    far_cell,
    measured,
    zip_bomb,
)

from jixiao.web.cycles.models import MetricValue
from jixiao.web.imports.models import ImportBatch
from jixiao.web.payroll.models import PayInput, PayPlan, PayPlanVersion, PayrollRun
from jixiao.web.schemes.models import Scheme, SchemeVersion

from ..factories import client_for, make_cycle, sample_yaml, walk
from ..payroll.helpers import KEFU, published_plan

MB = 2**20
HOSTILE_FILES = {"bomb": (zip_bomb, "压缩炸弹"), "far": (far_cell, "数据区域为 200001 行")}
HOSTILE_DOCS = {
    "laughs": (billion_laughs(), "展开别名后超过"),
    "deep": (deep_yaml(), "嵌套超过 64 层"),
}
# Nested within the depth limit: the loader accepts it; the editors must still answer.
NESTED = (
    "code: x\nname: y\ndimensions: " + "[" * 30 + "]" * 30 + "\ncomponents: " + "[" * 30 + "]" * 30
)


@pytest.fixture
def payroll_run(org):
    cycle = walk(org, make_cycle(org), "published")
    version = published_plan(org)
    hr = client_for(org.hr.user)
    hr.post(reverse("payroll:run_new", args=[cycle.pk]), {"version": version.pk})
    return PayrollRun.objects.get()


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_pay_input_upload_refuses_hostile_workbooks(org, payroll_run, no_parse, kind):
    make, message = HOSTILE_FILES[kind]
    upload = SimpleUploadedFile("工资输入.xlsx", make())
    hr = client_for(org.hr.user)
    r, peak, grown = measured(
        lambda: hr.post(reverse("payroll:run_inputs", args=[payroll_run.pk]), {"file": upload})
    )
    assert r.status_code == 400
    assert message in r.content.decode() and "工资输入.xlsx" in r.content.decode()
    assert not PayInput.objects.exists()
    assert_bounded(peak, grown)


@pytest.mark.parametrize("kind", HOSTILE_FILES)
@pytest.mark.parametrize(
    ("url", "name"), [("cycles:import", "d.xlsx"), ("imports:upload", "报表.xlsx")]
)
def test_data_imports_refuse_hostile_workbooks(org, no_parse, kind, url, name):
    """The metrics CSV / XLSX import and the platform export upload."""
    make, message = HOSTILE_FILES[kind]
    cycle = walk(org, make_cycle(org), "running")
    hr = client_for(org.hr.user)
    upload = SimpleUploadedFile(name, make())
    r, peak, grown = measured(lambda: hr.post(reverse(url, args=[cycle.pk]), {"file": upload}))
    assert r.status_code == 400 and message in r.content.decode() and name in r.content.decode()
    assert not ImportBatch.objects.exists() and not MetricValue.objects.exists()
    assert_bounded(peak, grown)


EDITORS = {
    "scheme": ("schemes:validate", "schemes:version", "schemes:new", 400),
    "payplan": ("payroll:plan_validate", "payroll:plan_version", "payroll:plan_new", 400),
}


def _draft(org, editor: str):
    """A draft version in ``editor`` and the queryset of its documents."""
    if editor == "scheme":
        hr = client_for(org.hr.user)
        hr.post(reverse("schemes:new"), {"yaml_text": sample_yaml(), "code": "s1", "name": "s"})
        return SchemeVersion.objects.get(scheme__code="s1"), Scheme.objects.all()
    published = published_plan(org)
    version = PayPlanVersion.objects.create(plan=published.plan, number=2, yaml_text=KEFU)
    return version, PayPlan.objects.all()


@pytest.mark.parametrize("kind", HOSTILE_DOCS)
@pytest.mark.parametrize("editor", EDITORS)
def test_editors_refuse_hostile_documents(org, kind, editor):
    """Live validation answers with the message; saving and creating refuse; nothing stored."""
    doc, message = HOSTILE_DOCS[kind]
    validate, save, new, validate_status = EDITORS[editor]
    draft, documents = _draft(org, editor)
    before, count = draft.yaml_text, documents.count()
    hr = client_for(org.hr.user)
    r, peak, _ = measured(lambda: hr.post(reverse(validate, args=[draft.pk]), {"yaml_text": doc}))
    assert r.status_code == validate_status and message in r.content.decode()
    assert peak < 32 * MB
    r = hr.post(reverse(save, args=[draft.pk]), {"yaml_text": doc})
    assert r.status_code == 400 and message in r.content.decode()
    draft.refresh_from_db()
    assert draft.yaml_text == before
    r = hr.post(reverse(new), {"yaml_text": doc, "code": "evil", "name": "x"})
    assert r.status_code == 400 and message in r.content.decode()
    assert documents.count() == count


@pytest.mark.parametrize("kind", HOSTILE_DOCS)
def test_a_stored_hostile_version_is_shown_with_a_message(org, kind):
    """Documents saved before this check (or written around it) stay harmless to view."""
    doc, message = HOSTILE_DOCS[kind]
    hr = client_for(org.hr.user)
    hr.post(reverse("schemes:new"), {"yaml_text": sample_yaml(), "code": "s1", "name": "s"})
    SchemeVersion.objects.filter(scheme__code="s1").update(yaml_text=doc)
    version = SchemeVersion.objects.get(scheme__code="s1")
    r, peak, _ = measured(lambda: hr.get(reverse("schemes:version", args=[version.pk])))
    assert r.status_code == 200 and message in r.content.decode() and peak < 32 * MB
    plan = PayPlanVersion.objects.get(pk=published_plan(org).pk)
    PayPlanVersion.objects.filter(pk=plan.pk).update(yaml_text=doc)
    r, peak, _ = measured(lambda: hr.get(reverse("payroll:plan_version", args=[plan.pk])))
    assert r.status_code == 200 and message in r.content.decode() and peak < 32 * MB


def test_nested_lists_within_the_limit_never_give_a_500(org):
    hr = client_for(org.hr.user)
    hr.post(reverse("schemes:new"), {"yaml_text": sample_yaml(), "code": "s1", "name": "s"})
    version = SchemeVersion.objects.get(scheme__code="s1")
    assert (
        hr.post(reverse("schemes:validate", args=[version.pk]), {"yaml_text": NESTED}).status_code
        == 200
    )
    assert (
        hr.post(reverse("schemes:version", args=[version.pk]), {"yaml_text": NESTED}).status_code
        == 302
    )
    assert hr.get(reverse("schemes:version", args=[version.pk])).status_code == 200
    r = hr.post(reverse("schemes:new"), {"yaml_text": NESTED, "code": "n2", "name": "n"})
    assert r.status_code in (302, 400)
    plan = published_plan(org, text=KEFU)
    assert (
        hr.post(reverse("payroll:plan_validate", args=[plan.pk]), {"yaml_text": NESTED}).status_code
        == 200
    )
    r = hr.post(reverse("payroll:plan_new"), {"yaml_text": NESTED, "code": "n3", "name": "n"})
    assert r.status_code in (302, 400)
    v = PayPlanVersion.objects.filter(plan__code="n3").first()
    if v is not None:
        assert hr.get(reverse("payroll:plan_version", args=[v.pk])).status_code == 200


# --- uploads: per-role size, parsed once, unconfirmed batches expire (issue 9, item 12) -----


@pytest.fixture
def small_limits(settings):
    settings.JIXIAO_UPLOAD_MAX_BYTES = {"hr": 4000, "manager": 1000}


def _report(size: int) -> bytes:
    from ..imports.helpers import csv_bytes

    data = csv_bytes()
    return data + b"\n" * max(0, size - len(data))


@pytest.mark.parametrize("url", ["cycles:import", "imports:upload"])
def test_uploads_are_limited_per_role_before_reading(org, small_limits, no_parse, url):
    cycle = walk(org, make_cycle(org), "running")
    head = client_for(org.head.user)
    upload = SimpleUploadedFile("大.csv", _report(2000))
    r = head.post(reverse(url, args=[cycle.pk]), {"file": upload})
    assert r.status_code == 400
    assert "超过您可以上传的上限" in r.content.decode() and "大.csv" in r.content.decode()
    assert not ImportBatch.objects.exists() and not MetricValue.objects.exists()


def test_hr_may_upload_more_than_a_head(org, small_limits):
    cycle = walk(org, make_cycle(org), "running")
    upload = SimpleUploadedFile("大.csv", _report(2000))
    r = client_for(org.hr.user).post(reverse("imports:upload", args=[cycle.pk]), {"file": upload})
    assert r.status_code == 302 and ImportBatch.objects.count() == 1


@pytest.fixture
def uploaded(org):
    from ..imports.helpers import csv_bytes, map_accounts

    cycle = walk(org, make_cycle(org), "running")
    map_accounts(org)
    hr = client_for(org.hr.user)
    f = SimpleUploadedFile("客服.csv", csv_bytes(encoding="gbk"))
    assert hr.post(reverse("imports:upload", args=[cycle.pk]), {"file": f}).status_code == 302
    return ImportBatch.objects.get()


def test_the_batch_page_shows_the_stored_preview_without_parsing(org, uploaded, monkeypatch):
    import jixiao.web.imports.selectors as sel

    def refuse(*_a, **_k):
        raise AssertionError("the upload was parsed again")

    monkeypatch.setattr(sel, "plan_import", refuse)
    hr = client_for(org.hr.user)
    for _ in range(3):
        html = hr.get(reverse("imports:batch", args=[uploaded.pk])).content.decode()
        assert "客服绩效报表（子账号）" in html and "周小冰" in html and "“很多”" in html
    # the stored preview is small next to the file
    assert len(str(uploaded.preview)) < 20 * len(bytes(uploaded.content))


def test_unconfirmed_batches_expire(org, uploaded, settings):
    from django.core.management import call_command
    from django.utils import timezone

    from jixiao.web.audit.models import AuditEntry

    hours = settings.JIXIAO_IMPORT_PREVIEW_HOURS
    old = timezone.now() - dt.timedelta(hours=hours + 1)
    ImportBatch.objects.filter(pk=uploaded.pk).update(uploaded_at=old)
    hr = client_for(org.hr.user)
    r = hr.post(reverse("imports:commit", args=[uploaded.pk]))
    assert r.status_code == 400 and "已过期" in r.content.decode()
    assert not MetricValue.objects.exists()
    call_command("expire_imports", stdout=io.StringIO())
    assert not ImportBatch.objects.exists()
    assert AuditEntry.objects.filter(entity="import_batch", action="expire").count() == 1
