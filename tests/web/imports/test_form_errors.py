"""Import form mistakes: the cycle's import page again with the message next to the file input
(or the HTMX partial for an HTMX upload), the mapping form with its message next to the select."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.web.imports.models import ImportBatch

from ..formhtml import field_error, the_form, value
from .helpers import csv_bytes


def hr(org) -> Client:
    c = Client()
    c.force_login(org.hr.user)
    return c


def test_upload_without_a_file_keeps_the_chosen_report_type(org, running):
    url = reverse("imports:upload", args=[running.pk])
    page = hr(org).get(reverse("imports:cycle", args=[running.pk])).content.decode()
    profile = the_form(page, url).find_all("option")[1].attrs["value"]
    r = hr(org).post(url, {"profile": profile})
    assert r.status_code == 400
    form = the_form(r.content.decode(), url)
    assert field_error(form, "file") == "请选择要上传的文件（CSV 或 XLSX）。"
    assert value(form, "profile") == profile


def test_broken_file_plain_and_htmx(org, running):
    url = reverse("imports:upload", args=[running.pk])
    broken = SimpleUploadedFile("坏.xlsx", b"PK\x03\x04 broken")
    r = hr(org).post(url, {"file": broken})
    assert r.status_code == 400
    assert "已损坏" in field_error(the_form(r.content.decode(), url), "file")
    broken = SimpleUploadedFile("坏.xlsx", b"PK\x03\x04 broken")
    r = hr(org).post(url, {"file": broken}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html  # the partial HTMX swaps in
    assert "无法导入，什么也没有保存" in html and "已损坏" in html


def test_mapping_without_an_employee_is_next_to_that_accounts_select(org, running):
    c = hr(org)
    c.post(
        reverse("imports:upload", args=[running.pk]),
        {"file": SimpleUploadedFile("a.csv", csv_bytes())},
    )
    batch = ImportBatch.objects.get()
    url = reverse("imports:map", args=[batch.pk])
    r = c.post(url, {"account": "旗舰店:小王", "employee": ""})
    assert r.status_code == 400
    form = the_form(r.content.decode(), url, account="旗舰店:小王")
    assert field_error(form, "employee") == "请选择员工。"
