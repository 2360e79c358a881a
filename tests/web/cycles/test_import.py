"""Importing measured data from CSV: all or nothing, every problem located."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import MetricValue
from jixiao.web.cycles.services import CycleError

from ..factories import make_cycle, walk


@pytest.fixture
def running(org):
    return walk(org, make_cycle(org), "running")


def test_import_ok(org, running):
    n = cs.metrics_import(
        user=org.head.user,
        cycle=running,
        text='工号,sales,conversion\nE011,"90,000",2.5\nE012,80000,\n',
    )
    assert n == 3
    assert MetricValue.objects.get(participant__employee=org.employee, code="sales").value == 90000


@pytest.mark.parametrize(
    ("text", "msg"),
    [
        ("sales\n1\n", "工号"),
        ("工号\nE011\n", "没有指标列"),
        ("工号,sales\nE999,1\n", "第 2 行：本周期没有您可以录入数据的、工号为“E999”"),
        ("工号,sales\nE011,1\nE011,很多\n", "第 3 行“sales”列"),
        ("工号,sales\nE021,1\n", "第 2 行：本周期没有您可以录入数据的、工号为“E021”"),
    ],
)
def test_import_errors_save_nothing(org, running, text, msg):
    with pytest.raises(CycleError, match=msg):
        cs.metrics_import(user=org.head.user, cycle=running, text=text)
    assert not MetricValue.objects.exists()


def test_import_page_gb18030_and_errors(org, running):
    c = Client()
    c.force_login(org.hr.user)
    url = reverse("cycles:import", args=[running.pk])
    f = SimpleUploadedFile("d.csv", "工号,sales\nE011,5\n".encode("gb18030"))
    assert c.post(url, {"file": f}).status_code == 302
    assert c.post(url, {}).status_code == 400
    f = SimpleUploadedFile("d.csv", b"employee,sales\nE011,abc\n")
    r = c.post(url, {"file": f})
    assert r.status_code == 400 and "应是数字" in r.content.decode()
    c.force_login(org.employee.user)
    f = SimpleUploadedFile("d.csv", b"employee,sales\nE011,1\n")
    r = c.post(url, {"file": f})
    assert r.status_code == 400 and "您可以录入数据的" in r.content.decode()
