"""End to end: totals, weights, bonus / deduction, eligibility, grades, ranks, data errors."""

from __future__ import annotations

import json

import polars as pl
import pytest

from jixiao.engine import DataError, load_scheme, parse_scheme, score
from tests.engine.schemes import frame, item_scores, one_item, run, traces

FIXTURE = "tests/engine/fixtures/all_rules"
RATIO = {"kind": "ratio", "target": 100}


def all_rules():
    scheme = load_scheme(f"{FIXTURE}.yaml")
    data = pl.read_csv(f"{FIXTURE}.csv", infer_schema_length=0)  # every column as text
    return scheme, data


def col(res, name):
    return res.table.get_column(name).to_list()


# --- totals ----------------------------------------------------------------------------------


def test_points_mode_total_is_sum_of_dimensions_is_sum_of_items():
    scheme, data = all_rules()
    res = score(scheme, data)
    for rec in res.records(traces=False):
        if not rec["eligible"]:
            continue
        assert rec["total"] == round(sum(rec["dimensions"].values()), 2)
        assert rec["dimensions"]["perf"] == round(sum(rec["items"].values()), 2)


def test_all_rules_fixture_hand_computed_row_e1():
    scheme, data = all_rules()
    rec = score(scheme, data).records(traces=False)[0]
    assert rec["employee"] == "E1"
    assert rec["items"] == {
        "sales_completion": 17.0,  # 85000 / 100000 × 20
        "orders_growth": 10.0,  # (120 - 100) / 100 = 20% → [20%, +∞)
        "conv": 12.86,  # 0.30 / 0.35 × 15 = 12.857…
        "resp": 10.0,  # 12 s ≤ 15 s
        "gmv_lin": 8.18,  # (90000 - 66000) / 44000 × 15 = 8.1818…
        "viol": 8.0,  # 10 - 1 × 2
        "rank_item": 8.0,  # second in group A (E2 sells 120000)
        "attitude": 8.4,  # 90 × 0.3 + 80 × 0.5 + 85 × 0.2 = 84 → 8.4
        "extra": 1.0,  # bonus 1 × 1
    }
    assert rec["total"] == 83.44
    assert rec["grade"] == "良好"


def test_all_rules_fixture_row_e2_veto_on_item_and_cap():
    scheme, data = all_rules()
    rec = score(scheme, data).records(traces=False)[1]
    assert rec["employee"] == "E2"
    assert rec["items"]["sales_completion"] == 24.0  # 120% cap × 20
    assert rec["items"]["conv"] == 0.0  # vetoed by fatal_errors = 1
    assert rec["vetoes"] == {"fatal": True}
    assert rec["items"]["attitude"] == 8.4  # (80 × 0.3 + 90 × 0.2) / 0.5 = 42 / 0.5 = 84
    assert rec["items"]["resp"] == 8.0


def _weighted_scheme(**extra):
    def item(code, points):
        return {"code": code, "name": code, "points": points, "rule": RATIO}

    return {
        "code": "w",
        "name": "加权",
        "metrics": {k: {} for k in ("a1", "a2", "b1", "c1")},
        "dimensions": [
            {"code": "A", "name": "业绩", "weight": 70, "items": [item("a1", 60), item("a2", 40)]},
            {"code": "B", "name": "能力", "weight": 15, "items": [item("b1", 100)]},
            {"code": "C", "name": "态度", "weight": 15, "items": [item("c1", 100)]},
        ],
        **extra,
    }


def test_weighted_dimensions_70_15_15():
    res = run(_weighted_scheme(), frame(a1=[80.0, 100.0], a2=[50.0, 100.0], b1=[90.0, 0.0],
                                        c1=[33.0, 100.0]))  # fmt: skip
    # A: 48 + 20 = 68 → × 0.7 = 47.6; B: 90 × 0.15 = 13.5; C: 33 × 0.15 = 4.95
    assert col(res, "dim:A") == [47.6, 70.0]
    assert col(res, "dim:B") == [13.5, 0.0]
    assert col(res, "dim:C") == [4.95, 15.0]
    assert col(res, "total") == [66.05, 85.0]
    assert col(res, "item:a1") == [48.0, 60.0]


def test_weighted_dimensions_as_fractions_give_same_total():
    doc = _weighted_scheme()
    for d, w in zip(doc["dimensions"], (0.7, 0.15, 0.15), strict=True):
        d["weight"] = w
    res = run(doc, frame(a1=[80.0], a2=[50.0], b1=[90.0], c1=[33.0]))
    assert col(res, "total") == [66.05]


