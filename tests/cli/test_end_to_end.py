"""The whole CLI path: a built-in scheme scores its example month, pay is run from the results."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from jixiao.cli import _register, app
from jixiao.library import get_template

_register()
runner = CliRunner()


def test_score_then_pay_copywriter_c1(tmp_path: Path) -> None:
    tpl = get_template("copywriter_c1")
    results = tmp_path / "results.json"
    r = runner.invoke(
        app,
        [
            "score",
            "-s",
            "copywriter_c1",
            "-d",
            str(tpl.data_path),
            "-f",
            "json",
            "-o",
            str(results),
        ],
    )
    assert r.exit_code == 0, r.stderr
    scored = json.loads(results.read_text(encoding="utf-8"))
    inputs = tmp_path / "inputs.csv"
    rows = ["工号,姓名,基本工资,迟到早退请假次数,旷工天数,特殊奖励,特殊奖励说明"]
    # The second person is late three times and loses the full-attendance bonus.
    rows += [
        f"{s['employee']},{s['name']},3000,{3 if i == 1 else 0},0,0," for i, s in enumerate(scored)
    ]
    inputs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out_json, out_xlsx = tmp_path / "pay.json", tmp_path / "pay.xlsx"
    r = runner.invoke(
        app,
        [
            "pay",
            "-p",
            "wenan_c1",
            "-r",
            str(results),
            "-i",
            str(inputs),
            "-o",
            str(out_json),
            "-o",
            str(out_xlsx),
        ],
    )
    assert r.exit_code == 0, r.stderr
    pay = json.loads(out_json.read_text(encoding="utf-8"))
    by = {e["employee"]: e for e in pay["employees"]}
    for i, s in enumerate(scored):
        bonus_rate = (
            Decimal(1)
            if s["total"] >= 80
            else Decimal("0.6")
            if s["total"] >= 70
            else Decimal("0.4")
            if s["total"] >= 60
            else Decimal(0)
        )
        attendance = Decimal(0) if i == 1 else Decimal(300)
        expected = Decimal(3000) + attendance + Decimal(300) * bonus_rate + Decimal(300)
        assert Decimal(by[s["employee"]]["net"]) == expected.quantize(Decimal("0.01")), s
    assert Decimal(pay["totals"]["net"]) == sum(Decimal(e["net"]) for e in pay["employees"])
    wb = openpyxl.load_workbook(out_xlsx)
    assert len(wb.sheetnames) >= 2
