"""Hypothesis properties of the engine.

* every item score stays within its declared bounds, and the total within min..max;
* scores are monotone in the value where the rule is (ratio, linear, tiers, step, counts);
* the vectorised result equals the test oracle's (tests/engine/oracle.py: plain Python, row by
  row) for every row: item scores, dimensions, total, grade and every trace's text;
* every trace's numbers recompute the score it states.
"""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.engine import parse_scheme, score
from tests.engine.oracle import oracle_explain
from tests.engine.recompute import recomputed

VALUE = st.one_of(
    st.none(),
    st.sampled_from([0.0, 1.0, 15.0, 20.0, 0.35, 100.0, 66000.0, 110000.0]),
    st.floats(min_value=-1000.0, max_value=200000.0, allow_nan=False, allow_infinity=False),
)
POINTS = st.sampled_from([5, 10, 15, 20])


@st.composite
def rules(draw: st.DrawFn, points: int) -> dict:
    kind = draw(
        st.sampled_from(
            ["ratio", "linear", "tiers", "per_occurrence", "step", "rank", "rating", "formula"]
        )
    )
    if kind == "ratio":
        return {
            "kind": "ratio",
            "target": draw(st.sampled_from(["tgt", 100, 0.35])),
            "direction": draw(st.sampled_from(["higher", "lower"])),
            "cap": draw(st.sampled_from([1, 1.2])),
            **({"floor": 0.6} if draw(st.booleans()) else {}),
        }
    if kind == "linear":
        lo, hi = draw(st.sampled_from([(66000, 110000), (0, 100), (30, 10)]))
        return {"kind": "linear", "from": {"value": lo}, "to": {"value": hi}}
    if kind == "tiers":
        cuts = sorted(draw(st.lists(st.integers(-10, 200), min_size=1, max_size=4, unique=True)))
        scores = sorted(
            draw(st.lists(st.integers(0, points), min_size=len(cuts) + 1, max_size=len(cuts) + 1))
        )
        incl = draw(st.booleans())
        bands = [{"lt" if incl else "lte": cuts[0], "score": scores[0]}]
        for i in range(1, len(cuts)):
            lo_key, hi_key = ("gte", "lt") if incl else ("gt", "lte")
            bands.append({lo_key: cuts[i - 1], hi_key: cuts[i], "score": scores[i]})
        bands.append({"gte" if incl else "gt": cuts[-1], "score": scores[-1]})
        return {"kind": "tiers", "bands": bands}
    if kind == "per_occurrence":
        return {
            "kind": "per_occurrence",
            "per": draw(st.sampled_from([0.5, 1, 2])),
            "free": draw(st.sampled_from([0, 5])),
        }
    if kind == "step":
        return {
            "kind": "step",
            "target": "tgt",
            "step": draw(st.sampled_from([1, 100])),
            "per": 2,
            "rounding": draw(st.sampled_from(["floor", "ceil"])),
        }
    if kind == "rank":
        return {
            "kind": "rank",
            "scores": [{"rank": 1, "score": points}, {"rank": 2, "score": points / 2}],
            "ties": draw(st.sampled_from(["min", "max", "dense"])),
        }
    if kind == "rating":
        return {
            "kind": "rating",
            "raters": {"self": "30%", "peer": "50%", "manager": "20%"},
            "scale": 100,
            "missing": draw(st.sampled_from(["renormalize", "zero", "incomplete"])),
        }
    return {
        "kind": "formula",
        "score": draw(st.sampled_from(["x / 10", "min(x, y) / 100", "if(x > y, 5, x / (y - 1))"])),
    }


