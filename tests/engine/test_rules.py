"""Each rule kind at and around its boundaries, through parse_scheme + score."""

from __future__ import annotations

import polars as pl
import pytest

from jixiao.engine import DataError, parse_scheme, score
from tests.engine.schemes import frame, item_scores, one_item, run, score_values, traces

# --- ratio -----------------------------------------------------------------------------------

RATIO = {"kind": "ratio", "target": 100}


def test_ratio_at_target_is_full_and_just_below_is_proportional():
    assert score_values(RATIO, [100.0, 99.0, 50.0, 0.0]) == [10.0, 9.9, 5.0, 0.0]


def test_ratio_above_target_cap_1_stays_full():
    assert score_values(RATIO, [150.0, 100.01]) == [10.0, 10.0]


def test_ratio_cap_120_percent():
    rule = {**RATIO, "cap": 1.2}
    assert score_values(rule, [110.0, 120.0, 150.0, 100.0]) == [11.0, 12.0, 12.0, 10.0]


def test_ratio_cap_trace_says_capped():
    res = run(one_item({**RATIO, "cap": 1.2}), frame(x=[150.0]))
    assert "（按 120% 封顶）" in traces(res)[0]


def test_ratio_cap_below_one_limits_the_item():
    assert score_values({**RATIO, "cap": 0.9}, [100.0, 80.0]) == [9.0, 8.0]


def test_ratio_floor_below_is_zero_at_floor_is_proportional():
    rule = {**RATIO, "floor": "60%"}
    assert score_values(rule, [59.0, 60.0, 61.0]) == [0.0, 6.0, 6.1]
    res = run(one_item(rule), frame(x=[59.0]))
    assert "低于 60% 不得分" in traces(res)[0]


def test_ratio_target_zero_is_missing():
    res = run(one_item({"kind": "ratio", "target": 0}), frame(x=[5.0]))
    assert item_scores(res) == [0.0]
    assert "无法计算" in traces(res)[0]


def test_ratio_target_zero_from_targets_column_is_missing():
    doc = one_item({"kind": "ratio", "target": "t"}, targets={"t": {"name": "目标"}})
    res = run(doc, frame(x=[5.0, 5.0], t=[0.0, 10.0]))
    assert item_scores(res) == [0.0, 5.0]
    assert "无法计算" in traces(res)[0]


def test_ratio_direction_lower():
    rule = {**RATIO, "direction": "lower"}
    assert score_values(rule, [0.0, -3.0, 100.0, 200.0, 400.0, 50.0]) == [
        10.0,
        10.0,
        10.0,
        5.0,
        2.5,
        10.0,
    ]


def test_ratio_missing_value_scores_zero_and_says_missing():
    res = run(one_item(RATIO), frame(x=[None, 100.0]))
    assert item_scores(res) == [0.0, 10.0]
    assert "缺少数据" in traces(res)[0]


# --- linear ----------------------------------------------------------------------------------

LINEAR = {"kind": "linear", "from": {"value": 66000}, "to": {"value": 110000}}


def test_linear_ends_outside_and_midpoint():
    values = [66000.0, 110000.0, 50000.0, 200000.0, 88000.0, 66001.0]
    # 66001: 1/44000 * 10 = 0.000227 -> 0
    assert score_values(LINEAR, values) == [0.0, 10.0, 0.0, 10.0, 5.0, 0.0]


def test_linear_with_explicit_scores():
    rule = {"kind": "linear", "from": {"value": 0, "score": 2}, "to": {"value": 10, "score": 6}}
    assert score_values(rule, [-5.0, 0.0, 5.0, 10.0, 20.0]) == [2.0, 2.0, 4.0, 6.0, 6.0]


def test_linear_reversed_lower_is_better():
    rule = {"kind": "linear", "from": {"value": 30}, "to": {"value": 10}}
    assert score_values(rule, [40.0, 30.0, 20.0, 10.0, 5.0, 25.0]) == [
        0.0,
        0.0,
        5.0,
        10.0,
        10.0,
        2.5,
    ]


