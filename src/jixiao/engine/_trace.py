"""Traces: one readable sentence per item and employee, in Chinese and English.

Format (see docs/trace-format.md)::

    <name> <value>[（= <formula>；<input> = <x>，…）]<rule detail> → <score> / <points> 分

e.g. ``咨询转化率 62%（= paid_buyers / inquiries；inquiries = 50，paid_buyers = 31），落在 [50%, 70%) 档 → 3 / 5 分``.
Missing data reads ``<name>：缺少数据（inquiries 缺失）→ 0 / 5 分``.

Built column-wise here (fast enough for millions of items) and row-wise in :mod:`._explain`;
the tests require both to print the same text.
"""

from __future__ import annotations

import polars as pl

from jixiao import formula as F
from jixiao.engine import _rules as R
from jixiao.engine._compile import CItem, CompiledScheme
from jixiao.engine._numfmt import fmt_expr, fmt_num, unit_expr
from jixiao.engine._prepare import rating_column
from jixiao.engine._score import ITEM, eligible_expr, item_parts, part_column, value_stage

__all__ = ["WORDS", "score_suffix", "trace_frame"]

VETO_OPEN = {"zh": "（", "en": " ("}

WORDS = {
    "zh": {
        "missing": "：缺少数据（",
        "missing_end": " 缺失）",
        "nodiv": "：无法计算（除数或目标为 0）",
        "ratings": "（评分不全）",
        "unranked": "：本期不参与考核，不参加排名",
        "nogroup": "：没有分组，无法组内排名",
        "vetoed": "；被否决项“{name}”否决 → 0 分",
        "veto_hit": " → 触发否决，{scope}计 0 分",
        "veto_miss": " → 未触发",
        "sep": "，",
        "semi": "；",
        "open": "（= ",
        "close": "）",
        "colon": "：",
        "total": "总分",
        "scope_total": "总分",
        "scope_dimension": "维度“{name}”",
        "scope_item": "考核项“{name}”",
    },
    "en": {
        "missing": ": missing data (",
        "missing_end": " missing)",
        "nodiv": ": cannot be computed (division by zero or a zero target)",
        "ratings": " (ratings incomplete)",
        "unranked": ": not appraised this period, so not ranked",
        "nogroup": ": no group, so no rank within a group",
        "vetoed": "; vetoed by “{name}” → 0",
        "veto_hit": " → veto applies: {scope} scores 0",
        "veto_miss": " → not triggered",
        "sep": ", ",
        "semi": "; ",
        "open": " (= ",
        "close": ")",
        "colon": ": ",
        "total": "total",
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


def points_text(item: CItem) -> str:
    return fmt_num(item.points)


def score_suffix(item: CItem, lang: str) -> tuple[str, str]:
    """Text around the score number: (before, after)."""
    p = points_text(item)
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
    for attr in ("target", "x0", "x1", "score"):
        op = getattr(item.rule, attr, None)
        if isinstance(op, R.Operand):
            names |= F.variables(op.node)
    return sorted(names)


def _inputs_expr(cs: CompiledScheme, item: CItem, lang: str) -> list[pl.Expr]:
    w = WORDS[lang]
    if not item.inputs or item.value is None:
        return []
    pieces: list[pl.Expr] = [pl.lit(w["open"] + item.value.text + w["semi"])]
    for k, name in enumerate(item.inputs):
        if k:
            pieces.append(pl.lit(w["sep"]))
        pieces.append(pl.lit(f"{input_label(cs, name, lang)} = "))
        pieces.append(
            unit_expr(pl.col(name).cast(pl.Float64), cs.units.get(name, "number"), lang=lang)
        )
    pieces.append(pl.lit(w["close"]))
    return pieces


def _veto_trace(cs: CompiledScheme, item: CItem, lang: str) -> pl.Expr:
    w = WORDS[lang]
    assert item.veto_when is not None
    names = sorted(F.variables(item.veto_when.node))
    shown = [pl.lit(w["colon"] + item.veto_when.text)]
    if names:
        shown.append(pl.lit(VETO_OPEN[lang]))
        for k, name in enumerate(names):
            if k:
                shown.append(pl.lit(w["sep"]))
            shown.append(pl.lit(f"{input_label(cs, name, lang)} = "))
            shown.append(
                unit_expr(pl.col(name).cast(pl.Float64), cs.units.get(name, "number"), lang=lang)
            )
        shown.append(pl.lit(w["close"]))
    hit = item.veto_when.expr().fill_null(False)
    verdict = (
        pl.when(hit)
        .then(pl.lit(w["veto_hit"].format(scope=scope_text(cs, item, lang))))
        .otherwise(pl.lit(w["veto_miss"]))
    )
    return pl.concat_str([pl.lit(item_name(item, lang)), *shown, verdict])


def item_trace_expr(cs: CompiledScheme, item: CItem, lang: str, group_present: bool) -> pl.Expr:
    if item.type == "veto":
        return _veto_trace(cs, item, lang)
    assert item.rule is not None
    w = WORDS[lang]
    parts = {key: pl.col(part_column(item, key)) for key in part_keys(cs, item, group_present)}
    name = pl.lit(item_name(item, lang))
    before, after = score_suffix(item, lang)
    final = pl.col(ITEM + item.code)
    shown_score = final.abs() if item.type == "deduction" else final
    tail = pl.concat_str([pl.lit(before), fmt_expr(shown_score), pl.lit(after)])
    value_part: list[pl.Expr] = []
    if item.rule.uses_value():
        value_part = [
            pl.lit(" "),
            unit_expr(parts["value"], item.unit, lang=lang),
            *_inputs_expr(cs, item, lang),
        ]
    detail = item.rule.vector_detail(parts, lang)
    ok = pl.concat_str([name, *value_part, detail, tail])
    if isinstance(item.rule, R.RatingRule):
        bad = pl.concat_str([name, detail, pl.lit(w["ratings"]), tail])
    else:
        names = rule_inputs(item)
        nulls = (
            pl.concat_str(
                [
                    pl.when(pl.col(n).is_null()).then(pl.lit(input_label(cs, n, lang)))
                    for n in names
                ],
                separator="、",
                ignore_nulls=True,
            )
            if names
            else pl.lit("")
        )
        bad = (
            pl.when(nulls == "")
            .then(pl.concat_str([name, pl.lit(w["nodiv"]), tail]))
            .otherwise(
                pl.concat_str([name, pl.lit(w["missing"]), nulls, pl.lit(w["missing_end"]), tail])
            )
        )
    if isinstance(item.rule, R.RankRule) and item.value is not None:
        unranked = pl.concat_str([name, pl.lit(w["unranked"]), tail])
        nogroup = pl.concat_str([name, pl.lit(w["nogroup"]), tail])
        bad = (
            pl.when(pl.col(part_column(item, "plain_value")).is_null())
            .then(bad)
            .when(pl.col("__eligible"))
            .then(nogroup)
            .otherwise(unranked)
        )
    text = pl.when(parts["raw"].is_null()).then(bad).otherwise(ok)
    vetoers = [v for v in cs.items if v.type == "veto" and v.veto_scope == ("item", item.code)]
    for v in vetoers:
        assert v.veto_when is not None
        note = pl.lit(w["vetoed"].format(name=item_name(v, lang)))
        text = (
            pl.when(v.veto_when.expr().fill_null(False))
            .then(pl.concat_str([text, note]))
            .otherwise(text)
        )
    return text


def trace_frame(
    cs: CompiledScheme, frame: pl.DataFrame, table: pl.DataFrame, lang: str = "zh"
) -> pl.DataFrame:
    """employee + one text column per item code (veto items included)."""
    group_present = frame.get_column("group").null_count() < frame.height
    scores = table.select(["employee", *[c for c in table.columns if c.startswith(ITEM)]])
    # Staged like scoring: values, then every rule's parts as columns, then the sentences
    # built from column references only (small expressions, see _score.item_parts).
    lf = (
        frame.hstack(scores.drop("employee"))
        .lazy()
        .with_columns(value_stage(cs, group_present))
        .with_columns(eligible_expr(cs).alias("__eligible"))
    )
    parts = []
    for it in cs.items:
        if it.type == "veto" or it.rule is None:
            continue
        for key, expr in item_parts(cs, it, group_present).items():
            parts.append(expr.alias(part_column(it, key)))
        if isinstance(it.rule, R.RankRule) and it.value is not None:
            parts.append(it.value.expr().alias(part_column(it, "plain_value")))
    lf = lf.with_columns(parts)
    exprs = [item_trace_expr(cs, it, lang, group_present).alias(it.code) for it in cs.items]
    return lf.select([pl.col("employee"), *exprs]).collect()


def part_keys(cs: CompiledScheme, item: CItem, group_present: bool) -> list[str]:
    return list(item_parts(cs, item, group_present))


def rating_inputs(item: CItem) -> list[str]:
    if not isinstance(item.rule, R.RatingRule):
        return []
    return [rating_column(item.code, role) for role, _ in item.rule.raters]
