"""Every built-in policy rule over the seeded 6-month history (tests/history/data/history_6m.csv),
with the expected firings worked out by hand from the table, not from the evaluator.

The people (months 2026-06 … 2026-11; "L" = 请假, "-" = no record):

* ecommerce_staff_general, ranked overall: A01 80 85 88 96 97 98 (first only in 09);
  A02 first in 06 07 08, L in 09, first in 10 11; A05 70 55 58 59 62 50; A06 59 59 L 59 59 59.
* taobao_cs, archived with ties ranked *max* (2, 2): A03 and A04 95 in 09–11 in 客服一组 (tied
  for first), A07 80; A08 70, alone in 客服二组 (group first, overall fourth).
* copywriter_c1: C01 55 58 59 75 75 75; C02 50 50 in 09–10 then 50 in 11 under ecommerce_ops_100;
  ops_specialist_y1: C03 50 50 50 in 09–11.
* planning_dept (优秀员工 95 / 普通员工 80 / 差评员工 68): Q01 差评 in 10 11; Q02 差评 in 09 10 11;
  Q03 差评 08 09, L in 10, 差评 11; Q04 优秀 every month; Q05 优秀 09 10 11; Q06 普通 throughout.
* network_sales (A 92 / C 75 / D 65 / E 55), 09–11: N01 C D D; N02 C D C; N03 C E D; N04 C E E;
  N05 C C A; N06 D L D.
"""

from __future__ import annotations

import pytest

from jixiao.history import History, evaluate, find_policy, load_policy

# (policy, month) → {rule: employees it fires for}
EXPECTED: dict[tuple[str, str], dict[str, set[str]]] = {
    ("lianxu_paiming", "2026-08"): {"first_3_months": {"A02"}, "fail_3_months": {"C01"}},
    # A05's third month below 60 is 09; A02 on leave in 09: no streak of firsts.
    ("lianxu_paiming", "2026-09"): {"fail_3_months": {"A05"}},
    ("lianxu_paiming", "2026-10"): {},
    # A03/A04 tied for first (archived rank 2, 2) count as first; A02 first in 10, 11 only
    # (the leave month in 09 broke the streak); A06's leave in 08 broke the first streak, the
    # second reaches 3 in 11; C02's month under another scheme still counts (all schemes).
    ("lianxu_paiming", "2026-11"): {
        "first_3_months": {"A03", "A04"},
        "fail_3_months": {"A06", "C02", "C03"},
    },
    ("wenan_yunying_60", "2026-08"): {"below_60_3_months": {"C01"}},
    # C02's 11 result is under ecommerce_ops_100: not appraised for this policy, streak broken.
    ("wenan_yunying_60", "2026-11"): {"below_60_3_months": {"C03"}},
    ("xishu_65", "2026-07"): {"below_65_2_months": {"A06", "C01"}},
    ("xishu_65", "2026-08"): {"below_65_2_months": {"A05"}},
    ("xishu_65", "2026-10"): {"below_65_2_months": {"A06", "C02", "C03"}},
    # Everyone else below 65 in 11 is in the 3rd or later month (fires once per streak).
    ("xishu_65", "2026-11"): {"below_65_2_months": {"N04"}},
    ("qihua_chaping_youxiu", "2026-08"): {
        "excellent_monthly": {"Q04"},
        "excellent_3_year_end": {"Q04"},
    },
    ("qihua_chaping_youxiu", "2026-09"): {
        "poor_2_warning": {"Q03"},
        "excellent_monthly": {"Q04", "Q05"},
    },
    ("qihua_chaping_youxiu", "2026-10"): {
        "poor_2_warning": {"Q02"},
        "excellent_monthly": {"Q04", "Q05"},
    },
    # Q03: 差评 08 09, leave 10, 差评 11 — the leave breaks the streak, nothing in 11.
    ("qihua_chaping_youxiu", "2026-11"): {
        "poor_2_warning": {"Q01"},
        "poor_3_exit": {"Q02"},
        "excellent_monthly": {"Q04", "Q05"},
        "excellent_3_year_end": {"Q05"},
    },
    ("kefu_jinpai", "2026-11"): {"gold_supervisor": {"A03", "A04", "A08"}},
    ("kefu_jinpai", "2026-08"): {},
    # N02 recovered to C; N03 went from E to D (neither rule: D-rule needs D first);
    # N06's leave month is no second chance.
    ("wangluo_xiaoshou", "2026-11"): {
        "d_then_below_c": {"N01"},
        "e_then_below_d": {"N04"},
        "network_sales_grades": {"N05"},
    },
    ("wangluo_xiaoshou", "2026-10"): {},
}