@st.composite
def schemes(draw: st.DrawFn) -> dict:
    n = draw(st.integers(1, 5))
    items = []
    for i in range(n):
        pts = draw(POINTS)
        typ = draw(st.sampled_from(["normal", "normal", "normal", "bonus", "deduction"]))
        rule = draw(rules(pts))
        if typ != "normal" and rule["kind"] != "per_occurrence":
            rule = {"kind": "per_occurrence", "per": 1}
        items.append(
            {
                "code": f"i{i}",
                "name": f"项目{i}",
                "type": typ,
                "points": pts,
                "value": draw(st.sampled_from(["x", "y", "x / y"])),
                "rule": rule,
            }
        )
    if not any(it["type"] == "normal" for it in items):
        items[0]["type"] = "normal"
    full = sum(it["points"] for it in items if it["type"] == "normal")
    items.append(
        {
            "code": "v",
            "name": "否决",
            "type": "veto",
            "when": "z >= 1",
            "scope": draw(st.sampled_from(["total", "dimension:d", "item:i0"])),
        }
    )
    return {
        "code": "prop",
        "name": "性质测试",
        "full_score": full,
        "metrics": {"x": {}, "y": {}, "z": {}, "absent": {}},
        "targets": {"tgt": {"default": 100}},
        "eligibility": [{"when": "absent > 20", "label": "缺勤过多"}],
        "dimensions": [{"code": "d", "name": "维度", "items": items}],
        "grades": [
            {"grade": "优", "gte": full * 0.9},
            {"grade": "中", "gte": full * 0.6, "lt": full * 0.9},
            {"grade": "差", "lt": full * 0.6},
        ],
    }


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(1, 12))
    rows = []
    for k in range(n):
        rows.append(
            {
                "employee": f"E{k:03d}",
                "group": draw(st.sampled_from(["A", "B"])),
                "x": draw(VALUE),
                "y": draw(VALUE),
                "z": draw(st.sampled_from([0.0, 0.0, 1.0, None])),
                "absent": draw(st.sampled_from([0.0, 20.0, 21.0, None])),
                **{
                    f"i{i}:{r}": draw(st.one_of(st.none(), st.floats(0, 100)))
                    for i in range(5)
                    for r in ("self", "peer", "manager")
                },
            }
        )
    return pl.DataFrame(
        rows, schema={**{c: pl.Float64 for c in rows[0]}, "employee": pl.String, "group": pl.String}
    )


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(doc=schemes(), data=frames())
def test_bounds_and_vector_equals_trace(doc: dict, data: pl.DataFrame) -> None:
    scheme = parse_scheme(doc)
    result = score(scheme, data)
    cs = result.scheme
    for rec in result.records():
        for it in cs.items:
            if it.type == "veto":
                continue
            s = rec["items"][it.code]
            if it.type == "deduction":
                assert -it.max_points <= s <= 0
            else:
                assert 0 <= s <= it.max_points
        if rec["eligible"]:
            assert cs.min_score <= rec["total"] <= cs.max_score
            assert rec["grade"] is not None
        else:
            assert rec["total"] is None and rec["rank"] is None
        exp = oracle_explain(result, rec["employee"])
        assert exp.total == rec["total"]
        assert exp.grade == rec["grade"]
        assert exp.dimensions == rec["dimensions"]
        for ie in exp.items:
            if ie.type != "veto":
                assert ie.score == rec["items"][ie.code], ie.text
            assert rec["traces"][ie.code] == {"zh": ie.text, "en": ie.text_en}
        # explain() reads the same columns: its summary and items agree with the oracle's.
        mine = result.explain(rec["employee"])
        assert (mine.summary, mine.summary_en) == (exp.summary, exp.summary_en)
        assert [(i.score, i.missing, i.vetoed, i.text, i.text_en) for i in mine.items] == [
            (i.score, i.missing, i.vetoed, i.text, i.text_en) for i in exp.items
        ]
        for it in cs.items:
            check = recomputed(it, rec["traces"][it.code]["zh"])
            if check is not None:
                shown, want, tol = check
                assert abs(shown - want) <= tol, (rec["traces"][it.code]["zh"], want)


MONOTONE_RULES = [
    {"kind": "ratio", "target": 100},
    {"kind": "ratio", "target": 100, "cap": 1.2, "floor": 0.5},
    {"kind": "linear", "from": {"value": 10}, "to": {"value": 90}},
    {
        "kind": "tiers",
        "bands": [
            {"lt": 10, "score": 0},
            {"gte": 10, "lt": 50, "score": 4},
            {"gte": 50, "score": 10},
        ],
    },
    {"kind": "step", "target": 100, "step": 7, "per": 1},
]


@settings(max_examples=60, deadline=None)
@given(
    rule=st.sampled_from(MONOTONE_RULES), xs=st.lists(st.floats(-50, 300), min_size=2, max_size=30)
)
def test_higher_is_better_rules_are_monotone(rule: dict, xs: list[float]) -> None:
    doc = {
        "code": "m",
        "name": "单调",
        "full_score": 10,
        "metrics": {"x": {}},
        "dimensions": [
            {
                "code": "d",
                "name": "d",
                "items": [{"code": "a", "name": "a", "points": 10, "value": "x", "rule": rule}],
            }
        ],
    }
    xs = sorted(xs)
    data = pl.DataFrame({"employee": [f"E{i}" for i in range(len(xs))], "x": xs})
    scores = score(parse_scheme(doc), data).table.get_column("item:a").to_list()
    assert scores == sorted(scores)


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 40), min_size=2, max_size=30), per=st.sampled_from([0.5, 1, 3])
)
def test_per_occurrence_deduction_is_antitone(counts: list[int], per: float) -> None:
    doc = {
        "code": "m",
        "name": "单调",
        "full_score": 10,
        "metrics": {"x": {}},
        "dimensions": [
            {
                "code": "d",
                "name": "d",
                "items": [
                    {
                        "code": "a",
                        "name": "a",
                        "points": 10,
                        "value": "x",
                        "rule": {"kind": "per_occurrence", "per": per},
                    }
                ],
            }
        ],
    }
    counts = sorted(counts)
    data = pl.DataFrame(
        {"employee": [f"E{i}" for i in range(len(counts))], "x": [float(c) for c in counts]}
    )
    scores = score(parse_scheme(doc), data).table.get_column("item:a").to_list()
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 10 for s in scores)