# --- tiers -----------------------------------------------------------------------------------

RESPONSE = {
    "kind": "tiers",
    "direction": "lower",
    "bands": [
        {"lte": 15, "score": 5},
        {"gt": 15, "lte": 20, "score": 4},
        {"gt": 20, "lte": 30, "score": 2},
        {"gt": 30, "score": 0},
    ],
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (14.999, 5.0),
        (15.0, 5.0),
        (15.001, 4.0),
        (19.999, 4.0),
        (20.0, 4.0),
        (20.001, 2.0),
        (30.0, 2.0),
        (30.001, 0.0),
        (0.0, 5.0),
    ],
)
def test_tiers_lower_is_better_inclusive_upper_edges(value, expected):
    assert score_values(RESPONSE, [value], points=5) == [expected]


GRADES_UP = {
    "kind": "tiers",
    "bands": [
        {"gte": 90, "score": 10},
        {"range": "[80, 90)", "score": 7},
        {"range": "[60, 80)", "score": 4},
    ],
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (90.0, 10.0),
        (89.999, 7.0),
        (90.001, 10.0),
        (80.0, 7.0),
        (79.999, 4.0),
        (60.0, 4.0),
        (60.001, 4.0),
    ],
)
def test_tiers_higher_is_better_exclusive_upper_edges(value, expected):
    assert score_values(GRADES_UP, [value]) == [expected]


def test_tiers_value_in_no_band_scores_zero_with_trace():
    res = run(one_item(GRADES_UP), frame(x=[59.999, 60.0]))
    assert item_scores(res) == [0.0, 4.0]
    zh = traces(res)
    assert "不在任何一档内" in zh[0]
    assert "落在 [60, 80) 档" in zh[1]
    assert "in no band" in traces(res, lang="en")[0]


COMPLETION = {
    "kind": "tiers",
    "target": "t",
    "bands": [
        {"gte": "100%", "score": 5},
        {"range": "[90%, 100%)", "score": 4},
        {"range": "[80%, 90%)", "score": 2},
        {"lt": "80%", "score": 0},
    ],
}


def test_tiers_with_target_on_completion_rate():
    doc = one_item(COMPLETION, points=5, targets={"t": {"name": "目标"}})
    values = [1000.0, 1200.0, 999.0, 900.0, 899.0, 800.0, 799.0]
    res = run(doc, frame(x=values, t=[1000.0] * len(values)))
    assert item_scores(res) == [5.0, 5.0, 4.0, 4.0, 2.0, 2.0, 0.0]
    assert "完成率 99.9%" in traces(res)[2]


def test_tiers_with_target_zero_is_missing():
    doc = one_item(COMPLETION, points=5, targets={"t": {"name": "目标"}})
    res = run(doc, frame(x=[10.0], t=[0.0]))
    assert item_scores(res) == [0.0]
    assert "无法计算" in traces(res)[0]


def test_tiers_percent_edge_written_as_percent_is_inclusive():
    rule = {
        "kind": "tiers",
        "target": "t",
        "bands": [{"gte": "95%", "score": 5}, {"lt": "95%", "score": 0}],
    }
    doc = one_item(rule, points=5, targets={"t": {"name": "目标"}})
    res = run(doc, frame(x=[95.0], t=[100.0]))
    assert item_scores(res) == [5.0]


def test_tiers_fraction_data_meets_percent_band_edge():
    rule = {"kind": "tiers", "bands": [{"gte": "35%", "score": 10}, {"lt": "35%", "score": 0}]}
    doc = one_item(rule, metrics={"x": {"name": "转化率", "unit": "percent"}})
    data = pl.DataFrame({"employee": ["E1"], "x": [0.35]})
    assert item_scores(run(doc, data)) == [10.0]


# --- per occurrence --------------------------------------------------------------------------


