"""Uploads and their messages never name staff the uploader may not see (issue 9, low):
a head's platform-export preview and metrics CSV messages say how many rows were someone
else's, not who they are."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.web.imports.models import ImportBatch

from ..factories import client_for, make_cycle, walk
from ..imports.helpers import csv_bytes, map_accounts


def test_platform_preview_counts_other_departments_staff_without_naming_them(org):
    cycle = walk(org, make_cycle(org), "running")
    map_accounts(org)  # 小冰 → 周小冰 (ops), 小雪 → 冯外部 (customer service)
    head = client_for(org.head.user)  # the ops head
    f = SimpleUploadedFile("客服.csv", csv_bytes(encoding="gbk"), content_type="text/csv")
    r = head.post(reverse("imports:upload", args=[cycle.pk]), {"file": f})
    assert r.status_code == 302
    html = head.get(reverse("imports:batch", args=[ImportBatch.objects.get().pk])).content.decode()
    assert "周小冰" in html  # their own department
    assert org.outsider.name not in html and org.outsider.number not in html
    assert "1 人不是您可以录入数据的员工" in html


def test_metrics_csv_message_does_not_name_another_departments_employee(org):
    cycle = walk(org, make_cycle(org), "running")
    content = f"工号,sales\n{org.outsider.number},1\n".encode()
    r = client_for(org.head.user).post(
        reverse("cycles:import", args=[cycle.pk]), {"file": SimpleUploadedFile("d.csv", content)}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert org.outsider.name not in html
    # the same words as for a 工号 that does not exist: no oracle for who works where
    assert f"本周期没有您可以录入数据的、工号为“{org.outsider.number}”的员工" in html
