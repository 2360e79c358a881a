"""The test oracle: one employee's scores and traces computed in plain Python, row by row.

The engine computes once, vectorised (``jixiao.engine._score``), and words its traces from
the same columns. This oracle is deliberately independent (same rules, separate arithmetic,
scalar formula evaluation), so the properties in test_properties.py can check the engine
against it on every row: scores, totals, grades and every trace's text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from jixiao import formula as F
from jixiao.engine import ItemExplanation, RowExplanation, ScoreResult
from jixiao.engine._compile import CItem, CompiledScheme
from jixiao.engine._numfmt import fmt_num, unit_text
from jixiao.engine._trace import (
    VETO_OPEN,
    WORDS,
    input_label,
    item_name,
    rule_inputs,
    scope_text,
    score_suffix,
)
from jixiao.engine.kinds import rating_column
from jixiao.engine.kinds.rank import RankKind
from jixiao.engine.kinds.rating import RatingKind
from jixiao.formula import find_band
from tests.engine.oracle_kinds import (
    NO_GROUP,
    UNRANKED,
    RowContext,
    operand_row,
    row_detail,
    row_parts,
)
from tests.formula.oracle import evaluate_float, round_half_away

__all__ = ["ItemExplanation", "RowExplanation", "explain_row", "oracle_explain"]


def _group_label(it: CItem, row: Mapping[str, Any]) -> str | None:
    group_by = it.rule.group_by if isinstance(it.rule, RankKind) else None
    return None if group_by is None else row.get(group_by)


def _clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def _veto_hit(item: CItem, env: Mapping[str, float | None]) -> bool:
    assert item.veto_when is not None
    return evaluate_float(item.veto_when.node, env) is True


def explain_row(
    cs: CompiledScheme,
    row: Mapping[str, Any],
    *,
    group_values: Mapping[str, Sequence[float | None]] | None = None,
    ungrouped: frozenset[str] = frozenset(),
) -> RowExplanation:
    """Explain one prepared row. ``group_values`` gives, per rank item, the values of everyone in
    the row's group (rank rules need the population)."""
    env: dict[str, float | None] = {
        k: v for k, v in row.items() if isinstance(v, int | float) or v is None
    }
    group_values = group_values or {}
    hits = {
        it.code: _veto_hit(it, env)
        for it in cs.items
        if it.type == "veto" and it.veto_when is not None
    }

    def vetoers(kind: str, code: str | None) -> list[CItem]:
        return [
            it
            for it in cs.items
            if it.code in hits and hits[it.code] and it.veto_scope == (kind, code)
        ]

    eligible = not any(evaluate_float(e.when.node, env) is True for e in cs.eligibility)
    items: list[ItemExplanation] = []
    scores: dict[str, float] = {}
    for it in cs.items:
        if it.type == "veto":
            texts = [_veto_text(cs, it, env, lang) for lang in ("zh", "en")]
            items.append(
                ItemExplanation(
                    it.code,
                    it.name,
                    "veto",
                    0.0,
                    None,
                    0.0,
                    False,
                    hits.get(it.code, False),
                    *texts,
                )
            )
            continue
        assert it.rule is not None
        v = None if it.value is None else operand_row(it.value, env)
        if isinstance(it.rule, RankKind) and (not eligible or it.code in ungrouped):
            v = None  # not appraised, or no group to rank within: takes no place in a ranking
        ctx = RowContext(
            env=env,
            group_label=_group_label(it, row),
            group_values=group_values.get(it.code, ()),
            ratings={
                role: row.get(rating_column(it.code, role))
                for role, _ in (it.rule.raters if isinstance(it.rule, RatingKind) else ())
            },
        )
        parts = row_parts(it.rule, v, ctx)
        raw = parts["raw"]
        if raw is None:
            score = 0.0
        else:
            bounded = _clamp(raw, 0.0, it.max_points)
            score = round_half_away(-bounded if it.type == "deduction" else bounded, 2)
        by = vetoers("item", it.code)
        if by:
            score = 0.0
        scores[it.code] = score
        texts = [_item_text(cs, it, v, parts, score, env, by, lang) for lang in ("zh", "en")]
        items.append(
            ItemExplanation(
                it.code, it.name, it.type, it.points, v, score, raw is None, bool(by), *texts
            )
        )

    dims: dict[str, float] = {}
    for d in cs.dimensions:
        normal = 0.0
        extra = 0.0
        for i in d.items:
            if i.type == "normal":
                normal += scores[i.code]
            elif i.type in ("bonus", "deduction"):
                extra += scores[i.code]
        if d.weight is not None:
            normal = round_half_away(normal * cs.dimension_factor(d), 2)
        value = normal + extra
        if vetoers("dimension", d.code):
            value = 0.0
        dims[d.code] = round_half_away(value, 2)
    total_raw = 0.0
    for d in cs.dimensions:
        total_raw += dims[d.code]
    total = round_half_away(_clamp(total_raw, cs.min_score, cs.max_score), 2)
    if vetoers("total", None):
        total = 0.0
    reason = None
    reason_en = None
    for e in cs.eligibility:
        if evaluate_float(e.when.node, env) is True:
            reason, reason_en = e.label, e.label_en
            break
    grade = None
    if eligible and cs.grades:
        idx = find_band(cs.grades, total)
        grade = None if idx is None else str(cs.grades[idx].value)
    summary, summary_en = _summary(
        cs, row, dims, total if eligible else None, grade, reason, reason_en, vetoers("total", None)
    )
    return RowExplanation(
        employee=str(row["employee"]),
        name=row.get("name"),
        eligible=eligible,
        excluded_reason=reason,
        items=tuple(items),
        dimensions=dims,
        total=total if eligible else None,
        grade=grade,
        summary=summary,
        summary_en=summary_en,
    )