def test_per_occurrence_free_allowance_and_exhausting_points():
    rule = {"kind": "per_occurrence", "per": 2, "free": 1}
    values = [0.0, 1.0, 2.0, 3.0, 6.0, 7.0, 100.0]
    assert score_values(rule, values) == [10.0, 10.0, 8.0, 6.0, 0.0, 0.0, 0.0]


def test_per_occurrence_trace_shows_deduction():
    res = run(one_item({"kind": "per_occurrence", "per": 2}), frame(x=[3.0]))
    assert traces(res)[0] == "考核项 3，每次扣 2 分，共扣 6 分（最多 10 分） → 4 / 10 分"


def test_per_occurrence_start_zero_earns_up_to_points():
    rule = {"kind": "per_occurrence", "per": 3, "start": "zero"}
    assert score_values(rule, [0.0, 2.0, 3.0, 4.0, 50.0]) == [0.0, 6.0, 9.0, 10.0, 10.0]


def test_per_occurrence_max_below_points():
    rule = {"kind": "per_occurrence", "per": 2, "max": 5}
    assert score_values(rule, [1.0, 2.0, 3.0, 10.0]) == [8.0, 6.0, 5.0, 5.0]


def _with_extra(item_type: str, per: float, points: float = 5):
    extra = {
        "code": "e",
        "name": "额外",
        "type": item_type,
        "points": points,
        "rule": {"kind": "per_occurrence", "per": per},
    }
    return one_item(
        {"kind": "ratio", "target": 100},
        metrics={"x": {"name": "指标"}, "e": {"name": "次数"}},
        extra_items=[extra],
    )


def test_per_occurrence_bonus_item_earns_capped():
    res = run(_with_extra("bonus", 1), frame(x=[50.0] * 4, e=[0.0, 3.0, 5.0, 8.0]))
    assert item_scores(res, "e") == [0.0, 3.0, 5.0, 5.0]
    assert res.table.get_column("total").to_list() == [5.0, 8.0, 10.0, 10.0]
    assert traces(res, "e")[1].endswith("→ 加 3 分（上限 5 分）")


def test_per_occurrence_deduction_item_is_negative_capped():
    res = run(_with_extra("deduction", 2), frame(x=[100.0] * 4, e=[0.0, 1.0, 2.5, 10.0]))
    assert item_scores(res, "e") == [0.0, -2.0, -5.0, -5.0]
    assert res.table.get_column("total").to_list() == [10.0, 8.0, 5.0, 5.0]
    assert traces(res, "e")[1].endswith("→ 扣 2 分（上限 5 分）")


# --- step ------------------------------------------------------------------------------------

STEP = {"kind": "step", "target": 100, "step": 5, "per": 1}


def test_step_floor_rounding():
    values = [100.0, 120.0, 99.0, 95.0, 94.0, 90.0, 50.0, 0.0]
    assert score_values(STEP, values) == [10.0, 10.0, 10.0, 9.0, 9.0, 8.0, 0.0, 0.0]


def test_step_ceil_rounding():
    rule = {**STEP, "rounding": "ceil"}
    values = [100.0, 99.0, 95.0, 94.0, 90.0, 89.0, 0.0]
    assert score_values(rule, values) == [10.0, 9.0, 9.0, 8.0, 8.0, 7.0, 0.0]


def test_step_direction_lower():
    rule = {**STEP, "direction": "lower"}
    values = [100.0, 80.0, 101.0, 105.0, 109.0, 110.0, 200.0]
    assert score_values(rule, values) == [10.0, 10.0, 10.0, 9.0, 9.0, 8.0, 0.0]


def test_step_trace():
    res = run(one_item(STEP), frame(x=[89.0]))
    text = traces(res)[0]
    assert text.startswith("考核项 89，目标 100，差 11，每差 5")
    assert text.endswith("：2 档共扣 2 分 → 8 / 10 分")


# --- rank ------------------------------------------------------------------------------------

