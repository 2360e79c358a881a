"""Hand-computed cases from the seeds for every built-in plan (on each plan's example inputs)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from pay_helpers import amounts, run_builtin

from jixiao.pay import builtin_paths, load_plan


def test_every_builtin_plan_checks_and_has_example_inputs() -> None:
    stems = {p.stem for p in builtin_paths()}
    assert stems >= {
        "kefu_zhuanyuan",
        "dianzhang_yunying",
        "wenan_c1",
        "wenan_c2",
        "yunying_y1",
        "dianshang_yuangong",
        "kefu_gonggong",
        "dianpu_fenhong",
        "nianzhong_tuandui",
        "qihua_bu",
    }
    for path in builtin_paths():
        plan = load_plan(path)
        assert plan.plan.description.strip(), path
        assert path.with_name(f"{path.stem}.inputs.csv").exists(), path


def test_kefu_zhuanyuan(tmp_path: Path) -> None:
    # 500 × coefficient + 2% of sales + 10 / 20 per fixed review + reward/penalty (seed 004).
    pay = amounts(
        run_builtin(tmp_path, "kefu_zhuanyuan", {"E001": 86.5, "E002": 64.99, "E003": 95})
    )
    e1, e2, e3 = pay["E001"], pay["E002"], pay["E003"]
    assert e1["绩效工资"] == D("600.00")  # 500 × 1.2 (80 ≤ 86.5 < 95)
    assert e1["销售提成"] == D("1040.00")  # 52000 × 2%
    assert (e1["中评修改"], e1["差评修改"], e1["奖惩金额"]) == (D("30.00"), D("20.00"), D("100.00"))
    assert e1["net"] == D("1790.00")
    assert e2["绩效工资"] == D("250.00")  # 64.99 < 65 → 0.5
    assert e2["销售提成"] == D("760.01")  # 38000.50 × 2% = 760.01
    assert e2["net"] == D("1000.01")  # 250 + 760.01 + 0 + 40 − 50
    assert e3["绩效工资"] == D("750.00")  # 95 reaches the top band → 1.5
    assert e3["net"] == D("1180.00")


def test_dianzhang_yunying(tmp_path: Path) -> None:
    pay = amounts(run_builtin(tmp_path, "dianzhang_yunying", {"M001": 86.5, "M002": 65}))
    assert pay["M001"]["绩效工资"] == D("2160.00")  # 1800 × 1.2
    assert pay["M001"]["net"] == D("3610.50")  # 2160 + 1250.50 + 200
    assert pay["M002"]["绩效工资"] == D("1800.00")  # 65 included in [65, 80) → 1.0
    assert pay["M002"]["net"] == D("2660.00")


def test_wenan_c1_bonus_attendance_and_reading_of_the_table(tmp_path: Path) -> None:
    pay = amounts(run_builtin(tmp_path, "wenan_c1", {"C101": 80, "C102": 69.99, "C103": 59.99}))
    c1, c2, c3 = pay["C101"], pay["C102"], pay["C103"]
    assert (c1["基本工资额"], c1["全勤奖"], c1["绩效奖金"], c1["补贴"]) == (
        D("2800.00"),
        D("280.00"),
        D("300.00"),
        D("300.00"),
    )  # 80 → full bonus
    assert c1["net"] == D("3680.00")
    assert c2["全勤奖"] == D("0.00")  # 3 late/leave events forfeit the bonus
    assert c2["绩效奖金"] == D("120.00")  # [60, 70) → 40% of 300
    assert c2["net"] == D("3000.00") + D("120.00") + D("300.00") + D("150.00")
    assert c3["全勤奖"] == D("0.00")  # one day of unexcused absence
    assert c3["绩效奖金"] == D("0.00")  # < 60 → none
    assert c3["net"] == D("2800.00")


def test_wenan_c2(tmp_path: Path) -> None:
    pay = amounts(run_builtin(tmp_path, "wenan_c2", {"C201": 75, "C202": 90}))
    assert pay["C201"]["绩效奖金"] == D("120.00")  # [70, 80) → 60% of 200
    assert pay["C201"]["net"] == D("1800.00") + D("180.00") + D("120.00") + D("200.00")
    assert pay["C202"]["全勤奖"] == D("160.00")  # 2 events keep the bonus
    assert pay["C202"]["net"] == D("2160.00")


def test_yunying_y1_commission_tiers(tmp_path: Path) -> None:
    pay = amounts(run_builtin(tmp_path, "yunying_y1", {"Y101": 86.5, "Y102": 64.99, "Y103": 95}))
    # 4 partners (>3, ≤5): 80000 × 1.5% + 20000 × 2.0% = 1200 + 400
    assert pay["Y101"]["提成"] == D("1600.00")
    # 6 partners (>5): 100000 × 2.0% + 50000 × 2.5% = 2000 + 1250
    assert pay["Y102"]["提成"] == D("3250.00")
    assert pay["Y102"]["绩效奖金"] == D("200.00")  # 40% of 500
    # margin 8% < 10% → no commission at all
    assert pay["Y103"]["提成"] == D("0.00")
    assert pay["Y101"]["net"] == D("3000") + D("300") + D("500") + D("300") + D("1600")


def test_dianshang_yuangong_level_table_and_proration(tmp_path: Path) -> None:
    pay = amounts(
        run_builtin(tmp_path, "dianshang_yuangong", {"D001": 86.5, "D002": 64.99, "D003": 95})
    )
    assert pay["D001"]["基本工资"] == D("3500.00")  # P2, full attendance
    assert pay["D001"]["绩效工资"] == D("1200.00")  # 1000 × 1.2
    assert pay["D001"]["销售提成"] == D("1200.00")  # 120000 × 1%
    # P1, 20 of 22 days: 3000 ÷ 22 × 20 = 2727.2727… → 2727.27
    assert pay["D002"]["基本工资"] == D("2727.27")
    # 800 × 20 ÷ 22 = 727.2727…; × 0.5 = 363.636… → 363.64
    assert pay["D002"]["绩效工资"] == D("363.64")
    assert pay["D002"]["销售提成"] == D("450.01")  # 45000.55 × 1% = 450.0055 → half-up
    assert pay["D003"]["net"] == D("4200") + D("1800") + D("400") + D("0")


def test_kefu_gonggong_public_pool_split_equally_to_the_cent(tmp_path: Path) -> None:
    pay = amounts(
        run_builtin(
            tmp_path,
            "kefu_gonggong",
            {"K001": 90, "K002": 80, "K003": 70},
            params={"公共销售额": "500000"},
        )
    )
    shares = [pay[k]["公共提成"] for k in ("K001", "K002", "K003")]
    # 500000 × 0.5% = 2500 ÷ 3 = 833.333…: one extra cent, tie broken by the lowest employee id
    assert shares == [D("833.34"), D("833.33"), D("833.33")]
    assert sum(shares) == D("2500.00")
    assert pay["K003"]["工龄工资"] == D("500.00")  # 12 years capped at 10 × 50
    assert pay["K001"]["net"] == D("2000") + D("600") + D("833.34") + D("150") + D("200")


def test_dianpu_fenhong_role_shares_gate_and_fund_withheld(tmp_path: Path) -> None:
    # Seed 001: pool = revenue × 1%, role shares 50/30/15/5, only scores >= 80 share; each keeps
    # share × score% and share × (100 − score)% is withheld into the team-activity fund (item 4).
    payroll = run_builtin(
        tmp_path,
        "dianpu_fenhong",
        {"S001": 86.5, "S002": 64.99, "S003": 95, "S004": 72, "S005": 80, "S006": 59.5},
        params={"分红基数": "1234567.89"},
    )
    pay = amounts(payroll)
    # pool 12345.68; 客服 50% = 6172.84, split equally by the two members scoring >= 80
    assert pay["S001"]["绩效分红"] == D("3086.42")
    assert pay["S003"]["绩效分红"] == D("3086.42")
    assert pay["S002"]["绩效分红"] == D("0.00")  # < 80 → base only
    assert pay["S002"]["团队活动基金"] == D("0.00")
    assert pay["S002"]["net"] == D("2000.00")
    # withheld: 3086.42 × 13.5% = 416.6667 → 416.67; 3086.42 × 5% = 154.321 → 154.32
    assert pay["S001"]["团队活动基金"] == D("-416.67")
    assert pay["S003"]["团队活动基金"] == D("-154.32")
    assert pay["S001"]["net"] == D("2000.00") + D("3086.42") - D("416.67")  # 4669.75
    assert pay["S003"]["net"] == D("4932.10")
    # 美工 15% = 1851.85 to the one member; exactly 80 counts, and 20% of it is withheld
    assert pay["S005"]["绩效分红"] == D("1851.85")
    assert pay["S005"]["团队活动基金"] == D("-370.37")
    assert pay["S005"]["net"] == D("4281.48")
    # the fund is the total of its own line
    assert payroll.totals()["团队活动基金"] == D("-941.36")
    (pool,) = payroll.pools
    assert pool.amount == D("12345.68")
    assert dict(pool.groups) == {
        "客服": D("6172.84"),
        "运营": D("3703.71"),
        "美工": D("1851.85"),
        "财务": D("617.28"),
    }
    assert sum(dict(pool.groups).values()) == pool.amount
    # nobody in 运营 / 财务 reached 80: their shares stay undistributed and are reported
    assert pool.undistributed == D("3703.71") + D("617.28")


def test_dianpu_fenhong_gm_may_move_shares_within_five_points(tmp_path: Path) -> None:
    from jixiao.pay import PayError

    scores = {f"S00{i}": 90.0 for i in range(1, 7)}
    pay = amounts(
        run_builtin(
            tmp_path,
            "dianpu_fenhong",
            scores,
            params={"分红基数": "100000", "客服占比": "55%", "运营占比": "25%"},
        )
    )
    assert sum(pay[f"S00{i}"]["绩效分红"] for i in (1, 2, 3)) == D("550.00")
    with pytest.raises(PayError, match="超出允许范围"):
        run_builtin(tmp_path, "dianpu_fenhong", scores, params={"分红基数": "1", "客服占比": "60%"})
    with pytest.raises(PayError, match="必须正好是 100%"):
        run_builtin(tmp_path, "dianpu_fenhong", scores, params={"分红基数": "1", "客服占比": "55%"})


def test_nianzhong_tuandui_needs_approval_and_excludes_leavers(tmp_path: Path) -> None:
    from jixiao.pay import PayError

    with pytest.raises(PayError, match="--approve 团队奖"):
        run_builtin(tmp_path, "nianzhong_tuandui")
    pay = amounts(run_builtin(tmp_path, "nianzhong_tuandui", approvals=("团队奖",)))
    assert pay["T005"]["团队奖"] == D("0.00")  # left 2023-12-15, before 2024-01-30
    got = [pay[t]["团队奖"] for t in ("T001", "T002", "T003", "T004")]
    # 112000 × 30/85, 25/85, 15/85, 15/85; two leftover cents by largest remainder, tie by id
    assert got == [D("39529.41"), D("32941.18"), D("19764.71"), D("19764.70")]
    assert sum(got) == D("112000.00")
    half = amounts(
        run_builtin(
            tmp_path, "nianzhong_tuandui", params={"年度完成率": "50%"}, approvals=("团队奖",)
        )
    )
    assert sum(half[t]["团队奖"] for t in half) == D("56000.00")


def test_qihua_bu_score_bands(tmp_path: Path) -> None:
    pay = amounts(run_builtin(tmp_path, "qihua_bu", {"Q001": 90, "Q002": 64.99, "Q003": 95}))
    assert pay["Q001"]["绩效调整"] == D("0.00")  # 70–90 inclusive: unchanged
    assert pay["Q002"]["绩效调整"] == D("-210.06")  # −600 × 35.01%
    assert pay["Q003"]["绩效调整"] == D("22.50")  # +450 × 5%
    assert pay["Q002"]["net"] == D("5789.94")


def test_trace_text_matches_the_issue_example(tmp_path: Path) -> None:
    payroll = run_builtin(tmp_path, "dianzhang_yunying", {"M001": 86.5, "M002": 70})
    line = payroll.slips[0].lines[0]
    assert line.text == "任务完成系数 1.2（得分 86.5，落在 [80, 95)）× 底薪 1800.00 = 2160.00"
    assert "1.2" in line.text_en and "2160.00" in line.text_en
