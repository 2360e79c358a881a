"""Hostile numbers through every numeric form and import: refused with a Chinese message naming
the field and the allowed range (never a 500, nothing stored), and a cycle never gets stuck.

Issue 9, item 1: ``1e15`` posted as a metric value was stored on SQLite and then made the
person page, every overwrite and the start of the review a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from jixiao.web import numbers
from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Appeal, MetricValue, Participant, PlanItem, TargetChange
from jixiao.web.payroll.models import PayInput, Payslip

from ..factories import client_for, go, make_cycle, participant, published_version, walk
from ..payroll.helpers import HEADER, computed_run

HOSTILE = [
    "1e15",
    "1e400",
    "-1e400",
    "12345678901234567890",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1_000",
    "٣",  # Arabic-Indic digit: Decimal() would take it
    "0.000001",
    "1e-999999999",
    "9" * 5000,
]
RANGE = "应是"  # every refusal says what the value should be


def _refused(r, *words: str) -> str:
    assert r.status_code == 400, r.status_code
    html = r.content.decode()
    for w in words:
        assert w in html, w
    return html


@pytest.fixture
def running(org):
    return walk(org, make_cycle(org), "running")


@pytest.mark.parametrize("value", HOSTILE)
def test_metric_value_out_of_domain_is_refused_and_the_cycle_moves_on(org, running, value):
    p = participant(running, org.employee)
    head = client_for(org.head.user)
    r = head.post(reverse("cycles:metric", args=[p.pk]), {"code": "sales", "value": value})
    _refused(r, "“sales”应是")
    assert not MetricValue.objects.exists()
    # nothing stuck: the page shows, HR overwrites, the review starts
    assert head.get(reverse("cycles:participant", args=[p.pk])).status_code == 200
    hr = client_for(org.hr.user)
    r = hr.post(reverse("cycles:metric", args=[p.pk]), {"code": "sales", "value": "120000"})
    assert r.status_code == 302
    walk(org, running, "review")


@pytest.mark.parametrize("value", ["1e15", "1e400", "12345678901234567890"])
def test_too_large_metric_message_names_the_range(org, running, value):
    p = participant(running, org.employee)
    r = client_for(org.head.user).post(
        reverse("cycles:metric", args=[p.pk]), {"code": "sales", "value": value}
    )
    _refused(r, "“sales”应是 -999,999,999,999 到 999,999,999,999 之间、最多 4 位小数的数")


def test_the_largest_metric_is_stored_read_and_scored(org, running):
    p = participant(running, org.employee)
    head = client_for(org.head.user)
    big = "999999999999"
    r = head.post(reverse("cycles:metric", args=[p.pk]), {"code": "sales", "value": big})
    assert r.status_code == 302
    assert MetricValue.objects.get().value == Decimal(big)
    assert head.get(reverse("cycles:participant", args=[p.pk])).status_code == 200
    walk(org, running, "review")


def test_full_width_digits_are_read(org, running):
    p = participant(running, org.employee)
    r = client_for(org.head.user).post(
        reverse("cycles:metric", args=[p.pk]), {"code": "sales", "value": "１２，０００"}
    )
    assert r.status_code == 302 and MetricValue.objects.get().value == 12000


@pytest.mark.parametrize("value", ["1e15", "NaN", "-inf", "99999999999999999999"])
def test_metric_csv_import_refuses_out_of_domain_values(org, running, value):
    content = f"工号,sales\n{org.employee.number},{value}\n{org.peer.number},100\n".encode()
    r = client_for(org.hr.user).post(
        reverse("cycles:import", args=[running.pk]),
        {"file": SimpleUploadedFile("d.csv", content)},
    )
    _refused(r, "第 2 行“sales”列", RANGE)
    assert not MetricValue.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("weight", "-5", "“权重”应是 0 到 100 之间"),
        ("weight", "1e400", "“权重”应是 0 到 100 之间"),
        ("target", "-1", "“目标值”应是 0 到 999,999,999,999 之间"),
        ("target", "1e15", "“目标值”应是 0 到 999,999,999,999 之间"),
        ("target", "inf", "“目标值”应是数字"),
        ("target", "0.001", "最多 2 位小数"),
    ],
)
def test_plan_item_numbers(org, field, value, words):
    cycle = walk(org, make_cycle(org), "planning")
    p = participant(cycle, org.employee)
    data = {"kind": "kpi", "code": "x1", "name": "新指标", "weight": "10", "target": "5"}
    r = client_for(org.head.user).post(
        reverse("cycles:plan_item", args=[p.pk]), {**data, field: value}
    )
    _refused(r, words)
    assert not PlanItem.objects.filter(code="x1").exists()


@pytest.mark.parametrize("value", ["1e15", "-3", "NaN"])
def test_target_change_numbers(org, value):
    cycle = make_cycle(org, version=published_version(org, "ops-monthly"))
    cycle.scheme_versions.add(published_version(org))
    cycle = walk(org, cycle, "running")
    item = participant(cycle, org.employee).plan_items.get(code="sales_target")
    r = client_for(org.head.user).post(
        reverse("cycles:target_change", args=[item.pk]), {"new_target": value, "reason": "调整"}
    )
    _refused(r, "“新目标值”应是")
    assert not TargetChange.objects.exists()


@pytest.mark.parametrize("value", ["1e400", "-1", "NaN", "30.123"])
def test_rating_numbers(org, value):
    cycle = walk(org, make_cycle(org), "rating")
    from jixiao.web.cycles.models import Rating

    r = Rating.objects.filter(participant__cycle=cycle, rater=org.head).first()
    resp = client_for(org.head.user).post(reverse("cycles:rate", args=[r.pk]), {"score": value})
    assert resp.status_code == 400
    r.refresh_from_db()
    assert r.score == ""


@pytest.mark.parametrize("value", ["1e15", "-1", "inf", "1001"])
def test_appeal_total_numbers(org, value):
    cycle = go(org, walk(org, make_cycle(org), "published"), "open_confirmation")
    p = participant(cycle, org.employee)
    cs.appeal_file(user=org.employee.user, participant=p, reason="不公")
    appeal = Appeal.objects.get()
    data = {"upheld": "1", "decision": "成立", "new_total": value}
    r = client_for(org.supervisor.user).post(
        reverse("cycles:appeal_decide", args=[appeal.pk]), data
    )
    _refused(r, "“新总分”应是")
    assert Appeal.objects.get().is_open


@pytest.mark.parametrize("value", ["1e400", "-1", "3.5", "99999999999999999999", "400"])
def test_absence_days(org, running, value):
    p = participant(running, org.employee)
    r = client_for(org.hr.user).post(
        reverse("cycles:absence", args=[p.pk]), {"absent_days": value, "reason": "x"}
    )
    _refused(r, "“缺勤天数”应是 0 到 366 之间的整数")
    assert Participant.objects.get(pk=p.pk).absent_days == 0


@pytest.fixture
def run(org):
    return computed_run(org, walk(org, make_cycle(org), "published"))


@pytest.mark.parametrize("value", ["1e400", "NaN", "12345678901234567890"])
def test_pay_input_value(org, run, value):
    data = {"employee": org.employee.number, "column": "个人销售额", "value": value, "reason": "x"}
    r = client_for(org.hr.user).post(reverse("payroll:run_input_set", args=[run.pk]), data)
    _refused(r, "“个人销售额”应是")
    assert PayInput.objects.get(run=run, employee=org.employee).values["个人销售额"] != value


@pytest.mark.parametrize("value", ["1e15", "inf", "-1e400"])
def test_pay_input_upload(org, run, value):
    content = (HEADER + f"{org.employee.number},{org.employee.name},{value},1,0,0,\n").encode()
    r = client_for(org.hr.user).post(
        reverse("payroll:run_inputs", args=[run.pk]),
        {"file": SimpleUploadedFile("in.csv", content)},
    )
    _refused(r, "第 2 行", "“个人销售额”应是")
    assert PayInput.objects.filter(run=run).count() == 3  # the earlier inputs stay


@pytest.mark.parametrize("value", ["1e15", "inf", "NaN", "0.001"])
def test_adjustment_amount(org, run, value):
    slip = Payslip.objects.get(run=run, employee=org.employee)
    hr = client_for(org.hr.user)
    page = hr.get(reverse("payroll:slip", args=[slip.pk])).content.decode()
    component = page.split('name="component"')[1].split('value="')[1].split('"')[0]
    data = {"component": component, "amount": value, "reason": "奖励"}
    r = hr.post(reverse("payroll:slip_adjust", args=[slip.pk]), data)
    _refused(r, "“金额（奖励填正数、处罚填负数）”应是")


# --- huge ids -----------------------------------------------------------------------------------

HUGE = "9999999999999999999999999"


def test_huge_ids_in_urls_are_404(org, running):
    hr = client_for(org.hr.user)
    for url in [
        f"/p/{HUGE}/",
        f"/p/{HUGE}/metric/",
        f"/cycles/{HUGE}/",
        f"/api/cycles/{HUGE}/results.json",
        f"/payroll/runs/{HUGE}/",
        f"/schemes/versions/{HUGE}/",
        f"/imports/{HUGE}/",
        f"/employees/{HUGE}/",
    ]:
        assert hr.get(url).status_code == 404, url
        assert hr.post(url, {"value": "1"}).status_code in (404, 405), url


def test_huge_ids_in_forms_are_refused(org, running):
    hr = client_for(org.hr.user)
    r = hr.post(
        reverse("cycles:new"),
        {"name": "x", "start": "2026-11-01", "end": "2026-11-30", "versions": [HUGE]},
    )
    assert r.status_code in (302, 400, 404)  # an id no row can have is no version
    r = hr.post(reverse("cycles:review", args=[running.pk]), {"department": HUGE})
    assert r.status_code == 400
    r = hr.get(reverse("audit:list") + f"?cycle={HUGE}&employee={HUGE}")
    assert r.status_code == 200
    r = hr.post(reverse("payroll:run_new", args=[running.pk]), {"version": HUGE})
    assert r.status_code in (400, 404)


def test_huge_ids_in_the_admin_are_not_a_500(org, admin_client):
    for path in ["/admin/cycles/cycle/", "/admin/org/employee/"]:
        r = admin_client.get(f"{path}{HUGE}/change/")
        assert r.status_code in (302, 404), path


# --- the domains fit the columns -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "model", "name"),
    [
        (numbers.METRIC, MetricValue, "value"),
        (numbers.TARGET, PlanItem, "target"),
        (numbers.TARGET, TargetChange, "new_target"),
        (numbers.PERCENT, PlanItem, "weight"),
        (numbers.TOTAL, Appeal, "new_total"),
        (numbers.TOTAL, Participant, "total"),
        (numbers.AMOUNT, Payslip, "net"),
    ],
)
def test_each_domain_fits_its_column(domain, model, name):
    """The largest accepted values fit ``max_digits`` (which SQLite
    does not enforce on write but does on read) and ``decimal_places``."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.DecimalField)
    assert domain.places <= field.decimal_places
    for bound in (domain.minimum, domain.maximum):
        digits = len(
            abs(bound).quantize(Decimal(1).scaleb(-field.decimal_places)).as_tuple().digits
        )
        assert digits <= field.max_digits, (model, name, bound)


@pytest.mark.parametrize("value", ["NaN", "inf", "-inf", "1e400", "1e15", "12345678901234567890"])
def test_platform_export_with_hostile_numbers_is_never_a_500(org, running, value):
    from ..imports.helpers import csv_bytes, map_accounts

    map_accounts(org)
    rows = [["旗舰店", "小冰", value, value, "98%"]]
    hr = client_for(org.hr.user)
    f = SimpleUploadedFile("客服.csv", csv_bytes(rows))
    r = hr.post(reverse("imports:upload", args=[running.pk]), {"file": f})
    assert r.status_code in (302, 400)
    from jixiao.web.imports.models import ImportBatch

    batch = ImportBatch.objects.first()
    if batch is not None:
        assert hr.get(reverse("imports:batch", args=[batch.pk])).status_code == 200
        r = hr.post(reverse("imports:commit", args=[batch.pk]))
        assert r.status_code in (302, 400)
    walk(org, running, "review")  # whatever was written, the cycle moves on
