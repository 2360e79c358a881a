"""From platform exports to scores: import a customer-service report and an attendance sheet,
then score the built-in 淘宝客服 scheme on the imported files plus a QA sheet."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jixiao.cli import _register, app
from jixiao.library import get_template

_register()
runner = CliRunner()


def invoke(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.stderr + r.stdout
    return r.stdout


def test_import_reports_then_score_taobao_cs(tmp_path: Path) -> None:
    # The customer-service report as 赤兔 exports it: GBK, a title row, per sub-account.
    cs = tmp_path / "客服绩效.csv"
    cs.write_bytes(
        (
            "客服绩效报表 2026-10\n"
            "旺旺,接待人数,询单人数,最终付款人数,询单转化率,销售额,平均响应时间,回复率\n"
            '旗舰店:小冰,820,400,288,72.00%,"186,000.00",12秒,99.20%\n'
            '旗舰店:小雪,760,380,239,62.89%,"152,000.00",00:00:17,97.50%\n'
            '旗舰店:小雨,700,350,168,48.00%,"98,000.00",1分05秒,90.00%\n'
        ).encode("gbk")
    )
    mapping = tmp_path / "accounts.csv"
    mapping.write_text(
        "shop,sub_account,employee\n旗舰店,小冰,E001\n旗舰店,小雪,E002\n旗舰店,小雨,E003\n",
        encoding="utf-8",
    )
    attendance = tmp_path / "考勤.csv"
    attendance.write_text(
        "工号,姓名,应出勤天数,实际出勤天数,迟到早退次数,请假天数,旷工天数\n"
        "E001,李晓雯,22,22,0,0,0\nE002,张一鸣,22,20,1,2,0\nE003,王小雨,22,21,0,1,0\n",
        encoding="utf-8",
    )
    qa = tmp_path / "质检.csv"
    qa.write_text(
        "employee,group,violation_count,bad_review_count,fatal_errors\n"
        "E001,售前一组,1,0,0\nE002,售前一组,6,1,0\nE003,售前一组,2,0,1\n",
        encoding="utf-8",
    )
    cs_out, att_out = tmp_path / "cs_metrics.csv", tmp_path / "attendance_metrics.csv"
    invoke("import", "file", str(cs), "--mapping", str(mapping), "--out", str(cs_out))
    invoke("import", "file", str(attendance), "--out", str(att_out))
    ratings = get_template("taobao_cs").ratings_path
    out = invoke(
        "score",
        "-s",
        "taobao_cs",
        "-d",
        str(cs_out),
        "-d",
        str(att_out),
        "-d",
        str(qa),
        "-r",
        str(ratings),
        "-f",
        "json",
    )
    by = {r["employee"]: r for r in json.loads(out)}
    assert set(by) == {"E001", "E002", "E003"}
    # 12 s average response falls in the ≤ 15 s band; 65 s in the > 30 s band.
    assert by["E001"]["items"]["response_time"] == 10.0
    assert by["E003"]["items"]["response_time"] == 0.0
    assert "接待平均响应时间 12 秒" in by["E001"]["traces"]["response_time"]["zh"]
    # 72% conversion is in the top band; the imported percentage is a fraction, not 72.
    assert "咨询转化率 72%" in by["E001"]["traces"]["consult_conversion"]["zh"]
    # E003's fatal error vetoes the total.
    assert by["E003"]["total"] == 0.0
    assert by["E001"]["rank"] == 1


def test_score_refuses_a_column_in_two_data_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("employee,sales\nE1,1\n", encoding="utf-8")
    b.write_text("employee,sales\nE1,2\n", encoding="utf-8")
    r = runner.invoke(app, ["score", "-s", "taobao_cs", "-d", str(a), "-d", str(b)])
    assert r.exit_code == 2
    assert "sales" in r.stderr and str(a) in r.stderr and str(b) in r.stderr


def test_bad_cell_in_second_data_file_names_that_file_and_row(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    cols = "avg_response_seconds,consult_conversion_rate,sales,violation_count,bad_review_count,fatal_errors,leave_days,absent_days"
    a.write_text(
        f"employee,name,{cols}\nE1,甲,12,0.5,1,0,0,0,0,0\nE2,乙,13,0.6,1,0,0,0,0,0\n",
        encoding="utf-8",
    )
    b.write_text("employee,reply_rate\nE2,九成\nE1,95%\n", encoding="utf-8")
    r = runner.invoke(app, ["score", "-s", "taobao_cs", "-d", str(a), "-d", str(b)])
    assert r.exit_code == 2
    assert str(b) in r.stderr and "第 2 行" in r.stderr and "九成" in r.stderr
