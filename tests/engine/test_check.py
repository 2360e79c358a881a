"""Scheme validation: every check names the field path and says what is wrong."""

from __future__ import annotations

import copy

import pytest

from jixiao.engine import Issue, SchemeError, check_scheme, load_scheme, parse_scheme
from tests.engine.schemes import one_item

RATIO = {"kind": "ratio", "target": 100}
X = "dimensions.d.items.x"


def errors(doc) -> list[Issue]:
    with pytest.raises(SchemeError) as exc:
        parse_scheme(doc)
    return [i for i in exc.value.issues if i.level == "error"]


def only_error(doc) -> Issue:
    errs = errors(doc)
    assert len(errs) == 1, [str(e) for e in errs]
    return errs[0]


def warnings(doc) -> list[Issue]:
    return [i for i in check_scheme(parse_scheme(doc)) if i.level == "warning"]


def tiers(bands, **kw):
    return one_item({"kind": "tiers", "bands": bands, **kw})


def test_valid_scheme_has_no_issues():
    assert check_scheme(parse_scheme(one_item(RATIO))) == []


# --- points and weights ----------------------------------------------------------------------


def test_item_points_not_adding_up_to_full_score():
    doc = one_item(RATIO)
    doc["full_score"] = 100
    e = only_error(doc)
    assert e.path == "dimensions"
    assert "各项分值合计 10" in e.message
    assert "与满分 100 不符" in e.message
    assert "10" in e.message_en and "100" in e.message_en


def _weighted(weights):
    item = {"code": "a", "name": "甲", "points": 100, "rule": RATIO}
    dims = []
    for k, w in enumerate(weights):
        it = {**item, "code": f"i{k}"}
        dims.append({"code": f"d{k}", "name": f"维度{k}", "weight": w, "items": [it]})
    return {
        "code": "w",
        "name": "加权",
        "metrics": {f"i{k}": {} for k in range(len(weights))},
        "dimensions": dims,
    }


def test_dimension_weights_summing_to_100_or_1_are_fine():
    parse_scheme(_weighted([70, 15, 15]))
    parse_scheme(_weighted([0.7, 0.15, 0.15]))


def test_dimension_weights_not_summing_to_100():
    e = only_error(_weighted([70, 15, 10]))
    assert e.path == "dimensions"
    assert "维度权重合计 95" in e.message
    assert "应为 100" in e.message


def test_some_dimensions_without_weight():
    doc = _weighted([70, 30])
    del doc["dimensions"][1]["weight"]
    e = only_error(doc)
    assert e.path == "dimensions"
    assert "d1" in e.message


# --- bands -----------------------------------------------------------------------------------

C1_PAY = [
    {"range": "[0, 60)", "score": 0},
    {"range": "[60, 70)", "score": 3},
    {"range": "[60, 70)", "score": 4},
    {"gte": 70, "score": 10},
]


def test_overlapping_bands_c1_pattern_names_both_bands():
    e = only_error(tiers(C1_PAY))
    assert e.path == f"{X}.rule.bands[1]"
    assert "第 2 档 [60, 70) 与 第 3 档 [60, 70) 重叠" in e.message
    assert "band 2 [60, 70) overlaps band 3 [60, 70)" in e.message_en


def test_partially_overlapping_bands():
    bands = [{"lt": 60, "score": 0}, {"lte": 80, "gte": 60, "score": 5}, {"gte": 80, "score": 10}]
    e = only_error(tiers(bands))
    assert "第 2 档 [60, 80] 与 第 3 档 [80, +∞) 重叠" in e.message


def test_gap_between_bands_names_the_gap():
    bands = [{"range": "[0, 60)", "score": 0}, {"range": "[65, 70)", "score": 3}]
    bands.append({"gte": 70, "score": 10})
    e = only_error(tiers(bands))
    assert e.path == f"{X}.rule.bands[0]"
    assert "第 1 档 [0, 60) 与 第 2 档 [65, 70) 之间有空档" in e.message
    assert "落在 [60, 65) 的数不属于任何一档" in e.message


def test_gap_of_a_single_point():
    bands = [{"lt": 60, "score": 0}, {"gt": 60, "score": 10}]
    e = only_error(tiers(bands))
    assert "[60, 60]" in e.message


def test_touching_bands_are_fine():
    bands = [{"lt": 60, "score": 0}, {"gte": 60, "lte": 80, "score": 5}, {"gt": 80, "score": 10}]
    assert check_scheme(parse_scheme(tiers(bands))) == []


def test_band_score_above_points():
    e = only_error(tiers([{"lt": 60, "score": 0}, {"gte": 60, "score": 12}]))
    assert e.path == f"{X}.rule.bands[1].score"
    assert "第 2 档得分 12 超出 0–10" in e.message


