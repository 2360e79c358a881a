"""The indicator library: content (what the seeds define) and loader validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.library import (
    CATEGORIES,
    Indicator,
    IndicatorLibraryError,
    get_indicator,
    load_indicators,
    load_library,
    load_raw_inputs,
)
from jixiao.library._indicators import formula_names

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# Every indicator the brief lists, by category (codes chosen in the YAML files).
REQUIRED = {
    "shop": [
        "uv",
        "pv",
        "pv_per_uv",
        "paid_buyers",
        "order_conversion_rate",
        "gmv",
        "avg_stay_seconds",
        "avg_order_value",
        "order_growth_rate",
        "sales_completion_rate",
    ],
    "promotion": ["reach_rate", "bounce_rate", "cost_per_uv", "new_uv"],
    "campaign": [
        "campaign_click_rate",
        "campaign_order_share",
        "campaign_gmv_share",
        "campaign_conversion_rate",
        "campaign_roi",
        "campaign_participation",
    ],
    "customer_service": [
        "first_response_seconds",
        "violation_count",
        "bad_review_count",
        "consult_conversion_rate",
        "gmv_conversion_rate",
        "return_rate",
        "exchange_rate",
        "refund_rate",
        "reply_rate",
        "good_review_rate",
        "complaint_avg_handling_hours",
        "complaint_satisfaction",
    ],
    "design": ["design_on_time_rate", "design_pass_rate", "design_log_items"],
    "new_media": [
        "followers",
        "churn_rate",
        "spread_rate",
        "follower_conversion_rate",
        "share_rate",
        "feedback_rate",
    ],
    "livestream": [
        "live_sales",
        "live_new_customers",
        "live_viewers",
        "live_hours",
        "live_engagement_rate",
        "live_retention_rate",
        "merchant_recruits",
    ],
    "short_video": [
        "video_count",
        "video_plays",
        "video_net_followers",
        "video_likes",
        "video_comments",
        "video_dms",
        "hotline_400_calls",
    ],
    "network_admin": ["work_plan_completion_rate", "network_outages", "email_incidents"],
    "department_head": ["dept_monthly_sales", "senior_staff_turnover_rate"],
    "sales": ["personal_sales", "team_sales"],
    "qualitative": [
        "work_attitude",
        "work_ability",
        "discipline",
        "teamwork",
        "data_analysis_report",
    ],
    "attendance": ["late_early_count", "leave_days", "attendance_rate", "full_attendance"],
}

# Formulas as the seeds define them.
SEED_FORMULAS = {
    "order_conversion_rate": "paid_buyers / uv",
    "avg_order_value": "gmv / paid_buyers",
    "pv_per_uv": "pv / uv",
    "consult_conversion_rate": "paid_consult_uv / received_uv",
    "gmv_conversion_rate": "cs_personal_gmv / cs_team_avg_gmv",
    "return_rate": "returned_orders / consult_converted_orders",
    "exchange_rate": "exchanged_orders / consult_converted_orders",
    "refund_rate": "refund_uv / received_paid_uv",
    "reach_rate": "page_arrivals / ad_impressions",
    "cost_per_uv": "promotion_cost / uv",
    "campaign_roi": "campaign_gmv / campaign_cost",
    "good_review_rate": "positive_reviews / total_reviews",
    "followers": "followers_prev + net_new_followers",
    "net_new_followers": "new_followers - unfollowers",
}


@pytest.fixture(scope="module")
def indicators() -> tuple[Indicator, ...]:
    return load_indicators()


def _write(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")


_OK = """
- code: {code}
  name: {name}
  name_en: Something
  category: shop
  unit: count
  direction: higher
  source: 生意参谋
  description: 测试用指标。
