"""A mistake in a cycle form re-renders the page that holds the form (400): the message stands
next to the field at fault (or at the top of the form), what the user typed is still there,
in Chinese by default and in English through the language switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Cycle, Rating

from ..factories import go, make_cycle, participant, published_version, walk
from ..formhtml import field_error, form_error, page_errors, the_form, value


def client_for(user, lang: str = "") -> Client:
    c = Client()
    c.force_login(user)
    if lang:
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return c


def post(c: Client, url: str, data: dict) -> str:
    r = c.post(url, data)
    assert r.status_code == 400, r.status_code
    html = r.content.decode()
    assert "<html" in html  # the whole page again, not a bare error page
    return html


# --- the participant page --------------------------------------------------------------------


def test_plan_item_keeps_every_value_and_marks_the_weight(org):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    url = reverse("cycles:plan_item", args=[p.pk])
    data = {
        "kind": "task",
        "code": "launch",
        "name": "新品上线",
        "weight": "十",
        "target": "3",
        "standard": "11月底前",
    }
    html = post(client_for(org.head.user), url, data)
    form = the_form(html, url)
    assert field_error(form, "weight") == "“权重”应是数字，收到的是“十”。"
    assert {k: value(form, k) for k in data} == data
    assert form_error(form) == ""  # beside the field, not at the top
    # the page around it is the participant's page, with its plan
    assert "考核计划" in html and "周小冰" in html
    # the other forms on the page do not show it
    assert page_errors(html).count("应是数字") == 1
    # the language switch comes back to the page, not to the URL the form posted to
    switch = the_form(html, reverse("set_language"))
    assert value(switch, "next") == reverse("cycles:participant", args=[p.pk])


def test_plan_item_missing_code_is_next_to_the_code(org):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    url = reverse("cycles:plan_item", args=[p.pk])
    html = post(client_for(org.head.user), url, {"kind": "kpi", "code": "", "name": "销售额"})
    form = the_form(html, url)
    assert field_error(form, "code") == "计划项需要编码和名称。"
    assert value(form, "name") == "销售额"


def test_sign_twice_is_said_at_the_top_of_the_form(org):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    cs.plan_sign(user=org.employee.user, participant=p)
    # the page still offers the head's signature: the employee's second one is refused there
    cs.plan_sign(user=org.head.user, participant=p)
    html = post(client_for(org.head.user), reverse("cycles:sign", args=[p.pk]), {})
    # both signed: the sign form is gone, so the message is at the top of the page
    assert "您已签过字了。" in page_errors(html)


@pytest.fixture
def confirmation(org):
    cycle = walk(org, make_cycle(org), "published")
    return go(org, cycle, "open_confirmation")


def test_appeal_without_reason_and_appeal_decision_with_a_bad_total(org, confirmation):
    p = participant(confirmation, org.employee)
    url = reverse("cycles:appeal", args=[p.pk])
    html = post(client_for(org.employee.user), url, {"round": "1", "reason": "  "})
    form = the_form(html, url, round="1")
    assert field_error(form, "reason") == "请写明申诉理由（书面申诉报告）。"
    cs.appeal_file(user=org.employee.user, participant=p, reason="评分不公")
    appeal = p.appeals.get()
    url = reverse("cycles:appeal_decide", args=[appeal.pk])
    data = {"upheld": "1", "decision": "成立", "new_total": "九十", "new_grade": "b"}
    html = post(client_for(org.supervisor.user), url, data)
    form = the_form(html, url)
    assert field_error(form, "new_total") == "“新总分”应是数字，收到的是“九十”。"
    assert {k: value(form, k) for k in data} == data


def test_metric_absence_and_interview_forms(org):
    cycle = walk(org, make_cycle(org), "running")
    p = participant(cycle, org.employee)
    url = reverse("cycles:metric", args=[p.pk])
    html = post(client_for(org.head.user), url, {"code": "sales", "value": "很多"})
    form = the_form(html, url)
    assert field_error(form, "value") == "“sales”应是数字，收到的是“很多”。"
    assert value(form, "code") == "sales" and value(form, "value") == "很多"
    url = reverse("cycles:absence", args=[p.pk])
    html = post(client_for(org.hr.user), url, {"absent_days": "400", "reason": "长假"})
    form = the_form(html, url)
    assert field_error(form, "absent_days") == (
        "“缺勤天数”应是 0 到 366 之间的整数，收到的是“400”。"
    )
    assert value(form, "absent_days") == "400" and value(form, "reason") == "长假"


def test_target_change_needs_a_reason_next_to_it(org):
    cycle = make_cycle(org, version=published_version(org, "ops-monthly"))
    cycle.scheme_versions.add(published_version(org))  # everyone else: the general scheme
    cycle = walk(org, cycle, "running")
    p = participant(cycle, org.employee)
    item = p.plan_items.get(kind="target", code="sales_target")
    url = reverse("cycles:target_change", args=[item.pk])
    html = post(client_for(org.employee.user), url, {"new_target": "120000", "reason": ""})
    form = the_form(html, url)
    assert field_error(form, "reason") == "期中调整目标必须写明原因。"
    assert value(form, "new_target") == "120000"


# --- the dashboard, HR set-up, ratings and team pages ----------------------------------------


def test_transition_deadline_is_marked_in_its_own_form_only(org):
    cycle = walk(org, make_cycle(org), "running")
    url = reverse("cycles:transition", args=[cycle.pk])
    html = post(client_for(org.hr.user), url, {"name": "start_rating", "deadline": "2026-13-45"})
    form = the_form(html, url, name="start_rating")
    assert "2026-13-45" in field_error(form, "deadline") and "YYYY-MM-DD" in field_error(
        form, "deadline"
    )
    assert value(form, "deadline") == "2026-13-45"
    assert Cycle.objects.get(pk=cycle.pk).state == "running"


def test_rating_deadline_in_the_past(org):
    cycle = walk(org, make_cycle(org), "rating")
    url = reverse("cycles:rating_deadline", args=[cycle.pk])
    html = post(client_for(org.hr.user), url, {"deadline": "2000-01-01", "reason": "补评"})
    form = the_form(html, url)
    assert field_error(form, "deadline") == "新的评分截止时间必须晚于现在。"
    assert value(form, "reason") == "补评"


def test_import_file_problems_are_next_to_the_file_input(org):
    cycle = walk(org, make_cycle(org), "running")
    url = reverse("cycles:import", args=[cycle.pk])
    f = SimpleUploadedFile("d.csv", b"employee,sales\nE011,abc\n")
    html = post(client_for(org.hr.user), url, {"file": f})
    assert "第 2 行“sales”列" in field_error(the_form(html, url), "file")
    html = post(client_for(org.hr.user), url, {})
    assert field_error(the_form(html, url), "file") == "请选择要上传的文件（CSV 或 XLSX）。"


def test_a_form_the_page_does_not_show_says_it_at_the_top(org):
    """An employee has no import form on the dashboard: the message still reaches them."""
    cycle = walk(org, make_cycle(org), "running")
    url = reverse("cycles:import", args=[cycle.pk])
    f = SimpleUploadedFile("d.csv", b"employee,sales\nE011,1\n")
    html = post(client_for(org.employee.user), url, {"file": f})
    assert f'action="{url}"' not in html
    assert "本周期没有您可以录入数据的、工号为“E011”的员工" in page_errors(html)


def test_new_cycle_keeps_what_was_typed(org):
    v = published_version(org)
    url = reverse("cycles:new")
    data = {
        "name": "2026年12月",
        "period": "quarter",
        "start": "2026-12-01",
        "end": "2026-11-30",
        "quotas": "A:20",
        "versions": [str(v.pk)],
    }
    html = post(client_for(org.hr.user), url, data)
    form = the_form(html, url)
    assert field_error(form, "end") == "结束日期不能早于开始日期。"
    assert {k: value(form, k) for k in data} == data
    html = post(client_for(org.hr.user), url, {**data, "end": "2026-12-31", "quotas": "A:两成"})
    assert field_error(the_form(html, url), "quotas") == "等级 A 的强制分布比例应是 0–100 的数字。"
    html = post(client_for(org.hr.user), url, {**data, "start": "12/01/2026"})
    assert "请按 YYYY-MM-DD 填写" in field_error(the_form(html, url), "start")


def test_rating_score_is_marked_in_that_rating_only(org):
    cycle = walk(org, make_cycle(org), "rating")
    ratings = list(Rating.objects.filter(participant__cycle=cycle, rater=org.head))
    r = ratings[0]
    url = reverse("cycles:rate", args=[r.pk])
    html = post(client_for(org.head.user), url, {"score": "999", "comment": "很好"})
    form = the_form(html, url)
    assert "评分应在 0 到" in field_error(form, "score") and "收到 999" in field_error(
        form, "score"
    )
    assert value(form, "score") == "999" and value(form, "comment") == "很好"
    assert page_errors(html).count("收到 999") == 1  # the head's other ratings are untouched


def test_calibration_needs_a_reason(org):
    cycle = walk(org, make_cycle(org), "review")
    p = participant(cycle, org.employee)
    url = reverse("cycles:calibrate", args=[p.pk])
    html = post(client_for(org.head.user), url, {"grade": "A", "reason": ""})
    form = the_form(html, url)
    assert field_error(form, "reason") == "调整等级必须写明原因。"
    assert value(form, "grade") == "A"
    assert "我的团队" in html  # the team page, where the calibration form lives


# --- in English through the language switch --------------------------------------------------


def test_english_message_next_to_the_field(org):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    url = reverse("cycles:plan_item", args=[p.pk])
    data = {"kind": "kpi", "code": "x", "name": "x", "weight": "120"}
    html = post(client_for(org.head.user, "en"), url, data)
    form = the_form(html, url)
    assert field_error(form, "weight") == (
        '"weight" must be a number from 0 to 100 with at most 2 decimal places, got "120".'
    )
    assert value(form, "weight") == "120"
    html = post(client_for(org.head.user, "en"), url, {**data, "weight": "abc"})
    assert field_error(the_form(html, url), "weight") == '"weight" must be a number, got "abc".'
    # a state the action does not belong to, in English, with the stage names translated
    url = reverse("cycles:metric", args=[p.pk])
    html = post(client_for(org.head.user, "en"), url, {"code": "sales", "value": "1"})
    assert 'Cycle "2026年10月" is in stage "Planning": you cannot enter data now' in page_errors(
        html
    )