def test_empty_band_interval():
    e = only_error(tiers([{"range": "[80, 60)", "score": 1}]))
    assert e.path == f"{X}.rule.bands[0]"
    assert "empty" in e.message


def _graded(grades):
    doc = one_item(RATIO)
    doc["grades"] = grades
    return doc


def test_grade_bands_overlapping():
    errs = errors(_graded([{"grade": "A", "gte": 5}, {"grade": "B", "gte": 0, "lte": 6}]))
    assert [e.path for e in errs] == ["grades[0]"]
    assert "第 1 档 [5, +∞) 与 第 2 档 [0, 6] 重叠" in errs[0].message


def test_grade_bands_not_covering_zero():
    e = only_error(_graded([{"grade": "A", "gte": 5}, {"grade": "B", "gt": 0, "lt": 5}]))
    assert e.path == "grades[1]"
    assert "等级表没有覆盖全部分数 0–10" in e.message
    assert "没有覆盖到 0" in e.message


def test_grade_bands_not_covering_full_score():
    e = only_error(_graded([{"grade": "A", "gte": 5, "lt": 8}, {"grade": "B", "gte": 0, "lt": 5}]))
    assert e.path == "grades[0]"
    assert "没有覆盖到 10" in e.message


def test_grade_bands_covering_up_to_full_inclusive_are_fine():
    doc = _graded([{"grade": "A", "gte": 5, "lte": 10}, {"grade": "B", "gte": 0, "lt": 5}])
    assert check_scheme(parse_scheme(doc)) == []


def test_grade_bands_must_reach_max_score_with_bonus():
    doc = one_item(
        RATIO,
        metrics={"x": {}, "b": {}},
        extra_items=[
            {
                "code": "b",
                "name": "加分",
                "type": "bonus",
                "points": 2,
                "rule": {"kind": "per_occurrence", "per": 1},
            }
        ],
    )
    doc["grades"] = [{"grade": "A", "gte": 5, "lte": 10}, {"grade": "B", "gte": 0, "lt": 5}]
    e = only_error(doc)
    assert "0–12" in e.message


# --- formulas --------------------------------------------------------------------------------


def test_unknown_metric_in_formula_names_it_and_suggests():
    doc = one_item({"kind": "ratio", "target": "x_targt"}, targets={"x_target": {"name": "目标"}})
    e = only_error(doc)
    assert e.path == f"{X}.rule.target"
    assert "未声明的输入 “x_targt”" in e.message
    assert "是不是 x_target" in e.message
    assert "x_targt" in e.message_en


def test_unknown_metric_without_close_name_has_no_suggestion():
    e = only_error(one_item({"kind": "ratio", "target": "qqqq"}))
    assert "“qqqq”" in e.message
    assert "是不是" not in e.message


def test_formula_syntax_error_with_position():
    e = only_error(one_item({"kind": "formula", "score": "x * (2 +"}))
    assert e.path == f"{X}.rule.score"
    assert "第 9 个字符" in e.message
    assert "x * (2 +" in e.message


def test_item_without_value_or_input_named_like_it():
    e = only_error(one_item(RATIO, metrics={"xx": {}}))
    assert e.path == f"{X}.value"
    assert "“x”" in e.message
    assert "是不是 xx" in e.message


def test_condition_where_number_expected():
    e = only_error(one_item({"kind": "ratio", "target": "x > 1"}))
    assert e.path == f"{X}.rule.target"
    assert "应当是数值" in e.message


def test_eligibility_must_be_a_condition():
    doc = one_item(RATIO)
    doc["eligibility"] = [{"when": "x + 1", "label": "L"}]
    e = only_error(doc)
    assert e.path == "eligibility[0].when"


# --- ratings and vetoes ----------------------------------------------------------------------


def test_rater_weights_not_summing_to_100_percent():
    doc = one_item({"kind": "rating", "raters": {"self": "30%", "peer": "60%"}}, metrics={})
    e = only_error(doc)
    assert e.path == f"{X}.rule.raters"
    assert "评分人权重合计 90%（self 30% + peer 60%），应为 100%" in e.message


def test_rating_level_above_points():
    rule = {"kind": "rating", "raters": {"manager": 1}, "levels": {"A": 30, "B": 15}}
    e = only_error(one_item(rule, points=20, metrics={}))
    assert e.path == f"{X}.rule.levels.A"


def _veto(**kw):
    veto = {"code": "v", "name": "否决", "type": "veto", "when": "x > 1", **kw}
    return one_item(RATIO, extra_items=[veto])