RANK = {
    "kind": "rank",
    "scores": [{"rank": 1, "score": 10}, {"rank": 2, "score": 8}, {"rank": 3, "score": 6}],
    "otherwise": 3,
    "group_by": None,
}


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        ("min", [10.0, 10.0, 6.0, 3.0]),  # ranks 1, 1, 3, 4
        ("max", [8.0, 8.0, 6.0, 3.0]),  # ranks 2, 2, 3, 4
        ("dense", [10.0, 10.0, 8.0, 6.0]),  # ranks 1, 1, 2, 3
    ],
)
def test_rank_tie_policies_ungrouped(ties, expected):
    rule = {**RANK, "ties": ties}
    assert score_values(rule, [100.0, 100.0, 90.0, 80.0]) == expected


def test_rank_ungrouped_trace():
    res = run(one_item({**RANK, "ties": "max"}), frame(x=[100.0, 100.0, 90.0]))
    assert traces(res)[0].endswith("，全体排第 2 名 → 8 / 10 分")


def test_rank_per_group():
    rule = {**RANK, "group_by": "group"}
    data = frame(x=[100.0, 90.0, 80.0, 70.0, 80.0]).with_columns(
        pl.Series("group", ["A", "A", "B", "B", "B"], dtype=pl.String)
    )
    res = run(one_item(rule), data)
    assert item_scores(res) == [10.0, 8.0, 10.0, 6.0, 10.0]
    assert "在 B 组内排第 3 名" in traces(res)[3]


def test_rank_direction_lower():
    rule = {**RANK, "direction": "lower"}
    assert score_values(rule, [5.0, 1.0, 3.0, 9.0]) == [6.0, 10.0, 8.0, 3.0]


def test_rank_missing_value_scores_zero_and_takes_no_place():
    assert score_values(RANK, [None, 90.0, 80.0]) == [0.0, 10.0, 8.0]


def test_rank_excludes_people_not_eligible():
    doc = one_item(RANK, metrics={"x": {"name": "销售"}, "absent": {"name": "缺勤"}})
    doc["eligibility"] = [{"when": "absent > 20", "label": "缺勤过多"}]
    res = run(doc, frame(x=[100.0, 90.0, 80.0], absent=[21.0, 0.0, 20.0]))
    assert item_scores(res) == [0.0, 10.0, 8.0]
    assert res.table.get_column("eligible").to_list() == [False, True, True]


# --- rating ----------------------------------------------------------------------------------

RATERS = {"self": "30%", "peer": "50%", "manager": "20%"}


def _rating(missing: str = "renormalize", **kw):
    rule = {"kind": "rating", "raters": RATERS, "scale": 100, "missing": missing, **kw}
    return one_item(rule, metrics={})


def _ratings(rows: list[tuple[str, str, str, object]], item: str = "x") -> pl.DataFrame:
    dtype = pl.String if any(isinstance(r[3], str) for r in rows) else pl.Float64
    return pl.DataFrame(
        {
            "employee": [r[0] for r in rows],
            "item": [item] * len(rows),
            "rater_role": [r[1] for r in rows],
            "rater": [r[2] for r in rows],
            "score": pl.Series([r[3] for r in rows], dtype=dtype),
        }
    )


EMP = pl.DataFrame({"employee": ["E1"]})


def test_rating_numeric_scale_peers_averaged():
    ratings = _ratings(
        [
            ("E1", "self", "E1", 90.0),
            ("E1", "peer", "P1", 80.0),
            ("E1", "peer", "P2", 70.0),
            ("E1", "manager", "M1", 85.0),
        ]
    )
    res = run(_rating(), EMP, ratings=ratings)
    # 90 × 30% + 75 × 50% + 85 × 20% = 81.5 on a 100 scale -> 8.15 of 10
    assert item_scores(res) == [8.15]
    assert traces(res)[0] == (
        "考核项：自评 90 × 30% + 互评 75 × 50% + 上级 85 × 20% = 81.5（100 分制） → 8.15 / 10 分"
    )


