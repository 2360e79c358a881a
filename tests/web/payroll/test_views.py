"""Payroll pages and form posts: the HR flow in the browser, errors as 400 pages, the export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.web.payroll.models import PayPlanVersion, PayrollRun, Payslip

from ..factories import make_cycle, walk
from .helpers import HEADER, computed_run, inputs_csv, published_plan


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def published(org):
    return walk(org, make_cycle(org), "published")


def test_hr_flow_in_the_browser(org, published):
    hr = client_for(org.hr.user)
    r = hr.post(reverse("payroll:plan_new"), {"builtin": "lib:kefu_zhuanyuan"})
    assert r.status_code == 302
    version = PayPlanVersion.objects.get(plan__code="kefu_zhuanyuan")
    page = hr.get(reverse("payroll:plan_version", args=[version.pk])).content.decode()
    assert "校验通过" in page and "底薪×绩效系数" in page
    # HTMX validation with the pay engine's messages
    bad = version.yaml_text.replace("kind: per_count", "kind: per_kount", 1)
    r = hr.post(reverse("payroll:plan_validate", args=[version.pk]), {"yaml_text": bad})
    assert "未知的组件类型" in r.content.decode()
    r = hr.post(reverse("payroll:plan_publish", args=[version.pk]))
    assert r.status_code == 302
    version.refresh_from_db()
    assert version.is_published
    r = hr.post(reverse("payroll:plan_version", args=[version.pk]), {"yaml_text": "x: 1"})
    assert r.status_code == 400 and "已发布，不能再修改" in r.content.decode()
    # a run for the cycle
    page = hr.get(reverse("payroll:cycle_runs", args=[published.pk])).content.decode()
    assert "新建工资核算" in page
    r = hr.post(reverse("payroll:run_new", args=[published.pk]), {"version": version.pk})
    run = PayrollRun.objects.get()
    assert r.status_code == 302 and r.url == reverse("payroll:run", args=[run.pk])
    upload = SimpleUploadedFile("in.csv", inputs_csv(org), content_type="text/csv")
    r = hr.post(reverse("payroll:run_inputs", args=[run.pk]), {"file": upload})
    assert r.status_code == 302
    r = hr.post(
        reverse("payroll:run_input_set", args=[run.pk]),
        {"employee": org.employee.number, "column": "差评修改个数", "value": "2"},
    )
    assert r.status_code == 302
    assert hr.post(reverse("payroll:run_compute", args=[run.pk])).status_code == 302
    page = hr.get(reverse("payroll:run", args=[run.pk])).content.decode()
    assert "合计" in page and "销售提成" in page and "周小冰" in page
    slip = Payslip.objects.get(run=run, employee=org.employee)
    r = hr.post(
        reverse("payroll:slip_adjust", args=[slip.pk]),
        {"component": "奖惩金额", "amount": "88", "reason": "=月度之星"},
    )
    assert r.status_code == 302
    r = hr.post(reverse("payroll:run_close", args=[run.pk]))
    assert r.status_code == 400 and "请先重新计算" in r.content.decode()
    hr.post(reverse("payroll:run_compute", args=[run.pk]))
    assert hr.post(reverse("payroll:run_close", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.is_closed
    slip = Payslip.objects.get(run=run, employee=org.employee)
    page = hr.get(reverse("payroll:slip", args=[slip.pk])).content.decode()
    assert "差评修改个数 2 个 × 20 元 = 40.00" in page and "月度之星" in page
    r = hr.post(reverse("payroll:run_compute", args=[run.pk]))
    assert r.status_code == 400 and "已关闭" in r.content.decode()
    # the employee sees their own slip now, reachable from "my pay slips"
    me = client_for(org.employee.user)
    assert reverse("payroll:slip", args=[slip.pk]) in me.get(reverse("payroll:me")).content.decode()
    page = me.get(reverse("payroll:slip", args=[slip.pk])).content.decode()
    assert "实发合计" in page and str(slip.net) in page


def test_export_uses_the_pay_engine_workbook_and_neutralises_formulas(org, published):
    run = computed_run(org, published)
    from jixiao.web.payroll import services as ps

    ps.payroll_adjustment_set(
        user=org.hr.user,
        run=run,
        employee=org.employee,
        component="奖惩金额",
        amount=100,
        reason="=HYPERLINK(1)",
    )
    ps.payroll_run_compute(user=org.hr.user, run=run)
    r = client_for(org.gm.user).get(reverse("payroll:run_export", args=[run.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["工资表", "工资条", "说明"]
    sheet = wb["工资表"]
    assert sheet.cell(3, 1).value == org.employee.number
    assert sheet.cell(2 + 3 + 1, 1).value == "合计"  # title, header, 3 people, totals
    slips = wb["工资条"]
    texts = [c.value for row in slips.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("=HYPERLINK(1)" in t for t in texts)
    for row in slips.iter_rows():
        for c in row:
            assert c.data_type != "f"  # never a formula


def test_wrong_cycle_state_is_a_400_with_the_reason(org):
    cycle = walk(org, make_cycle(org), "rating")
    version = published_plan(org)
    r = client_for(org.hr.user).post(
        reverse("payroll:run_new", args=[cycle.pk]), {"version": version.pk}
    )
    assert r.status_code == 400
    assert "考核结果公布后才能核算工资" in r.content.decode()


def test_bad_upload_is_a_400_naming_the_row(org, published):
    version = published_plan(org)
    hr = client_for(org.hr.user)
    hr.post(reverse("payroll:run_new", args=[published.pk]), {"version": version.pk})
    run = PayrollRun.objects.get()
    content = (HEADER + "E999,x,1,0,0,0,\n").encode()
    upload = SimpleUploadedFile("in.csv", content, content_type="text/csv")
    r = hr.post(reverse("payroll:run_inputs", args=[run.pk]), {"file": upload})
    assert r.status_code == 400 and "第 2 行：没有工号为 E999 的员工" in r.content.decode()


@pytest.mark.parametrize("role", ["gm", "head", "employee"])
def test_only_hr_posts(org, published, role):
    run = computed_run(org, published)
    c = client_for(org.user(role))
    slip = Payslip.objects.filter(run=run).first()
    posts = [
        reverse("payroll:run_compute", args=[run.pk]),
        reverse("payroll:run_close", args=[run.pk]),
        reverse("payroll:run_inputs", args=[run.pk]),
        reverse("payroll:run_input_set", args=[run.pk]),
        reverse("payroll:slip_adjust", args=[slip.pk]),
        reverse("payroll:run_new", args=[published.pk]),
        reverse("payroll:plan_new"),
    ]
    for url in posts:
        assert c.post(url, {"employee": org.employee.number, "amount": "1"}).status_code == 403, url
    run.refresh_from_db()
    assert not run.is_closed


def test_pages_in_english(org, published):
    run = computed_run(org, published)
    c = client_for(org.gm.user)
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = c.get(reverse("payroll:run", args=[run.pk])).content.decode()
    assert "Export Excel (pay sheet + slips)" in html and "Net pay" in html
    slip = Payslip.objects.filter(run=run).first()
    html = c.get(reverse("payroll:slip", args=[slip.pk])).content.decode()
    assert "Amount (yuan)" in html and " = " in html