def test_veto_with_bad_scope():
    e = only_error(_veto(scope="dimension:nope"))
    assert e.path == "dimensions.d.items.v.scope"
    assert "“dimension:nope”" in e.message


@pytest.mark.parametrize("scope", ["total", "dimension:d", "item:x"])
def test_veto_with_good_scope(scope):
    parse_scheme(_veto(scope=scope))


def test_veto_with_points_and_without_when():
    doc = one_item(RATIO, extra_items=[{"code": "v", "name": "否决", "type": "veto", "points": 1}])
    paths = sorted(e.path for e in errors(doc))
    assert paths == ["dimensions.d.items.v.points", "dimensions.d.items.v.when"]


def test_veto_when_must_be_condition():
    e = only_error(_veto(when="x + 1"))
    assert e.path == "dimensions.d.items.v.when"


# --- pydantic-level errors -------------------------------------------------------------------


def test_unknown_field_names_path():
    e = only_error(one_item(RATIO, wieght=3))
    assert e.path == f"{X}.wieght"
    assert "未知字段" in e.message


def test_missing_kind_names_rule_path():
    e = only_error(one_item({"target": 1}))
    assert e.path == f"{X}.rule"
    assert "缺少 kind" in e.message


def test_unknown_kind():
    e = only_error(one_item({"kind": "ratioo", "target": 1}))
    assert e.path == f"{X}.rule"
    assert "未知的规则类型" in e.message


def test_unknown_field_inside_rule():
    e = only_error(one_item({**RATIO, "targett": 1}))
    assert e.path == f"{X}.rule.targett"


def test_missing_item_name_and_bad_literal():
    doc = one_item(RATIO, type="extra")
    del doc["dimensions"][0]["items"][0]["name"]
    paths = sorted(e.path for e in errors(doc))
    assert paths == [f"{X}.name", f"{X}.type"]


def test_path_uses_list_index_when_code_missing():
    doc = one_item(RATIO)
    del doc["dimensions"][0]["items"][0]["code"]
    e = only_error(doc)
    assert e.path == "dimensions.d.items[0].code"


def test_duplicate_item_codes():
    doc = one_item(RATIO, points=5)
    doc["dimensions"][0]["items"].append(copy.deepcopy(doc["dimensions"][0]["items"][0]))
    doc["full_score"] = 10
    e = only_error(doc)
    assert e.path == X
    assert "重复" in e.message


# --- warnings --------------------------------------------------------------------------------


def test_warning_target_constant_zero():
    ws = warnings(one_item({"kind": "ratio", "target": 0}))
    assert [(w.path, w.message) for w in ws] == [
        (f"{X}.rule.target", "目标为 0：完成率无法计算，该项将显示为缺失")
    ]


def test_warning_target_default_zero():
    doc = one_item({"kind": "ratio", "target": "t"}, targets={"t": {"default": 0}})
    ws = warnings(doc)
    assert [w.path for w in ws] == ["targets.t.default"]


def test_warning_percent_band_above_150_percent():
    bands = [{"gte": 95, "score": 10}, {"lt": 95, "score": 0}]
    ws = warnings(tiers(bands, target=100))
    assert len(ws) == 1
    assert ws[0].path == f"{X}.rule.bands[0]"
    assert "是不是想写 95%" in ws[0].message
    assert "did you mean 95%" in ws[0].message_en


def test_no_warning_for_band_at_150_percent():
    bands = [{"gte": "150%", "score": 10}, {"lt": "150%", "score": 0}]
    assert warnings(tiers(bands, target=100)) == []


def test_warning_non_monotone_band_scores():
    bands = [{"lt": 60, "score": 8}, {"gte": 60, "score": 2}]
    ws = warnings(tiers(bands))
    assert [w.path for w in ws] == [f"{X}.rule.bands[1]"]


def test_warning_ratio_cap_below_one():
    # Regression: a cap below 1 used to lower max_score below full_score (a hard error).
    ws = warnings(one_item({**RATIO, "cap": 0.9}))
    assert [w.path for w in ws] == [f"{X}.rule.cap"]


# --- load_scheme -----------------------------------------------------------------------------


def test_load_scheme_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(SchemeError) as exc:
        load_scheme(path)
    assert exc.value.issues[0].path == "(文件)"
    assert "找不到方案文件" in str(exc.value)
    assert str(path) in str(exc.value)


def test_load_scheme_invalid_yaml_names_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("code: t\nname: x\ndimensions: [\n  {code: d\n", encoding="utf-8")
    with pytest.raises(SchemeError) as exc:
        load_scheme(path)
    issue = exc.value.issues[0]
    assert issue.path.startswith("第 ")
    assert "YAML/JSON 格式错误" in issue.message
    assert exc.value.source == str(path)