def _bonus_scheme(item_type="bonus", per=1.0, **extra):
    doc = one_item(
        RATIO,
        metrics={"x": {}, "b": {}},
        extra_items=[
            {
                "code": "b",
                "name": "加减分",
                "type": item_type,
                "points": 5,
                "rule": {"kind": "per_occurrence", "per": per},
            }
        ],
    )
    doc.update(extra)
    return doc


def test_bonus_lifts_total_above_full_up_to_max_score():
    res = run(_bonus_scheme(max_score=12), frame(x=[100.0] * 4, b=[0.0, 1.0, 2.0, 5.0]))
    assert item_scores(res, "b") == [0.0, 1.0, 2.0, 5.0]
    assert col(res, "total") == [10.0, 11.0, 12.0, 12.0]


def test_bonus_default_max_score_is_full_plus_bonus_points():
    res = run(_bonus_scheme(), frame(x=[100.0, 90.0], b=[9.0, 9.0]))
    assert col(res, "total") == [15.0, 14.0]


def test_deduction_and_min_score_floor():
    res = run(_bonus_scheme("deduction", 2), frame(x=[100.0, 50.0, 10.0], b=[1.0, 1.0, 3.0]))
    assert item_scores(res, "b") == [-2.0, -2.0, -5.0]
    assert col(res, "total") == [8.0, 3.0, 0.0]  # 1 - 5 = -4 → floored at min_score 0


def test_min_score_above_zero():
    res = run(_bonus_scheme("deduction", 2, min_score=2), frame(x=[10.0, 50.0], b=[3.0, 1.0]))
    assert col(res, "total") == [2.0, 3.0]


def test_zero_deduction_is_positive_zero_in_json():
    res = run(_bonus_scheme("deduction", 2), frame(x=[100.0], b=[0.0]))
    text = json.dumps(res.records(traces=False))
    assert "-0.0" not in text
    assert '"b": 0.0' in text


# --- eligibility -----------------------------------------------------------------------------


def _eligibility_scheme():
    doc = one_item(RATIO, metrics={"x": {}, "absent_days": {"name": "缺勤天数"}})
    doc["eligibility"] = [{"when": "absent_days > 20", "label": "缺勤超过20天"}]
    doc["grades"] = [{"grade": "A", "gte": 5}, {"grade": "B", "lt": 5}]
    return doc


def test_eligibility_boundary_20_vs_21():
    data = frame(x=[100.0, 90.0, 80.0, 70.0], absent_days=[20.0, 21.0, None, 0.0])
    res = run(_eligibility_scheme(), data)
    assert col(res, "eligible") == [True, False, True, True]
    assert col(res, "excluded_reason") == [None, "缺勤超过20天", None, None]
    assert col(res, "total") == [10.0, None, 8.0, 7.0]
    assert col(res, "grade") == ["A", None, "A", "A"]
    assert col(res, "rank") == [1, None, 2, 3]
    rec = res.records()[1]
    assert rec["total"] is None and rec["grade"] is None and rec["rank"] is None


# --- grades ----------------------------------------------------------------------------------

GRADES = [
    {"grade": "优秀", "gte": 90},
    {"grade": "良好", "gte": 80, "lt": 90},
    {"grade": "合格", "gte": 60, "lt": 80},
    {"grade": "不合格", "lt": 60},
]


def test_grades_at_exact_band_edges():
    doc = one_item(RATIO, points=100)
    doc["grades"] = GRADES
    values = [90.0, 89.99, 80.0, 79.99, 60.0, 59.99, 100.0, 0.0]
    res = run(doc, frame(x=values))
    assert col(res, "total") == values
    assert col(res, "grade") == ["优秀", "良好", "良好", "合格", "合格", "不合格", "优秀", "不合格"]


def test_grade_uses_rounded_total():
    # 89.995 → item rounds to 90.0 → 优秀 (the grade follows the score people see)
    doc = one_item({"kind": "formula", "score": "x"}, points=100)
    doc["grades"] = GRADES
    res = run(doc, frame(x=[89.995, 89.994]))
    assert col(res, "total") == [90.0, 89.99]
    assert col(res, "grade") == ["优秀", "良好"]


# --- ranks -----------------------------------------------------------------------------------


def _ranked(values, groups, ties=None):
    doc = one_item(RATIO)
    if ties:
        doc["ranking"] = {"ties": ties}
    data = frame(x=values).with_columns(pl.Series("group", groups, dtype=pl.String))
    return run(doc, data)


