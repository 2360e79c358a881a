"""Built-in schemes transcribed from the seeds (issue 13, items 4 and 6): hand-computed cases.

Every expected number below is worked out by hand from the seed's rule (quoted in the comment)
and the template's stated reading, never copied from the engine's output. Inputs come either from
the template's shipped example month or from a few inline rows built to sit on a band edge, above
a cap, or where a deduction reaches its maximum.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

import polars as pl
import pytest

from jixiao.engine import check_scheme, score
from jixiao.library import get_template, list_templates

NEW_TEMPLATES = [
    "taobao_ops_weighted",
    "taobao_ecommerce_targets",
    "doudian_ops",
    "ecommerce_dept_quarterly",
    "ops_director_annual",
    "planning_dept",
    "ops_duty_sheet",
    "taobao_cs_pre_after",
    "new_media_dept_kpi",
    "livestream_seller",
    "livestream_promoter",
    "livestream_salesperson",
    "network_admin_monthly",
    "network_promotion_daily",
]


def table(text: str) -> pl.DataFrame:
    """An inline CSV, every cell read as text (as the data files are)."""
    return pl.read_csv(io.StringIO(textwrap.dedent(text).strip()), infer_schema_length=0)


def records(result: Any) -> dict[str, dict[str, Any]]:
    return {r["employee"]: r for r in result.records(traces=False)}


def example(code: str) -> dict[str, dict[str, Any]]:
    """Score a template's shipped example month."""
    tpl = get_template(code)
    data, targets, ratings = tpl.example()
    return records(score(tpl.scheme, data, targets=targets, ratings=ratings))


def run(code: str, data: str, targets: str | None = None) -> dict[str, dict[str, Any]]:
    tpl = get_template(code)
    return records(
        score(tpl.scheme, table(data), targets=table(targets) if targets is not None else None)
    )


def vary(code: str, data: str) -> dict[str, dict[str, Any]]:
    """Score inline rows that give only the columns under test; every other metric and target
    of the scheme is filled with 1 so that only the columns given vary."""
    tpl = get_template(code)
    frame = table(data)
    names = [*tpl.scheme.metrics, *tpl.scheme.targets]
    filler = {n: ["1"] * frame.height for n in names if n not in frame.columns}
    return records(score(tpl.scheme, frame.with_columns(pl.DataFrame(filler))))


ALL_TEMPLATES = [t.code for t in list_templates()]


def test_the_new_templates_are_built_in() -> None:
    assert set(NEW_TEMPLATES) <= set(ALL_TEMPLATES)


@pytest.mark.parametrize("code", ALL_TEMPLATES)
def test_every_template_checks_clean_and_names_its_seed(code: str) -> None:
    tpl = get_template(code)
    issues = check_scheme(tpl.scheme)
    assert [i for i in issues if i.level in ("error", "warning")] == []
    assert (tpl.scheme.source or "")[:3] in {"000", "001", "002", "003", "004"}
    assert "说明与解读" in (tpl.scheme.description or "")


# --- 001 淘宝运营 40/30/30 -----------------------------------------------------------------------


def test_taobao_ops_weighted_example_row_by_hand() -> None:
    # Seed 001: 销售业绩 40%、用户满意度 30%、运营效率 30%; per metric: at target → full,
    # below → proportional (higher: actual ÷ target; lower-is-better: target ÷ actual).
    e2 = example("taobao_ops_weighted")["E002"]
    assert e2["items"] == {
        "gmv_completion": 9.0,  # 450000 / 500000 = 90% × 10
        "order_rate": 8.0,  # 1520 / 38000 = 4%; 4% / 5% = 80% × 10
        "pay_rate": 9.47,  # 1710 / 1900 = 90%; 90 / 95 = 0.947… × 10
        "refund_rate": 7.54,  # 68 / 1710 = 3.977%, lower: 3% / 3.977% = 75.44% × 10
        "good_rate": 9.26,  # 88% / 95% = 0.9263 × 10
        "complaints": 8.33,  # 6 complaints, lower: 5 / 6 × 10
        "feedback_rate": 9.47,  # 45 / 50 = 90%; 90 / 95 × 10
        "listing_speed": 6.56,  # 8 days, lower: 7 / 8 × 7.5 = 6.5625
        "turnover": 6.43,  # 3 / 3.5 × 7.5 = 6.4286
        "search_rank": 4.69,  # rank 16, lower: 10 / 16 × 7.5 = 4.6875
        "return_cycle": 7.5,  # 3 days = target → full
    }
    assert e2["dimensions"] == {"sales": 34.01, "satisfaction": 27.06, "efficiency": 25.18}
    assert e2["total"] == 86.25