def test_load_scheme_invalid_yaml_text_names_line():
    with pytest.raises(SchemeError) as exc:
        load_scheme("code: t\nname: [oops\nfull_score: 100\n")
    assert "行" in exc.value.issues[0].path


def test_load_scheme_non_mapping_document():
    with pytest.raises(SchemeError) as exc:
        load_scheme("- a\n- b\n")
    assert exc.value.issues[0].path == "(根)"
    assert "顶层必须是映射" in exc.value.issues[0].message


def test_load_scheme_fixture_file():
    scheme = load_scheme("tests/engine/fixtures/all_rules.yaml")
    assert scheme.code == "test_ops"


def test_load_scheme_yaml_error_reports_source_in_message(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("code: t\n  name: x\n", encoding="utf-8")
    with pytest.raises(SchemeError) as exc:
        load_scheme(path)
    assert str(exc.value).startswith(f"{path}: ")
    assert exc.value.issues[0].path == "第 2 行第 7 列"


def test_paths_use_codes_of_nested_dimension_and_item():
    doc = {
        "code": "ops",
        "name": "运营",
        "metrics": {"orders": {}, "gmv": {}},
        "dimensions": [
            {
                "code": "base",
                "name": "基础",
                "items": [{"code": "gmv", "name": "成交额", "points": 50, "rule": RATIO}],
            },
            {
                "code": "sales",
                "name": "销售",
                "items": [{"code": "orders", "name": "订单", "points": 50, "rule": {"cap": 1}}],
            },
        ],
    }
    e = only_error(doc)
    assert e.path == "dimensions.sales.items.orders.rule"


def test_all_errors_reported_at_once():
    doc = one_item({"kind": "tiers", "bands": C1_PAY, "target": "nope"})
    doc["full_score"] = 100
    paths = {e.path for e in errors(doc)}
    assert paths == {"dimensions", f"{X}.rule.bands[1]", f"{X}.rule.target"}


@pytest.mark.parametrize(
    ("rule", "path", "text"),
    [
        ({"kind": "linear", "from": {"value": 5}, "to": {"value": 5}}, "rule", "两个端点相同"),
        ({"kind": "linear", "from": {"value": 0}, "to": {"value": 9, "score": 11}}, "rule.to.score", "超出 0–10"),
        ({"kind": "per_occurrence", "per": 0}, "rule.per", "必须大于 0"),
        ({"kind": "per_occurrence", "per": 1, "free": -1}, "rule.free", "不能为负"),
        ({"kind": "step", "target": 1, "step": 0, "per": 1}, "rule.step", "必须大于 0"),
        ({"kind": "ratio", "target": 1, "floor": 2}, "rule.floor", "不得分线"),
        ({"kind": "ratio", "target": 1, "cap": "abc"}, "rule.cap", "不是数字"),
        (
            {"kind": "rank", "scores": [{"rank": 1, "score": 10}, {"rank": 1, "score": 5}]},
            "rule.scores[1]",
            "名次 1 重复",
        ),
        ({"kind": "rank", "scores": [{"rank": 1, "score": 11}]}, "rule.scores[0].score", "超出"),
        ({"kind": "rating", "raters": {"self": 1}, "scale": 0}, "rule.scale", "必须大于 0"),
    ],
)  # fmt: skip
def test_rule_level_errors_name_their_field(rule, path, text):
    doc = one_item(rule, metrics={"x": {}})
    e = only_error(doc)
    assert e.path == f"{X}.{path}"
    assert text in e.message


def test_metric_and_target_with_same_name():
    doc = one_item(RATIO, targets={"x": {}})
    assert "targets.x" in {e.path for e in errors(doc)}


def test_duplicate_dimension_codes():
    doc = one_item(RATIO, points=5)
    dim = copy.deepcopy(doc["dimensions"][0])
    dim["items"][0]["code"] = "y"
    doc["dimensions"].append(dim)
    doc["metrics"]["y"] = {}
    doc["full_score"] = 10
    e = only_error(doc)
    assert e.path == "dimensions.d"
    assert "维度代码 “d” 重复" in e.message


def test_points_and_weight_both_given_and_points_not_positive():
    assert only_error(one_item(RATIO, weight=10)).path == X
    e = only_error(one_item(RATIO, points=0) | {"full_score": 0})
    assert e.path == f"{X}.points"


def test_unknown_unit_is_a_warning():
    ws = warnings(one_item(RATIO, metrics={"x": {"unit": "furlongs"}}))
    assert [w.path for w in ws] == ["metrics.x.unit"]