def test_overall_and_group_rank_with_ties():
    res = _ranked([90.0, 90.0, 80.0, 70.0, 90.0], ["A", "B", "A", "B", "A"])
    assert col(res, "total") == [9.0, 9.0, 8.0, 7.0, 9.0]
    assert col(res, "rank") == [1, 1, 4, 5, 1]
    assert col(res, "group_rank") == [1, 1, 3, 2, 1]


def test_rank_ties_dense_and_max():
    values, groups = [90.0, 90.0, 80.0, 70.0, 90.0], ["A", "B", "A", "B", "A"]
    dense = _ranked(values, groups, "dense")
    assert col(dense, "rank") == [1, 1, 2, 3, 1]
    assert col(dense, "group_rank") == [1, 1, 2, 2, 1]
    worst = _ranked(values, groups, "max")
    assert col(worst, "rank") == [3, 3, 4, 5, 3]
    assert col(worst, "group_rank") == [2, 1, 3, 2, 2]


def test_no_group_column_means_no_group_rank():
    res = run(one_item(RATIO), frame(x=[50.0, 60.0]))
    assert col(res, "rank") == [2, 1]
    assert col(res, "group_rank") == [None, None]


# --- targets ---------------------------------------------------------------------------------


def _target_scheme(**spec):
    return one_item({"kind": "ratio", "target": "t"}, targets={"t": {"name": "销售目标", **spec}})


def test_targets_frame_overrides_data_column():
    data = frame(x=[50.0, 50.0], t=[50.0, 50.0])
    targets = pl.DataFrame({"employee": ["E1", "E2"], "t": [100.0, 200.0]})
    res = run(_target_scheme(), data, targets=targets)
    assert item_scores(res) == [5.0, 2.5]
    assert "目标 100" in traces(res)[0]


def test_target_default_when_column_missing_and_for_empty_cells():
    res = run(_target_scheme(default=200), frame(x=[100.0]))
    assert item_scores(res) == [5.0]
    res = run(_target_scheme(default=200), frame(x=[100.0, 100.0], t=[100.0, None]))
    assert item_scores(res) == [10.0, 5.0]


def test_target_missing_from_targets_frame_row_uses_default():
    targets = pl.DataFrame({"employee": ["E1"], "t": [100.0]})
    res = run(_target_scheme(default=400), frame(x=[100.0, 100.0]), targets=targets)
    assert item_scores(res) == [10.0, 2.5]


def test_required_target_missing_entirely_is_data_error():
    with pytest.raises(DataError) as exc:
        run(_target_scheme(), frame(x=[100.0]))
    assert "“t”" in str(exc.value)
    assert "销售目标" in str(exc.value)


# --- data errors -----------------------------------------------------------------------------


def test_missing_employee_column():
    with pytest.raises(DataError) as exc:
        run(one_item(RATIO), pl.DataFrame({"x": [1.0]}))
    assert exc.value.column == "employee"
    assert "employee" in str(exc.value)