def test_taobao_ops_weighted_edges() -> None:
    rows = example("taobao_ops_weighted")
    e1 = rows["E001"]
    # pay rate 2280 / 2400 = 95% exactly the target; zero complaints (lower, value 0) is the best
    assert e1["items"]["pay_rate"] == 10.0
    assert e1["items"]["complaints"] == 10.0
    assert e1["items"]["gmv_completion"] == 10.0  # 600000 / 500000 = 120%, capped at 100%
    assert e1["total"] == 100.0
    e5 = rows["E005"]
    assert e5["items"]["order_rate"] == 0.0  # 商品浏览人数 missing → 0 with the reason
    assert e5["items"]["feedback_rate"] == 0.0  # 及时处理数 missing
    # sales 10 + 0 + 9.47 (90% / 95%) + 7.48 (refund 83 / 2070 = 4.01%: 3 / 4.01 × 10);
    # satisfaction 9.47 (90% / 95%) + 10 (3 complaints ≤ 5) + 0; efficiency 7.5 + 6.43 (3 / 3.5)
    # + 6.25 (rank 12: 10 / 12 × 7.5) + 7.5 → 26.95 + 19.47 + 27.68
    assert e5["items"]["refund_rate"] == 7.48
    assert e5["total"] == 74.1


# --- 001 淘宝电商运营 targets --------------------------------------------------------------------


def test_taobao_ecommerce_targets_row_by_hand() -> None:
    s3 = example("taobao_ecommerce_targets")["S03"]
    assert s3["items"] == {
        "sales_yoy": 12.0,  # 同比增长 10%: target 1000000 × 1.1; 880000 / 1100000 = 80% × 15
        "order_count": 7.11,  # 4000 / 4500 × 8 = 7.111
        "aov": 6.73,  # 880000 / 3520 = 250 元; 250 / 260 × 7 = 6.7308
        "gross_margin": 8.33,  # 220000 / 880000 = 25%; 毛利率 30% 以上: 25 / 30 × 10
        "net_profit_yoy": 6.96,  # 净利润同比增长 15%: 80000 / 115000 × 10 = 6.9565
        "good_rate": 6.3,  # 72% / 80% × 7
        "aftersale": 6.61,  # 85% / 90% × 7 = 6.6111
        "quality": 5.6,  # 4.2 / 4.5 星 × 6
        "repurchase": 5.76,  # 提升 5 个百分点: 20% + 5% = 25%; 18 / 25 × 8
        "retention": 6.3,  # 54% / 60% × 7
        "new_users": 5.57,  # 增长 15%: 2000 × 1.15 = 2300; 1600 / 2300 × 8 = 5.5652
        "new_order_share": 4.67,  # 800 / 4000 = 20%; 25% + 5% = 30%; 20 / 30 × 7
    }
    assert s3["total"] == 81.94


def test_taobao_ecommerce_targets_growth_is_read_as_last_year_times_110_percent() -> None:
    # 同比增长 5%: 105000 against 100000 × 1.1 = 110000 → 95.45% of 15 = 14.32 points
    # (reading the growth rate 5% against 10% would have given 7.5).
    data = """
        employee,sales,sales_ly
        G1,105000,100000
        G2,110000,100000
        G3,90000,100000
    """
    rows = vary("taobao_ecommerce_targets", data)
    assert rows["G1"]["items"]["sales_yoy"] == 14.32
    assert rows["G2"]["items"]["sales_yoy"] == 15.0  # exactly +10% → full
    assert rows["G3"]["items"]["sales_yoy"] == 12.27  # −10%: 90000 / 110000 × 15 = 12.2727


def test_taobao_ecommerce_targets_thresholds_and_a_loss() -> None:
    rows = example("taobao_ecommerce_targets")
    s2 = rows["S02"]
    # exactly on the seed's thresholds: 好评率 80%, 售后 90%, 4.5 星, 留存率 60% → full points
    assert (s2["items"]["good_rate"], s2["items"]["aftersale"]) == (7.0, 7.0)
    assert (s2["items"]["quality"], s2["items"]["retention"]) == (6.0, 7.0)
    assert s2["items"]["gross_margin"] == 9.33  # 294000 / 1050000 = 28%; 28 / 30 × 10
    s4 = rows["S04"]
    assert s4["items"]["net_profit_yoy"] == 0.0  # a loss of 20000 scores 0, never negative
    assert s4["items"]["sales_yoy"] == 15.0  # +20% is capped at full points