MISSING_PEER = [("E1", "self", "E1", 90.0), ("E1", "manager", "M1", 80.0)]


def test_rating_missing_rater_renormalize():
    res = run(_rating("renormalize"), EMP, ratings=_ratings(MISSING_PEER))
    # (27 + 16) / 50% = 86 -> 8.6
    assert item_scores(res) == [8.6]
    assert "按在评人权重合计 50% 折算" in traces(res)[0]


def test_rating_missing_rater_zero():
    res = run(_rating("zero"), EMP, ratings=_ratings(MISSING_PEER))
    assert item_scores(res) == [4.3]
    assert "缺评按 0 分计" in traces(res)[0]


def test_rating_missing_rater_incomplete():
    res = run(_rating("incomplete"), EMP, ratings=_ratings(MISSING_PEER))
    assert item_scores(res) == [0.0]
    assert "评分不全" in traces(res)[0]


def test_rating_no_ratings_at_all_is_zero():
    res = run(_rating(), pl.DataFrame({"employee": ["E1", "E2"]}), ratings=_ratings(MISSING_PEER))
    assert item_scores(res) == [8.6, 0.0]


def test_rating_wide_columns():
    data = pl.DataFrame(
        {
            "employee": ["E1"],
            "x:self": [100.0],
            "x:peer": [60.0],
            "x:manager": [None],
        },
        schema_overrides={"x:manager": pl.Float64},
    )
    res = run(_rating(), data)
    # (30 + 30) / 80% = 75 -> 7.5
    assert item_scores(res) == [7.5]


LEVELS = {"kind": "rating", "raters": {"manager": 1}, "levels": {"A": 30, "B": 15, "C": 0}}


def test_rating_descriptive_levels():
    doc = one_item(LEVELS, points=30, metrics={})
    ratings = _ratings(
        [("E1", "manager", "M", "A"), ("E2", "manager", "M", "B"), ("E3", "manager", "M", "C")]
    )
    data = pl.DataFrame({"employee": ["E1", "E2", "E3"]})
    assert item_scores(run(doc, data, ratings=ratings)) == [30.0, 15.0, 0.0]


def test_rating_unknown_level_is_data_error():
    doc = one_item(LEVELS, points=30, metrics={})
    ratings = _ratings([("E1", "manager", "M", "A"), ("E1", "manager", "M2", "D")])
    with pytest.raises(DataError) as exc:
        run(doc, EMP, ratings=ratings)
    assert "“D”" in str(exc.value)
    assert exc.value.row == 2


def test_rating_score_above_scale_is_data_error():
    ratings = _ratings([("E1", "self", "E1", 90.0), ("E1", "peer", "P", 101.0)])
    with pytest.raises(DataError) as exc:
        run(_rating(), EMP, ratings=ratings)
    assert "101" in str(exc.value)
    assert "0–100" in str(exc.value)
    assert exc.value.row == 2


def test_rating_at_scale_is_full():
    ratings = _ratings(
        [("E1", "self", "E1", 100.0), ("E1", "peer", "P", 100.0), ("E1", "manager", "M", 100.0)]
    )
    assert item_scores(run(_rating(), EMP, ratings=ratings)) == [10.0]


# --- formula ---------------------------------------------------------------------------------


def test_formula_rule_clamped_to_points():
    rule = {"kind": "formula", "score": "x * 2"}
    assert score_values(rule, [3.0, 5.0, 8.0, -1.0, 2.345]) == [6.0, 10.0, 10.0, 0.0, 4.69]


def test_formula_division_by_zero_is_missing():
    doc = one_item(
        {"kind": "formula", "score": "10 / y"}, metrics={"y": {"name": "分母"}}, code="x"
    )
    res = run(doc, frame(y=[0.0, 2.0]))
    assert item_scores(res) == [0.0, 5.0]
    assert "无法计算" in traces(res)[0]


