"""Hypothesis properties of the pay engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import explain, rows_of

from jixiao.engine import ResultRecord
from jixiao.pay import (
    LIBRARY,
    NET,
    PayError,
    build_plan,
    compile_plan,
    compute,
    load_plan,
    prepare_table,
    run,
    split_cents,
    split_members,
)

KEFU = load_plan(LIBRARY / "kefu_zhuanyuan.yaml")
MONOTONE = {
    stem: load_plan(LIBRARY / f"{stem}.yaml")
    for stem in (
        "kefu_zhuanyuan",
        "dianzhang_yunying",
        "wenan_c1",
        "wenan_c2",
        "yunying_y1",
        "dianshang_yuangong",
        "qihua_bu",
    )
}

scores = st.decimals(min_value=0, max_value=120, places=2)
money = st.decimals(min_value=0, max_value=1_000_000, places=2)
counts = st.integers(min_value=0, max_value=30)


def result(emp: str, score: Decimal | None) -> ResultRecord:
    total = None if score is None else float(score)
    return ResultRecord(emp, "", "G", total is not None, None, total, "", None, None)


def sample_row(plan_code: str, draw: Any) -> dict[str, Any]:
    """Plausible inputs for any built-in plan (extra columns are ignored)."""
    due = draw(st.integers(min_value=1, max_value=31))
    return {
        "个人销售额": draw(money),
        "中评修改个数": draw(counts),
        "差评修改个数": draw(counts),
        "奖惩": draw(st.decimals(min_value=-5000, max_value=5000, places=2)),
        "奖惩原因": "",
        "团队绩效分成": draw(money),
        "基本工资": draw(money),
        "迟到早退请假次数": draw(counts),
        "旷工天数": draw(counts),
        "特殊奖励": draw(money),
        "团购合作家数": draw(counts),
        "普通产品回款": draw(money),
        "高利润产品回款": draw(money),
        "活动产品利润率": draw(st.sampled_from(["5%", "10%", "15%"])),
        "职级": draw(st.sampled_from(["P1", "P2", "P3", "P4"])),
        "应出勤天数": due,
        "实际出勤天数": draw(st.integers(min_value=0, max_value=due)),
        "员工工资": draw(money),
    }


@st.composite
def roster(draw: Any, plan_code: str, n_max: int = 8) -> tuple[list[str], list[list[Any]]]:
    n = draw(st.integers(min_value=1, max_value=n_max))
    rows = [sample_row(plan_code, draw) for _ in range(n)]
    header = ["工号", *rows[0]]
    return header, [[f"E{i:03d}", *r.values()] for i, r in enumerate(rows)]


@settings(max_examples=40, deadline=None)
@given(roster("kefu_zhuanyuan"), st.lists(scores, min_size=8, max_size=8))
def test_net_pay_never_negative_even_with_large_penalties(table: Any, marks: list[Decimal]) -> None:
    header, data = table
    res = {r[0]: result(r[0], marks[i]) for i, r in enumerate(data)}
    payroll = run(KEFU, prepare_table(KEFU, header, data, res))
    assert all(s.net >= 0 for s in payroll.slips)
    for s in payroll.slips:
        gross = sum(x.amount for x in s.lines)
        assert s.net == max(gross, Decimal(0))


def test_a_plan_may_allow_deductions_beyond_pay() -> None:
    doc = {
        "code": "d",
        "name": "扣款",
        "version": "1",
        "allow_negative": True,
        "inputs": [{"name": "底薪"}, {"name": "罚款"}],
        "components": [
            {"code": "a", "name": "底薪", "kind": "formula", "amount": "底薪"},
            {"code": "b", "name": "罚款", "kind": "per_count", "count": "罚款", "rate": -100},
        ],
    }
    plan = compile_plan(build_plan(doc))
    payroll = run(plan, prepare_table(plan, ["工号", "底薪", "罚款"], [["E1", "100", "3"]]))
    assert payroll.slips[0].net == Decimal("-200.00")


@settings(max_examples=25, deadline=None)
@given(st.data(), st.sampled_from(sorted(MONOTONE)))
def test_non_decreasing_in_the_score(data: Any, stem: str) -> None:
    plan = MONOTONE[stem]
    header, rows = data.draw(roster(stem, n_max=1))
    rows = [rows[0], [*rows[0]]]
    rows[1][0] = "E999"
    low, high = sorted(data.draw(st.lists(scores, min_size=2, max_size=2)))
    res = {"E000": result("E000", low), "E999": result("E999", high)}
    a, b = run(plan, prepare_table(plan, header, rows, res)).slips
    assert a.net <= b.net, (stem, low, high, a.lines, b.lines)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**11),
    st.lists(
        st.tuples(st.text(min_size=1, max_size=4), st.integers(min_value=0, max_value=10**12)),
        min_size=1,
        max_size=30,
        unique_by=lambda t: t[0],
    ),
)
def test_split_always_sums_to_the_pool_exactly(cents: int, members: list[tuple[str, int]]) -> None:
    got = split_members(cents, members)
    if sum(w for _, w in members) == 0:
        assert set(got.values()) == {0}
        return
    assert sum(got.values()) == cents
    assert all(v >= 0 for v in got.values())
    total_w = sum(w for _, w in members)
    for e, w in members:  # nobody is more than one cent away from the exact share
        assert abs(got[e] * total_w - cents * w) < total_w
    groups = split_cents(cents, members)
    assert sum(groups.values()) == cents


POOL = compile_plan(
    build_plan(
        {
            "code": "p",
            "name": "池",
            "version": "1",
            "parameters": {"池": 0},
            "inputs": [{"name": "岗位", "type": "text"}, {"name": "权重"}],
            "components": [
                {
                    "code": "p",
                    "name": "池",
                    "kind": "pool",
                    "amount": "池",
                    "weight": "权重",
                    "when": "权重 > 0",
                    "group_by": "岗位",
                    "shares": {"客服": "50%", "运营": "30%", "美工": "15%", "财务": "5%"},
                }
            ],
        }
    )
)


@settings(max_examples=60, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.lists(
        st.tuples(
            st.sampled_from(["客服", "运营", "美工", "财务"]),
            st.decimals(min_value=0, max_value=1000, places=3),
        ),
        min_size=1,
        max_size=40,
    ),
)
def test_vectorised_pool_equals_the_loop_and_sums_exactly(
    pool: Decimal, members: list[Any]
) -> None:
    data = prepare_table(
        POOL,
        ["工号", "岗位", "权重"],
        [[f"E{i:03d}", g, str(w)] for i, (g, w) in enumerate(members)],
        params={"池": pool},
    )
    amounts, (summary,) = compute(POOL, data.frame, data.params)
    traced = explain(POOL, rows_of(data), data.params)
    assert amounts["p"].to_list() == [lines[0].amount for lines, _ in traced]
    assert sum(dict(summary.groups).values()) == summary.amount == pool
    funded = {g for g, w in members if w > 0}
    expected = sum((v for g, v in summary.groups if g in funded), Decimal(0))
    assert summary.distributed == expected


@settings(max_examples=20, deadline=None)
@given(st.data(), st.sampled_from(sorted(MONOTONE)))
def test_vectorised_result_equals_the_trace(data: Any, stem: str) -> None:
    plan = MONOTONE[stem]
    header, rows = data.draw(roster(stem))
    res = {r[0]: result(r[0], data.draw(scores)) for r in rows}
    prepared = prepare_table(plan, header, rows, res)
    amounts, _ = compute(plan, prepared.frame, prepared.params)
    traced = explain(plan, rows_of(prepared), prepared.params)
    for i, (lines, net) in enumerate(traced):
        for line in lines:
            assert amounts[line.code][i] == line.amount
            assert (
                line.text.endswith(f"{line.amount:.2f}")
                or "不适用" in line.text
                or "取消" in line.text
            )
        assert amounts[NET][i] == net
    assert isinstance(amounts, pl.DataFrame)


SINGLE = compile_plan(
    build_plan(
        {
            "code": "s",
            "name": "单池",
            "version": "1",
            "parameters": {"池": 0},
            "inputs": [{"name": "权重"}],
            "components": [
                {
                    "code": "p",
                    "name": "池",
                    "kind": "pool",
                    "amount": "池",
                    "weight": "权重",
                    "when": "权重 >= 0",
                }
            ],
        }
    )
)


@settings(max_examples=80, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**7, places=2),
    st.lists(st.sampled_from(["0", "1", "1", "2", "0.5", "3.333"]), min_size=1, max_size=40),
    st.randoms(use_true_random=False),
)
def test_single_pool_with_ties_equals_the_loop(pool: Decimal, weights: list[str], rnd: Any) -> None:
    ids = [f"E{i:03d}" for i in range(len(weights))]
    rnd.shuffle(ids)  # the tie-break is by id, not by row order
    data = prepare_table(
        SINGLE,
        ["工号", "权重"],
        [[e, w] for e, w in zip(ids, weights, strict=True)],
        params={"池": pool},
    )
    amounts, (summary,) = compute(SINGLE, data.frame, data.params)
    traced = explain(SINGLE, rows_of(data), data.params)
    assert amounts["p"].to_list() == [lines[0].amount for lines, _ in traced]
    if any(Decimal(w) > 0 for w in weights):
        assert summary.distributed == pool


def test_an_amount_beyond_38_digits_is_a_user_error_naming_the_component() -> None:
    plan = compile_plan(
        build_plan(
            {
                "code": "t",
                "name": "t",
                "version": "1",
                "inputs": [{"name": "底薪"}],
                "components": [
                    {"code": "a", "name": "底薪", "kind": "formula", "amount": "底薪"},
                    {"code": "b", "name": "平方", "kind": "formula", "amount": "底薪 * 底薪"},
                ],
            }
        )
    )
    data = prepare_table(plan, ["工号", "底薪"], [["E1", "9" * 20]])
    with pytest.raises(PayError) as info:
        run(plan, data)
    assert "「平方」" in str(info.value) and "超出可计算范围" in str(info.value)