# --- 003 抖店运营 -------------------------------------------------------------------------------


def test_doudian_ops_row_by_hand() -> None:
    d2 = example("doudian_ops")["D02"]
    assert d2["items"] == {
        "daily_videos": 4.67,  # 62 videos / 31 days = 2 a day; 2 / 3 × 7
        "exposure": 5.6,  # 800000 / 1000000 × 7
        "likes_comments": 4.8,  # (30000 + 2000) / 40000 × 6
        "live_hours": 5.6,  # 64 / 80 × 7
        "live_viewers": 5.25,  # 150000 / 200000 × 7
        "live_sales": 5.4,  # 450000 / 500000 × 6
        "fans_gain": 5.6,  # 4000 / 5000 × 7
        "interaction": 5.6,  # (30000 + 2000 + 8000) / 100000 = 40%; 40 / 50 × 7
        "fan_quality": 5.0,  # manager's rating, out of 6
        "quality_content": 8.0,  # manager's rating, out of 10
        "content_conversion": 7.5,  # 3000 / 200000 = 1.5%; 1.5 / 2 × 10
        "sales_completion": 10.8,  # 720000 / 800000 × 12
        "aov": 8.0,  # 720000 / 4000 = 180 元 > 150 → capped at full 8
    }
    assert d2["total"] == 81.82


# --- 004 quarterly, four categories ----------------------------------------------------------


def test_ecommerce_dept_quarterly_row_by_hand() -> None:
    q2 = example("ecommerce_dept_quarterly")["Q02"]
    assert q2["items"] == {
        "sales_completion": 22.5,  # quarter 2700000 / 3000000 × 25
        "units_completion": 12.5,  # 10000 / 12000 × 15
        "satisfaction": 20.0,  # survey 90 = target 90
        "ship_rate": 7.76,  # 8550 / 9000 = 95%; 95 / 98 × 8 = 7.755
        "listing_rate": 6.63,  # 45 / 50 = 90%; 90 / 95 × 7 = 6.6316
        "ad_roi": 7.5,  # 540000 / 180000 = 3; 3 / 4 × 10
        "promotion": 4.0,
        "teamwork": 8.0,
    }
    assert q2["total"] == 88.89
    assert q2["grade"] == "达标员工"


def test_ecommerce_dept_quarterly_category_edges() -> None:
    # Everything at target except the ratings / ROI listed, to land exactly on 90, 75 and 60.
    full = "3000000,12000,90,1000,980,100,95"
    data = f"""
        employee,q_sales,q_units,satisfaction,q_orders,q_orders_on_time,q_listings,q_listings_on_time,ad_revenue,ad_cost,promotion:manager,teamwork:manager
        A90,{full},400,100,5,0
        A75,{full},0,100,0,0
        A60,3000000,0,90,1000,980,100,95,0,100,0,0
        A59,3000000,0,90,1000,980,100,95,0,100,0,0
    """
    targets = """
        employee,q_sales_target,q_units_target,satisfaction_target,ship_rate_target,listing_rate_target,roi_target
        A90,3000000,12000,90,98%,95%,4
        A75,3000000,12000,90,98%,95%,4
        A60,3000000,12000,90,98%,95%,4
        A59,3000000,12000,90,98%,95%,4
    """
    rows = run("ecommerce_dept_quarterly", textwrap.dedent(data), targets)
    # 100 − teamwork 10 = 90 → 高绩效员工 (≥ 90)
    assert (rows["A90"]["total"], rows["A90"]["grade"]) == (90.0, "高绩效员工")
    # 100 − teamwork 10 − promotion 5 − ROI 10 = 75 → 达标员工 ([75, 90))
    assert (rows["A75"]["total"], rows["A75"]["grade"]) == (75.0, "达标员工")
    # 75 − units 15 = 60 → 低绩效员工 ([60, 75))
    assert (rows["A60"]["total"], rows["A60"]["grade"]) == (60.0, "低绩效员工")
    # the same row with 1 on-time shipment fewer (979 / 1000): 7.99 of 8 → 59.99 → 待提高员工
    data59 = textwrap.dedent(data).replace("A59,3000000,0,90,1000,980", "A59,3000000,0,90,1000,979")
    rows = run("ecommerce_dept_quarterly", data59, targets)
    assert rows["A59"]["items"]["ship_rate"] == 7.99  # 97.9% / 98% × 8 = 7.9918
    assert (rows["A59"]["total"], rows["A59"]["grade"]) == (59.99, "待提高员工")


