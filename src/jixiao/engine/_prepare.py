"""Bring data, targets and ratings into one frame the rules can read.

Columns of the prepared frame: ``employee`` (text), ``name`` and ``group`` (text, possibly
null), one Float64 column per declared metric, target and parameter, and one Float64 column
per (rating item, rater role) named by :func:`rating_column`.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jixiao import formula as F
from jixiao.engine._compile import CompiledScheme
from jixiao.engine._issues import DataError
from jixiao.engine.kinds import Operand, RatingSpec, rating_column
from jixiao.formula import parse_number

__all__ = ["prepare", "rating_column"]

RATING_COLUMNS = ("employee", "item", "rater_role", "score")


def _numeric(df: pl.DataFrame, column: str, *, what: str) -> pl.Series:
    """Cast a column to Float64; a cell that is not a number is an error naming its row."""
    col = df.get_column(column)
    if col.dtype.is_numeric():
        col = col.cast(pl.Float64)
        bad = (~col.is_finite()).fill_null(False).arg_true()
        if len(bad):
            i = int(bad[0])
            raise DataError(
                f"{what} “{column}” 的值 {col[i]} 不是有限的数字；请填写数字或留空",
                row=i + 1,
                column=column,
            )
        return col
    if col.dtype == pl.Null:
        return col.cast(pl.Float64)
    text = col.cast(pl.String).str.strip_chars()
    text = pl.Series(column, text).replace({"": None})
    # Exports write 1,234.5 and 35.2%; anything richer (¥, 秒, --) is the import module's job.
    clean = text.str.replace_all("[,，]", "")
    is_pct = clean.str.ends_with("%")
    num = clean.str.strip_suffix("%").cast(pl.Float64, strict=False)
    pct = F.divide(pl.col("n"), pl.lit(100.0))
    cast = (
        pl.DataFrame({"n": num, "p": is_pct})
        .select(pl.when(pl.col("p")).then(pct).otherwise(pl.col("n")).alias(column))
        .to_series()
    )
    bad = ((cast.is_null() | ~cast.is_finite().fill_null(True)) & text.is_not_null()).arg_true()
    if len(bad):
        i = int(bad[0])
        raise DataError(
            f"{what} “{column}” 的值 “{text[i]}” 不是数字；请填写数字或留空（留空表示缺失）",
            row=i + 1,
            column=column,
        )
    return cast


def prepare(
    cs: CompiledScheme,
    data: pl.DataFrame,
    *,
    targets: pl.DataFrame | None = None,
    ratings: pl.DataFrame | None = None,
) -> pl.DataFrame:
    if "employee" not in data.columns:
        raise DataError("数据缺少 employee（员工编号）列", column="employee")
    df = data.with_columns(pl.col("employee").cast(pl.String).str.strip_chars())
    if df.get_column("employee").null_count():
        i = int(df.get_column("employee").is_null().arg_true()[0])
        raise DataError("员工编号为空", row=i + 1, column="employee")
    dup = df.get_column("employee").is_duplicated()
    if dup.any():
        rows = dup.arg_true().to_list()[:2]
        emp = df.get_column("employee")[rows[0]]
        raise DataError(
            f"员工 “{emp}” 出现了不止一次；每人只能有一行",
            row=rows[1] + 1,
            also_row=rows[0] + 1,
            column="employee",
        )
    if targets is not None and targets.height:
        if "employee" not in targets.columns:
            raise DataError(
                "目标数据缺少 employee（员工编号）列", column="employee", source="targets"
            )
        t = targets.with_columns(pl.col("employee").cast(pl.String).str.strip_chars())
        if t.get_column("employee").is_duplicated().any():
            emp = t.filter(pl.col("employee").is_duplicated()).get_column("employee")[0]
            raise DataError(
                f"目标数据中员工 “{emp}” 出现了不止一次", column="employee", source="targets"
            )
        keep = [c for c in t.columns if c == "employee" or c in cs.scheme.targets]
        for c in keep[1:]:
            try:
                t = t.with_columns(_numeric(t, c, what="目标"))
            except DataError as exc:
                raise DataError(exc.reason, row=exc.row, column=c, source="targets") from None
        # Targets given in their own file win over same-named columns in the data file.
        df = df.drop([c for c in keep if c != "employee" and c in df.columns]).join(
            t.select(keep), on="employee", how="left"
        )
    cols: dict[str, pl.Series] = {"employee": df.get_column("employee")}
    for opt in ("name", "group", *_group_columns(cs)):
        if opt in cols:
            continue
        if opt not in df.columns and opt not in ("name", "group"):
            raise DataError(f"方案按 “{opt}” 列分组排名，但数据中没有这一列", column=opt)
        cols[opt] = (
            df.get_column(opt).cast(pl.String).str.strip_chars().replace("", None)
            if opt in df.columns
            else pl.Series(opt, [None] * df.height, dtype=pl.String)
        )
    used = _used_inputs(cs)
    missing_cols = [
        m
        for m, spec in cs.scheme.metrics.items()
        if m in used and spec.required and m not in df.columns
    ]
    if missing_cols:
        names = "、".join(f"{m}（{cs.scheme.metrics[m].name or m}）" for m in missing_cols)
        raise DataError(f"数据缺少方案需要的列：{names}；请在数据文件中加上这些列")
    # Numeric columns whose every cell is finite (the usual case) are cast in one query below;
    # the others go through _numeric, which parses text and names a bad cell's row.
    ok = _finite_columns(
        df, [c for c in (*cs.scheme.metrics, *cs.scheme.targets) if c in df.columns]
    )
    fast: dict[str, pl.Expr] = {}
    missing = pl.lit(None, dtype=pl.Float64)
    for m in cs.scheme.metrics:
        if m in df.columns and m not in ok:
            cols[m] = _numeric(df, m, what="指标")
        else:
            fast[m] = pl.col(m).cast(pl.Float64) if m in ok else missing
    for name, spec in cs.scheme.targets.items():
        default = (
            None if spec.default is None else parse_number(spec.default, where=f"targets.{name}")
        )
        if name in df.columns:
            if name in ok:
                cast = pl.col(name).cast(pl.Float64)
                fast[name] = cast if default is None else cast.fill_null(default)
                continue
            series = _numeric(df, name, what="目标")
            if default is not None:
                series = series.fill_null(default)
        elif default is not None:
            fast[name] = pl.lit(default, dtype=pl.Float64)
            continue
        elif name in used and spec.required:
            label = spec.name or name
            raise DataError(
                f"方案需要目标 “{name}”（{label}），但数据和目标文件都没有这一列；"
                "请在目标文件中为每人填写，或在方案中给出默认值 default"
            )
        else:
            fast[name] = missing
            continue
        cols[name] = series.alias(name)
    for name, value in cs.params.items():
        fast[name] = pl.lit(value, dtype=pl.Float64)
    # One query for every cast and constant (the employee column keeps literals full height).
    computed = df.select(pl.col("employee"), *(e.alias(k) for k, e in fast.items()))
    out = pl.DataFrame([*cols.values(), *(computed.get_column(k) for k in fast)])
    return _attach_ratings(cs, out, df, ratings)


def _finite_columns(df: pl.DataFrame, names: list[str]) -> set[str]:
    """The numeric columns among ``names`` holding only finite numbers (or blanks)."""
    numeric = [c for c in names if df.schema[c].is_numeric()]
    if not numeric:
        return set()
    bad = df.select(
        (~pl.col(c).cast(pl.Float64).is_finite()).fill_null(False).any().alias(c) for c in numeric
    ).row(0, named=True)
    return {c for c in numeric if not bad[c]}


def _group_columns(cs: CompiledScheme) -> list[str]:
    """Columns the scheme groups rankings by, besides the standard ``group``."""
    names = [cs.scheme.ranking.group_by]
    names += [c for it in cs.items if it.rule is not None for c in it.rule.group_columns()]
    return sorted({n for n in names if n and n not in ("group", "name", "employee")})


def _used_inputs(cs: CompiledScheme) -> set[str]:
    from jixiao import formula as F

    used: set[str] = set()

    def add(op: Operand | None) -> None:
        if op is not None:
            used.update(F.variables(op.node))

    for it in cs.items:
        add(it.value)
        add(it.veto_when)
        for op in () if it.rule is None else it.rule.operands():
            add(op)
    for e in cs.eligibility:
        add(e.when)
    return used


def _rating_series(raw: pl.Series, rule: RatingSpec, *, item: str, column: str) -> pl.Series:
    """Ratings as numbers: level labels mapped to points, or numbers checked against the scale."""
    if raw.dtype.is_numeric() and not rule.levels:
        return _check_scale(raw.cast(pl.Float64), rule, item=item, column=column)
    text = raw.cast(pl.String).str.strip_chars().replace("", None)
    if rule.levels:
        levels = dict(rule.levels)
        mapped = text.replace_strict(levels, default=None, return_dtype=pl.Float64)
        bad = (mapped.is_null() & text.is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise DataError(
                f"评分项 “{item}” 的等级 “{text[i]}” 不在 {'、'.join(levels)} 之中",
                row=i + 1,
                column=column,
            )
        return mapped
    nums = text.str.strip_suffix("分").cast(pl.Float64, strict=False)
    bad = (nums.is_null() & text.is_not_null()).arg_true()
    if len(bad):
        i = int(bad[0])
        raise DataError(f"评分项 “{item}” 的分数 “{text[i]}” 不是数字", row=i + 1, column=column)
    return _check_scale(nums, rule, item=item, column=column)


def _check_scale(nums: pl.Series, rule: RatingSpec, *, item: str, column: str) -> pl.Series:
    out = ((nums < 0) | (nums > rule.scale) | nums.is_nan()).fill_null(False).arg_true()
    if len(out):
        i = int(out[0])
        raise DataError(
            f"评分项 “{item}” 的分数 {nums[i]:g} 超出 0–{rule.scale:g}", row=i + 1, column=column
        )
    return nums


def _attach_ratings(
    cs: CompiledScheme, out: pl.DataFrame, df: pl.DataFrame, ratings: pl.DataFrame | None
) -> pl.DataFrame:
    items = {i.code: spec for i, spec in cs.rating_items()}
    if not items:
        return out
    long = _long_ratings(items, ratings)
    new_cols: list[pl.Series | pl.Expr] = []
    in_range = _in_range_columns(df, items)
    for code, rule in items.items():
        for role, _ in rule.raters:
            wide = f"{code}:{role}"
            name = rating_column(code, role)
            if wide in in_range:
                new_cols.append(df.get_column(wide).cast(pl.Float64).alias(name))
            elif wide in df.columns:
                series = _rating_series(df.get_column(wide), rule, item=code, column=wide)
                new_cols.append(series.alias(name))
            elif long is not None and name in long.columns:
                continue  # joined below
            else:
                new_cols.append(pl.lit(None, dtype=pl.Float64).alias(name))
    out = out.with_columns(new_cols)
    if long is not None:
        keep = [c for c in long.columns if c == "employee" or c not in out.columns]
        out = out.join(long.select(keep), on="employee", how="left")
    return out


def _in_range_columns(df: pl.DataFrame, items: Mapping[str, RatingSpec]) -> set[str]:
    """Wide rating columns that are numeric, without levels and within 0..scale (checked in
    one query; the others go through _rating_series, which names a bad cell's row)."""
    scales = {
        f"{code}:{role}": rule.scale
        for code, rule in items.items()
        if not rule.levels
        for role, _ in rule.raters
        if f"{code}:{role}" in df.columns and df.schema[f"{code}:{role}"].is_numeric()
    }
    if not scales:
        return set()
    bad = df.select(
        ((pl.col(c) < 0) | (pl.col(c) > s) | pl.col(c).cast(pl.Float64).is_nan())
        .fill_null(False)
        .any()
        .alias(c)
        for c, s in scales.items()
    ).row(0, named=True)
    return {c for c in scales if not bad[c]}


def _long_ratings(
    items: Mapping[str, RatingSpec], ratings: pl.DataFrame | None
) -> pl.DataFrame | None:
    """Long-format ratings: the mean of each role's raters, per employee and item, pivoted to
    one column per (item, role)."""
    if ratings is None or ratings.height == 0:
        return None
    miss = [c for c in RATING_COLUMNS if c not in ratings.columns]
    if miss:
        raise DataError(
            f"评分数据缺少列：{'、'.join(miss)}（需要 employee, item, rater_role, score）"
        )
    r = ratings.select(
        pl.col("employee").cast(pl.String).str.strip_chars(),
        pl.col("item").cast(pl.String).str.strip_chars(),
        pl.col("rater_role").cast(pl.String).str.strip_chars(),
        pl.col("score"),
    ).with_row_index("__row")
    unknown = r.filter(~pl.col("item").is_in(list(items)))
    if unknown.height:
        row = unknown.row(0, named=True)
        raise DataError(
            f"评分数据中的考核项 “{row['item']}” 不是本方案的评分项",
            row=row["__row"] + 1,
            column="item",
        )
    parts = []
    for code, rule in items.items():
        sub = r.filter(pl.col("item") == code)
        if sub.height == 0:
            continue
        roles = [role for role, _ in rule.raters]
        bad = sub.filter(~pl.col("rater_role").is_in(roles))
        if bad.height:
            row = bad.row(0, named=True)
            raise DataError(
                f"考核项 “{code}” 没有评分人角色 “{row['rater_role']}”（可用：{'、'.join(roles)}）",
                row=row["__row"] + 1,
                column="rater_role",
                source="ratings",
            )
        try:
            values = _rating_series(sub.get_column("score"), rule, item=code, column="score")
        except DataError as exc:
            # Re-point the row at the ratings file, not at the item's subset.
            file_row = int(sub.get_column("__row")[(exc.row or 1) - 1]) + 1
            raise DataError(exc.reason, row=file_row, column="score", source="ratings") from None
        parts.append(sub.with_columns(values.alias("value")))
    if not parts:
        return None
    means = (
        pl.concat(parts)
        .drop_nulls("value")
        .group_by(["employee", "item", "rater_role"])
        .agg(pl.col("value").mean())
        .with_columns(pl.format("__rating__{}__{}", "item", "rater_role").alias("column"))
    )
    if means.height == 0:
        return None
    return means.pivot(on="column", index="employee", values="value")
