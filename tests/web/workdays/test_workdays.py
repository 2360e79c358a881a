"""Working days follow China's public holidays and 调休 make-up days (chinese-calendar);
deadlines end at 23:59 local time; a year the calendar does not know counts Mon–Fri, with a
warning wherever the deadline is shown."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import zoneinfo

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jixiao.web import workdays
from jixiao.web.cycles.models import Cycle
from jixiao.web.workdays import (
    Deadline,
    calendar_knows,
    date_from_form,
    deadline_from_form,
    is_working_day,
    working_deadline,
)

from ..factories import go, make_cycle, participant, walk
from ..timeutil import aware, frozen

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FAR = 2099  # a year chinese-calendar will not know for a long time


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_the_configured_time_zone_is_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-09-30", True),  # Wednesday before National Day
        ("2026-10-01", False),  # 国庆节
        ("2026-10-05", False),  # a Monday, still the holiday
        ("2026-10-07", False),
        ("2026-10-08", True),
        ("2026-10-10", True),  # Saturday: 调休 make-up working day
        ("2026-10-11", False),  # an ordinary Sunday
    ],
)
def test_national_day_2026(day, working):
    assert is_working_day(dt.date.fromisoformat(day)) is working


def test_three_working_days_across_national_day_end_on_the_make_up_saturday():
    d = working_deadline(local(2026, 9, 30, 10), 3)
    # Oct 1–7 off; Thu 8, Fri 9, and Saturday 10 (调休) is a working day
    assert d == Deadline(local(2026, 10, 10, 23, 59, 59), weekdays_only=False)
    assert d.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") == "2026-10-10 23:59"


def test_five_working_days_before_national_day():
    # Tue 29 Sep: Wed 30, Thu 8, Fri 9, Sat 10 (调休), Mon 12
    assert working_deadline(local(2026, 9, 29, 18), 5).at == local(2026, 10, 12, 23, 59, 59)


def test_the_local_day_counts_not_the_utc_day():
    """07:30 on Friday in Shanghai is still Thursday in UTC: the old code counted from
    Thursday and ended the deadline at 23:59 UTC (07:59 the next morning locally)."""
    start = local(2026, 11, 6, 7, 30)  # Fri
    assert start.astimezone(dt.UTC).day == 5
    d = working_deadline(start, 3)
    assert d.at == local(2026, 11, 11, 23, 59, 59)  # Mon, Tue, Wed
    assert timezone.localtime(d.at).strftime("%H:%M") == "23:59"


def test_unknown_year_counts_monday_to_friday_and_logs_once(caplog):
    workdays._logged_years.discard(FAR)
    assert not calendar_knows(FAR) and calendar_knows(2026)
    with caplog.at_level(logging.WARNING, logger="jixiao.web.workdays"):
        d = working_deadline(local(FAR, 3, 6, 9), 3)  # a Friday
        working_deadline(local(FAR, 3, 6, 9), 5)
    assert d == Deadline(local(FAR, 3, 11, 23, 59, 59), weekdays_only=True)
    logged = [r for r in caplog.records if str(FAR) in r.getMessage()]
    assert len(logged) == 1


def test_a_deadline_picked_in_a_form_ends_that_day_locally():
    assert deadline_from_form("2026-10-10", field="deadline") == local(2026, 10, 10, 23, 59, 59)
    assert deadline_from_form(" ", field="deadline") is None
    assert date_from_form("2026-10-10", field="start") == dt.date(2026, 10, 10)


# --- the cycle's deadlines, stored and shown -------------------------------------------------


def test_appeal_deadline_over_national_day_shown_at_23_59(org):
    cycle = walk(org, make_cycle(org), "published")
    with frozen(aware(2026, 9, 30, 10)):
        cycle = go(org, cycle, "open_confirmation")
    cycle.refresh_from_db()
    assert cycle.appeal_deadline == local(2026, 10, 10, 23, 59, 59)
    assert not cycle.appeal_deadline_weekdays_only
    c = Client()
    c.force_login(org.employee.user)
    html = c.get(reverse("cycles:dashboard", args=[cycle.pk])).content.decode()
    assert "2026-10-10 23:59" in html and "07:59" not in html
    assert "calendar-warning" not in html
    p = participant(cycle, org.employee)
    html = c.get(reverse("cycles:participant", args=[p.pk])).content.decode()
    assert "2026-10-10 23:59" in html


def test_default_rating_deadline_is_five_working_days(org):
    cycle = walk(org, make_cycle(org), "running")
    with frozen(aware(2026, 9, 29, 18)):
        cycle = go(org, cycle, "start_rating")
    cycle.refresh_from_db()
    assert cycle.rating_deadline == local(2026, 10, 12, 23, 59, 59)
    c = Client()
    c.force_login(org.head.user)
    html = c.get(reverse("cycles:ratings", args=[cycle.pk])).content.decode()
    assert "2026-10-12 23:59" in html


def test_a_year_the_calendar_does_not_know_is_flagged_wherever_the_deadline_shows(org):
    cycle = walk(org, make_cycle(org), "running")
    with frozen(local(FAR, 3, 6, 9)):
        cycle = go(org, cycle, "start_rating")
    cycle.refresh_from_db()
    assert cycle.rating_deadline_weekdays_only
    assert cycle.rating_deadline == local(FAR, 3, 13, 23, 59, 59)  # Mon–Fri, 5 days
    c = Client()
    c.force_login(org.head.user)
    for url in (
        reverse("cycles:dashboard", args=[cycle.pk]),
        reverse("cycles:ratings", args=[cycle.pk]),
    ):
        html = c.get(url).content.decode()
        assert f"{FAR}-03-13 23:59" in html
        assert f"{FAR} 年的法定节假日和调休尚未收录" in html, url
    # a date HR picks is exactly that date: no warning
    c.force_login(org.hr.user)
    r = c.post(reverse("cycles:rating_deadline", args=[cycle.pk]), {"deadline": f"{FAR}-03-20"})
    assert r.status_code == 302 and r.url == reverse("cycles:dashboard", args=[cycle.pk])
    cycle.refresh_from_db()
    assert not cycle.rating_deadline_weekdays_only
    assert cycle.rating_deadline == local(FAR, 3, 20, 23, 59, 59)


def test_the_warning_in_english(org):
    cycle = walk(org, make_cycle(org), "published")
    with frozen(local(FAR, 3, 6, 9)):
        cycle = go(org, cycle, "open_confirmation")
    c = Client()
    c.force_login(org.employee.user)
    c.cookies["django_language"] = "en"
    html = c.get(reverse("cycles:dashboard", args=[cycle.pk])).content.decode()
    assert f"The public holidays and make-up working days of {FAR} are not known yet" in html


def test_migration_moves_old_utc_deadlines_to_the_end_of_the_local_day(org):
    """Deadlines stored by the old code at 23:59:59 UTC become 23:59:59 Shanghai time."""
    cycle = walk(org, make_cycle(org), "published")
    old = dt.datetime(2026, 11, 11, 23, 59, 59, tzinfo=dt.UTC)  # shown as 11-12 07:59
    picked = local(2026, 11, 20, 23, 59, 59)  # a date HR picked: already right
    Cycle.objects.filter(pk=cycle.pk).update(appeal_deadline=old, rating_deadline=picked)
    migration = importlib.import_module("jixiao.web.cycles.migrations.0002_deadline_calendar")
    migration.end_of_local_day(apps, None)
    cycle.refresh_from_db()
    assert cycle.appeal_deadline == local(2026, 11, 11, 23, 59, 59)
    assert cycle.rating_deadline == picked
