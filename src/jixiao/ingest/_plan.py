"""Plan an import: read, recognise, convert, map people, aggregate — and change nothing.

``plan_import`` returns a frozen :class:`ImportPreview` with everything a person should see
before committing (rows read, rows rejected with reasons, per-column totals, people matched and
unmatched, the file's sha256). Committing is the caller's step: the CLI writes the output file
(:func:`jixiao.ingest.write_output`), the web app stores ``preview.table`` in its own
transaction, replacing earlier rows with the same ``sha256`` in the same cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl

from jixiao.files import ROW, Limits, header_unit, open_source, read_table
from jixiao.ingest._combine import (
    EMP,
    NAME,
    PERIOD,
    aggregate,
    bare,
    column_total,
    map_people,
    warnings_for,
)
from jixiao.ingest._errors import CellIssue, IngestError
from jixiao.ingest._mapping import AccountMap
from jixiao.ingest._preview import ColumnSummary, ImportPreview, PersonRow
from jixiao.ingest._profiles import (
    ColumnSpec,
    Match,
    Profile,
    detect_profile,
    load_profiles,
    match_profile,
)
from jixiao.ingest._values import BLANK_TOKENS, DECIMAL, KIND_NAMES, Kind, bad_cells, convert_expr

__all__ = ["ColumnSummary", "ImportPreview", "PersonRow", "plan_import"]


def _avoid_collisions(frame: pl.DataFrame, match: Match) -> tuple[pl.DataFrame, Match]:
    """A raw column named like an indicator code (an English export with a `uv` column)
    would be overwritten by the converted value; give it a distinct name first."""
    taken = {c.code for c in match.profile.columns} | {PERIOD, EMP, NAME}
    clash = {h: f"{h} (原始)" for h in frame.columns if h in taken}
    if not clash:
        return frame, match

    def r(h: str | None) -> str | None:
        return clash.get(h, h) if h is not None else None

    renamed = replace(
        match,
        person_column=r(match.person_column),
        shop_column=r(match.shop_column),
        name_column=r(match.name_column),
        date_column=r(match.date_column),
        columns=tuple((s, clash.get(h, h)) for s, h in match.columns),
    )
    return frame.rename(clash), renamed


def _fast_expr(frame: pl.DataFrame, header: str, spec: ColumnSpec) -> pl.Expr | None:
    """A plain cast for a column whose every non-blank cell is a plain number (or plain
    number plus %) — what XLSX numeric cells look like. Equivalent to ``convert_expr`` on such
    columns, several times cheaper; any other column returns None and takes the full path."""
    if spec.kind not in ("count", "number", "money", "percent", "duration"):
        return None
    text = pl.col(header).str.strip_chars()
    text = pl.when(text.is_in(list(BLANK_TOKENS))).then(None).otherwise(text)
    body = text.str.strip_suffix("%") if spec.kind == "percent" else text
    pattern = r"^-?[0-9]+$" if spec.kind == "count" else r"^-?[0-9]+(?:\.[0-9]+)?$"
    target = pl.Int64 if spec.kind == "count" else DECIMAL
    if not frame.select((body.str.contains(pattern) | text.is_null()).all()).item():
        return None
    value = body.cast(target, strict=False)
    if spec.kind == "percent":
        value = (
            pl.when(text.str.ends_with("%") | (spec.percent_bare == "points"))
            .then(value / 100)
            .otherwise(value)
        )
    if spec.kind == "duration":
        value = pl.when(value >= 0).then(value)
    return value


def _unit_factor(spec: ColumnSpec, header: str) -> int:
    """Bare numbers under ``时长(分钟)`` are minutes, under ``销售额(万元)`` ten-thousands."""
    unit = (header_unit(header) or "").lower()
    if spec.kind == "duration":
        return {"分钟": 60, "分": 60, "min": 60, "小时": 3600, "时": 3600, "h": 3600}.get(unit, 1)
    if spec.kind in ("money", "number", "count") and unit in ("万", "万元"):
        return 10000
    return 1


def _resolve_profile(
    profile: Profile | str | Path | None, profiles: Sequence[Profile] | None
) -> tuple[Profile | None, Sequence[Profile]]:
    pool = tuple(profiles) if profiles is not None else load_profiles()
    if profile is None:
        return None, pool
    if isinstance(profile, Profile):
        return profile, pool
    text = str(profile)
    for p in pool:
        if p.code == text:
            return p, pool
    if text.endswith((".yaml", ".yml")) or Path(text).is_file():
        from jixiao.ingest._profiles import load_profile

        return load_profile(text), pool
    codes = "、".join(p.code for p in pool)
    raise IngestError(f"没有名为“{text}”的导入方案；可用：{codes}（或给出方案 YAML 文件路径）")


def plan_import(
    source: str | Path | bytes,
    *,
    profile: Profile | str | Path | None = None,
    mapping: AccountMap | None = None,
    profiles: Sequence[Profile] | None = None,
    sheet: str | int | None = None,
    period: str | None = None,
    name: str | None = None,
    limits: Limits | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportPreview:
    """Read and check one export file; nothing is written. Raises a ``UserError`` for a file
    that cannot be imported at all: ``FileError`` (missing, unreadable, too big) or
    ``IngestError`` (no matching profile, bad options)."""
    say = progress or (lambda _msg: None)
    if period is not None:
        _check_period(period)
    chosen, pool = _resolve_profile(profile, profiles)
    src = open_source(source, name=name, limits=limits)
    known = chosen.all_aliases() if chosen else frozenset().union(*(p.all_aliases() for p in pool))
    say("读取文件")
    raw = read_table(src, sheet=sheet, known_headers=known, limits=limits)
    if chosen is None:
        match = detect_profile(raw.header, pool, file=src.name)
    else:
        match = match_profile(chosen, raw.header)
        if not match.usable:
            detect_profile(raw.header, [chosen], file=src.name)  # raises with the reasons
    say("转换数值")
    return _build(
        src.name,
        src.sha256,
        raw.sheet,
        raw.encoding,
        raw.header_row,
        raw.frame,
        match,
        mapping,
        period,
        say,
    )


def _check_period(period: str) -> None:
    import re

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise IngestError(f"考核期“{period}”格式不对；请写成 YYYY-MM，例如 2026-10")


def _issue(
    file: str, sheet: str | None, row: int | None, col: str | None, raw: str | None, why: str
) -> CellIssue:
    return CellIssue(file, sheet, row, col, raw, why)


def _build(
    file: str,
    sha: str,
    sheet: str | None,
    encoding: str | None,
    header_row: int,
    frame: pl.DataFrame,
    match: Match,
    mapping: AccountMap | None,
    period: str | None,
    say: Callable[[str], None],
) -> ImportPreview:
    prof = match.profile
    frame, match = _avoid_collisions(frame, match)
    ident = match.person_column or match.name_column
    assert ident is not None  # guaranteed by Match.usable
    by_name = match.person_column is None or prof.person.by == "name"
    rejected: list[CellIssue] = []
    skipped: list[CellIssue] = []
    rows_read = frame.height

    # Total rows (合计) would double-count; they are skipped and shown.
    labels = [s.lower() for s in prof.skip_labels]
    id_text = pl.col(ident).str.strip_chars()
    label_cols = dict.fromkeys([ident, match.shop_column, match.name_column, frame.columns[0]])
    is_total = pl.any_horizontal(
        [
            pl.col(c).str.to_lowercase().str.replace_all(r"\s", "").is_in(labels).fill_null(False)
            for c in label_cols
            if c is not None and c != ROW
        ]
    )
    label_list = [c for c in label_cols if c is not None and c != ROW]
    for r, t in frame.filter(is_total).select(ROW, pl.coalesce(label_list)).iter_rows():
        skipped.append(_issue(file, sheet, r, None, t, "合计 / 汇总行，已跳过（避免重复计算）"))
    frame = frame.filter(~is_total)
    for (r,) in frame.filter(id_text.is_null() | (id_text == "")).select(ROW).iter_rows():
        rejected.append(
            _issue(file, sheet, r, ident, None, "人员列为空，无法确定是谁的数据；请补上后重新导入")
        )
    frame = frame.filter(id_text.is_not_null() & (id_text != ""))

    # Convert every mapped column; an unreadable cell rejects its row, never becomes 0.
    exprs, checks = [], []
    for spec, header in match.columns:
        value = _fast_expr(frame, header, spec)
        if value is None:
            value = convert_expr(pl.col(header), spec.kind, percent_bare=spec.percent_bare)
        factor = _unit_factor(spec, header)
        if factor != 1:
            value = pl.when(bare(header)).then(value * factor).otherwise(value)
        exprs.append(value.alias(spec.code))
        # Flags read the materialised value: each conversion runs once.
        checks.append(bad_cells(pl.col(header), pl.col(spec.code)).alias(f"__bad__{spec.code}"))
    if match.date_column:
        d = match.date_column
        day = convert_expr(pl.col(d), "date").dt.strftime("%Y-%m")
        month = (
            pl.col(d).str.strip_chars().str.extract_groups(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
        )
        ym = pl.concat_str(
            [month.struct.field("1"), month.struct.field("2").str.zfill(2)], separator="-"
        )
        per = pl.coalesce(
            day,
            pl.when(month.struct.field("2").cast(pl.Int32, strict=False).is_between(1, 12)).then(
                ym
            ),
        )
        exprs.append(per.alias(PERIOD))
        checks.append(
            (pl.col(d).is_not_null() & pl.col(PERIOD).is_null()).alias("__bad____period__")
        )
    conv = frame.with_columns(exprs).with_columns(checks)
    bad_cols = [c for c in conv.columns if c.startswith("__bad__")]
    headers = {spec.code: h for spec, h in match.columns}
    if match.date_column:
        headers[PERIOD] = match.date_column
    if bad_cols:
        any_bad = pl.any_horizontal(bad_cols)
        for rec in conv.filter(any_bad).iter_rows(named=True):
            for bc in bad_cols:
                if rec[bc]:
                    code = bc.removeprefix("__bad__")
                    spec_kind: Kind = next(
                        (s.kind for s, _ in match.columns if s.code == code), "date"
                    )
                    h = headers[code]
                    rejected.append(
                        _issue(
                            file,
                            sheet,
                            rec[ROW],
                            h,
                            rec[h],
                            f"无法识别为{KIND_NAMES[spec_kind]}；请改正后重新导入（整行未导入）",
                        )
                    )
        conv = conv.filter(~any_bad)
    if PERIOD not in conv.columns:
        conv = conv.with_columns(pl.lit(period, dtype=pl.String).alias(PERIOD))
    elif period is not None:
        for r, p in conv.filter(pl.col(PERIOD) != period).select(ROW, PERIOD).iter_rows():
            skipped.append(
                _issue(file, sheet, r, match.date_column, p, f"不在考核期 {period} 内，已跳过")
            )
        conv = conv.filter(pl.col(PERIOD) == period)

    say("对应人员")
    conv, matched, unmatched = map_people(conv, match, mapping, by_name, ident)
    used = conv.filter(pl.col(EMP).is_not_null())
    say("汇总")
    table = aggregate(used, match, file)
    columns = tuple(
        ColumnSummary(
            spec.code,
            h,
            spec.kind,
            spec.aggregation if not spec.weight else f"按 {spec.weight} 加权平均",
            int(used.get_column(spec.code).is_not_null().sum()),
            column_total(used, spec),
        )
        for spec, h in match.columns
    )
    warnings = warnings_for(used, match)
    periods = tuple(sorted({p for p in used.get_column(PERIOD).to_list() if p is not None}))
    return ImportPreview(
        file=file,
        sha256=sha,
        profile=prof.code,
        profile_name=prof.name,
        sheet=sheet,
        encoding=encoding,
        header_row=header_row,
        rows_read=rows_read,
        rows_used=used.height,
        rejected=tuple(rejected),
        skipped=tuple(skipped),
        columns=columns,
        matched=matched,
        unmatched=unmatched,
        unmapped_headers=match.unmatched_headers,
        periods=periods,
        warnings=warnings,
        table=table,
    )
