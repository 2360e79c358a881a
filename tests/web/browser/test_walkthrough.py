"""A department head, an employee and the GM walk a cycle from planning to archive in Chromium,
including one appeal. Run with ``pytest -m browser``; needs Debian's /usr/bin/chromium."""

from __future__ import annotations

import os
import re
import shutil

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls we make between
    # browser steps are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def world(transactional_db):
    from ..factories import make_cycle, make_org, walk

    org = make_org()
    cycle = walk(org, make_cycle(org), "planning")
    return org, cycle


def login(browser, live_server, username: str):
    from ..factories import PASSWORD

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()  # a phone-sized screen
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/me/$"))
    return page


def click_transition(page, live_server, cycle, label: str) -> None:
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/")
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state()
    assert "无法完成" not in page.content(), page.inner_text("main")


def test_cycle_from_planning_to_archive_with_an_appeal(browser, world, live_server):
    from django.db import connections

    try:
        _walk(browser, world, live_server)
    finally:
        # ORM calls made while Playwright runs use their own connection (asgiref locals follow
        # Playwright's greenlet); close it, or PostgreSQL cannot drop the test database.
        connections.close_all()


def _walk(browser, world, live_server):
    from jixiao.web.cycles import services as cs
    from jixiao.web.cycles.models import Cycle, Rating

    from ..factories import participant, rate_all, review_all

    org, cycle = world
    p = participant(cycle, org.employee)
    others = cycle.participants.exclude(pk=p.pk).select_related("employee__user")
    for q in others:  # everyone else signs through the services
        cs.plan_sign(user=q.employee.user, participant=q)
        cs.plan_sign(user=(org.gm if q.employee_id == org.hr.pk else org.hr).user, participant=q)

    # planning: the employee and the head sign the plan in the browser
    employee = login(browser, live_server, "employee")
    employee.goto(f"{live_server.url}/p/{p.pk}/")
    employee.get_by_role("button", name="签字确认计划").click()
    employee.wait_for_load_state()
    assert "已签字确认" in employee.content()
    head = login(browser, live_server, "head")
    head.goto(f"{live_server.url}/p/{p.pk}/")
    head.get_by_role("button", name="签字确认计划").click()
    head.wait_for_load_state()

    hr = login(browser, live_server, "hr")
    click_transition(hr, live_server, cycle, "计划已签字，开始执行")
    click_transition(hr, live_server, cycle, "开始评分")

    # rating: the head rates the employee in the browser; everything else via services
    head.goto(f"{live_server.url}/cycles/{cycle.pk}/ratings/")
    row = head.locator("tr", has_text="周小冰").filter(has_text="重点工作完成情况").first
    assert "(0–60)" in row.inner_text()
    row.locator("input[name=score]").fill("55")
    row.get_by_role("button", name="提交").click()
    head.wait_for_load_state()
    assert Rating.objects.filter(rater=org.head, participant=p, score="55").exists()
    rate_all(Cycle.objects.get(pk=cycle.pk), score="30")
    Rating.objects.filter(participant=p, rater=org.head, item="tasks").update(score="55")
    click_transition(hr, live_server, cycle, "结束评分，计算得分")

    # review: the head reviews the department on the team page
    head.goto(f"{live_server.url}/cycles/{cycle.pk}/team/")
    head.get_by_role("button", name="提交本部门审核").click()
    head.wait_for_load_state()
    assert "部门审核已提交" in head.content()
    review_all(org, Cycle.objects.get(pk=cycle.pk))
    click_transition(hr, live_server, cycle, "提交总经理审批")

    # approval: the GM publishes
    gm = login(browser, live_server, "gm")
    click_transition(gm, live_server, cycle, "批准并公布结果")
    click_transition(hr, live_server, cycle, "开放确认与申诉")

    # the employee sees the result with its explanation and appeals
    employee.goto(f"{live_server.url}/p/{p.pk}/")
    body = employee.inner_text("main")
    assert "计算过程" in body and "上级 55" in body
    employee.fill("textarea[name=reason]", "本月支援大促，工作量未计入。")
    employee.get_by_role("button", name="提交申诉").click()
    employee.wait_for_load_state()
    assert "申诉已提交" in employee.content()

    # the skip-level manager upholds it in the browser
    supervisor = login(browser, live_server, "supervisor")
    supervisor.goto(f"{live_server.url}/p/{p.pk}/")
    supervisor.select_option("select[name=upheld]", "1")
    supervisor.fill("input[name=new_total]", "95")
    supervisor.fill("input[name=new_grade]", "A")
    supervisor.fill("input[name=decision]", "核实属实")
    supervisor.get_by_role("button", name="提交处理结果").click()
    supervisor.wait_for_load_state()
    assert "申诉已处理" in supervisor.content()

    # the employee confirms; everyone else confirms; HR closes; the GM archives
    employee.goto(f"{live_server.url}/p/{p.pk}/")
    employee.get_by_role("button", name="确认结果").click()
    employee.wait_for_load_state()
    for q in others:
        cs.result_confirm(user=q.employee.user, participant=q)
    click_transition(hr, live_server, cycle, "结束确认，处理申诉")
    click_transition(gm, live_server, cycle, "归档并冻结")

    employee.goto(f"{live_server.url}/me/")
    assert "95" in employee.inner_text("main")
    assert Cycle.objects.get(pk=cycle.pk).state == "archived"