def test_duplicate_employee_names_employee_and_repeated_row():
    data = pl.DataFrame({"employee": ["E1", "E2", "E1"], "x": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError) as exc:
        run(one_item(RATIO), data)
    assert "“E1”" in str(exc.value)
    assert exc.value.row == 3
    assert exc.value.column == "employee"
    assert "第 3 行" in str(exc.value)


def test_duplicate_employee_names_both_rows():
    data = pl.DataFrame({"employee": ["E1", "E2", "E1"], "x": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError) as exc:
        run(one_item(RATIO), data)
    assert "第 1 行" in str(exc.value)
    assert "第 3 行" in str(exc.value)


def test_duplicate_after_stripping_spaces():
    data = pl.DataFrame({"employee": ["E1", " E1 "], "x": [1.0, 2.0]})
    with pytest.raises(DataError) as exc:
        run(one_item(RATIO), data)
    assert exc.value.row == 2


def test_non_numeric_cell_names_row_column_and_text():
    data = pl.DataFrame({"employee": ["E1", "E2"], "x": ["12", "十二"]})
    with pytest.raises(DataError) as exc:
        run(one_item(RATIO), data)
    assert exc.value.row == 2
    assert exc.value.column == "x"
    assert "“十二”" in str(exc.value)
    assert "第 2 行" in str(exc.value)


def test_missing_metric_column_names_it():
    doc = one_item(RATIO, metrics={"x": {"name": "销售额"}})
    with pytest.raises(DataError) as exc:
        run(doc, pl.DataFrame({"employee": ["E1"]}))
    assert "x（销售额）" in str(exc.value)


def test_percent_and_thousands_strings_accepted():
    data = pl.DataFrame(
        {"employee": ["E1", "E2", "E3", "E4", "E5"], "x": ["20%", "1,234.5", "", "7", " 35% "]}
    )
    doc = one_item({"kind": "formula", "score": "x"}, points=10000)
    res = run(doc, data)
    assert res.frame.get_column("x").to_list() == [0.2, 1234.5, None, 7.0, 0.35]
    assert item_scores(res) == [0.2, 1234.5, 0.0, 7.0, 0.35]


def test_percent_cell_equals_the_fraction():
    # Regression: "35%" was read as 35 * 0.01 = 0.35000000000000003.
    rule = {"kind": "tiers", "bands": [{"lte": 0.35, "score": 0}, {"gt": 0.35, "score": 10}]}
    data = pl.DataFrame({"employee": ["E1", "E2"], "x": ["35%", "0.35"]})
    res = run(one_item(rule), data)
    assert res.frame.get_column("x").to_list() == [0.35, 0.35]
    assert item_scores(res) == [0.0, 0.0]


def test_non_dataframe_input():
    with pytest.raises(DataError):
        score(parse_scheme(one_item(RATIO)), {"employee": ["E1"], "x": [1.0]})  # type: ignore[arg-type]


# --- determinism and rounding ----------------------------------------------------------------


def test_scoring_twice_is_byte_identical():
    scheme, data = all_rules()
    first = json.dumps(score(scheme, data).records(), ensure_ascii=False)
    second = json.dumps(score(scheme, data).records(), ensure_ascii=False)
    assert first == second


def test_shuffled_rows_give_same_records():
    scheme, data = all_rules()
    base = {r["employee"]: r for r in score(scheme, data).records()}
    for seed in (1, 2, 3):
        shuffled = data.sample(fraction=1.0, shuffle=True, seed=seed)
        again = {r["employee"]: r for r in score(scheme, shuffled).records()}
        assert json.dumps(again, sort_keys=True, ensure_ascii=False) == json.dumps(
            base, sort_keys=True, ensure_ascii=False
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.675, 2.68), (1.005, 1.01), (0.125, 0.13), (2.665, 2.67), (2.674, 2.67), (0.005, 0.01)],
)
def test_item_rounding_half_away_from_zero(value, expected):
    res = run(one_item({"kind": "formula", "score": "x"}), frame(x=[value]))
    assert item_scores(res) == [expected]


def test_ratio_rounding_half_away():
    # 1.004 / 8 × 10 = 1.255 → 1.26; 1 / 3 × 10 = 3.333… → 3.33; 2 / 3 × 10 → 6.67
    res = run(one_item({"kind": "ratio", "target": 8}), frame(x=[1.004]))
    assert item_scores(res) == [1.26]
    res = run(one_item({"kind": "ratio", "target": 3}), frame(x=[1.0, 2.0]))
    assert item_scores(res) == [3.33, 6.67]


def test_deduction_rounds_half_away_from_zero():
    res = run(_bonus_scheme("deduction", 1.255), frame(x=[100.0], b=[1.0]))
    assert item_scores(res, "b") == [-1.26]
    assert col(res, "total") == [8.74]


# --- records and explain ---------------------------------------------------------------------


def test_records_structure():
    scheme, data = all_rules()
    recs = score(scheme, data).records()
    assert [r["employee"] for r in recs] == ["E1", "E2", "E3", "E4"]
    rec = recs[0]
    assert list(rec) == [
        "employee",
        "name",
        "group",
        "eligible",
        "excluded_reason",
        "total",
        "grade",
        "rank",
        "group_rank",
        "dimensions",
        "items",
        "vetoes",
        "traces",
    ]
    assert rec["name"] == "张三" and rec["group"] == "A"
    assert list(rec["dimensions"]) == ["perf"]
    assert set(rec["items"]) == {
        "sales_completion",
        "orders_growth",
        "conv",
        "resp",
        "gmv_lin",
        "viol",
        "rank_item",
        "attitude",
        "extra",
    }
    assert set(rec["traces"]) == set(rec["items"]) | {"fatal"}
    assert set(rec["traces"]["conv"]) == {"zh", "en"}
    assert rec["traces"]["conv"]["zh"].startswith("转化率 30%，目标 35%，完成率 85.7%")
    assert recs[2]["eligible"] is False
    assert recs[2]["excluded_reason"] == "考核期内未到岗累计超过20天，不参与当期考核"
    json.dumps(recs, ensure_ascii=False)  # JSON-ready


