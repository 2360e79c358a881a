"""Traces: one readable sentence per item and employee, in Chinese and English.

Format (see docs/trace-format.md)::

    <name> <value>[（= <formula>；<input> = <x>，…）]<rule detail> → <score> / <points> 分

e.g. ``咨询转化率 62%（= paid_buyers / inquiries；inquiries = 50，paid_buyers = 31），落在 [50%, 70%) 档 → 3 / 5 分``.
Missing data reads ``<name>：缺少数据（inquiries 缺失）→ 0 / 5 分``.

Built column-wise from the columns the scoring pass kept (:mod:`._score`): the rule's
intermediate numbers, the item scores and veto flags. Nothing is computed again here; each
kind words its own detail (``Kind.detail``).
"""

from __future__ import annotations

import polars as pl

from jixiao import formula as F
from jixiao.engine._compile import CItem, CompiledScheme
from jixiao.engine._numfmt import fmt_expr, fmt_num, unit_expr
from jixiao.engine._score import ITEM, VETO, Evaluation, part_column, scored_items, vetoers

__all__ = [
    "WORDS",
    "input_label",
    "item_name",
    "rule_inputs",
    "score_suffix",
    "trace_exprs",
    "trace_frame",
]

VETO_OPEN = {"zh": "（", "en": " ("}

WORDS = {
    "zh": {
        "missing": "：缺少数据（",
        "missing_end": " 缺失）",
        "nodiv": "：无法计算（除数或目标为 0）",
        "vetoed": "；被否决项“{name}”否决 → 0 分",
        "veto_hit": " → 触发否决，{scope}计 0 分",
        "veto_miss": " → 未触发",
        "sep": "，",
        "semi": "；",
        "open": "（= ",
        "close": "）",
        "colon": "：",
        "scope_total": "总分",
        "scope_dimension": "维度“{name}”",
        "scope_item": "考核项“{name}”",
    },
    "en": {
        "missing": ": missing data (",
        "missing_end": " missing)",
        "nodiv": ": cannot be computed (division by zero or a zero target)",
        "vetoed": "; vetoed by “{name}” → 0",
        "veto_hit": " → veto applies: {scope} scores 0",
        "veto_miss": " → not triggered",
        "sep": ", ",
        "semi": "; ",
        "open": " (= ",
        "close": ")",
        "colon": ": ",
        "scope_total": "the total",
        "scope_dimension": "dimension “{name}”",
        "scope_item": "item “{name}”",
    },
}


def input_label(cs: CompiledScheme, name: str, lang: str) -> str:
    """An input as a person knows it: its declared Chinese (or English) name, else its code."""
    spec = cs.scheme.metrics.get(name) or cs.scheme.targets.get(name)
    if spec is None:
        return name
    return (spec.name or name) if lang == "zh" else (spec.name_en or name)


def item_name(item: CItem, lang: str) -> str:
    return item.name if lang == "zh" else item.name_en


def score_suffix(item: CItem, lang: str) -> tuple[str, str]:
    """Text around the score number: (before, after)."""
    p = fmt_num(item.points)
    if item.type == "bonus":
        return (
            (" → 加 ", f" 分（上限 {p} 分）") if lang == "zh" else (" → plus ", f" (at most {p})")
        )
    if item.type == "deduction":
        return (
            (" → 扣 ", f" 分（上限 {p} 分）") if lang == "zh" else (" → minus ", f" (at most {p})")
        )
    return (" → ", f" / {p} 分") if lang == "zh" else (" → ", f" / {p} pts")


def scope_text(cs: CompiledScheme, item: CItem, lang: str) -> str:
    kind, code = item.veto_scope
    w = WORDS[lang]
    if kind == "dimension":
        d = next(d for d in cs.dimensions if d.code == code)
        return w["scope_dimension"].format(name=d.name if lang == "zh" else d.name_en)
    if kind == "item":
        target = next(i for i in cs.items if i.code == code)
        return w["scope_item"].format(name=item_name(target, lang))
    return w["scope_total"]


def rule_inputs(item: CItem) -> list[str]:
    """Every input an item reads (value, target, band edges), for 'missing' messages."""
    names: set[str] = set()
    if item.value is not None:
        names |= F.variables(item.value.node)
    for op in () if item.rule is None else item.rule.operands():
        names |= F.variables(op.node)
    return sorted(names)


