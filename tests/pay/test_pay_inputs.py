"""Reading the month's data: bad inputs are rejected naming file, row and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from pay_helpers import amounts, write_csv, write_results

from jixiao.pay import LIBRARY, PayError, load_plan, read_results, run_files

PLAN = LIBRARY / "kefu_zhuanyuan.yaml"
HEADER = ["工号", "姓名", "个人销售额", "中评修改个数", "差评修改个数", "奖惩", "奖惩原因"]


def run(
    tmp_path: Path,
    rows: list[list[object]],
    header: list[str] = HEADER,
    scores: dict[str, float | None] | None = None,
):  # type: ignore[no-untyped-def]
    inputs = write_csv(tmp_path / "inputs.csv", header, rows)
    results = write_results(
        tmp_path / "r.json", scores if scores is not None else {"E1": 80, "E2": 90}
    )
    return run_files(load_plan(PLAN), inputs, results)


def test_non_numeric_cell_names_file_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(PayError) as info:
        run(tmp_path, [["E1", "a", "100", 0, 0, 0, ""], ["E2", "b", "一百", 0, 0, 0, ""]])
    text = str(info.value)
    assert "inputs.csv 第 3 行 列 '个人销售额'" in text and "'一百' 不是数值" in text


def test_missing_column_suggests_the_close_name(tmp_path: Path) -> None:
    header = ["工号", "姓名", "个人销售", "奖惩"]
    with pytest.raises(PayError) as info:
        run(tmp_path, [["E1", "a", "1", "0"]], header=header)
    text = str(info.value)
    assert "缺少列 '个人销售额'" in text and "是不是 '个人销售'" in text


def test_defaults_fill_empty_cells_but_required_cells_must_be_filled(tmp_path: Path) -> None:
    payroll = run(tmp_path, [["E1", "a", "100", "", "", "", ""]], scores={"E1": 80})
    assert amounts(payroll)["E1"]["中评修改"] == Decimal("0.00")
    with pytest.raises(PayError, match=r"第 2 行 列 '个人销售额'.*为空"):
        run(tmp_path, [["E1", "a", "", 0, 0, 0, ""]], scores={"E1": 80})


def test_duplicate_and_empty_employee_ids(tmp_path: Path) -> None:
    with pytest.raises(PayError) as info:
        run(
            tmp_path,
            [["E1", "a", 1, 0, 0, 0, ""], ["E1", "b", 1, 0, 0, 0, ""], ["", "c", 1, 0, 0, 0, ""]],
        )
    text = str(info.value)
    assert "第 3 行: 工号 E1 与第 2 行重复" in text and "第 4 行" in text


def test_employee_without_a_score(tmp_path: Path) -> None:
    with pytest.raises(PayError, match="E2 没有考核得分"):
        run(
            tmp_path,
            [["E1", "a", 1, 0, 0, 0, ""], ["E2", "b", 1, 0, 0, 0, ""]],
            scores={"E1": 80, "E2": None},
        )
    with pytest.raises(PayError, match="E3 不在考核结果中"):
        run(tmp_path, [["E3", "a", 1, 0, 0, 0, ""]])


def test_results_not_in_inputs_give_a_warning(tmp_path: Path) -> None:
    payroll = run(tmp_path, [["E1", "a", 1, 0, 0, 0, ""]])
    assert any("E2" in w for w in payroll.warnings)


def test_results_csv_from_jixiao_score(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "r.csv",
        ["employee", "name", "group", "eligible", "total", "grade", "rank", "group_rank", "K1"],
        [
            ["E1", "张三", "一组", "true", "86.5", "良好", "1", "1", "40"],
            ["E2", "李四", "一组", "false", "", "", "", "", ""],
        ],
    )
    res = read_results(f)
    assert res["E1"].total == Decimal("86.5") and res["E1"].items["K1"] == Decimal("40")
    assert res["E2"].total is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        ('{"employee": "E1"}', "列表"),
        ('[{"employee": "E1", "total": "high"}]', "total"),
        ('[{"employee": "E1"}, {"employee": "E1"}]', "重复"),
        ('[{"name": "x"}]', "缺少 employee"),
    ],
)
def test_bad_results_json(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "r.json"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(PayError, match=message):
        read_results(f)


def test_xlsx_inputs_and_gbk_csv(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(["E1", "张三", 1000.1, 1, 0, 0, None])
    wb.save(tmp_path / "inputs.xlsx")
    results = write_results(tmp_path / "r.json", {"E1": 80})
    payroll = run_files(load_plan(PLAN), tmp_path / "inputs.xlsx", results)
    assert amounts(payroll)["E1"]["销售提成"] == Decimal("20.00")  # 1000.1 × 2% = 20.002
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(("\n".join([",".join(HEADER), "E1,张三,500,0,0,0,"]) + "\n").encode("gbk"))
    assert amounts(run_files(load_plan(PLAN), gbk, results))["E1"]["销售提成"] == Decimal("10.00")


def test_unsupported_and_empty_files(tmp_path: Path) -> None:
    results = write_results(tmp_path / "r.json", {"E1": 80})
    (tmp_path / "x.pdf").write_text("x")
    with pytest.raises(PayError, match=r"\.csv 或 \.xlsx"):
        run_files(load_plan(PLAN), tmp_path / "x.pdf", results)
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(PayError, match="文件是空的"):
        run_files(load_plan(PLAN), tmp_path / "e.csv", results)
    (tmp_path / "bad.xlsx").write_text("not a zip")
    with pytest.raises(PayError, match="无法作为 Excel 打开"):
        run_files(load_plan(PLAN), tmp_path / "bad.xlsx", results)


def test_row_that_cannot_be_computed_is_named(tmp_path: Path) -> None:
    inputs = write_csv(
        tmp_path / "i.csv",
        ["工号", "职级", "应出勤天数", "实际出勤天数"],
        [["D1", "P1", "22", "22"], ["D2", "P2", "0", "0"]],
    )
    results = write_results(tmp_path / "r.json", {"D1": 80, "D2": 80})
    with pytest.raises(PayError) as info:
        run_files(load_plan(LIBRARY / "dianshang_yuangong.yaml"), inputs, results)
    assert "i.csv 第 3 行" in str(info.value) and "D2" in str(info.value)


def test_unknown_level_in_lookup(tmp_path: Path) -> None:
    inputs = write_csv(
        tmp_path / "i.csv",
        ["工号", "职级", "应出勤天数", "实际出勤天数"],
        [["D1", "P9", "22", "22"]],
    )
    results = write_results(tmp_path / "r.json", {"D1": 80})
    with pytest.raises(PayError, match="'P9' 不在对照表"):
        run_files(load_plan(LIBRARY / "dianshang_yuangong.yaml"), inputs, results)


def test_results_required_when_plan_uses_scores(tmp_path: Path) -> None:
    inputs = write_csv(tmp_path / "inputs.csv", HEADER, [["E1", "a", 1, 0, 0, 0, ""]])
    with pytest.raises(PayError, match="--results"):
        run_files(load_plan(PLAN), inputs, None)


def _plan(components: list[dict[str, object]], **extra: object):  # type: ignore[no-untyped-def]
    from jixiao.pay import build_plan, compile_plan

    doc: dict[str, object] = {"code": "t", "name": "t", "version": "1", "components": components}
    doc.update(extra)
    return compile_plan(build_plan(doc))


def test_item_scores_from_results(tmp_path: Path) -> None:
    plan = _plan([{"code": "a", "name": "服务分奖", "kind": "formula", "amount": "items.K1 * 10"}])
    res = tmp_path / "r.json"
    res.write_text('[{"employee": "E1", "total": 80, "items": {"K1": 4.5}}]', encoding="utf-8")
    inputs = write_csv(tmp_path / "i.csv", ["工号"], [["E1"]])
    assert amounts(run_files(plan, inputs, res))["E1"]["a"] == Decimal("45.00")
    res.write_text('[{"employee": "E1", "total": 80, "items": {"K2": 1}}]', encoding="utf-8")
    with pytest.raises(PayError, match=r"没有 items\.K1；可用：K2"):
        run_files(plan, inputs, res)


def test_score_default_for_staff_without_a_score(tmp_path: Path) -> None:
    plan = _plan(
        [{"code": "a", "name": "绩效", "kind": "formula", "amount": "score * 10"}], score_default=60
    )
    inputs = write_csv(tmp_path / "i.csv", ["工号"], [["E1"], ["E2"]])
    res = write_results(tmp_path / "r.json", {"E1": 90, "E2": None})
    pay = amounts(run_files(plan, inputs, res))
    assert (pay["E1"]["a"], pay["E2"]["a"]) == (Decimal("900.00"), Decimal("600.00"))


def test_negative_pool_weight_is_rejected(tmp_path: Path) -> None:
    plan = _plan(
        [{"code": "p", "name": "池", "kind": "pool", "amount": "100", "weight": "w"}],
        inputs=[{"name": "w"}],
    )
    inputs = write_csv(tmp_path / "i.csv", ["工号", "w"], [["E1", "1"], ["E2", "-1"]])
    with pytest.raises(PayError, match="权重 w = -1 为负"):
        run_files(plan, inputs)


def test_numeric_ids_in_excel_read_as_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append([1001, "张三", 100, 0, 0, 0, None])
    wb.save(tmp_path / "i.xlsx")
    results = write_results(tmp_path / "r.json", {"1001": 80})
    assert "1001" in amounts(run_files(load_plan(PLAN), tmp_path / "i.xlsx", results))


def test_a_directory_is_not_an_input_file(tmp_path: Path) -> None:
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(PayError, match="无法读取"):
        run_files(
            load_plan(PLAN), tmp_path / "d.csv", write_results(tmp_path / "r.json", {"E1": 80})
        )


def test_grade_text_and_unshared_group(tmp_path: Path) -> None:
    plan = _plan(
        [
            {
                "code": "a",
                "name": "优秀奖",
                "kind": "formula",
                "amount": 'if(grade == "优秀", 200, 0)',
            },
            {
                "code": "p",
                "name": "池",
                "kind": "pool",
                "amount": "1000",
                "group_by": "岗位",
                "shares": {"客服": "60%", "运营": "40%"},
            },
        ],
        inputs=[{"name": "岗位", "type": "text"}],
    )
    res = tmp_path / "r.json"
    res.write_text(
        '[{"employee": "E1", "total": 96, "grade": "优秀"}, {"employee": "E2", "total": 70, '
        '"grade": "合格"}, {"employee": "E3", "total": 70, "grade": "合格"}]',
        encoding="utf-8",
    )
    inputs = write_csv(
        tmp_path / "i.csv", ["工号", "岗位"], [["E1", "客服"], ["E2", "运营"], ["E3", "仓管"]]
    )
    payroll = run_files(plan, inputs, res)
    pay = amounts(payroll)
    assert [pay[e]["a"] for e in ("E1", "E2", "E3")] == [
        Decimal("200.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert [pay[e]["p"] for e in ("E1", "E2", "E3")] == [
        Decimal("600.00"),
        Decimal("400.00"),
        Decimal("0.00"),
    ]
    assert "岗位「仓管」没有分配份额" in payroll.slips[2].lines[1].text