"""


# --- content -------------------------------------------------------------------------------


def test_at_least_fifty_indicators(indicators: tuple[Indicator, ...]) -> None:
    assert len(indicators) >= 80


def test_every_category_present_with_required_codes(indicators: tuple[Indicator, ...]) -> None:
    by_code = {i.code: i for i in indicators}
    assert set(REQUIRED) == set(CATEGORIES)
    for category, codes in REQUIRED.items():
        for code in codes:
            assert code in by_code, f"missing {category}: {code}"
            assert by_code[code].category == category, code


def test_seed_formulas(indicators: tuple[Indicator, ...]) -> None:
    by_code = {i.code: i for i in indicators}
    for code, formula in SEED_FORMULAS.items():
        assert by_code[code].formula == formula, code


def test_codes_unique_and_sorted(indicators: tuple[Indicator, ...]) -> None:
    codes = [i.code for i in indicators]
    assert len(codes) == len(set(codes))
    raw_codes = {r.code for r in load_raw_inputs()}
    assert not raw_codes & set(codes)
    order = {c: n for n, c in enumerate(CATEGORIES)}
    keys = [(order[i.category], i.code) for i in indicators]
    assert keys == sorted(keys)


def test_required_fields_non_empty(indicators: tuple[Indicator, ...]) -> None:
    for ind in indicators:
        for field in ("code", "name", "name_en", "unit", "direction", "source", "description"):
            assert str(getattr(ind, field)).strip(), (ind.code, field)
        assert ind.seed and re.match(r"^00[0-4]: \S", ind.seed), ind.code
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ind.code)
        assert ind.name_en.isascii(), ind.code


def test_chinese_names(indicators: tuple[Indicator, ...]) -> None:
    for ind in indicators:
        assert CJK.search(ind.name), ind.code
    for raw in load_raw_inputs():
        assert CJK.search(raw.name), raw.code


def test_formulas_reference_only_known_codes(indicators: tuple[Indicator, ...]) -> None:
    known = {i.code for i in indicators} | {r.code for r in load_raw_inputs()}
    used: set[str] = set()
    for ind in indicators:
        if ind.formula is None:
            assert ind.inputs == ()
            continue
        names = formula_names(ind.formula)
        assert names == set(ind.inputs), ind.code
        assert names <= known, (ind.code, names - known)
        used |= names
    # every declared raw input is read by some formula
    assert {r.code for r in load_raw_inputs()} <= used


def test_formulas_parse_with_engine(indicators: tuple[Indicator, ...]) -> None:
    from jixiao import formula

    for ind in indicators:
        if ind.formula is not None:
            node = formula.parse(ind.formula)
            assert formula.variables(node) == set(ind.inputs), ind.code


def test_qualitative_items_are_ratings(indicators: tuple[Indicator, ...]) -> None:
    for ind in indicators:
        if ind.category == "qualitative":
            assert ind.formula is None, ind.code
            assert ind.direction in {"higher", "lower"}, ind.code
    for code in ("work_attitude", "work_ability", "discipline", "teamwork"):
        ind = get_indicator(code)
        assert ind.unit in {"score", "level"}
        assert ind.direction == "higher"
        assert "主管" in ind.source or "360" in ind.source


def test_directions_make_sense() -> None:
    assert get_indicator("bounce_rate").direction == "lower"
    assert get_indicator("refund_rate").direction == "lower"
    assert get_indicator("cost_per_uv").direction == "lower"
    assert get_indicator("first_response_seconds").unit == "seconds"
    assert get_indicator("order_conversion_rate").unit == "percent"
    assert get_indicator("gmv").unit == "yuan"


def test_get_indicator_and_close_matches() -> None:
    assert get_indicator("uv").name == "访客数（UV）"
    with pytest.raises(KeyError, match="order_conversion_rate"):
        get_indicator("order_convertion_rate")
    with pytest.raises(KeyError, match="raw input"):
        get_indicator("ad_impressions")


def test_load_is_cached() -> None:
    assert load_indicators() is load_indicators()
    assert load_library() is load_library()


def test_models_are_frozen() -> None:
    ind = get_indicator("uv")
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        ind.name = "x"  # type: ignore[misc]


# --- loader validation ---------------------------------------------------------------------


def test_directory_loader_accepts_valid_files(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", _OK.format(code="foo", name="甲"))
    _write(
        tmp_path,
        "b.yaml",
        """
indicators:
  - code: foo_rate
    name: 甲率
    name_en: Foo rate
    category: shop
    unit: percent
    direction: higher
    formula: foo / bar_total
    source: 财务
    description: 甲 / 乙。
raw_inputs:
  - code: bar_total
    name: 乙总数
    name_en: Bar total
    unit: count
    source: 财务
    description: 乙。
