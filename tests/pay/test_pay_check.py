"""Plan validation: every mistake is rejected with a message naming where it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.pay import PayError, build_plan, compile_plan, load_plan

DATA = Path(__file__).parent / "data"


def plan(*components: dict[str, Any], **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "code": "t",
        "name": "测试",
        "version": "1",
        "inputs": [{"name": "底薪"}],
        "components": list(components),
    }
    doc.update(extra)
    return doc


def issues(doc: dict[str, Any]) -> str:
    with pytest.raises(PayError) as info:
        compile_plan(build_plan(doc))
    return str(info.value)


def test_c1_table_as_written_is_rejected_naming_both_rows() -> None:
    with pytest.raises(PayError) as info:
        load_plan(DATA / "wenan_c1_as_written.yaml")
    text = str(info.value)
    assert "wenan_c1_as_written.yaml" in text
    assert "第 2 档 [60, 70) 与 第 4 档 [60, 70) 重叠" in text
    assert "components[0]「绩效奖金」.bands" in text


def test_gap_between_bands_is_rejected() -> None:
    text = issues(
        plan(
            {
                "code": "a",
                "name": "A",
                "kind": "tiers",
                "times": "底薪",
                "bands": [{"lt": 60, "value": 0}, {"gte": 70, "value": 1}],
            }
        )
    )
    assert "空档" in text and "[60, 70)" in text


def test_forward_reference_names_both_components() -> None:
    text = issues(
        plan(
            {"code": "a", "name": "甲", "kind": "formula", "amount": "b * 2"},
            {"code": "b", "name": "乙", "kind": "formula", "amount": "底薪"},
        )
    )
    assert "components[0]「甲」.amount" in text
    assert "components[1]「乙」" in text and "只能引用排在前面的组件" in text


def test_self_reference_and_duplicate_codes() -> None:
    text = issues(
        plan(
            {"code": "a", "name": "甲", "kind": "formula", "amount": "a + 1"},
            {"code": "a", "name": "乙", "kind": "formula", "amount": "1"},
        )
    )
    assert "引用了自身" in text
    assert "与 components[0] 重复" in text


def test_unknown_input_is_named_with_the_known_names() -> None:
    text = issues(plan({"code": "a", "name": "甲", "kind": "formula", "amount": "底新 * 2"}))
    assert "未知名称 '底新'" in text and "底薪" in text


def test_pool_shares_must_sum_to_100_percent() -> None:
    text = issues(
        plan(
            {
                "code": "p",
                "name": "池",
                "kind": "pool",
                "amount": "1000",
                "group_by": "岗位",
                "shares": {"客服": "50%", "运营": "30%", "美工": "15%"},
            },
            inputs=[{"name": "岗位", "type": "text"}],
        )
    )
    assert "95%" in text and "必须正好是 100%" in text and "components[0]「池」.shares" in text


def test_pool_amount_must_be_the_same_for_everyone() -> None:
    text = issues(plan({"code": "p", "name": "池", "kind": "pool", "amount": "底薪 * 2"}))
    assert "sum()" in text and "底薪" in text
    compile_plan(
        build_plan(plan({"code": "p", "name": "池", "kind": "pool", "amount": "sum(底薪) * 1%"}))
    )


def test_aggregates_only_in_pool_amounts() -> None:
    assert "只能用在奖金池金额里" in issues(
        plan({"code": "a", "name": "甲", "kind": "formula", "amount": "sum(底薪)"})
    )


def test_syntax_and_type_errors() -> None:
    assert "无法识别" in issues(
        plan({"code": "a", "name": "甲", "kind": "formula", "amount": "底薪 $ 2"})
    )
    assert "应为数值" in issues(
        plan({"code": "a", "name": "甲", "kind": "formula", "amount": "底薪 > 2"})
    )
    assert "需要条件" in issues(
        plan(
            {
                "code": "a",
                "name": "甲",
                "kind": "formula",
                "amount": "底薪",
                "when": "底薪 + 1 and 1 > 0",
            }
        )
    )
    assert "未知函数" in issues(
        plan({"code": "a", "name": "甲", "kind": "formula", "amount": "exec(1)"})
    )


def test_unknown_kind_missing_and_misspelt_fields() -> None:
    text = issues(plan({"code": "a", "name": "甲", "kind": "bonus", "amount": "1"}))
    assert "未知的组件类型" in text and "tiers" in text
    text = issues(plan({"code": "a", "name": "甲", "kind": "formula", "amout": "1"}))
    assert "components[0].amout" in text and "未知字段" in text
    assert "components[0].amount" in text and "缺少必填字段" in text


def test_parameter_outside_its_bounds() -> None:
    doc = plan(
        {"code": "a", "name": "甲", "kind": "formula", "amount": "x"},
        parameters={"x": {"value": 2, "min": 0, "max": 1}},
    )
    assert "parameters.x" in issues(doc)


def test_bad_band_value_and_empty_interval() -> None:
    assert "不是数值" in issues(
        plan(
            {
                "code": "a",
                "name": "甲",
                "kind": "tiers",
                "times": "底薪",
                "bands": [{"lt": 60, "value": "很多"}, {"gte": 60, "value": 1}],
            }
        )
    )
    assert "empty" in issues(
        plan(
            {
                "code": "a",
                "name": "甲",
                "kind": "tiers",
                "times": "底薪",
                "bands": [{"gte": 70, "lt": 60, "value": 1}],
            }
        )
    )


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(PayError, match="找不到文件"):
        load_plan(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [unclosed\n", encoding="utf-8")
    with pytest.raises(PayError, match="不是有效的 YAML"):
        load_plan(bad)
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(PayError, match="顶层必须是一个映射"):
        load_plan(bad)


def test_json_plans_load_and_the_schema_is_exported(tmp_path: Path) -> None:
    import json

    from jixiao.pay import PayPlan

    f = tmp_path / "p.json"
    f.write_text(
        json.dumps(
            plan({"code": "a", "name": "甲", "kind": "formula", "amount": "底薪"}),
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert load_plan(f).plan.code == "t"
    schema = PayPlan.model_json_schema()
    assert "components" in schema["properties"]


def test_numbers_are_accepted_where_expressions_are_expected(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text(
        "code: n\nname: n\nversion: 1\nparameters: {底薪: 500}\ncomponents:\n"
        "  - {code: a, name: A, kind: tiers, on: score, times: 500, bands: [{gte: 0, value: 1}]}\n"
        "  - {code: b, name: B, kind: pool, amount: 100, weight: 1}\n",
        encoding="utf-8",
    )
    compiled = load_plan(f)
    assert compiled.plan.version == "1"
    assert compiled.plan.components[0].times == "500"  # type: ignore[union-attr]


def test_schema_accepts_parameter_shorthand() -> None:
    from jixiao.pay import PayPlan

    schema = PayPlan.model_json_schema()
    param = schema["properties"]["parameters"]["additionalProperties"]
    assert {"type": "number"} in param["anyOf"]
