"""Formula injection: every web export (results CSV, payroll and pay-slip XLSX, results JSON)
writes names, grades and reasons a spreadsheet would run as text, the same way."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from jixiao.files import read_table
from jixiao.web.cycles.models import Participant
from jixiao.web.org.models import Employee
from jixiao.web.payroll import services as ps
from jixiao.web.payroll.models import Payslip

from ..factories import client_for, make_cycle, walk
from ..payroll.helpers import computed_run

# (stored text, as a spreadsheet cell must hold it). Grades hold at most 16 characters.
NAMES = [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+SUM(1,2)", "'+SUM(1,2)"),
    ("-1+1", "'-1+1"),
    ("@cmd", "'@cmd"),
    ("\tX", "'\tX"),
]
GRADES = [
    ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
    ("+SUM(1,2)", "'+SUM(1,2)"),
    ("-1+1", "'-1+1"),
    ("@cmd", "'@cmd"),
    ("\tX", "'\tX"),
]


@pytest.fixture
def hostile_people(org):
    """Five people whose names and calibrated grades are formulas."""
    people = list(Employee.objects.order_by("number")[: len(NAMES)])
    for emp, (name, _) in zip(people, NAMES, strict=True):
        Employee.objects.filter(pk=emp.pk).update(name=name)
    return people


def test_results_csv_export_neutralises_names_and_grades(org, hostile_people):
    cycle = walk(org, make_cycle(org), "published")
    for emp, (grade, _) in zip(hostile_people, GRADES, strict=True):
        Participant.objects.filter(cycle=cycle, employee=emp).update(grade=grade)
    r = client_for(org.gm.user).get(reverse("cycles:export", args=[cycle.pk]))
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    by_number = {row[0]: row for row in rows[1:]}
    for emp, (_, name), (_, grade) in zip(hostile_people, NAMES, GRADES, strict=True):
        row = by_number[emp.number]
        assert row[1] == name
        if row[5]:  # eligible people have a grade
            assert row[5] == grade
    totals = [row[4] for row in rows[1:] if row[4]]
    assert totals and all(not t.startswith("'") for t in totals)  # numbers stay numbers
    # Our own export reads back as it was stored.
    back = read_table(r.content, name="cycle.csv").frame
    assert set(back.get_column("姓名").to_list()) >= {n for n, _ in NAMES}


def test_payroll_exports_neutralise_names_and_reasons(org, hostile_people):
    cycle = walk(org, make_cycle(org), "published")
    run = computed_run(org, cycle, people=hostile_people[:3])
    ps.payroll_adjustment_set(
        user=org.hr.user,
        run=run,
        employee=hostile_people[0],
        component="奖惩金额",
        amount=-100,
        reason="@SUM(1,2)",
    )
    ps.payroll_run_compute(user=org.hr.user, run=run)
    gm = client_for(org.gm.user)
    r = gm.get(reverse("payroll:run_export", args=[run.pk]))
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f"  # never a formula
                if isinstance(c.value, str):
                    texts.append(c.value)
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]
    sheet = wb["工资表"]
    names = {sheet.cell(i, 2).value for i in range(3, 6)}
    assert names == {written for _, written in NAMES[:3]}
    amounts = [sheet.cell(i, 4).value for i in range(3, 6)]
    assert all(isinstance(a, int | float) for a in amounts)  # numbers stay numbers
    slip = Payslip.objects.get(run=run, employee=hostile_people[0])
    r = gm.get(reverse("payroll:slip_export", args=[slip.pk]))
    ws = openpyxl.load_workbook(io.BytesIO(r.content))["工资条"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == "'@SUM(1,2)" or "@SUM(1,2)" in str(c.value) for c in cells)
    assert not [
        c.value
        for c in cells
        if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))
    ]


def test_results_json_keeps_text_as_it_is(org, hostile_people):
    cycle = walk(org, make_cycle(org), "published")
    r = client_for(org.gm.user).get(reverse("cycles:api_results", args=[cycle.pk]))
    assert r["Content-Type"].startswith("application/json")
    names = {p["name"] for p in json.loads(r.content)["results"]}
    assert names >= {n for n, _ in NAMES}  # JSON is data, not a spreadsheet: unchanged