# --- 000 运营总监 --------------------------------------------------------------------------------


def test_ops_director_annual_by_hand() -> None:
    rows = example("ops_director_annual")
    d2 = rows["D02"]
    assert d2["items"]["sales_plan"] == 40.0  # 36000000 / 45000000 = 80% × 50
    assert d2["items"]["campaign_plan"] == 18.0  # 7200000 / 8000000 = 90% × 20
    assert d2["dimensions"]["management"] == 23.5  # 6 + 6 + 5.5 + 6
    assert d2["total"] == 81.5
    # 125% of the campaign target is capped at full points (the excess is paid by the bonus plan)
    assert rows["D03"]["items"]["campaign_plan"] == 20.0
    assert rows["D03"]["total"] == 94.0  # 45 + 20 + 7.5 + 7.5 + 7 + 7


# --- 004 企划部 grades ----------------------------------------------------------------------------


def test_planning_dept_row_by_hand() -> None:
    rows = example("planning_dept")
    q2 = rows["Q002"]
    # cost 60000 over a 50000 budget (lower is better): 50000 / 60000 × 30 = 25
    assert q2["items"] == {"promo_cost": 25.0, "promo_effect": 21.0, "channel_sales": 30.0}
    assert (q2["total"], q2["grade"]) == (76.0, "普通员工")
    q4 = rows["Q004"]  # 20 + 15 + 20
    assert (q4["total"], q4["grade"]) == (55.0, "差评员工")


def test_planning_dept_grade_edges_follow_the_pay_formula() -> None:
    # 90分以上为优秀 vs 工资公式 “>90 上浮、70-90 不变”: 90 itself is 普通员工, 70 is 普通员工.
    data = """
        employee,promo_cost,promo_uv,channel_sales
        P90,50000,60000,300000
        P904,50000,60000,304000
        P70,50000,60000,100000
        P696,50000,60000,96000
    """
    targets = """
        employee,promo_budget,promo_uv_target,channel_sales_target
        P90,50000,60000,400000
        P904,50000,60000,400000
        P70,50000,60000,400000
        P696,50000,60000,400000
    """
    rows = run("planning_dept", data, targets)
    # 30 + 30 + 300000 / 400000 × 40 = 90
    assert (rows["P90"]["total"], rows["P90"]["grade"]) == (90.0, "普通员工")
    assert (rows["P904"]["total"], rows["P904"]["grade"]) == (90.4, "优秀员工")  # 76% × 40 = 30.4
    assert (rows["P70"]["total"], rows["P70"]["grade"]) == (70.0, "普通员工")  # 25% × 40 = 10
    assert (rows["P696"]["total"], rows["P696"]["grade"]) == (69.6, "差评员工")  # 24% × 40 = 9.6


# --- 002 duty sheet ------------------------------------------------------------------------------


def test_ops_duty_sheet_attendance_and_extra_duties() -> None:
    rows = example("ops_duty_sheet")
    y2 = rows["Y02"]
    # 迟到早退减2分/次, 有效请假减1分/天: 1 × 2 + 2 × 1 = 4 off 10 → 6
    assert y2["items"]["attendance"] == 6.0
    assert y2["items"]["weekly_report"] == 4.0  # 4 of 4 weekly reports
    assert y2["dimensions"] == {"duties": 76.0, "routine": 10.0, "extra": 8.0}
    assert y2["total"] == 94.0  # 76 + 10 + the +20% extra duties read as up to 20 extra points
    y4 = rows["Y04"]
    # 4 × 2 + 3 × 1 = 11 points off a 10-point item: the deduction stops at 0 (扣完为止)
    assert y4["items"]["attendance"] == 0.0
    assert y4["items"]["weekly_report"] == 2.0  # 2 of 4 weeks
    assert y4["total"] == 62.0
    assert rows["Y05"]["items"]["weekly_report"] == 4.0  # 5 reports in a 4-week month: capped
    y1 = rows["Y01"]
    assert (y1["items"]["extra_duties"], y1["total"]) == (20.0, 120.0)  # 100% + 20%