def _summary(
    cs: CompiledScheme,
    row: Mapping[str, Any],
    dims: Mapping[str, float],
    total: float | None,
    grade: str | None,
    reason: str | None,
    reason_en: str | None,
    vetoed_by: Sequence[CItem] = (),
) -> tuple[str, str]:
    who = f"{row['employee']}" + (f" {row['name']}" if row.get("name") else "")
    if total is None:
        return f"{who}：不参与考核（{reason}）", f"{who}: not appraised ({reason_en})"

    def weight(d: Any) -> str:
        return "" if d.weight is None else f"（权重 {fmt_num(cs.weight_fraction(d) * 100)}%）"

    def weight_en(d: Any) -> str:
        return "" if d.weight is None else f" (weight {fmt_num(cs.weight_fraction(d) * 100)}%)"

    zh_parts = " + ".join(f"{d.name}{weight(d)} {fmt_num(dims[d.code])}" for d in cs.dimensions)
    en_parts = " + ".join(
        f"{d.name_en}{weight_en(d)} {fmt_num(dims[d.code])}" for d in cs.dimensions
    )
    g_zh = f"，等级 {grade}" if grade else ""
    g_en = f", grade {cs.grade_en.get(grade, grade)}" if grade else ""
    capped = ""
    capped_en = ""
    raw_sum = sum(dims[d.code] for d in cs.dimensions)
    if vetoed_by:
        names = "、".join(f"“{v.name}”" for v in vetoed_by)
        names_en = ", ".join(f"“{v.name_en}”" for v in vetoed_by)
        capped, capped_en = f"；否决项{names}触发，总分计 0", f"; veto {names_en} applies: total 0"
    elif raw_sum > cs.max_score:
        capped = f"（合计 {fmt_num(raw_sum)}，封顶 {fmt_num(cs.max_score)}）"
        capped_en = f" (sum {fmt_num(raw_sum)}, capped at {fmt_num(cs.max_score)})"
    elif raw_sum < cs.min_score:
        capped = f"（合计 {fmt_num(raw_sum)}，最低 {fmt_num(cs.min_score)}）"
        capped_en = f" (sum {fmt_num(raw_sum)}, floor {fmt_num(cs.min_score)})"
    return (
        f"{who}：总分 = {zh_parts}{capped} = {fmt_num(total)}{g_zh}",
        f"{who}: total = {en_parts}{capped_en} = {fmt_num(total)}{g_en}",
    )


