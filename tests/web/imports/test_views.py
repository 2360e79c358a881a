"""Import pages: upload (HTMX and plain) → preview → map → commit."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.web.cycles.models import MetricValue
from jixiao.web.imports.models import ImportBatch
from jixiao.web.org.models import ShopAccount

from ..factories import make_cycle, walk
from .helpers import csv_bytes, xlsx_bytes

HX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_htmx_upload_preview_map_commit_gbk_csv(org, running):
    c = client_for(org.hr.user)
    page = c.get(reverse("imports:cycle", args=[running.pk])).content.decode()
    assert 'hx-indicator="#parsing"' in page and "正在解析" in page
    assert "替换" in page and "最后提交" in page
    f = SimpleUploadedFile("客服.csv", csv_bytes(encoding="gbk"), content_type="text/csv")
    r = c.post(reverse("imports:upload", args=[running.pk]), {"file": f}, **HX)
    assert r.status_code == 200
    html = r.content.decode()
    batch = ImportBatch.objects.get()
    assert r["HX-Push-Url"] == reverse("imports:batch", args=[batch.pk])
    assert "<html" not in html  # a fragment for HTMX to swap in
    for text in [
        "客服绩效报表（子账号）",
        "尚未写入",
        "“很多”",
        "接待人数",
        "旗舰店:小王",
        "周小冰",
    ]:
        assert text in html, text
    assert 'name="account" value="旗舰店:小王"' in html  # offered for mapping
    assert MetricValue.objects.count() == 0
    # map the unknown sub-account to the peer, then the preview includes them
    r = c.post(
        reverse("imports:map", args=[batch.pk]),
        {"account": "旗舰店:小王", "employee": org.peer.pk},
    )
    assert r.status_code == 302
    assert ShopAccount.objects.get(nick="小王").employee == org.peer
    html = c.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "吴同事" in html and "确认提交（写入 9 个数值）" in html
    r = c.post(reverse("imports:commit", args=[batch.pk]))
    assert r.status_code == 302
    assert MetricValue.objects.get(
        participant__employee=org.employee, code="sales"
    ).value == Decimal("1834.5")
    assert MetricValue.objects.count() == 9
    html = c.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "已提交" in html and "1834.5" in html
    # the same file again: the page says it will replace, and committing does not add
    f = SimpleUploadedFile("客服-副本.csv", csv_bytes(encoding="gbk"))
    r = c.post(reverse("imports:upload", args=[running.pk]), {"file": f})
    second = ImportBatch.objects.latest("id")
    assert r.status_code == 302 and r["Location"] == reverse("imports:batch", args=[second.pk])
    html = c.get(r["Location"]).content.decode()
    assert f"批次 #{batch.pk}" in html and "替换" in html
    c.post(reverse("imports:commit", args=[second.pk]))
    assert MetricValue.objects.count() == 9
    assert MetricValue.objects.get(
        participant__employee=org.employee, code="sales"
    ).value == Decimal("1834.5")
    listing = c.get(reverse("imports:cycle", args=[running.pk])).content.decode()
    assert "已被重新导入替换" in listing


def test_xlsx_with_title_rows_plain_upload(org, running):
    c = client_for(org.head.user)
    f = SimpleUploadedFile("客服.xlsx", xlsx_bytes())
    r = c.post(
        reverse("imports:upload", args=[running.pk]), {"file": f, "profile": "cs_subaccount"}
    )
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    html = c.get(r["Location"]).content.decode()
    assert "表头在第 4 行" in html and "客服绩效" in html
    # customer service is not the ops head's: counted, not named
    assert "1 人不是您可以录入数据的员工" in html and "冯外部" not in html
    assert c.post(reverse("imports:commit", args=[batch.pk])).status_code == 302
    assert set(MetricValue.objects.values_list("participant__employee__number", flat=True)) == {
        "E011"
    }
    assert MetricValue.objects.get(code="served_customers").value == 150


def test_bad_file_shows_message_and_keeps_nothing(org, running):
    c = client_for(org.hr.user)
    url = reverse("imports:upload", args=[running.pk])
    r = c.post(url, {"file": SimpleUploadedFile("坏.xlsx", b"PK\x03\x04 broken")}, **HX)
    assert r.status_code == 200 and "无法导入，什么也没有保存" in r.content.decode()
    r = c.post(url, {"file": SimpleUploadedFile("坏.xlsx", b"PK\x03\x04 broken")})
    assert r.status_code == 400 and "已损坏" in r.content.decode()
    assert c.post(url, {}).status_code == 400
    assert ImportBatch.objects.count() == 0 and MetricValue.objects.count() == 0


def test_oversized_upload_is_refused_before_reading(org, running, settings):
    settings.JIXIAO_IMPORT_MAX_BYTES = 100
    c = client_for(org.hr.user)
    f = SimpleUploadedFile("大.csv", csv_bytes())
    r = c.post(reverse("imports:upload", args=[running.pk]), {"file": f})
    assert r.status_code == 400 and "文件太大" in r.content.decode()
    assert ImportBatch.objects.count() == 0


def test_archived_cycle_refused(org):
    cycle = walk(org, make_cycle(org), "archived")
    c = client_for(org.hr.user)
    page = c.get(reverse("imports:cycle", args=[cycle.pk])).content.decode()
    assert "不能导入" in page and 'name="file"' not in page
    f = SimpleUploadedFile("a.csv", csv_bytes())
    r = c.post(reverse("imports:upload", args=[cycle.pk]), {"file": f})
    assert r.status_code == 400 and "已归档" in r.content.decode()
    assert ImportBatch.objects.count() == 0


def test_others_cannot_use_someone_elses_batch(org, running):
    c = client_for(org.hr.user)
    c.post(
        reverse("imports:upload", args=[running.pk]),
        {"file": SimpleUploadedFile("a.csv", csv_bytes())},
    )
    batch = ImportBatch.objects.get()
    for who in ("head", "employee", "gm"):
        other = client_for(org.user(who))
        assert other.post(reverse("imports:commit", args=[batch.pk])).status_code == 403
        assert other.post(reverse("imports:discard", args=[batch.pk])).status_code == 403
    employee = client_for(org.employee.user)
    f = SimpleUploadedFile("a.csv", csv_bytes())
    assert (
        employee.post(reverse("imports:upload", args=[running.pk]), {"file": f}).status_code == 403
    )
    assert MetricValue.objects.count() == 0
    r = c.post(reverse("imports:discard", args=[batch.pk]))
    assert r.status_code == 302 and ImportBatch.objects.count() == 0
