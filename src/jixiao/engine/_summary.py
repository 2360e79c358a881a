"""One employee explained: the summary line and every item's trace, read from the columns of
the scoring pass (nothing is computed again; see :mod:`._score` and :mod:`._trace`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from jixiao.engine._compile import CDimension, CompiledScheme
from jixiao.engine._numfmt import fmt_num
from jixiao.engine._score import DIM, ITEM, SUM, VETO, Evaluation, part_column, vetoers
from jixiao.engine._trace import trace_frame

__all__ = ["ItemExplanation", "RowExplanation", "explain"]


@dataclass(frozen=True)
class ItemExplanation:
    code: str
    name: str
    type: str
    points: float
    value: float | None
    score: float
    missing: bool
    vetoed: bool
    text: str
    text_en: str


@dataclass(frozen=True)
class RowExplanation:
    employee: str
    name: str | None
    eligible: bool
    excluded_reason: str | None
    items: tuple[ItemExplanation, ...]
    dimensions: dict[str, float]
    total: float | None
    grade: str | None
    summary: str
    summary_en: str

    def text(self, lang: str = "zh") -> str:
        lines = [self.summary if lang == "zh" else self.summary_en]
        for it in self.items:
            lines.append("  - " + (it.text if lang == "zh" else it.text_en))
        return "\n".join(lines)


def explain(
    cs: CompiledScheme,
    frame: pl.DataFrame,
    ev: Evaluation,
    employee: str,
    exprs: Callable[[str], list[pl.Expr]] | None = None,
) -> RowExplanation:
    """The explanation of ``employee``; ``KeyError`` if there is no such row. ``exprs(lang)``
    gives the trace expressions when the caller keeps them."""
    hits = ev.table.get_column("employee").eq(str(employee)).arg_true()
    if len(hits) == 0:
        raise KeyError(f"没有员工 “{employee}”")
    k = int(hits[0])
    one = Evaluation(ev.table.slice(k, 1), ev.parts.slice(k, 1), ev.keys)
    zh, en = (
        trace_frame(cs, frame.slice(k, 1), one, lang, exprs and exprs(lang)).row(0, named=True)
        for lang in ("zh", "en")
    )
    row = one.table.row(0, named=True)
    part = one.parts.row(0, named=True)
    items = []
    for it in cs.items:
        if it.type == "veto":
            hit = bool(row[VETO + it.code]) if it.veto_when is not None else False
            items.append(
                ItemExplanation(
                    it.code, it.name, "veto", 0.0, None, 0.0, False, hit, zh[it.code], en[it.code]
                )
            )
            continue
        by = [v for v in vetoers(cs, "item", it.code) if row[VETO + v.code]]
        items.append(
            ItemExplanation(
                it.code,
                it.name,
                it.type,
                it.points,
                part[part_column(it, "value")],
                row[ITEM + it.code],
                part[part_column(it, "raw")] is None,
                bool(by),
                zh[it.code],
                en[it.code],
            )
        )
    dims = {d.code: row[DIM + d.code] for d in cs.dimensions}
    eligible = bool(row["eligible"])
    reason = row["excluded_reason"]
    reason_en = next((e.label_en for e in cs.eligibility if e.label == reason), reason)
    total_vetoes = [v for v in vetoers(cs, "total", None) if row[VETO + v.code]]
    summary, summary_en = _summary(cs, row, part[SUM], reason_en, total_vetoes)
    return RowExplanation(
        employee=str(row["employee"]),
        name=row["name"],
        eligible=eligible,
        excluded_reason=reason,
        items=tuple(items),
        dimensions=dims,
        total=row["total"],
        grade=row["grade"],
        summary=summary,
        summary_en=summary_en,
    )


def _weight(cs: CompiledScheme, d: CDimension, lang: str) -> str:
    if d.weight is None:
        return ""
    w = fmt_num(cs.weight_fraction(d) * 100)
    return f"（权重 {w}%）" if lang == "zh" else f" (weight {w}%)"


def _summary(
    cs: CompiledScheme,
    row: Mapping[str, Any],
    raw_sum: float,
    reason_en: str | None,
    vetoed_by: Sequence[Any],
) -> tuple[str, str]:
    who = f"{row['employee']}" + (f" {row['name']}" if row.get("name") else "")
    total, grade = row["total"], row["grade"]
    if total is None:
        return (
            f"{who}：不参与考核（{row['excluded_reason']}）",
            f"{who}: not appraised ({reason_en})",
        )
    dims = {d.code: fmt_num(row[DIM + d.code]) for d in cs.dimensions}
    zh_parts = " + ".join(f"{d.name}{_weight(cs, d, 'zh')} {dims[d.code]}" for d in cs.dimensions)
    en_parts = " + ".join(
        f"{d.name_en}{_weight(cs, d, 'en')} {dims[d.code]}" for d in cs.dimensions
    )
    g_zh = f"，等级 {grade}" if grade else ""
    g_en = f", grade {cs.grade_en.get(grade, grade)}" if grade else ""
    capped = capped_en = ""
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