# --- 001 客服 售前/售后 ----------------------------------------------------------------------------


def test_taobao_cs_pre_after_row_by_hand() -> None:
    k2 = example("taobao_cs_pre_after")["K02"]
    assert k2["items"] == {
        "consult_conversion": 8.89,  # 800 / 2000 = 40%; 40 / 45 × 10
        "valid_aov": 10.0,  # 224000 / 800 = 280 元 = target
        "reply_rate": 9.9,  # 1940 / 2000 = 97%; 97 / 98 × 10 = 9.898
        "sales_completion": 8.0,  # 224000 / 280000 × 10
        "first_response": 7.5,  # 20 s against 15 s (lower): 15 / 20 × 10
        "payment_reminder": 9.0,  # 90 / 200 = 45%; 45 / 50 × 10
        "typing": 10.0,  # 40 字/分钟 exactly the seed's minimum
        "review_handling": 11.25,  # 3 of 4 bad reviews in time: 75% × 15
        "aftersale_handling": 12.0,  # 20 / 25 = 80% × 15
    }
    assert k2["total"] == 86.54


def test_taobao_cs_pre_after_edges() -> None:
    rows = example("taobao_cs_pre_after")
    k3 = rows["K03"]
    assert k3["items"]["first_response"] == 10.0  # exactly 15 s
    assert k3["items"]["typing"] == 8.0  # 32 / 40 × 10
    assert k3["items"]["review_handling"] == 15.0  # no bad reviews this month → 100%
    assert k3["items"]["reply_rate"] == 10.0  # 1470 / 1500 = 98% exactly the default target
    assert rows["K04"]["items"]["first_response"] == 5.0  # 30 s: 15 / 30 × 10


# --- 003 新媒体运营部 KPI sheet and new_media_ops brand execution -----------------------------------


def test_new_media_dept_kpi_band_edges() -> None:
    rows = example("new_media_dept_kpi")
    m3 = rows["M03"]
    assert m3["items"] == {
        # target = last month 100000 × 110% = 110000; 66000 is exactly 60%: scored, 60% × 20
        "platform_uv": 12.0,
        # 25000 / 50000 = 50%, inside 50000 > N > 20000 → lifted to the band's 60: 60% × 20
        "spread": 12.0,
        # 2 channels (1 < N < 5): 2 / 5 = 40% → 60 → 12
        "channels": 12.0,
        # 12 omissions: 100 − 2 × 12 = 76 on the item's 100 scale → 76% × 20
        "brand_execution": 15.2,
        "index_campaign": 20.0,  # one WeChat-index campaign
    }
    m4 = rows["M04"]
    assert m4["items"] == {
        "platform_uv": 0.0,  # 65999 / 110000 = 59.999% < 60%
        "spread": 0.0,  # N ≤ 20000 → 0
        "channels": 0.0,  # N = 1: read as the 0 band (5>N≥1 vs N≤1 overlap)
        "brand_execution": 0.0,  # N ≥ 13 → 0
        "index_campaign": 0.0,
    }
    m1 = rows["M01"]
    assert m1["items"]["platform_uv"] == 23.3  # 128145 / 110000 = 116.5% × 20
    assert m1["items"]["spread"] == 24.0  # 60000 / 50000 = 120%: the top of 100–120
    assert m1["items"]["channels"] == 24.0  # 6 / 5 = 120%
    assert m1["total"] == 111.3
    assert rows["M05"]["items"]["channels"] == 16.0  # 4 / 5 = 80% → 16


def test_new_media_dept_kpi_caps_at_120_percent() -> None:
    data = """
        employee,platform_uv,platform_uv_prev,spread,channels_opened,brand_omissions,index_campaigns
        X1,140000,100000,70000,9,1,1
    """
    x1 = run("new_media_dept_kpi", data)["X1"]
    assert x1["items"]["platform_uv"] == 24.0  # 127% capped at 120% × 20
    assert x1["items"]["spread"] == 24.0  # 140 → 120
    assert x1["items"]["channels"] == 24.0  # 9 / 5 = 180 → 120
    assert x1["items"]["brand_execution"] == 19.6  # 98% × 20
    assert x1["total"] == 111.6


