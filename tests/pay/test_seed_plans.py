"""Built-in pay plans transcribed from the seeds (issue 13, items 5 and 6): hand-computed cases.

Each expected amount is worked out by hand in the comment from the seed's rule and the plan's
stated reading; amounts are Decimal and every component is rounded once to the cent, half up.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from pay_helpers import amounts, run_builtin, write_csv, write_results
from typer.testing import CliRunner

from jixiao.cli import _register, app
from jixiao.library import get_template
from jixiao.pay import LIBRARY, PayError, load_plan, run_files

NEW_PLANS = [
    "dianshang_yuexin",
    "xinmeiti_jixiao",
    "dianshang_jiangjin",
    "kefu_taodan",
    "yunying_zongjian",
]

_register()
runner = CliRunner()


def run_inputs(
    tmp: Path,
    stem: str,
    header: list[str],
    rows: list[list[object]],
    scores: dict[str, float] | None = None,
    params: dict[str, str] | None = None,
) -> dict[str, dict[str, D]]:
    """Run a built-in plan on inline inputs (not its example file)."""
    plan = load_plan(LIBRARY / f"{stem}.yaml")
    inputs = write_csv(tmp / "in.csv", header, rows)
    results = write_results(tmp / "r.json", scores) if scores is not None else None
    return amounts(run_files(plan, inputs, results, params))


ALL_PLANS = sorted(p.stem for p in LIBRARY.glob("*.yaml"))


def test_the_new_plans_are_built_in() -> None:
    assert set(NEW_PLANS) <= set(ALL_PLANS)


@pytest.mark.parametrize("stem", ALL_PLANS)
def test_every_plan_checks_and_states_its_seed_and_reading(stem: str) -> None:
    path = LIBRARY / f"{stem}.yaml"
    plan = load_plan(path)
    text = plan.plan.description
    assert re.search(r"种子 00[0-4]", text), "the description names its seed file"
    assert "读法" in text
    assert path.with_name(f"{stem}.inputs.csv").exists()


# --- 001 monthly pay structure ---------------------------------------------------------------------


def test_dianshang_yuexin_six_parts(tmp_path: Path) -> None:
    # 基本工资 + 奖金（考核工资）+ 餐补 + 全勤奖 + 加班工资 + 业绩提成 (seed 001)
    pay = amounts(run_builtin(tmp_path, "dianshang_yuexin", {"Y001": 90, "Y002": 75, "Y003": 60.5}))
    y1 = pay["Y001"]
    assert y1["考核工资"] == D("900.00")  # 1000 × 90 / 100
    assert y1["餐补"] == D("300.00")  # 正式员工
    assert y1["全勤奖"] == D("435.00")  # 4350 × 10%, no late arrival, no leave
    assert y1["加班工资"] == D("300.00")  # 4350 / 21.75 / 8 = 25 an hour; 8 h × 1.5 × 25
    assert y1["业绩提成"] == D("2000.00")  # 200000 × 1%
    assert y1["net"] == D("8285.00")  # 4350 + 900 + 300 + 435 + 300 + 2000
    y2 = pay["Y002"]
    assert y2["全勤奖"] == D("0.00")  # late once → forfeited
    assert y2["加班工资"] == D("320.00")  # 3480 / 21.75 / 8 = 20; 8 rest-day hours × 2 × 20
    assert y2["net"] == D("4700.00")  # 3480 + 600 + 300 + 0 + 320 + 0
    y3 = pay["Y003"]
    assert y3["餐补"] == D("0.00")  # 试用 is not a regular employee
    assert y3["全勤奖"] == D("0.00")  # one leave → forfeited
    # 2610 / 21.75 / 8 = 15 an hour; 4 × 1.5 + 4 × 2 + 8 × 3 = 38 paid hours → 570
    assert y3["加班工资"] == D("570.00")
    assert y3["考核工资"] == D("363.00")  # 600 × 60.5 / 100
    assert y3["业绩提成"] == D("555.56")  # 55555.55 × 1% = 555.5555 → half up
    assert y3["net"] == D("4098.56")


# --- 003 new-media performance pay -----------------------------------------------------------------


def test_xinmeiti_jixiao_three_bands(tmp_path: Path) -> None:
    # ≥90 全额; ≥70、<90 得分% × 当月绩效工资; <70 不发放 (seed 003)
    scores = {
        "E001": 90,
        "E002": 89.99,
        "E003": 70,
        "E004": 69.99,
        "E005": 120,
        "E006": 100,
        "E007": 85.2,
    }
    pay = amounts(run_builtin(tmp_path, "xinmeiti_jixiao", scores))
    got = {e: pay[e]["绩效工资"] for e in scores}
    assert got == {
        "E001": D("2000.00"),  # exactly 90 → full
        "E002": D("1799.80"),  # 2000 × 89.99%
        "E003": D("1260.00"),  # exactly 70 → 1800 × 70%
        "E004": D("0.00"),  # 69.99 → none
        "E005": D("1800.00"),  # 120 (bonus points) → still just the full amount
        "E006": D("2000.00"),
        "E007": D("1278.00"),  # 1500 × 85.2%
    }
    assert pay["E002"]["net"] == D("4800.00") + D("1799.80")


def test_new_media_ops_results_feed_xinmeiti_jixiao(tmp_path: Path) -> None:
    # The scheme's example month, scored by the CLI, then paid: E003 scores 85.2 → 1800 × 85.2%.
    tpl = get_template("new_media_ops")
    out = tmp_path / "scores.json"
    args = ["score", "-s", "new_media_ops", "-d", str(tpl.data_path), "-t", str(tpl.targets_path)]
    res = runner.invoke(app, [*args, "-f", "json", "-o", str(out)])
    assert res.exit_code == 0, res.stdout
    plan = load_plan(LIBRARY / "xinmeiti_jixiao.yaml")
    pay = amounts(run_files(plan, LIBRARY / "xinmeiti_jixiao.inputs.csv", out))
    assert pay["E003"]["绩效工资"] == D("1533.60")
    assert pay["E004"]["绩效工资"] == D("0.00")  # 47.33 < 70
    assert pay["E001"]["绩效工资"] == D("2000.00")  # 118.21 ≥ 90


# --- 004 bonus scheme ------------------------------------------------------------------------------


def test_dianshang_jiangjin_five_stepped_bonuses(tmp_path: Path) -> None:
    pay = amounts(run_builtin(tmp_path, "dianshang_jiangjin", params={"团队销售额增长率": "10%"}))
    assert pay["J001"] == {
        "个人销售量奖金": D("1000.00"),  # (130000 − 100000) / 100000 = 30% → top step 1.0 × 1000
        "客户满意度奖金": D("500.00"),  # 95 → 1.0 × 500
        "团队销售额奖金": D("480.00"),  # team +10% → 0.6 × 800 (same for everyone)
        "新客户开拓奖金": D("200.00"),  # 4 first deals × 50
        "团队合作奖金": D("500.00"),  # 90 → 1.0 × 500
        "net": D("2680.00"),
    }
    j2 = pay["J002"]
    assert j2["个人销售量奖金"] == D("200.00")  # 9.999% stays in [0, 10%) → 0.2
    assert j2["客户满意度奖金"] == D("400.00")  # 94.99 → [90, 95) → 0.8
    assert j2["团队合作奖金"] == D("400.00")  # 89.99 → [80, 90) → 0.8
    j3 = pay["J003"]
    assert j3["个人销售量奖金"] == D("0.00")  # sales fell 5% → 0
    assert (j3["客户满意度奖金"], j3["团队合作奖金"]) == (D("250.00"), D("250.00"))  # 80 and 60
    j4 = pay["J004"]
    assert j4["个人销售量奖金"] == D("200.00")  # no previous sales: growth counted as 0
    assert (j4["客户满意度奖金"], j4["团队合作奖金"]) == (D("0.00"), D("0.00"))  # 79.99, 59.99
    team = amounts(run_builtin(tmp_path, "dianshang_jiangjin", params={"团队销售额增长率": "-1%"}))
    assert team["J001"]["团队销售额奖金"] == D("0.00")
    team = amounts(run_builtin(tmp_path, "dianshang_jiangjin", params={"团队销售额增长率": "20%"}))
    assert team["J001"]["团队销售额奖金"] == D("800.00")


# --- 004 逃单率 reward and penalty ------------------------------------------------------------------


def test_kefu_taodan_commission_cap_and_escape_rate(tmp_path: Path) -> None:
    pay = amounts(run_builtin(tmp_path, "kefu_taodan"))
    k1 = pay["K001"]
    assert k1["业务提成"] == D("1800.00")  # 60000 × 3%
    assert k1["逃单奖罚"] == D("200.00")  # (1000 − 600) / 1000 = 40% exactly → ≤ 40% band
    assert k1["net"] == D("3800.00")
    assert pay["K002"]["逃单奖罚"] == D("100.00")  # 50% exactly → (40%, 50%]
    assert pay["K003"]["逃单奖罚"] == D("-100.00")  # (800 − 240) / 800 = 70% → (60%, 70%]
    assert pay["K003"]["net"] == D("2800.00")  # 2000 + 900 − 100
    assert pay["K004"]["逃单奖罚"] == D("0.00")  # no inquiries: not applicable
    # 一般不超过商品利润5%: 5% is allowed, 6% is refused
    top = amounts(run_builtin(tmp_path, "kefu_taodan", params={"提成比例": "5%"}))
    assert top["K001"]["业务提成"] == D("3000.00")
    with pytest.raises(PayError, match="超出允许范围"):
        run_builtin(tmp_path, "kefu_taodan", params={"提成比例": "6%"})
    header = ["工号", "姓名", "底薪", "商品利润", "咨询人数", "下单人数"]
    more = run_inputs(
        tmp_path,
        "kefu_taodan",
        header,
        [["T1", "甲", 1700, 0, 1000, 299], ["T2", "乙", 1700, 0, 1000, 450]],
    )
    assert more["T1"]["逃单奖罚"] == D("-200.00")  # 70.1% > 70%
    assert more["T2"]["逃单奖罚"] == D("0.00")  # (1000 − 450) / 1000 = 55% → (50%, 60%]


# --- 000 运营总监 annual bonus ---------------------------------------------------------------------


def test_yunying_zongjian_two_rewards(tmp_path: Path) -> None:
    pay = amounts(run_builtin(tmp_path, "yunying_zongjian"))
    # 52 / 50 = 104% → 1.0 × 60000; campaign 9 / 10 = 90% → 0.5 × 20000
    assert (pay["D01"]["年销售达成奖励"], pay["D01"]["活动达成奖励"]) == (
        D("60000.00"),
        D("10000.00"),
    )
    assert pay["D01"]["net"] == D("70000.00")
    assert pay["D02"]["年销售达成奖励"] == D("30000.00")  # 36 / 45 = 80% exactly → 0.5
    assert pay["D03"]["活动达成奖励"] == D("30000.00")  # 12.5 / 10 = 125% → 1.5 × 20000
    header = ["工号", "姓名", "年度销售额", "年度销售目标", "活动销售额", "活动销售目标"]
    edge = run_inputs(
        tmp_path,
        "yunying_zongjian",
        header,
        [["Z1", "甲", 39999999, 50000000, 12000000, 10000000]],
    )
    assert edge["Z1"]["年销售达成奖励"] == D("0.00")  # 79.999998% < 80%
    assert edge["Z1"]["活动达成奖励"] == D("30000.00")  # exactly 120% → 1.5


# --- 001 dianpu_fenhong: the fund is withheld ------------------------------------------------------


def test_dianpu_fenhong_kept_plus_withheld_is_the_share(tmp_path: Path) -> None:
    # Three 客服 at or above 80 split 50% of a 1000.00 pool: 500.00 / 3 = 166.67, 166.67, 166.66
    # (cent remainders by largest remainder, ties by employee id); each keeps score%.
    scores = {"S001": 80, "S002": 99.5, "S003": 85, "S004": 70, "S005": 100, "S006": 90}
    payroll = run_builtin(tmp_path, "dianpu_fenhong", scores, params={"分红基数": "100000"})
    pay = amounts(payroll)
    assert [pay[e]["绩效分红"] for e in ("S001", "S002", "S003")] == [
        D("166.67"),
        D("166.67"),
        D("166.66"),
    ]
    assert pay["S001"]["团队活动基金"] == D("-33.33")  # 166.67 × 20% = 33.334
    assert pay["S002"]["团队活动基金"] == D("-0.83")  # 166.67 × 0.5% = 0.83335
    assert pay["S003"]["团队活动基金"] == D("-25.00")  # 166.66 × 15% = 24.999
    assert pay["S005"]["团队活动基金"] == D("0.00")  # 100 points: nothing withheld
    assert pay["S006"]["绩效分红"] == D("50.00")  # 财务 5% of 1000
    assert pay["S006"]["团队活动基金"] == D("-5.00")  # 10%
    assert payroll.totals()["团队活动基金"] == D("-64.16")  # 33.33 + 0.83 + 25.00 + 0 + 5.00
    for e in ("S001", "S002", "S003", "S005", "S006"):
        row = pay[e]
        assert row["net"] == row["底薪"] + row["绩效分红"] + row["团队活动基金"]