# --- veto ------------------------------------------------------------------------------------


def _veto_scheme(scope: str):
    metrics = {"x": {"name": "指标"}, "y": {"name": "指标二"}, "bad": {"name": "致命错误"}}
    doc = one_item({"kind": "ratio", "target": 10}, metrics=metrics)
    doc["full_score"] = 20
    doc["dimensions"].append(
        {
            "code": "d2",
            "name": "维度二",
            "items": [
                {"code": "y", "name": "二", "points": 10, "rule": {"kind": "ratio", "target": 10}},
                {"code": "v", "name": "否决", "type": "veto", "when": "bad >= 1", "scope": scope},
            ],
        }
    )
    return doc


VETO_DATA = frame(x=[10.0, 10.0, 10.0], y=[10.0, 10.0, 10.0], bad=[1.0, 0.0, None])


def test_veto_scope_total():
    res = run(_veto_scheme("total"), VETO_DATA)
    assert res.table.get_column("total").to_list() == [0.0, 20.0, 20.0]
    assert res.table.get_column("veto:v").to_list() == [True, False, False]
    assert "触发否决，总分计 0 分" in traces(res, "v")[0]
    assert traces(res, "v")[1].endswith("→ 未触发")


def test_veto_scope_dimension():
    res = run(_veto_scheme("dimension:d2"), VETO_DATA)
    assert res.table.get_column("dim:d2").to_list() == [0.0, 10.0, 10.0]
    assert res.table.get_column("dim:d").to_list() == [10.0, 10.0, 10.0]
    assert res.table.get_column("total").to_list() == [10.0, 20.0, 20.0]


def test_veto_scope_item():
    res = run(_veto_scheme("item:x"), VETO_DATA)
    assert item_scores(res) == [0.0, 10.0, 10.0]
    assert item_scores(res, "y") == [10.0, 10.0, 10.0]
    assert res.table.get_column("total").to_list() == [10.0, 20.0, 20.0]


def test_veto_missing_input_does_not_veto():
    res = run(_veto_scheme("total"), VETO_DATA)
    assert res.table.get_column("veto:v").to_list()[2] is False
    assert res.table.get_column("total").to_list()[2] == 20.0


def test_parse_scheme_round_trip_used_by_helpers():
    # The helper's scheme is valid on its own and scores through the public API.
    res = score(parse_scheme(one_item(RATIO)), frame(x=[100.0]))
    assert res.table.get_column("total").to_list() == [10.0]


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        ("min", [10.0, 10.0, 6.0, 10.0, 8.0]),  # A: 1, 1, 3; B: 1, 2
        ("max", [8.0, 8.0, 6.0, 10.0, 8.0]),  # A: 2, 2, 3; B: 1, 2
        ("dense", [10.0, 10.0, 8.0, 10.0, 8.0]),  # A: 1, 1, 2; B: 1, 2
    ],
)
def test_rank_tie_policies_per_group(ties, expected):
    rule = {**RANK, "group_by": "group", "ties": ties}
    data = frame(x=[90.0, 90.0, 80.0, 50.0, 40.0]).with_columns(
        pl.Series("group", ["A", "A", "A", "B", "B"], dtype=pl.String)
    )
    assert item_scores(run(one_item(rule), data)) == expected


def test_rank_default_group_by_without_group_column_ranks_everyone():
    rule = {k: v for k, v in RANK.items() if k != "group_by"}
    assert score_values(rule, [80.0, 100.0, 90.0]) == [6.0, 10.0, 8.0]


def test_rank_person_without_group_is_not_ranked_in_group():
    rule = {**RANK, "group_by": "group"}
    data = frame(x=[100.0, 90.0, 80.0]).with_columns(
        pl.Series("group", ["A", "A", None], dtype=pl.String)
    )
    res = run(one_item(rule), data)
    assert item_scores(res) == [10.0, 8.0, 0.0]
    assert res.explain("E3").items[0].score == 0.0