def test_records_without_traces():
    scheme, data = all_rules()
    assert "traces" not in score(scheme, data).records(traces=False)[0]


def test_explain_matches_table_and_contains_every_trace():
    scheme, data = all_rules()
    res = score(scheme, data)
    tz = res.traces("zh").to_dicts()
    te = res.traces("en").to_dicts()
    for k, emp in enumerate(res.table.get_column("employee").to_list()):
        ex = res.explain(emp)
        assert ex.total == res.table.get_column("total")[k]
        text, text_en = ex.text("zh"), ex.text("en")
        for code, trace in tz[k].items():
            if code != "employee":
                assert trace in text, (emp, code)
                assert te[k][code] in text_en, (emp, code)


def test_explain_unknown_employee():
    scheme, data = all_rules()
    with pytest.raises(KeyError):
        score(scheme, data).explain("E99")


def test_weighted_ratio_cap_above_full_counts_and_max_score_follows():
    doc = _weighted_scheme()
    doc["dimensions"][0]["items"][0]["rule"] = {**RATIO, "cap": 1.2}
    res = run(doc, frame(a1=[120.0], a2=[100.0], b1=[100.0], c1=[100.0]))
    # a1: 60 × 1.2 = 72; A: (72 + 40) × 0.7 = 78.4; + 15 + 15
    assert col(res, "item:a1") == [72.0]
    assert col(res, "dim:A") == [78.4]
    assert col(res, "total") == [108.4]


def test_weighted_bonus_adds_unweighted():
    doc = _weighted_scheme()
    doc["metrics"]["b"] = {}
    doc["dimensions"][1]["items"].append(
        {
            "code": "b",
            "name": "加分",
            "type": "bonus",
            "points": 5,
            "rule": {"kind": "per_occurrence", "per": 2},
        }
    )
    res = run(doc, frame(a1=[60.0, 100.0], a2=[100.0] * 2, b1=[50.0, 100.0], c1=[100.0] * 2,
                         b=[1.0, 9.0]))  # fmt: skip
    # E1: A (36 + 40) × 0.7 = 53.2; B 50 × 0.15 = 7.5 + 2; C 15 → 77.7
    assert col(res, "dim:B") == [9.5, 20.0]
    assert col(res, "total") == [77.7, 105.0]


def test_optional_target_missing_is_not_an_error():
    res = run(_target_scheme(required=False), frame(x=[100.0]))
    assert item_scores(res) == [0.0]
    assert "缺少数据" in traces(res)[0]


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_nan_or_inf_in_numeric_column_is_rejected_or_missing(bad):
    rule = {"kind": "tiers", "bands": [{"lt": 5, "score": 0}, {"gte": 5, "score": 10}]}
    data = pl.DataFrame({"employee": ["E1", "E2"], "x": [bad, 6.0]})
    try:
        res = run(one_item(rule), data)
    except DataError as exc:
        assert (exc.row, exc.column) == (1, "x")
    else:
        assert item_scores(res) == [0.0, 10.0]
        assert col(res, "total") == [0.0, 10.0]


def test_nan_text_cell_is_data_error():
    data = pl.DataFrame({"employee": ["E1"], "x": ["NaN"]})
    with pytest.raises(DataError) as exc:
        run(one_item(RATIO), data)
    assert (exc.value.row, exc.value.column) == (1, "x")


def test_nan_in_numeric_column_never_reaches_the_total():
    data = pl.DataFrame({"employee": ["E1"], "x": [float("nan")]})
    try:
        res = run(one_item(RATIO), data)
    except DataError as exc:
        assert (exc.row, exc.column) == (1, "x")
    else:
        assert col(res, "total") == [0.0]
        assert "NaN" not in json.dumps(res.records(traces=False))


def test_weighted_explain_summary_matches_table():
    res = run(_weighted_scheme(), frame(a1=[80.0], a2=[50.0], b1=[90.0], c1=[33.0]))
    ex = res.explain("E1")
    assert ex.total == 66.05
    assert ex.dimensions == {"A": 47.6, "B": 13.5, "C": 4.95}
    assert ex.summary.startswith("E1：总分 = 业绩（权重 70%） 47.6 + 能力（权重 15%） 13.5")
    assert ex.summary.endswith("= 66.05")


