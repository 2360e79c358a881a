"""`jixiao history …` and `jixiao policy …` end to end through the Typer app."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao.cli import _register, app
from jixiao.files import read_table

from .conftest import DATA

_register()
runner = CliRunner()
HISTORY = str(DATA / "history_6m.csv")


def test_policy_run_prints_proposals_as_csv() -> None:
    res = runner.invoke(app, ["policy", "run", "kefu_jinpai", "--history", HISTORY])
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("政策,规则,规则名称,工号")
    assert [line.split(",")[3] for line in lines[1:]] == ["A03", "A04", "A08"]
    assert "本月小组第 1 名：2026-11 → 担任下一个月的客服主管" in lines[1]


def test_policy_run_writes_xlsx_json_csv(tmp_path: Path) -> None:
    for suffix in ("xlsx", "json", "csv"):
        path = tmp_path / f"p.{suffix}"
        res = runner.invoke(
            app,
            [
                "policy",
                "run",
                "lianxu_paiming",
                "xishu_65",
                "-H",
                HISTORY,
                "--as-of",
                "2026-10",
                "-o",
                str(path),
            ],
        )
        assert res.exit_code == 0, res.output
        assert "已写入" in res.stderr
    rows = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert {(r["规则"], r["工号"]) for r in rows} == {
        ("below_65_2_months", "A06"),
        ("below_65_2_months", "C02"),
        ("below_65_2_months", "C03"),
    }
    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert sheet is not None and sheet.max_row == 4
    table = read_table(tmp_path / "p.csv")
    assert table.frame.height == 3 and "说明" in table.header


def test_policy_run_english_headers() -> None:
    res = runner.invoke(app, ["policy", "run", "kefu_jinpai", "-H", HISTORY, "--lang", "en"])
    assert res.exit_code == 0
    assert res.stdout.startswith("policy,rule,rule name,employee")


def test_policy_run_refuses_bad_input(tmp_path: Path) -> None:
    res = runner.invoke(app, ["policy", "run", "kefu_jinpai", "-H", HISTORY, "--as-of", "2027-01"])
    assert res.exit_code == 2
    assert "评估月 2027-01 不在历史数据的范围内（2026-06 至 2026-11）" in res.stderr
    res = runner.invoke(app, ["policy", "run", "nope", "-H", HISTORY])
    assert res.exit_code == 2 and "既不是政策文件也不是内置政策代码" in res.stderr
    res = runner.invoke(
        app, ["policy", "run", "kefu_jinpai", "-H", HISTORY, "-o", str(tmp_path / "x.txt")]
    )
    assert res.exit_code == 2 and "输出文件须以" in res.stderr
    bad = tmp_path / "h.csv"
    bad.write_text("工号,期间,总分\nE1,2026-13,80\n", encoding="utf-8")
    res = runner.invoke(app, ["policy", "run", "kefu_jinpai", "-H", str(bad)])
    assert res.exit_code == 2 and "第 2 行，列“期间”" in res.stderr


def test_policy_check_and_list(tmp_path: Path) -> None:
    res = runner.invoke(app, ["policy", "check", "lianxu_paiming", "wangluo_xiaoshou"])
    assert res.exit_code == 0 and "可用（2 条规则，1 张应用表）" in res.stdout
    bad = tmp_path / "p.yaml"
    bad.write_text("code: p\nname: p\nrules: []\n", encoding="utf-8")
    res = runner.invoke(app, ["policy", "check", str(bad)])
    assert res.exit_code == 1
    assert "[错误] gaps: 缺少必填字段" in res.stderr
    res = runner.invoke(app, ["policy", "list"])
    assert res.exit_code == 0 and len(res.stdout.strip().splitlines()) == 6
    res = runner.invoke(app, ["policy", "show", "xishu_65"])
    assert res.exit_code == 0 and "连续两个月的绩效分数低于65分" in res.stdout


def test_history_show() -> None:
    res = runner.invoke(app, ["history", "show", HISTORY])
    assert res.exit_code == 0
    assert "2026-06 至 2026-11，6 个月，23 人" in res.stdout and "请假：4 人次" in res.stdout
    res = runner.invoke(app, ["history", "show", HISTORY, "-e", "A02"])
    assert "2026-09  ecommerce_staff_general  请假" in res.stdout
    res = runner.invoke(app, ["history", "show", HISTORY, "-e", "ZZZ"])
    assert res.exit_code == 2