def test_linear_with_formula_ends_and_zero_target_is_missing():
    rule = {"kind": "linear", "from": {"value": "t * 0.5"}, "to": {"value": "t"}}
    doc = one_item(rule, targets={"t": {"name": "目标"}})
    res = run(doc, frame(x=[5.0, 7.5, 10.0], t=[0.0, 10.0, 10.0]))
    assert item_scores(res) == [0.0, 5.0, 10.0]
    assert "无法计算" in traces(res)[0]


def test_rating_long_format_explain_matches_table():
    ratings = _ratings(
        [("E1", "self", "E1", 90.0), ("E1", "peer", "P1", 70.0), ("E1", "manager", "M", 60.0)]
    )
    res = run(_rating(), EMP, ratings=ratings)
    # 27 + 35 + 12 = 74 -> 7.4
    assert item_scores(res) == [7.4]
    ex = res.explain("E1")
    assert ex.items[0].score == 7.4
    assert ex.items[0].text == traces(res)[0]


def test_rating_levels_averaged_over_peers():
    rule = {"kind": "rating", "raters": {"peer": 1}, "levels": {"A": 30, "B": 15, "C": 0}}
    ratings = _ratings([("E1", "peer", "P1", "A"), ("E1", "peer", "P2", "B")])
    assert item_scores(run(one_item(rule, points=30, metrics={}), EMP, ratings=ratings)) == [22.5]


def test_ratio_english_trace():
    res = run(one_item({**RATIO, "cap": 1.2}), frame(x=[150.0]))
    assert traces(res, lang="en")[0] == (
        "考核项 150, target 100, attainment 150% (capped at 120%) → 12 / 10 pts"
    )


def test_step_with_decimal_step_counts_whole_steps_exactly():
    rule = {"kind": "step", "target": 4.8, "step": 0.1, "per": 2}
    assert score_values(rule, [4.8, 4.7, 4.5, 4.0]) == [10.0, 8.0, 4.0, 0.0]


def test_ratio_floor_written_as_percent_is_inclusive():
    assert score_values({**RATIO, "floor": "70%"}, [70.0]) == [7.0]


def test_ratio_floor_written_as_fraction_is_inclusive():
    assert score_values({**RATIO, "floor": 0.7}, [70.0, 69.0]) == [7.0, 0.0]


def test_rank_trace_for_person_not_eligible():
    doc = one_item(RANK, metrics={"x": {"name": "销售"}, "absent": {"name": "缺勤"}})
    doc["eligibility"] = [{"when": "absent > 20", "label": "缺勤过多"}]
    res = run(doc, frame(x=[100.0, 90.0], absent=[21.0, 0.0]))
    assert "本期不参与考核，不参加排名" in traces(res)[0]
    assert res.explain("E1").items[0].text == traces(res)[0]


def test_ratings_unknown_item_and_role_are_data_errors():
    bad_item = _ratings([("E1", "self", "E1", 90.0)], item="y")
    with pytest.raises(DataError) as exc:
        run(_rating(), EMP, ratings=bad_item)
    assert "“y”" in str(exc.value)
    assert exc.value.column == "item"
    bad_role = _ratings([("E1", "self", "E1", 90.0), ("E1", "boss", "B", 80.0)])
    with pytest.raises(DataError) as exc:
        run(_rating(), EMP, ratings=bad_role)
    assert "“boss”" in str(exc.value)
    assert exc.value.row == 2


def test_ratings_missing_columns_is_data_error():
    with pytest.raises(DataError, match="rater_role"):
        run(_rating(), EMP, ratings=pl.DataFrame({"employee": ["E1"], "score": [1.0]}))


def test_rating_text_scores_with_fen_suffix():
    data = pl.DataFrame(
        {"employee": ["E1"], "x:self": ["90分"], "x:peer": ["80"], "x:manager": ["85 "]}
    )
    assert item_scores(run(_rating(), data)) == [8.4]
