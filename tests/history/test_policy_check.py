"""Policy documents: every mistake is refused with a Chinese message naming where, and the
committed JSON Schema matches the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jixiao.history import (
    PolicyError,
    builtin_policies,
    check_policy,
    load_policy,
    policy_json_schema,
)

ROOT = Path(__file__).resolve().parents[2]
GAPS = {"leave": "break", "not_appraised": "break", "no_record": "break"}


def _doc(**over: Any) -> dict[str, Any]:
    rule = {
        "code": "top",
        "name": "连续第一",
        "description": "测试",
        "when": {"kind": "streak", "periods": 3, "test": {"field": "group_rank", "lte": 1}},
        "then": [{"kind": "money", "amount": 200, "label": "奖励"}],
    }
    doc: dict[str, Any] = {"code": "p", "name": "政策", "gaps": GAPS, "rules": [rule]}
    doc.update(over)
    return doc


def _issues(doc: Any) -> list[tuple[str, str]]:
    with pytest.raises(PolicyError) as info:
        load_policy(doc)
    return [(i.path, i.message) for i in info.value.issues if i.level == "error"]


def test_a_valid_policy_loads() -> None:
    policy = load_policy(_doc())
    assert policy.rules[0].when.kind == "streak"
    assert check_policy(policy) == []


def test_gaps_must_be_stated() -> None:
    doc = _doc()
    del doc["gaps"]
    assert _issues(doc) == [("gaps", "缺少必填字段")]
    assert _issues(_doc(gaps={"leave": "skip"})) == [
        ("gaps.not_appraised", "缺少必填字段"),
        ("gaps.no_record", "缺少必填字段"),
    ]


def test_paths_name_the_rule_by_code() -> None:
    doc = _doc()
    doc["rules"][0]["when"]["test"] = {"field": "grade", "lt": 3}
    [(path, message)] = _issues(doc)
    assert path == "rules.top.when.test"
    assert "等级不能比较大小" in message


def test_unknown_kind_and_typo() -> None:
    doc = _doc()
    doc["rules"][0]["when"]["kind"] = "streek"
    doc["rules"][0]["then"][0]["amout"] = 1
    found = dict(_issues(doc))
    assert found["rules.top.when"].startswith("未知的 kind；可用：")
    assert found["rules.top.then[0].amout"] == "未知字段（是否拼写错误？）"


def test_count_larger_than_window_and_duplicate_codes() -> None:
    rule = {
        "code": "c",
        "name": "次数",
        "when": {
            "kind": "count",
            "periods": 2,
            "at_least": 3,
            "test": {"field": "total", "lt": 60},
        },
        "then": [{"kind": "personnel", "action": "warning"}],
    }
    found = dict(_issues(_doc(rules=[rule, rule])))
    assert "不能大于 periods" in found["rules.c.when.at_least"]
    assert "重复" in found["rules.c"]


def test_bad_amount_and_action() -> None:
    doc = _doc()
    doc["rules"][0]["then"] = [
        {"kind": "money", "amount": "两百", "label": "奖励"},
        {"kind": "personnel", "action": "fire"},
    ]
    found = dict(_issues(doc))
    assert "不是金额" in found["rules.top.then[0].amount"]
    assert found["rules.top.then[1].action"].startswith("取值不在允许范围内")


def test_application_table_checks() -> None:
    table = {
        "code": "t",
        "name": "应用表",
        "scheme": "other",
        "grades": [{"grade": "A", "level_change": 1}, {"grade": "A", "training": "高"}],
    }
    found = dict(_issues(_doc(schemes=["s1"], application=[table])))
    assert "不在本政策的 schemes" in found["application.t.scheme"]
    assert "出现了 2 次" in found["application.t.grades.A"]
    bad = {
        "code": "t",
        "name": "应用表",
        "grades": [{"grade": "A", "pay_adjustment": "10 percent"}],
    }
    assert _issues(_doc(application=[bad])) == [
        ("application.t.grades.A.pay_adjustment", "格式不对")
    ]


def test_empty_policy_and_not_a_mapping() -> None:
    assert _issues(_doc(rules=[])) == [
        ("(根)", "政策里既没有 rules 也没有 application；至少写一条")
    ]
    assert _issues(["a"]) == [("(根)", "政策文件的顶层必须是映射（code: …, name: …）")]  # type: ignore[arg-type]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("code: p\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(bad)
    assert "第 " in info.value.issues[0].path and "行" in info.value.issues[0].path
    with pytest.raises(PolicyError) as missing:
        load_policy(tmp_path / "none.yaml")
    assert "找不到政策文件" in missing.value.message


def test_missing_description_is_a_warning() -> None:
    doc = _doc()
    doc["rules"][0]["description"] = ""
    policy = load_policy(doc)
    assert [(i.level, i.path) for i in check_policy(policy)] == [
        ("warning", "rules.top.description")
    ]


def test_builtin_rules_cite_their_seed() -> None:
    for policy in builtin_policies():
        assert check_policy(policy) == []
        for rule in policy.rules:
            assert any(seed in rule.description for seed in ("000", "001", "002", "004")), rule.code
        for table in policy.application:
            assert any(seed in table.description for seed in ("000", "001", "002", "004")), (
                table.code
            )


def test_committed_json_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "policy.schema.json").read_text(encoding="utf-8"))
    assert committed == policy_json_schema(), (
        "docs/policy.schema.json is stale: run `jixiao policy schema > docs/policy.schema.json`"
    )
