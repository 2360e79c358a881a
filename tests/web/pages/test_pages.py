"""Pages and form posts: content, bad input (400 with a message, never 500), HTMX validation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from jixiao.web.cycles.models import Rating

from ..factories import go, make_cycle, participant, walk


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_login_page_and_redirect(client):
    assert client.get(reverse("cycles:me")).status_code == 302
    r = client.get(reverse("accounts:login"))
    assert r.status_code == 200 and "登录绩效系统" in r.content.decode()


def test_result_page_shows_traces_and_confirm(org):
    cycle = walk(org, make_cycle(org), "published")
    cycle = go(org, cycle, "open_confirmation")
    p = participant(cycle, org.employee)
    html = client_for(org.employee.user).get(reverse("cycles:participant", args=[p.pk])).content
    html = html.decode()
    assert "计算过程" in html and "工作态度与协作" in html and "自评 30" in html
    assert "确认结果" in html and "提交申诉" in html


def test_confirm_and_appeal_via_post(org):
    cycle = walk(org, make_cycle(org), "published")
    cycle = go(org, cycle, "open_confirmation")
    p = participant(cycle, org.employee)
    c = client_for(org.employee.user)
    r = c.post(reverse("cycles:appeal", args=[p.pk]), {"reason": ""})
    assert r.status_code == 400 and "申诉理由" in r.content.decode()
    r = c.post(reverse("cycles:appeal", args=[p.pk]), {"reason": "评分不公"})
    assert r.status_code == 302
    appeal = p.appeals.get()
    r = client_for(org.head.user).post(
        reverse("cycles:appeal_decide", args=[appeal.pk]), {"upheld": "0", "decision": "x"}
    )
    assert r.status_code == 403
    r = client_for(org.supervisor.user).post(
        reverse("cycles:appeal_decide", args=[appeal.pk]),
        {"upheld": "1", "decision": "成立", "new_total": "abc"},
    )
    assert r.status_code == 400 and "应是数字" in r.content.decode()


def test_rating_form_post_and_bad_score(org):
    cycle = walk(org, make_cycle(org), "rating")
    r = Rating.objects.filter(participant__cycle=cycle, rater=org.head).first()
    c = client_for(org.head.user)
    page = c.get(reverse("cycles:ratings", args=[cycle.pk])).content.decode()
    assert "周小冰" in page
    assert c.post(reverse("cycles:rate", args=[r.pk]), {"score": "999"}).status_code == 400
    assert c.post(reverse("cycles:rate", args=[r.pk]), {"score": "30"}).status_code == 302
    r.refresh_from_db()
    assert r.score == "30"
    # somebody else's rating
    other = Rating.objects.filter(participant__cycle=cycle).exclude(rater=org.head).first()
    assert c.post(reverse("cycles:rate", args=[other.pk]), {"score": "30"}).status_code == 403
    assert c.post(reverse("cycles:rate", args=[999999]), {"score": "30"}).status_code == 404


@pytest.mark.parametrize(
    ("data", "status", "text"),
    [
        ({"name": "start_running"}, 400, "不能执行"),
        ({"name": "nope"}, 400, "没有名为"),
        ({"name": "start_planning", "deadline": "tomorrow"}, 400, "YYYY-MM-DD"),
    ],
)
def test_transition_post_errors(org, data, status, text):
    cycle = make_cycle(org)
    r = client_for(org.hr.user).post(reverse("cycles:transition", args=[cycle.pk]), data)
    assert r.status_code == status and text in r.content.decode()


def test_transition_post_by_wrong_role(org):
    cycle = make_cycle(org)
    r = client_for(org.head.user).post(
        reverse("cycles:transition", args=[cycle.pk]), {"name": "start_planning"}
    )
    assert r.status_code == 403 and "人事行政" in r.content.decode()


def test_get_on_action_is_refused(org):
    cycle = make_cycle(org)
    r = client_for(org.hr.user).get(reverse("cycles:transition", args=[cycle.pk]))
    assert r.status_code == 405


def test_hr_creates_cycle_from_page(org):
    from ..factories import published_version

    v = published_version(org)
    c = client_for(org.hr.user)
    r = c.post(
        reverse("cycles:new"),
        {
            "name": "2026年12月",
            "period": "month",
            "start": "2026-12-01",
            "end": "2026-12-31",
            "versions": [str(v.pk)],
            "quotas": "A:20，E:10",
        },
    )
    assert r.status_code == 302
    r = c.post(
        reverse("cycles:new"), {"name": "x", "period": "month", "start": "bad", "end": "2026-12-31"}
    )
    assert r.status_code == 400 and "YYYY-MM-DD" in r.content.decode()


def test_dashboard_chart_data_and_team_page(org):
    cycle = walk(org, make_cycle(org), "review")
    c = client_for(org.head.user)
    html = c.get(reverse("cycles:dashboard", args=[cycle.pk])).content.decode()
    assert 'id="chart-data"' in html and "echarts-5.6.0.simple.min.js" in html
    team = c.get(reverse("cycles:team", args=[cycle.pk])).content.decode()
    assert "提交本部门审核" in team and "运营部" in team and "客服部" not in team
    r = c.post(reverse("cycles:review", args=[cycle.pk]), {"department": str(org.cs.pk)})
    assert r.status_code == 403
    r = c.post(reverse("cycles:review", args=[cycle.pk]), {"department": "x"})
    assert r.status_code == 400


def test_plan_page_and_sign(org):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    c = client_for(org.head.user)
    r = c.post(
        reverse("cycles:plan_item", args=[p.pk]),
        {"kind": "task", "code": "launch", "name": "新品上线", "weight": "abc"},
    )
    assert r.status_code == 400 and "权重" in r.content.decode()
    r = c.post(
        reverse("cycles:plan_item", args=[p.pk]),
        {"kind": "task", "code": "launch", "name": "新品上线", "weight": "10"},
    )
    assert r.status_code == 302
    assert c.post(reverse("cycles:sign", args=[p.pk])).status_code == 302
    r = client_for(org.outsider.user).post(reverse("cycles:sign", args=[p.pk]))
    assert r.status_code == 403
    html = client_for(org.employee.user).get(reverse("cycles:participant", args=[p.pk]))
    assert "新品上线" in html.content.decode() and "签字确认计划" in html.content.decode()


def test_english_available(org):
    c = client_for(org.employee.user)
    # Chinese by default, whatever the browser asks for.
    r = c.get(reverse("cycles:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert "我的考核" in r.content.decode()
    # English once the user picks it with the language switch.
    r = c.post(reverse("set_language"), {"language": "en", "next": reverse("cycles:me")})
    assert r.status_code == 302
    r = c.get(reverse("cycles:me"))
    assert r.headers["Content-Language"] == "en"
    assert "My appraisal" in r.content.decode()


def test_who_still_owes_and_deadline_extension(org):
    cycle = walk(org, make_cycle(org), "rating")
    c = client_for(org.hr.user)
    html = c.get(reverse("cycles:dashboard", args=[cycle.pk])).content.decode()
    assert "谁还欠评分" in html and "孙运营" in html
    r = c.post(reverse("cycles:rating_deadline", args=[cycle.pk]), {"deadline": "2000-01-01"})
    assert r.status_code == 400 and "晚于现在" in r.content.decode()
    r = c.post(
        reverse("cycles:rating_deadline", args=[cycle.pk]),
        {"deadline": "2099-01-31", "reason": "大促"},
    )
    assert r.status_code == 302
    cycle.refresh_from_db()
    assert cycle.rating_deadline.year == 2099
    r = client_for(org.head.user).post(
        reverse("cycles:rating_deadline", args=[cycle.pk]), {"deadline": "2099-02-01"}
    )
    assert r.status_code == 403
    head_view = client_for(org.cs_head.user).get(reverse("cycles:dashboard", args=[cycle.pk]))
    assert "孙运营" not in head_view.content.decode()  # other departments' raters are hidden


def test_transition_buttons_only_for_allowed_roles(org):
    cycle = walk(org, make_cycle(org), "approval")
    url = reverse("cycles:dashboard", args=[cycle.pk])
    assert "批准并公布结果" in client_for(org.gm.user).get(url).content.decode()
    assert "批准并公布结果" not in client_for(org.hr.user).get(url).content.decode()
    assert "批准并公布结果" not in client_for(org.employee.user).get(url).content.decode()


def test_calibration_page_shows_quota(org):
    cycle = walk(org, make_cycle(org, grade_quotas={"A": 10}), "review")
    Participant = cycle.participants.model
    Participant.objects.filter(cycle=cycle).update(grade="A")
    html = client_for(org.hr.user).get(reverse("cycles:team", args=[cycle.pk])).content.decode()
    assert "强制分布：A 等级最多 10" in html and "error-box" in html
    english = client_for(org.hr.user)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = english.get(reverse("cycles:team", args=[cycle.pk])).content.decode()
    assert "Forced distribution: at most 10" in html