""",
    )
    lib = load_library(tmp_path)
    assert [i.code for i in lib.indicators] == ["foo", "foo_rate"]
    assert lib.indicator("foo_rate").inputs == ("bar_total", "foo")
    assert [r.code for r in lib.raw_inputs] == ["bar_total"]


def test_duplicate_code_across_files_names_both(tmp_path: Path) -> None:
    _write(tmp_path, "first.yaml", _OK.format(code="dup", name="甲"))
    _write(tmp_path, "second.yaml", _OK.format(code="dup", name="乙"))
    with pytest.raises(IndicatorLibraryError) as exc:
        load_indicators(tmp_path)
    msg = str(exc.value)
    assert "dup" in msg and "first.yaml" in msg and "second.yaml" in msg


def test_unknown_formula_reference_rejected(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", _OK.format(code="foo", name="甲"))
    _write(
        tmp_path,
        "b.yaml",
        """
- code: foo_rate
  name: 甲率
  name_en: Foo rate
  category: shop
  unit: percent
  direction: higher
  formula: foo / fooo_total
  source: 财务
  description: 甲 / 未声明。
""",
    )
    with pytest.raises(IndicatorLibraryError, match="fooo_total"):
        load_indicators(tmp_path)


def test_inputs_must_match_formula(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", _OK.format(code="foo", name="甲"))
    _write(
        tmp_path,
        "b.yaml",
        """
- code: bar
  name: 乙
  name_en: Bar
  category: shop
  unit: count
  direction: higher
  formula: foo * 2
  inputs: [foo, baz]
  source: 财务
  description: 乙。
""",
    )
    with pytest.raises(IndicatorLibraryError, match="baz"):
        load_indicators(tmp_path)


def test_cycle_rejected(tmp_path: Path) -> None:
    text = """
- code: a1
  name: 甲
  name_en: A
  category: shop
  unit: count
  direction: higher
  formula: b1 + 1
  source: 财务
  description: 甲。
- code: b1
  name: 乙
  name_en: B
  category: shop
  unit: count
  direction: higher
  formula: a1 - 1
  source: 财务
  description: 乙。
"""
    _write(tmp_path, "a.yaml", text)
    with pytest.raises(IndicatorLibraryError, match="循环"):
        load_indicators(tmp_path)


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("code", "Bad-Code", "code"),
        ("code", "if", "code"),
        ("name", "English only", "name"),
        ("unit", "furlongs", "unit"),
        ("direction", "up", "direction"),
        ("category", "kitchen", "category"),
        ("source", "''", "source"),
        ("seed", "'somewhere'", "seed"),
        ("formula", "foo(1)", "foo"),
        ("formula", "(a + b", "应当是 “)”"),
        ("colour", "red", "colour"),
    ],
)
def test_invalid_fields_rejected(tmp_path: Path, field: str, value: str, fragment: str) -> None:
    base = {
        "code": "ok",
        "name": "好",
        "name_en": "Ok",
        "category": "shop",
        "unit": "count",
        "direction": "higher",
        "source": "财务",
        "description": "说明。",
    }
    base[field] = value
    text = "- " + "\n  ".join(f"{k}: {v}" for k, v in base.items()) + "\n"
    _write(tmp_path, "x.yaml", text)
    with pytest.raises(IndicatorLibraryError, match=re.escape(fragment)) as exc:
        load_indicators(tmp_path)
    assert "x.yaml" in str(exc.value)


def test_alias_clash_rejected(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", _OK.format(code="foo", name="甲"))
    _write(tmp_path, "b.yaml", _OK.format(code="bar", name="乙") + "  aliases: [甲]\n")
    with pytest.raises(IndicatorLibraryError, match="甲"):
        load_indicators(tmp_path)


def test_empty_directory_rejected(tmp_path: Path) -> None:
    with pytest.raises(IndicatorLibraryError):
        load_indicators(tmp_path)


def test_formula_names_tokenizer() -> None:
    assert formula_names("if(a >= 35% and not d > 1, max(b, 1), coalesce(c, 0))") == {
        "a",
        "b",
        "c",
        "d",
    }
    assert formula_names("round(x / 2.5, 2)") == {"x"}
    with pytest.raises(ValueError):
        formula_names("a $ b")
    with pytest.raises(ValueError):
        formula_names("a + b)")
