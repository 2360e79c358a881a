"""`jixiao pay` through Typer's CliRunner, including bad input files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from pay_helpers import write_csv, write_results
from typer.testing import CliRunner

from jixiao.cli import _register, app
from jixiao.pay import LIBRARY

_register()
runner = CliRunner()
KEFU = LIBRARY / "kefu_zhuanyuan.yaml"
HEADER = ["工号", "姓名", "个人销售额", "中评修改个数", "差评修改个数", "奖惩", "奖惩原因"]


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["pay", *args])


def files(tmp_path: Path, name: str = "张三") -> tuple[Path, Path]:
    inputs = write_csv(
        tmp_path / "in.csv",
        HEADER,
        [
            ["E1", name, "1000", "1", "0", "-50", '=HYPERLINK("x")'],
            ["E2", "李四", "2000", "0", "1", "0", ""],
        ],
    )
    results = write_results(tmp_path / "r.json", {"E1": 86.5, "E2": 60})
    return inputs, results


def test_payroll_to_xlsx_json_csv(tmp_path: Path) -> None:
    inputs, results = files(tmp_path, name="=SUM(A1:A9)")
    xlsx, js, cs = tmp_path / "pay.xlsx", tmp_path / "pay.json", tmp_path / "pay.csv"
    r = invoke(
        "--plan",
        str(KEFU),
        "--results",
        str(results),
        "--inputs",
        str(inputs),
        "--out",
        str(xlsx),
        "--out",
        str(js),
        "--out",
        str(cs),
    )
    assert r.exit_code == 0, r.output
    assert "2 人" in r.output
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["工资表", "工资条", "说明"]
    sheet = wb["工资表"]
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["工号", "姓名", "组别"] and header[-1] == "实发合计"
    assert len(header) == 3 + 5 + 1
    row = [c.value for c in sheet[3]]
    # 500 × 1.2 + 1000 × 2% + 10 − 50 = 580
    assert row[0] == "E1" and row[-1] == 580
    # Text that would run as a formula gets a leading apostrophe, in XLSX as in CSV.
    assert sheet.cell(3, 2).data_type == "s" and sheet.cell(3, 2).value == "'=SUM(A1:A9)"
    totals = [c.value for c in sheet[5]]
    assert totals[0] == "合计" and totals[-1] == 580 + (250 + 40 + 20)  # E2: 60 → 0.5
    slips = [c.value for c in wb["工资条"]["A"] if c.value]
    assert any("工资条" in str(v) and "E1" in str(v) for v in slips)
    assert "实发合计" in slips
    explanations = [c.value for c in wb["工资条"]["C"] if c.value]
    assert "绩效系数 1.2（得分 86.5，落在 [80, 95)）× 底薪 500.00 = 600.00" in explanations
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["employees"][0]["net"] == "580.00"
    assert doc["employees"][0]["components"][0]["trace"].startswith("绩效系数 1.2")
    assert doc["totals"]["net"] == "890.00"
    rows = list(csv.reader(io.StringIO(cs.read_text(encoding="utf-8-sig"))))
    assert rows[1][1] == "'=SUM(A1:A9)"  # formula injection neutralised in CSV
    assert rows[-1][0] == "合计"


def test_reason_text_in_slips_is_never_a_formula(tmp_path: Path) -> None:
    inputs, results = files(tmp_path)
    xlsx = tmp_path / "pay.xlsx"
    assert (
        invoke(
            "--plan", "kefu_zhuanyuan", "-r", str(results), "-i", str(inputs), "-o", str(xlsx)
        ).exit_code
        == 0
    )
    cells = [c for c in load_workbook(xlsx)["工资条"]["C"] if c.value]
    assert all(c.data_type == "s" for c in cells)
    assert any('=HYPERLINK("x")' in str(c.value) for c in cells)


def test_csv_to_stdout_without_out(tmp_path: Path) -> None:
    inputs, results = files(tmp_path)
    r = invoke("--plan", "kefu_zhuanyuan", "-r", str(results), "-i", str(inputs))
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0].startswith("工号,姓名,组别")


def test_bad_input_files(tmp_path: Path) -> None:
    inputs, results = files(tmp_path)
    r = invoke("--plan", "kefu_zhuanyuan", "-r", str(tmp_path / "missing.json"), "-i", str(inputs))
    assert r.exit_code == 1 and "missing.json" in r.output and "找不到文件" in r.output
    bad = write_csv(tmp_path / "bad.csv", HEADER, [["E1", "x", "abc", "0", "0", "0", ""]])
    r = invoke("--plan", "kefu_zhuanyuan", "-r", str(results), "-i", str(bad))
    assert r.exit_code == 1 and "bad.csv 第 2 行 列 '个人销售额'" in r.output
    assert "Traceback" not in r.output
    (tmp_path / "r.json").write_text("[1, 2", encoding="utf-8")
    r = invoke("--plan", "kefu_zhuanyuan", "-r", str(results), "-i", str(inputs))
    assert r.exit_code == 1 and "不是有效的 JSON" in r.output


def test_usage_errors(tmp_path: Path) -> None:
    inputs, results = files(tmp_path)
    assert invoke().exit_code == 2
    r = invoke("--plan", "nope", "-r", str(results), "-i", str(inputs))
    assert r.exit_code == 1 and "内置方案" in r.output
    r = invoke(
        "--plan",
        "kefu_zhuanyuan",
        "-r",
        str(results),
        "-i",
        str(inputs),
        "-o",
        str(tmp_path / "x.pdf"),
    )
    assert r.exit_code == 2 and ".xlsx" in r.output
    r = invoke("--plan", "kefu_gonggong", "-i", str(inputs), "--param", "公共销售额")
    assert r.exit_code == 2 and "名称=数值" in r.output
    r = invoke("--plan", "kefu_gonggong", "-i", str(inputs), "--param", "不存在=1")
    assert r.exit_code == 1 and "没有参数" in r.output


def test_params_and_approvals(tmp_path: Path) -> None:
    sample = LIBRARY / "nianzhong_tuandui.inputs.csv"
    r = invoke("--plan", "nianzhong_tuandui", "-i", str(sample))
    assert r.exit_code == 1 and "--approve 团队奖" in r.output
    r = invoke(
        "--plan",
        "nianzhong_tuandui",
        "-i",
        str(sample),
        "--approve",
        "团队奖",
        "--param",
        "年度完成率=50%",
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[-1].endswith("56000.00")


def test_check_plans_show_schema() -> None:
    r = invoke("check", str(Path(__file__).parent / "data" / "wenan_c1_as_written.yaml"), str(KEFU))
    assert r.exit_code == 1
    assert "第 2 档 [60, 70) 与 第 4 档 [60, 70) 重叠" in r.output
    assert "✓" in r.output
    r = invoke("plans")
    assert r.exit_code == 0 and "wenan_c1" in r.output and "店铺营业额" in r.output
    r = invoke("show", "wenan_c1")
    assert r.exit_code == 0 and "删去排序错乱的第二行" in r.output and "inputs.csv" in r.output
    assert invoke("show", "nope").exit_code == 1
    r = invoke("schema")
    assert r.exit_code == 0 and "components" in json.loads(r.stdout)["properties"]


def test_unwritable_output(tmp_path: Path) -> None:
    inputs, results = files(tmp_path)
    for name in ("pay.xlsx", "pay.json"):
        r = invoke(
            "--plan",
            "kefu_zhuanyuan",
            "-r",
            str(results),
            "-i",
            str(inputs),
            "-o",
            str(tmp_path / "no" / "such" / name),
        )
        assert r.exit_code == 1 and "无法写出" in r.output
