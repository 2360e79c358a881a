"""docs/rules.md's rule table says which kind reproduces the seed 003 平台浏览量 formula; pin it.

Seed 003 (新媒体运营部KPI绩效考核, 平台浏览量): “计算公式：所占分值*(实际完成值/目标值)=最终得分
若达成率N≥110000则此项满分，若N≤66000，则此项0分”. With 11 points (the row's 11% weight):

* ratio, target 110000, floor 60%: 11 × N ÷ 110000, 0 below 66000 (= 60% of 110000);
* linear from 66000 (0 points) to 110000 (11 points): 11 × (N − 66000) ÷ 44000.

Every figure below is worked out by hand from those two formulas.
"""

from __future__ import annotations

import polars as pl

from jixiao.engine import parse_scheme, score

RATIO = {"kind": "ratio", "target": 110000, "floor": "60%"}
LINEAR = {"kind": "linear", "from": {"value": 66000}, "to": {"value": 110000}}
# the docs' spelling for “0 at exactly 66000 as the text says”
STRICT = {"kind": "formula", "score": "if(uv <= 66000, 0, 11 * uv / 110000)"}


def _scheme() -> dict[str, object]:
    item = {"name": "平台浏览量", "points": 11, "value": "uv"}
    return {
        "code": "docs_rule_table",
        "name": "规则表核对",
        "full_score": 33,
        "metrics": {"uv": {"name": "平台UV", "unit": "people"}},
        "dimensions": [
            {
                "code": "d",
                "name": "部门绩效",
                "items": [
                    {**item, "code": "by_ratio", "rule": RATIO},
                    {**item, "code": "by_linear", "rule": LINEAR},
                    {**item, "code": "strict", "rule": STRICT},
                ],
            }
        ],
    }


def _scores(values: list[int]) -> dict[int, tuple[float, float, float]]:
    data = pl.DataFrame({"employee": [f"E{v}" for v in values], "uv": [str(v) for v in values]})
    res = score(parse_scheme(_scheme()), data)
    out = {}
    for rec in res.records(traces=False):
        items = rec["items"]
        out[int(rec["employee"][1:])] = (items["by_ratio"], items["by_linear"], items["strict"])
    return out


def test_seed_formula_is_ratio_with_a_floor_not_linear() -> None:
    got = _scores([88000, 110000, 66000, 66001, 65999, 132000, 33189])
    # N = 88000: seed 11 × 88000 / 110000 = 8.8; linear 11 × 22000 / 44000 = 5.5
    assert got[88000] == (8.8, 5.5, 8.8)
    assert got[110000] == (11.0, 11.0, 11.0)  # all full at the target
    # N = 66000 = exactly 60%: the floor clears only *below* it, so ratio gives 11 × 0.6 = 6.6;
    # the seed's text says 0 here (its scoring table says 60–99): the formula spelling gives 0.
    assert got[66000] == (6.6, 0.0, 0.0)
    assert got[66001] == (6.6, 0.0, 6.6)  # 11 × 66001 / 110000 = 6.6001; linear 0.00025
    assert got[65999] == (0.0, 0.0, 0.0)  # below 60%
    assert got[132000] == (11.0, 11.0, 11.0)  # 120%: cap 1 by default, full points, no more
    assert got[33189] == (0.0, 0.0, 0.0)  # the seed table's February figure: 30.2%
