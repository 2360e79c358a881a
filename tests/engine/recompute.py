"""Recompute an item's score from the numbers its (Chinese) trace shows.

A trace is an argument: "完成率 85% → 17 / 20 分" must make 17 follow from 85%. These checks
read the numbers back out of the sentence and redo the arithmetic the rule documents
(docs/rules.md), within the rounding of the shown numbers.
"""

from __future__ import annotations

import re

from jixiao.engine._compile import CItem
from jixiao.engine.kinds.formula import FormulaKind
from jixiao.engine.kinds.per_occurrence import PerOccurrenceKind
from jixiao.engine.kinds.rank import RankKind
from jixiao.engine.kinds.rating import RatingKind
from jixiao.engine.kinds.ratio import RatioKind
from jixiao.engine.kinds.step import StepKind
from jixiao.engine.kinds.tiers import TiersKind

__all__ = ["recomputed"]

NUM = r"(-?\d+(?:\.\d+)?)"


def _shown_score(text: str) -> float:
    m = re.search(rf"→ (?:加 |扣 )?{NUM}(?: / | 分)", text)
    assert m, text
    return float(m.group(1))


def _f(pattern: str, text: str) -> float:
    m = re.search(pattern, text)
    assert m, (pattern, text)
    return float(m.group(1))


def recomputed(item: CItem, text: str) -> tuple[float, float, float] | None:
    """(shown score, score recomputed from the shown numbers, tolerance), or ``None`` when the
    trace explains a missing score (nothing to recompute)."""
    rule = item.rule
    if rule is None or "缺少数据" in text or "无法计算" in text or "评分不全" in text:
        return None
    if "缺失" in text:  # a number too large to print (|x| ≥ 9e13) is shown as missing
        return None
    if "否决" in text or "不参加排名" in text or "没有分组" in text:
        return None
    shown = _shown_score(text)
    pts, hi = item.points, item.max_points
    if isinstance(rule, RatioKind):
        r = _f(rf"完成率 {NUM}%", text) / 100
        raw = 0.0 if rule.floor is not None and r < rule.floor else pts * min(max(r, 0), rule.cap)
        # The shown ratio is rounded to 0.1%: the score may move by points × 0.05%.
        return shown, min(max(raw, 0), hi), pts * 0.0005 + 0.006
    if isinstance(rule, PerOccurrenceKind):
        amount = _f(rf"共[扣加] {NUM} 分", text)
        raw = pts - amount if rule.counts_down else amount
        return shown, min(max(raw, 0), pts), 0.011
    if isinstance(rule, StepKind):
        steps = _f(rf"：{NUM} 档共扣", text)
        amount = _f(rf"档共扣 {NUM} 分", text)
        assert abs(steps * rule.per - amount) < 0.011, text
        return shown, min(max(pts - amount, 0), pts), 0.011
    if isinstance(rule, RatingKind):
        terms = re.findall(rf"(\S+) {NUM} × {NUM}%", text)
        num = sum(float(x) * float(w) / 100 for _, x, w in terms)
        den = sum(float(w) / 100 for _, _, w in terms)
        agg = _f(rf" = {NUM}", text)
        want = num / den if rule.missing_policy == "renormalize" and den else num
        # Ratings are shown to 0.01 and weights to 0.1%.
        assert abs(agg - want) <= 0.011 + 0.001 * sum(float(x) for _, x, _ in terms), text
        return shown, min(max(agg * pts / rule.scale, 0), pts), 0.006 + 0.006 * pts / rule.scale
    if isinstance(rule, FormulaKind):
        v = _f(rf"= {NUM} →", text)
        return shown, min(max(v, 0), pts), 0.011
    if isinstance(rule, RankKind):
        n = int(_f(rf"排第 {NUM} 名", text))
        return shown, dict(rule.table).get(n, rule.otherwise), 0.006
    if isinstance(rule, TiersKind):
        if "不在任何一档内" in text:
            return shown, 0.0, 0.0
        for band, label in zip(rule.bands, rule.band_texts("zh"), strict=True):
            if f"落在 {label}" in text:
                return shown, float(band.value), 0.006
        raise AssertionError(text)
    return None  # linear: the end points are shown, the slope is not worth re-deriving
