"""Every built-in scheme template validates and scores its own example data."""

from __future__ import annotations

import pytest

from jixiao.engine import check_scheme, score
from jixiao.library import get_template, list_templates

TEMPLATES = list_templates()


def test_templates_exist() -> None:
    assert len(TEMPLATES) >= 1


@pytest.mark.parametrize("tpl", TEMPLATES, ids=[t.code for t in TEMPLATES])
def test_template_validates_and_scores_example(tpl) -> None:
    scheme = tpl.scheme
    assert scheme.code == tpl.code, "file name and scheme code must agree"
    errors = [i for i in check_scheme(scheme) if i.level == "error"]
    assert errors == []
    data, targets, ratings = tpl.example()
    result = score(scheme, data, targets=targets, ratings=ratings)
    assert result.table.height == data.height
    eligible = result.table.filter("eligible")
    assert eligible.height > 0
    totals = eligible.get_column("total").to_list()
    full = float(str(scheme.max_score or scheme.full_score).rstrip("%"))
    assert all(0 <= t <= full for t in totals)
    # Example data should exercise the scheme: not everyone gets the same total.
    assert len(set(totals)) > 1
    if scheme.grades:
        assert all(g is not None for g in eligible.get_column("grade").to_list())
    # Every row's vectorised result equals its per-row explanation.
    for rec in result.records():
        exp = result.explain(rec["employee"])
        assert exp.total == rec["total"]
        for it in exp.items:
            if it.type != "veto":
                assert rec["items"][it.code] == it.score
            assert rec["traces"][it.code]["zh"] == it.text


def test_unknown_template_suggests_close_codes() -> None:
    with pytest.raises(KeyError, match="没有内置方案"):
        get_template("no_such_scheme")