def test_total_is_sum_of_rounded_items():
    doc = one_item(
        {"kind": "formula", "score": "x"},
        metrics={"x": {}, "y": {}},
        extra_items=[
            {"code": "y", "name": "乙", "points": 10, "rule": {"kind": "formula", "score": "y"}}
        ],
    )
    doc["full_score"] = 20
    res = run(doc, frame(x=[1.005, 2.004], y=[1.005, 2.004]))
    assert item_scores(res) == [1.01, 2.0]
    assert col(res, "total") == [2.02, 4.0]  # not round(2.01) / round(4.008) = 4.01


def test_ranking_group_by_custom_column():
    doc = one_item(RATIO)
    doc["ranking"] = {"group_by": "shop"}
    data = frame(x=[90.0, 80.0, 70.0]).with_columns(
        pl.Series("shop", ["S1", "S2", "S1"], dtype=pl.String)
    )
    res = run(doc, data)
    assert col(res, "rank") == [1, 2, 3]
    assert col(res, "group_rank") == [1, 1, 2]


# --- review fixes: labels, group wording, group ranks, suggestions --------------------------


def test_tier_band_label_is_shown_in_the_trace() -> None:
    from jixiao.engine import parse_scheme, score

    doc = one_item(
        {
            "kind": "tiers",
            "direction": "lower",
            "bands": [
                {"lte": 15, "score": 10, "label": "优秀"},
                {"gt": 15, "score": 0, "label": "待改进"},
            ],
        }
    )
    result = score(parse_scheme(doc), pl.DataFrame({"employee": ["E1"], "x": [12.0]}))
    text = result.traces("zh").get_column("x")[0]
    assert "落在 (-∞, 15] 档（优秀）" in text
    assert result.explain("E1").items[0].text == text


def test_rank_in_a_custom_group_names_the_group_and_ungrouped_ranks_say_overall() -> None:
    from jixiao.engine import parse_scheme, score

    rule = {
        "kind": "rank",
        "scores": [{"rank": 1, "score": 10}],
        "otherwise": 5,
        "group_by": "store",
    }
    doc = one_item(rule)
    data = pl.DataFrame({"employee": ["E1", "E2"], "store": ["北店", "北店"], "x": [3.0, 5.0]})
    result = score(parse_scheme(doc), data)
    assert "在 北店 组内排第 2 名" in result.traces("zh").get_column("x")[0]
    plain = one_item({"kind": "rank", "scores": [{"rank": 1, "score": 10}], "otherwise": 5})
    result = score(parse_scheme(plain), pl.DataFrame({"employee": ["E1", "E2"], "x": [3.0, 5.0]}))
    texts = result.traces("zh").get_column("x").to_list()
    assert "全体排第 2 名" in texts[0] and "组内" not in texts[0]
    assert [result.explain(e).items[0].text for e in ("E1", "E2")] == texts


def test_people_without_a_group_get_no_group_rank() -> None:
    from jixiao.engine import parse_scheme, score

    doc = one_item({"kind": "ratio", "target": 10})
    data = pl.DataFrame(
        {"employee": ["E1", "E2", "E3"], "group": ["A", None, "A"], "x": [9.0, 8.0, 7.0]}
    )
    table = score(parse_scheme(doc), data).table.sort("employee")
    assert table.get_column("group_rank").to_list() == [1, None, 2]
    assert table.get_column("rank").to_list() == [1, 2, 3]


def test_suggestions_only_name_usable_inputs() -> None:
    from jixiao.engine import SchemeError, parse_scheme

    doc = one_item(
        {"kind": "ratio", "target": 10}, value="x - rate", metrics={"x": {}, "x-rate": {}}
    )
    with pytest.raises(SchemeError) as info:
        parse_scheme(doc)
    text = str(info.value)
    assert "metrics.x-rate" in text and "是不是 x-rate" not in text


def test_a_formula_that_overflows_is_missing_not_infinite() -> None:
    doc = one_item(
        {"kind": "step", "target": 100, "step": 1, "per": 2},
        value="x / y",
        metrics={"x": {}, "y": {}},
    )
    data = pl.DataFrame({"employee": ["E1"], "x": [-1e300], "y": [1e-300]})
    result = score(parse_scheme(doc), data)
    assert result.table.get_column("item:x").to_list() == [0.0]
    assert "无法计算" in result.traces("zh").get_column("x")[0]
    assert result.explain("E1").items[0].score == 0.0
