"""From fired rules and application tables to proposals with traces (``evaluate``), built as
columns: the months, notes and sentences of every person are joined in Polars, not in a loop."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jixiao.history._evaluate import (
    Fired,
    as_of_month,
    fired_rows,
    window_expr,
)
from jixiao.history._history import APPRAISED, STATUS_EN, STATUS_ZH, History
from jixiao.history._period import format_period
from jixiao.history._policy import (
    ApplicationTable,
    Count,
    Current,
    GradeEffect,
    Money,
    Personnel,
    Policy,
    PolicyRule,
    Streak,
    Threshold,
)
from jixiao.history._proposal import PROPOSAL_SCHEMA, Proposal, export_frame
from jixiao.history._text import action_text, condition_text

__all__ = ["Evaluation", "effect_actions", "evaluate"]

_VAR = "\x00"  # where a per-person number goes in a condition's words


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Every proposal of one policy for one month, rules first (in document order), then
    application tables; within each, in employee order. ``table`` has one String column per
    :data:`~jixiao.history.PROPOSAL_SCHEMA` key."""

    policy: str
    period: str
    table: pl.DataFrame

    @property
    def proposals(self) -> tuple[Proposal, ...]:
        return tuple(Proposal.from_row(r) for r in self.table.iter_rows(named=True))

    def export(self, *, lang: str = "zh") -> pl.DataFrame:
        return export_frame(self.table, lang=lang)


def _label(col: str, labels: dict[int, str]) -> pl.Expr:
    return pl.col(col).replace_strict(labels, return_dtype=pl.String)


def _months(fired: Fired, scoped: pl.DataFrame, labels: dict[int, str]) -> pl.DataFrame:
    """Per person fired: the months listed in the trace and the skipped months inside the
    window (``_zh``, ``_en``, ``_note_zh``, ``_note_en``)."""
    people = fired.people.with_columns(window_expr(fired.rule).alias("_n"))
    c = fired.rule.when
    if isinstance(c, Current):  # the month evaluated, nothing skipped inside it
        label = labels[max(labels)]
        return people.with_columns(
            pl.lit(label).alias("_zh"),
            pl.lit(label).alias("_en"),
            pl.lit("").alias("_note_zh"),
            pl.lit("").alias("_note_en"),
        )
    met = f"_pi{fired.index}"
    cols = ["person", "month", "status", *([met] if isinstance(c, Count) else [])]
    sub = (
        fired.counted.select(cols)
        .filter(pl.col("person").is_in(people["person"].implode()))
        .join(people, on="person", how="inner")
        .sort(["person", "month"], descending=[False, True])
    )
    # Latest month first: the position within the person counts back from the month evaluated.
    row = pl.int_range(pl.len(), dtype=pl.Int32)
    new = (pl.col("person") != pl.col("person").shift(1)).fill_null(True).cast(pl.Int32)
    win = sub.filter(row - (row * new).cum_max() < pl.col("_n")).sort("person", "month")
    listed = win.filter(pl.col(met) == 1) if isinstance(c, Count) else win
    months = (
        listed.with_columns(_label("month", labels).alias("_p"))
        .group_by("person", maintain_order=True)
        .agg(pl.col("_p").str.join("、").alias("_zh"), pl.col("_p").str.join(", ").alias("_en"))
    )
    first = win.group_by("person").agg(pl.col("month").min().alias("_first"))
    out = people.join(months, on="person", how="left").join(first, on="person", how="left")
    if not fired.skipped:
        return out.with_columns(pl.lit("").alias("_note_zh"), pl.lit("").alias("_note_en"))
    gaps = (
        scoped.filter(pl.col("status").is_in(fired.skipped))
        .select("person", "month", "status")
        .join(out.select("person", "_first"), on="person", how="inner")
        .filter(pl.col("month") >= pl.col("_first"))
        .sort("person", "month")
        .with_columns(
            pl.concat_str(
                _label("month", labels),
                pl.lit(" "),
                pl.col("status").cast(pl.String).replace_strict(STATUS_ZH),
            ).alias("_gz"),
            pl.concat_str(
                _label("month", labels),
                pl.lit(" "),
                pl.col("status").cast(pl.String).replace_strict(STATUS_EN),
            ).alias("_ge"),
        )
        .group_by("person", maintain_order=True)
        .agg(
            pl.format("（{}，不计入）", pl.col("_gz").str.join("、")).alias("_note_zh"),
            pl.format(" ({}: skipped)", pl.col("_ge").str.join(", ")).alias("_note_en"),
        )
    )
    return out.join(gaps, on="person", how="left").with_columns(
        pl.col("_note_zh").fill_null(""), pl.col("_note_en").fill_null("")
    )


def _condition(rule: PolicyRule) -> tuple[pl.Expr, pl.Expr]:
    """The condition's words per person (the streak length or aggregate filled in)."""
    c = rule.when
    if isinstance(c, Streak | Threshold):
        zh, en = condition_text(c, _VAR)
        if isinstance(c, Streak):
            value = pl.col("_detail").cast(pl.Int64).cast(pl.String)
        else:
            value = pl.col("_detail").round(2).cast(pl.String).str.replace(r"\.0$", "")
        zh_a, zh_b = zh.split(_VAR)
        en_a, en_b = en.split(_VAR)
        return (
            pl.concat_str(pl.lit(zh_a), value, pl.lit(zh_b)),
            pl.concat_str(pl.lit(en_a), value, pl.lit(en_b)),
        )
    zh, en = condition_text(c)
    return pl.lit(zh), pl.lit(en)