def _fired(history: History, policy: str, month: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in evaluate(history, find_policy(policy), as_of=month).proposals:
        out.setdefault(p.rule, set()).add(p.employee)
    return out


@pytest.mark.parametrize(("policy", "month"), sorted(EXPECTED))
def test_builtin_rule_firings(six_months: History, policy: str, month: str) -> None:
    assert _fired(six_months, policy, month) == EXPECTED[(policy, month)]


def test_every_builtin_rule_fires_somewhere() -> None:
    covered = {(p, r) for (p, _m), rules in EXPECTED.items() for r, who in rules.items() if who}
    from jixiao.history import builtin_policies

    every = {(p.code, r.code) for p in builtin_policies() for r in p.rules}
    every |= {(p.code, t.code) for p in builtin_policies() for t in p.application}
    assert every <= covered


def test_issue_trace_and_reward(six_months: History) -> None:
    ev = evaluate(six_months, find_policy("lianxu_paiming"))
    a03 = next(p for p in ev.proposals if p.employee == "A03")
    assert a03.trace.zh == "连续 3 个月排名第 1 名：2026-09、2026-10、2026-11 → 奖励 200 元"
    assert (
        a03.trace.en
        == "first overall for 3 months in a row: 2026-09, 2026-10, 2026-11 → reward 200 yuan"
    )
    assert (a03.kind, str(a03.amount), a03.periods) == (
        "money",
        "200",
        ("2026-09", "2026-10", "2026-11"),
    )
    assert (a03.name, a03.department, a03.period) == ("陈三", "客服部", "2026-11")


def test_personnel_and_open_amount_proposals(six_months: History) -> None:
    ev = evaluate(six_months, find_policy("qihua_chaping_youxiu"))
    by = {(p.rule, p.employee): p for p in ev.proposals}
    exit_ = by[("poor_3_exit", "Q02")]
    assert (exit_.kind, exit_.action, exit_.amount) == ("personnel", "exit", None)
    assert exit_.trace.zh == "连续 3 个月等级为 差评员工：2026-09、2026-10、2026-11 → 劝退"
    bonus = by[("excellent_3_year_end", "Q05")]
    assert (bonus.kind, bonus.amount) == ("money", None)
    assert bonus.trace.zh.endswith("→ 年终奖（金额由人事确定）")


def test_group_first_trace(six_months: History) -> None:
    ev = evaluate(six_months, find_policy("kefu_jinpai"))
    a08 = next(p for p in ev.proposals if p.employee == "A08")
    assert a08.trace.zh == "本月小组第 1 名：2026-11 → 担任下一个月的客服主管"
    assert a08.action == "next_month_supervisor"


def _variant(gaps: dict[str, str]) -> dict[str, object]:
    return {
        "code": "v",
        "name": "变体",
        "gaps": gaps,
        "rules": [
            {
                "code": "fail3",
                "name": "连续 3 个月不及格",
                "when": {"kind": "streak", "periods": 3, "test": {"field": "total", "lt": 60}},
                "then": [{"kind": "personnel", "action": "resignation"}],
            }
        ],
    }


def test_leave_breaks_unless_the_policy_skips_it(six_months: History) -> None:
    brk = load_policy(_variant({"leave": "break", "not_appraised": "break", "no_record": "break"}))
    skip = load_policy(_variant({"leave": "skip", "not_appraised": "break", "no_record": "break"}))
    # A06: 59 59 L 59 — with the leave skipped, 06 07 09 are three months in a row.
    assert "A06" not in {p.employee for p in evaluate(six_months, brk, as_of="2026-09").proposals}
    a06 = next(
        p for p in evaluate(six_months, skip, as_of="2026-09").proposals if p.employee == "A06"
    )
    assert (
        a06.trace.zh
        == "连续 3 个月总分低于 60：2026-06、2026-07、2026-09（2026-08 请假，不计入） → 自动请辞（离职）"
    )
    assert a06.periods == ("2026-06", "2026-07", "2026-09")
    assert a06.trace.en.endswith(
        "2026-06, 2026-07, 2026-09 (2026-08 on leave: skipped) → resignation"
    )


def test_no_proposal_in_a_month_without_result(six_months: History) -> None:
    skip = load_policy(_variant({"leave": "skip", "not_appraised": "skip", "no_record": "skip"}))
    # A06 is on leave in 08: even skipping leave, no proposal is made for a month without a result.
    assert "A06" not in {p.employee for p in evaluate(six_months, skip, as_of="2026-08").proposals}