def test_new_media_ops_brand_execution_follows_the_seed() -> None:
    # 每出现一次疏漏则扣2分 … 若N≥13，则此项0分: 100 − 2N on the item's 100 scale, × 12 points.
    rows = example("new_media_ops")
    assert rows["E002"]["items"]["brand_execution"] == 11.76  # 1 omission: 98% × 12
    assert rows["E004"]["items"]["brand_execution"] == 10.8  # 5: 90% × 12
    assert rows["E007"]["items"]["brand_execution"] == 0.0  # 13 → 0
    data = """
        employee,brand_omissions
        B6,6
        B12,12
        B13,13
    """
    res = vary("new_media_ops", data)
    assert res["B6"]["items"]["brand_execution"] == 10.56  # 88% × 12 (the old rule gave 0 here)
    assert res["B12"]["items"]["brand_execution"] == 9.12  # 76% × 12
    assert res["B13"]["items"]["brand_execution"] == 0.0


def test_new_media_ops_platform_uv_and_fans_reach_120_percent_in_the_item() -> None:
    # 100–120 / 60–99 / 0: 所占分值 × 实际 ÷ 目标, 0 below 60%, at most 120% — now one ratio item
    # with cap 1.2 (the earlier separate “超额加分” bonus items are folded back in).
    rows = example("new_media_ops")
    e1 = rows["E001"]
    assert e1["items"]["platform_uv"] == 12.81  # 128145 / 110000 = 116.5% × 11 = 12.8145
    assert e1["items"]["fans_growth"] == 14.4  # (5200 − 300) / 4000 = 122.5% → 120% × 12
    assert "platform_uv_excess" not in e1["items"]
    # results 12.81 + 14.4 + churn 5 (300 / 42000 = 0.71% ≤ 1.5%) + brand 12 + campaign 10 = 54.21;
    # conduct 8 × 4 + review 8 + attendance 10 = 50; praise 1 × 5 + clients 3 × 3 = 14
    assert e1["total"] == 118.21
    e5 = rows["E005"]
    assert e5["items"]["platform_uv"] == 6.6  # exactly 66000 = 60%: the bottom of 60–99, scored
    assert e5["items"]["fans_growth"] == 0.0  # (2100 − 500) / 3000 = 53.3% < 60%
    assert rows["E004"]["items"]["platform_uv"] == 0.0  # 33189 / 110000 = 30.2%


# --- 003 livestream sheets ------------------------------------------------------------------------


def test_livestream_seller_row_by_hand() -> None:
    rows = example("livestream_seller")
    l2 = rows["L02"]
    assert l2["items"] == {
        "sales": 24.0,  # 800000 / 1000000 × 30
        "new_customers": 13.5,  # 900 / 1000 × 15
        "avg_viewers": 11.25,  # 300000 / 20 sessions = 15000; 15000 / 20000 × 15
        "avg_hours": 7.5,  # 60 / 20 = 3 h; 3 / 4 × 10
        "engagement": 12.0,  # 36000 / 300000 = 12%; 12 / 15 × 15
        "customer_care": 12.0,
    }
    assert l2["total"] == 80.25
    l4 = rows["L04"]  # no session this month: the per-session items cannot be computed → 0
    assert (l4["items"]["avg_viewers"], l4["items"]["avg_hours"]) == (0.0, 0.0)
    assert l4["items"]["engagement"] == 0.0
    assert l4["total"] == 24.75  # 300000 / 600000 × 30 + 200 / 800 × 15 + 6


def test_livestream_promoter_is_met_or_not() -> None:
    rows = example("livestream_promoter")
    # exactly on every target (“达到”, including equal) → every item full
    assert rows["P01"]["total"] == 100.0
    p2 = rows["P02"]
    assert p2["items"]["sales_target_met"] == 0.0  # 499999 < 500000: no partial credit
    assert p2["items"]["avg_likes"] == 0.0  # 900000 / 20 = 45000 < 50000
    assert p2["total"] == 50.0  # viewers 10 + comments 10 + new customers 20 + formats 10
    p3 = rows["P03"]
    assert p3["items"]["avg_likes"] == 10.0  # 1250000 / 25 = 50000 = target
    assert p3["items"]["avg_viewers"] == 0.0  # 225000 / 25 = 9000 < 10000
    assert p3["total"] == 50.0  # sales 40 + likes 10
    assert rows["P04"]["total"] == 0.0  # no session, nothing met


