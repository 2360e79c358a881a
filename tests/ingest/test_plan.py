"""plan_import: the preview (nothing written) and the output for `jixiao score`."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from files.helpers import csv_text, write_xlsx

from jixiao.files import read_table
from jixiao.ingest import IngestError, load_mapping, plan_import, write_output

from .conftest import CS_REPORT


def _by_emp(preview):
    return {r["employee"]: r for r in preview.table.iter_rows(named=True)}


@pytest.fixture
def gbk_report(tmp_path) -> Path:
    p = tmp_path / "客服绩效.csv"
    p.write_bytes(csv_text(CS_REPORT, title=["客服绩效报表 2026年10月"]).encode("gbk"))
    return p


def test_cs_report_preview_and_hand_computed_aggregates(gbk_report, mapping_file):
    p = plan_import(gbk_report, mapping=load_mapping(mapping_file))
    assert (p.profile, p.encoding, p.header_row) == ("cs_subaccount", "gb18030", 2)
    assert p.sha256 == hashlib.sha256(gbk_report.read_bytes()).hexdigest()
    assert p.rows_read == 5 and p.rows_used == 3
    assert [i.row for i in p.skipped] == [7] and "合计" in p.skipped[0].reason
    assert p.rejected == ()
    assert [(u.account, u.rows) for u in p.unmatched] == [("旗舰店:小王", 1)]
    rows = _by_emp(p)
    e1 = rows["E001"]
    assert (e1["name"], e1["served_customers"], e1["inquiries"], e1["paid_buyers"]) == (
        "陈晓峰",
        150,
        100,
        30,
    )
    assert e1["sales"] == Decimal("1834.50")
    # Rates are weighted, never averaged naively: (25%·80 + 50%·20) / 100 = 30%.
    assert e1["consult_conversion_rate"] == Decimal("0.3")
    assert e1["avg_order_value"] == Decimal("61.15")  # (61.73·20 + 60·10) / 30
    assert e1["first_response_seconds"] == Decimal("13.333333")  # (15·100 + 10·50) / 150
    assert e1["avg_response_seconds"] == Decimal("60")  # (80·100 + 20·50) / 150
    assert e1["reply_rate"] == Decimal("0.986667")
    assert rows["E002"]["sales"] == Decimal("300.00")
    totals = {c.code: c.total for c in p.columns}
    assert totals["served_customers"] == Decimal(180) and totals["sales"] == Decimal("2134.5")
    assert totals["reply_rate"] is None  # not additive
    assert p.problems(strict=True) and p.problems(strict=False) == ()


def test_xlsx_gives_the_same_table(tmp_path, gbk_report, mapping_file):
    x = write_xlsx(tmp_path / "r.xlsx", [["客服绩效报表"], [], *CS_REPORT])
    m = load_mapping(mapping_file)
    assert plan_import(x, mapping=m).table.equals(plan_import(gbk_report, mapping=m).table)


def test_bytes_upload_is_supported(gbk_report, mapping_file):
    p = plan_import(gbk_report.read_bytes(), name="upload.csv", mapping=load_mapping(mapping_file))
    assert p.file == "upload.csv" and p.table.height == 2


def test_unreadable_cell_rejects_the_row_with_location(tmp_path, mapping_file):
    rows = [r[:] for r in CS_REPORT]
    rows[3][9] = "十秒"
    p = tmp_path / "r.csv"
    p.write_text(csv_text(rows), encoding="utf-8")
    prev = plan_import(p, mapping=load_mapping(mapping_file))
    (issue,) = prev.rejected
    assert (issue.row, issue.column, issue.raw) == (4, "平均响应时间", "十秒")
    assert "第 4 行" in str(issue) and "十秒" in str(issue)
    assert "E002" not in _by_emp(prev)  # the row is not imported, not read as 0


def test_without_mapping_sub_accounts_are_unmatched(gbk_report):
    p = plan_import(gbk_report)
    assert p.table.height == 0
    assert {u.account for u in p.unmatched} == {"旗舰店:小冰", "旗舰店:小雪", "旗舰店:小王"}
    assert all("映射表" in (u.reason or "") for u in p.unmatched)


def test_attendance_by_employee_with_period_filter(tmp_path):
    p = tmp_path / "考勤.csv"
    p.write_text(
        "月份,工号,姓名,应出勤天数,实际出勤天数,迟到早退次数,请假天数,旷工天数\n"
        "2026-10,E001,陈晓峰,22,21,1,1,0\n"
        "2026年9月,E001,陈晓峰,21,21,0,0,0\n"
        "2026/10/15,E002,林雨桐,22,20,3,0,2\n",
        encoding="utf-8",
    )
    prev = plan_import(p, period="2026-10")
    assert prev.profile == "attendance"
    assert [i.raw for i in prev.skipped] == ["2026-09"]
    rows = _by_emp(prev)
    assert rows["E001"]["actual_attendance_days"] == Decimal(21)
    assert rows["E002"]["absent_days"] == Decimal(2) and rows["E002"]["name"] == "林雨桐"
    assert prev.periods == ("2026-10",)
    with pytest.raises(IngestError, match="YYYY-MM"):
        plan_import(p, period="2026/10")


def test_non_additive_duplicates_are_refused(tmp_path):
    p = tmp_path / "考勤.csv"
    p.write_text("工号,应出勤天数,实际出勤天数\nE001,22,21\nE001,22,20\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"E001.*实际出勤天数"):
        plan_import(p)


def test_header_units(tmp_path):
    p = tmp_path / "直播.csv"
    p.write_text(
        "工号,直播时长(分钟),GMV(万元),观看人数\nE001,90,1.5,100\nE001,00:30:00,¥2000,50\n",
        encoding="utf-8",
    )
    row = _by_emp(plan_import(p))["E001"]
    assert row["live_seconds"] == Decimal(90 * 60 + 1800)
    assert row["live_sales"] == Decimal("17000.00")
    assert row["live_viewers"] == 150


def test_name_only_sheet_maps_names(tmp_path, mapping_file):
    p = tmp_path / "财务.csv"
    p.write_text('姓名,销售额\n陈晓峰,"1,000"\n无名氏,5\n', encoding="utf-8")
    prev = plan_import(p, mapping=load_mapping(mapping_file))
    assert _by_emp(prev)["E001"]["personal_sales"] == Decimal("1000.00")
    assert [u.account for u in prev.unmatched] == ["无名氏"]


def test_bare_fractions_in_percent_column_warn(tmp_path):
    p = tmp_path / "流量.csv"
    p.write_text("工号,访客数,支付转化率\nE001,100,0.035\n", encoding="utf-8")
    prev = plan_import(p)
    assert any("percent_bare: fraction" in w for w in prev.warnings)


def test_unknown_headers_and_named_profile(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("编号,甲,乙\n1,2,3\n", encoding="utf-8")
    with pytest.raises(IngestError, match="不符合任何导入方案"):
        plan_import(p)
    with pytest.raises(IngestError, match="没有名为“nope”的导入方案"):
        plan_import(p, profile="nope")
    with pytest.raises(IngestError, match="finance_sales"):
        plan_import(p, profile="finance_sales")


def test_write_output_round_trips_for_score(tmp_path, gbk_report, mapping_file):
    prev = plan_import(gbk_report, mapping=load_mapping(mapping_file))
    out = write_output(prev.table, tmp_path / "data.csv")
    back = read_table(out).frame
    assert back.columns[:2] == ["employee", "name"]
    assert back.filter(back["employee"] == "E001")["sales"][0] == "1834.5"
    assert back.filter(back["employee"] == "E001")["reply_rate"][0] == "0.986667"
    x = write_output(prev.table, tmp_path / "data.xlsx")
    assert read_table(x).frame.height == 2
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".jixiao")] == []


def test_write_output_refuses_bad_targets(tmp_path, gbk_report, mapping_file):
    prev = plan_import(gbk_report, mapping=load_mapping(mapping_file))
    with pytest.raises(IngestError, match=r"\.csv 或 \.xlsx"):
        write_output(prev.table, tmp_path / "data.txt")
    with pytest.raises(IngestError, match="不存在"):
        write_output(prev.table, tmp_path / "nope" / "data.csv")


def test_english_headers_equal_to_codes(tmp_path):
    p = tmp_path / "traffic.csv"
    p.write_text('employee,uv,pv\nE001,"1,000",abc\n', encoding="utf-8")
    prev = plan_import(p, profile="shop_traffic")
    (issue,) = prev.rejected
    assert (issue.raw, issue.row) == ("abc", 2)
    p.write_text('employee,uv,pv\nE001,"1,000",3000\n', encoding="utf-8")
    row = _by_emp(plan_import(p, profile="shop_traffic"))["E001"]
    assert (row["uv"], row["pv"]) == (1000, 3000)


def _without(rows, header):
    i = rows[0].index(header)
    return [[v for j, v in enumerate(r) if j != i] for r in rows]


def test_rate_without_its_weight_column_is_still_read_and_checked(tmp_path, mapping_file):
    # One row per person: 询单转化率 is imported as written even though 询单人数 is absent,
    # and its cells are still checked, so a bad one is rejected rather than dropped unseen.
    rows = _without([r[:] for r in CS_REPORT], "询单人数")
    rows = [rows[0], rows[1], rows[3]]  # 小冰 once, 小雪 once
    rows[2][rows[0].index("询单转化率")] = "x"
    p = tmp_path / "r.csv"
    p.write_text(csv_text(rows), encoding="utf-8")
    prev = plan_import(p, mapping=load_mapping(mapping_file))
    assert [(i.column, i.raw) for i in prev.rejected] == [("询单转化率", "x")]
    assert _by_emp(prev)["E001"]["consult_conversion_rate"] == Decimal("0.25")


def test_rate_without_weight_cannot_combine_several_rows(tmp_path, mapping_file):
    rows = _without([r[:] for r in CS_REPORT], "询单人数")  # 小冰 has two rows
    p = tmp_path / "r.csv"
    p.write_text(csv_text(rows), encoding="utf-8")
    with pytest.raises(IngestError, match=r"询单转化率.*inquiries"):
        plan_import(p, mapping=load_mapping(mapping_file))