def _inputs_text(cs: CompiledScheme, it: CItem, env: Mapping[str, float | None], lang: str) -> str:
    w = WORDS[lang]
    if not it.inputs or it.value is None:
        return ""
    shown = w["sep"].join(
        f"{input_label(cs, name, lang)} = {unit_text(env.get(name), cs.units.get(name, 'number'), lang=lang)}"
        for name in it.inputs
    )
    return w["open"] + it.value.text + w["semi"] + shown + w["close"]


def _item_text(
    cs: CompiledScheme,
    it: CItem,
    v: float | None,
    parts: Mapping[str, Any],
    score: float,
    env: Mapping[str, float | None],
    vetoed_by: list[CItem],
    lang: str,
) -> str:
    assert it.rule is not None
    w = WORDS[lang]
    name = item_name(it, lang)
    before, after = score_suffix(it, lang)
    tail = before + fmt_num(abs(score) if it.type == "deduction" else score) + after
    detail = row_detail(it.rule, parts, lang)
    if parts["raw"] is not None:
        value = ""
        if it.rule.uses_value:
            value = " " + unit_text(v, it.unit, lang=lang) + _inputs_text(cs, it, env, lang)
        text = name + value + detail + tail
    elif isinstance(it.rule, RatingKind):
        text = name + detail + ("（评分不全）" if lang == "zh" else " (ratings incomplete)") + tail
    elif (
        isinstance(it.rule, RankKind)
        and it.value is not None
        and operand_row(it.value, env) is not None
    ):
        eligible = not any(evaluate_float(e.when.node, env) is True for e in cs.eligibility)
        text = name + (NO_GROUP[lang] if eligible else UNRANKED[lang]) + tail
    else:
        nulls = "、".join(input_label(cs, n, lang) for n in rule_inputs(it) if env.get(n) is None)
        if nulls:
            text = name + w["missing"] + nulls + w["missing_end"] + tail
        else:
            text = name + w["nodiv"] + tail
    for v_item in vetoed_by:
        text += w["vetoed"].format(name=item_name(v_item, lang))
    return text


def _veto_text(cs: CompiledScheme, it: CItem, env: Mapping[str, float | None], lang: str) -> str:
    assert it.veto_when is not None
    w = WORDS[lang]
    names = sorted(F.variables(it.veto_when.node))
    text = item_name(it, lang) + w["colon"] + it.veto_when.text
    if names:
        text += (
            VETO_OPEN[lang]
            + w["sep"].join(
                f"{input_label(cs, n, lang)} = {unit_text(env.get(n), cs.units.get(n, 'number'), lang=lang)}"
                for n in names
            )
            + w["close"]
        )
    if _veto_hit(it, env):
        return text + w["veto_hit"].format(scope=scope_text(cs, it, lang))
    return text + w["veto_miss"]


def oracle_explain(result: ScoreResult, employee: str) -> RowExplanation:
    """The oracle's explanation of ``employee`` in a scored population (rank items rank the
    row among its peers, found row by row too)."""
    frame = result.frame
    rows = frame.filter(pl.col("employee") == str(employee)).to_dicts()
    if not rows:
        raise KeyError(employee)
    row = rows[0]
    everyone = frame.to_dicts()

    def envs(r: Mapping[str, Any]) -> dict[str, float | None]:
        return {k: v for k, v in r.items() if isinstance(v, int | float) or v is None}

    def eligible(r: Mapping[str, Any]) -> bool:
        return not any(
            evaluate_float(e.when.node, envs(r)) is True for e in result.scheme.eligibility
        )

    group_present = any(r.get("group") is not None for r in everyone)
    groups: dict[str, list[float | None]] = {}
    ungrouped: set[str] = set()
    for it in result.scheme.items:
        if not isinstance(it.rule, RankKind) or it.value is None:
            continue
        peers = [r for r in everyone if eligible(r)]
        gcol = it.rule.group_by
        if gcol is not None and (gcol != "group" or group_present):
            if row.get(gcol) is None:
                ungrouped.add(it.code)
                continue
            peers = [r for r in peers if r.get(gcol) == row[gcol]]
        groups[it.code] = [operand_row(it.value, envs(r)) for r in peers]
    return explain_row(result.scheme, row, group_values=groups, ungrouped=frozenset(ungrouped))