def test_livestream_salesperson_row_by_hand() -> None:
    s2 = example("livestream_salesperson")["S02"]
    assert s2["items"] == {
        "completion": 18.0,  # 900000 / 1000000 × 20
        "aov": 4.0,  # 900000 / 7500 = 120 元; 120 / 150 × 5
        "new_customers": 8.33,  # 1000 / 1200 × 10
        "retention": 4.38,  # 1400 / 2000 = 70%; 70 / 80 × 5 = 4.375
        "merchants": 4.0,  # 4 / 5 × 5
        "live_hours": 8.33,  # 100 / 120 × 10
        "engagement": 8.0,  # 48000 / 400000 = 12%; 12 / 15 × 10
        "copy_quality": 4.0,  # 良
        "aftersale": 7.5,  # two sampled customers: 非常满意 10 and 一般 5 → 7.5
        "feedback": 4.0,
        "team_completion": 10.0,  # 2600000 / 2500000 = 104% → capped
        "team_new_customers": 5.0,  # 3000 / 2800 → capped
    }
    assert s2["total"] == 85.54


# --- 003 网络管理员 5-point sheet -----------------------------------------------------------------


def test_network_admin_monthly_five_point_bands() -> None:
    rows = example("network_admin_monthly")
    w2 = rows["W02"]
    assert w2["items"] == {
        "sales_plan": 16.0,  # 999999 / 1000000 = 99.9999% → [90%, 100%) 评4分 → 20 × 4 / 5
        "ledger": 8.0,  # 1 error → 评4分 → 10 × 4 / 5
        "stocktake": 6.0,  # 2 → 评3分
        "it_maintenance": 10.0,  # 0 → 评5分
        "staff_satisfaction": 8.0,  # 1 complaint → 评4分
        "work_plan": 16.0,  # 10 planned − 9 done = 一项未完成 → 评4分
        "data_entry": 12.0,  # 2 → 评3分 → 20 × 3 / 5
    }
    assert w2["total"] == 76.0
    w3 = rows["W03"]
    assert w3["items"]["sales_plan"] == 4.0  # exactly 60% → 评1分
    assert w3["items"]["ledger"] == 2.0  # 次数为4的评1分
    assert w3["items"]["stocktake"] == 0.0  # 5 = “4次以上” → 0
    assert w3["items"]["work_plan"] == 4.0  # 12 − 8 = 四项未完成 → 评1分
    assert w3["total"] == 28.0
    w4 = rows["W04"]
    assert w4["items"]["sales_plan"] == 0.0  # 599999: 未达到 60%
    assert w4["items"]["work_plan"] == 0.0  # 6 unfinished: 四项以上
    assert w4["total"] == 18.0


# --- 003 second 网络推广 sheet --------------------------------------------------------------------


def test_network_promotion_daily_a_b_c_edges() -> None:
    rows = example("network_promotion_daily")
    n1 = rows["N01"]
    # 440 / 22 = 20 a day (A), fans 201 (> 200: A), UV 501 (> 500: A), forum 110 / 22 = 5 (A),
    # Weibo 1500 fans (< 2000: 100 a week): (1900 − 1500) / 4 = 100 and 40 / 4 = 10 posts → A
    assert len(n1["items"]) == 8 and set(n1["items"].values()) == {10.0}  # A everywhere
    assert n1["total"] == 80.0  # the sheet's 8 items × 10: full score 80
    n2 = rows["N02"]
    assert n2["items"]["news"] == 5.0  # 439 / 22 = 19.95 < 20 → B
    assert n2["items"]["wechat_fans"] == 5.0  # exactly 200 → B (50–200 inclusive)
    assert n2["items"]["website_uv"] == 5.0  # exactly 500 → B
    # 2500 fans (≥ 2000: 50 a week): (2700 − 2500) / 4 = 50 → A
    assert n2["items"]["weibo"] == 10.0
    assert n2["items"]["routine_work"] == 5.0  # exactly 60% → B
    assert n2["total"] == 50.0
    n3 = rows["N03"]
    # Weibo: min(300 / 4 / 100, 36 / 4 / 10) = min(75%, 90%) = 75% → B
    assert n3["items"]["weibo"] == 5.0
    assert (n3["items"]["wechat_fans"], n3["items"]["website_uv"]) == (5.0, 5.0)  # 50 and 200
    assert n3["items"]["routine_work"] == 0.0  # 59% → C
    assert rows["N04"]["total"] == 0.0  # nothing posted, fans lost, 49 / 199 / 30%: all C