def _action_columns(action: Money | Personnel) -> list[pl.Expr]:
    money = isinstance(action, Money)
    amount = action.amount if isinstance(action, Money) else None
    zh, en = action_text(action)
    return [
        pl.lit("money" if money else "personnel").alias("kind"),
        pl.lit(None if amount is None else f"{amount:f}", dtype=pl.String).alias("amount"),
        pl.lit(None if isinstance(action, Money) else action.action, dtype=pl.String).alias(
            "action"
        ),
        pl.lit(None if isinstance(action, Money) else action.value, dtype=pl.String).alias("value"),
        pl.lit(zh).alias("label"),
        pl.lit(en).alias("_a_en"),
    ]


def _rule_table(
    policy: Policy,
    fired: Fired,
    scoped: pl.DataFrame,
    info: pl.DataFrame,
    labels: dict[int, str],
    period: str,
) -> pl.DataFrame:
    months = _months(fired, scoped, labels)
    cond_zh, cond_en = _condition(fired.rule)
    base = months.join(info, on="person", how="left").sort("person")
    parts = []
    for action in fired.rule.then:
        frame = base.with_columns(_action_columns(action)).with_columns(
            pl.concat_str(
                cond_zh,
                pl.lit("："),
                pl.col("_zh"),
                pl.col("_note_zh"),
                pl.lit(" → "),
                pl.col("label"),
            ).alias("trace_zh"),
            pl.concat_str(
                cond_en,
                pl.lit(": "),
                pl.col("_en"),
                pl.col("_note_en"),
                pl.lit(" → "),
                pl.col("_a_en"),
            ).alias("trace_en"),
            pl.col("_zh").alias("periods"),
        )
        parts.append(frame)
    out = pl.concat(parts).sort("person", maintain_order=True) if parts else base
    return _finish(out, policy, fired.rule.code, fired.rule.name, "rule", period)


def _finish(
    frame: pl.DataFrame, policy: Policy, code: str, name: str, source: str, period: str
) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(policy.code).alias("policy"),
        pl.lit(code).alias("rule"),
        pl.lit(name).alias("rule_name"),
        pl.lit(source).alias("source"),
        pl.lit(period).alias("period"),
    ).select([pl.col(k).cast(pl.String) for k in PROPOSAL_SCHEMA])


def effect_actions(effect: GradeEffect) -> list[Personnel]:
    """A results application row as the personnel actions it proposes."""
    out = []
    if effect.training:
        out.append(Personnel(kind="personnel", action="training", value=effect.training))
    if effect.promotion:
        if effect.promotion == "eligible":
            out.append(Personnel(kind="personnel", action="promotion_eligible"))
        else:
            out.append(Personnel(kind="personnel", action="team_leader_candidate"))
    if effect.level_change:
        out.append(
            Personnel(kind="personnel", action="level_change", value=f"{effect.level_change:+d}")
        )
    if effect.pay_adjustment:
        out.append(
            Personnel(kind="personnel", action="pay_adjustment", value=effect.pay_adjustment)
        )
    return out


def _table_rows(
    policy: Policy, table: ApplicationTable, info: pl.DataFrame, period: str
) -> pl.DataFrame:
    rows = info.filter(pl.col("_appraised"))
    if table.scheme is not None:
        rows = rows.filter(pl.col("scheme") == table.scheme)
    parts = []
    for effect in table.grades:
        for action in effect_actions(effect):
            a_zh, a_en = action_text(action)
            frame = (
                rows.filter(pl.col("grade") == effect.grade)
                .with_columns(_action_columns(action))
                .with_columns(
                    pl.lit(f"{period} 考核等级 {effect.grade}（{table.name}）→ {a_zh}").alias(
                        "trace_zh"
                    ),
                    pl.lit(f"grade {effect.grade} in {period} ({table.name}) → {a_en}").alias(
                        "trace_en"
                    ),
                    pl.lit(period).alias("periods"),
                )
            )
            parts.append(frame)
    if not parts:
        return pl.DataFrame(schema=PROPOSAL_SCHEMA)
    out = pl.concat(parts).sort("person", maintain_order=True)
    return _finish(out, policy, table.code, table.name, "application", period)


def evaluate(history: History, policy: Policy, *, as_of: str | None = None) -> Evaluation:
    """Every proposal ``policy`` makes for the month ``as_of`` (default: the history's last).

    Raises :class:`~jixiao.history.PolicyError` for a rule naming an item the history lacks and
    :class:`~jixiao.history.HistoryError` for a month outside the history."""
    month = as_of_month(history, as_of)
    period = format_period(month)
    scoped, fired = fired_rows(history, policy, month)
    labels = {m: format_period(m) for m in range(history.first_month, month + 1)}
    cols = ["person", "employee", "name", "department", "group", "scheme", "grade"]
    info = history.frame.select([*cols, "month"]).filter(pl.col("month") == month).drop("month")
    parts = [_rule_table(policy, f, scoped, info, labels, period) for f in fired if f.people.height]
    if policy.application:
        status = scoped.filter(pl.col("month") == month).select(
            "person", (pl.col("status") == APPRAISED).alias("_appraised")
        )
        with_status = info.join(status, on="person", how="left")
        parts += [_table_rows(policy, t, with_status, period) for t in policy.application]
    table = pl.concat(parts) if parts else pl.DataFrame(schema=PROPOSAL_SCHEMA)
    return Evaluation(policy=policy.code, period=period, table=table)