def _shown_inputs(cs: CompiledScheme, names: list[str], lang: str) -> list[pl.Expr]:
    """``<input> = <x>，…`` for the inputs a formula read."""
    w = WORDS[lang]
    pieces: list[pl.Expr] = []
    for k, name in enumerate(names):
        if k:
            pieces.append(pl.lit(w["sep"]))
        pieces.append(pl.lit(f"{input_label(cs, name, lang)} = "))
        pieces.append(
            unit_expr(pl.col(name).cast(pl.Float64), cs.units.get(name, "number"), lang=lang)
        )
    return pieces


def _veto_trace(cs: CompiledScheme, item: CItem, lang: str) -> pl.Expr:
    w = WORDS[lang]
    assert item.veto_when is not None
    names = sorted(F.variables(item.veto_when.node))
    shown = [pl.lit(w["colon"] + item.veto_when.text)]
    if names:
        shown += [pl.lit(VETO_OPEN[lang]), *_shown_inputs(cs, names, lang), pl.lit(w["close"])]
    verdict = (
        pl.when(pl.col(VETO + item.code))
        .then(pl.lit(w["veto_hit"].format(scope=scope_text(cs, item, lang))))
        .otherwise(pl.lit(w["veto_miss"]))
    )
    return pl.concat_str([pl.lit(item_name(item, lang)), *shown, verdict])


def _missing_reason(cs: CompiledScheme, item: CItem, lang: str) -> pl.Expr:
    """Which inputs are missing, or else that something was divided by zero."""
    w = WORDS[lang]
    names = rule_inputs(item)
    if not names:
        return pl.lit(w["nodiv"])
    nulls = pl.concat_str(
        [pl.when(pl.col(n).is_null()).then(pl.lit(input_label(cs, n, lang))) for n in names],
        separator="、",
        ignore_nulls=True,
    )
    missing = pl.concat_str([pl.lit(w["missing"]), nulls, pl.lit(w["missing_end"])])
    return pl.when(nulls == "").then(pl.lit(w["nodiv"])).otherwise(missing)


def item_trace_expr(cs: CompiledScheme, ev: Evaluation, item: CItem, lang: str) -> pl.Expr:
    if item.type == "veto":
        return _veto_trace(cs, item, lang)
    rule = item.rule
    assert rule is not None
    w = WORDS[lang]
    parts = {key: pl.col(part_column(item, key)) for key in ev.keys[item.code]}
    name = pl.lit(item_name(item, lang))
    before, after = score_suffix(item, lang)
    final = pl.col(ITEM + item.code)
    shown_score = final.abs() if item.type == "deduction" else final
    tail = pl.concat_str([pl.lit(before), fmt_expr(shown_score), pl.lit(after)])
    value_part: list[pl.Expr] = []
    if rule.uses_value:
        value_part = [pl.lit(" "), unit_expr(parts["value"], item.unit, lang=lang)]
        if item.inputs and item.value is not None:
            value_part += [
                pl.lit(w["open"] + item.value.text + w["semi"]),
                *_shown_inputs(cs, list(item.inputs), lang),
                pl.lit(w["close"]),
            ]
    detail = rule.detail(parts, lang)
    ok = pl.concat_str([name, *value_part, detail, tail])
    reason = rule.reason(parts, _missing_reason(cs, item, lang), detail, lang)
    bad = pl.concat_str([name, reason, tail])
    text = pl.when(parts["raw"].is_null()).then(bad).otherwise(ok)
    for v in vetoers(cs, "item", item.code):
        note = pl.lit(w["vetoed"].format(name=item_name(v, lang)))
        text = pl.when(pl.col(VETO + v.code)).then(pl.concat_str([text, note])).otherwise(text)
    return text


def trace_exprs(cs: CompiledScheme, ev: Evaluation, lang: str) -> list[pl.Expr]:
    """One sentence expression per item (veto items included), named by item code."""
    return [item_trace_expr(cs, ev, it, lang).alias(it.code) for it in cs.items]


def trace_frame(
    cs: CompiledScheme,
    frame: pl.DataFrame,
    ev: Evaluation,
    lang: str = "zh",
    exprs: list[pl.Expr] | None = None,
) -> pl.DataFrame:
    """employee + one text column per item code (veto items included), from the columns the
    scoring pass kept; ``exprs`` are :func:`trace_exprs`, when the caller keeps them."""
    scores = [ITEM + it.code for it in scored_items(cs)]
    vetoes = [VETO + it.code for it in cs.items if it.type == "veto" and it.veto_when]
    source = pl.concat([frame, ev.parts, ev.table.select(scores + vetoes)], how="horizontal")
    exprs = trace_exprs(cs, ev, lang) if exprs is None else exprs
    return source.lazy().select([pl.col("employee"), *exprs]).collect()
