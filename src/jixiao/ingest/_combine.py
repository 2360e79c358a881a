"""Combining rows: people mapped to employees, rows of one person and period aggregated.

Sums for additive columns; a weighted mean (``weight:`` in the profile) for rates and
averages, divided once in ``Decimal`` with explicit ROUND_HALF_UP; columns that can be neither
summed nor averaged must not repeat for one person and period.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from jixiao.ingest._errors import IngestError
from jixiao.ingest._mapping import AccountMap, Lookup
from jixiao.ingest._preview import PersonRow
from jixiao.ingest._profiles import ColumnSpec, Match
from jixiao.ingest._values import DECIMAL

__all__ = [
    "EMP",
    "NAME",
    "PERIOD",
    "aggregate",
    "bare",
    "column_total",
    "map_people",
    "warnings_for",
]

MONEY_Q = Decimal("0.01")
RATIO_Q = Decimal("0.000001")
PERIOD = "__period__"
EMP = "__employee__"
NAME = "__name__"
_KEY = "__key__"


def bare(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.contains(r"^[+-]?[\d,]*\.?\d+$")


def map_people(
    conv: pl.DataFrame, match: Match, mapping: AccountMap | None, by_name: bool, ident: str
) -> tuple[pl.DataFrame, tuple[PersonRow, ...], tuple[PersonRow, ...]]:
    prof = match.profile
    shop = (
        pl.col(match.shop_column).str.strip_chars()
        if match.shop_column
        else pl.lit(None, dtype=pl.String)
    )
    keyed = conv.with_columns(pl.col(ident).str.strip_chars().alias(_KEY), shop.alias("__shop__"))
    name_col = match.name_column if match.name_column and match.name_column != ident else None
    groups = keyed.group_by(_KEY, "__shop__").agg(
        pl.len().alias("n"),
        (
            pl.col(name_col).drop_nulls().first() if name_col else pl.lit(None, dtype=pl.String)
        ).alias("nm"),
    )
    found: dict[tuple[str, str | None], Lookup] = {}
    matched: list[PersonRow] = []
    unmatched: list[PersonRow] = []
    for key, shop_v, n, nm in groups.sort(_KEY).iter_rows():
        if by_name:
            look = (
                mapping.by_name(key)
                if mapping
                else Lookup(
                    None, None, "按姓名对应员工需要映射表（--mapping，含 name 与 employee 列）"
                )
            )
        elif prof.person.by == "sub_account":
            look = (
                mapping.by_account(key, shop_v)
                if mapping
                else Lookup(None, None, "未提供子账号映射表（--mapping）")
            )
        else:
            known = mapping.name_of(key) if mapping else None
            look = Lookup(key, nm or known)
        if look.employee is not None and look.name is None:
            look = Lookup(
                look.employee, nm or (mapping.name_of(look.employee) if mapping else None)
            )
        found[(key, shop_v)] = look
        label = key if shop_v is None or ":" in key or "：" in key else f"{shop_v}:{key}"
        row = PersonRow(label, look.employee, look.name, int(n), look.reason)
        (matched if look.employee else unmatched).append(row)
    lut = pl.DataFrame(
        {
            _KEY: [k for k, _ in found],
            "__shop__": [s for _, s in found],
            EMP: [v.employee for v in found.values()],
            NAME: [v.name for v in found.values()],
        },
        schema={_KEY: pl.String, "__shop__": pl.String, EMP: pl.String, NAME: pl.String},
    )
    out = keyed.join(lut, on=[_KEY, "__shop__"], how="left", nulls_equal=True)
    return out, tuple(matched), tuple(unmatched)


def aggregate(used: pl.DataFrame, match: Match, file: str) -> pl.DataFrame:
    keys = [EMP, PERIOD]
    aggs: list[pl.Expr] = [
        pl.len().alias("__n__"),
        pl.col(NAME).drop_nulls().first().alias("name"),
    ]
    present = {s.code for s, _ in match.columns}
    for spec, _ in match.columns:
        c = pl.col(spec.code)
        if spec.weight and spec.weight not in present:
            aggs += [
                c.drop_nulls().first().alias(spec.code),
                c.is_not_null().sum().alias(f"{spec.code}__nn"),
            ]
        elif spec.weight:
            w = pl.col(spec.weight).cast(DECIMAL)
            both = c.is_not_null() & w.is_not_null()
            aggs += [
                (c.cast(DECIMAL) * w).filter(both).sum().alias(f"{spec.code}__vw"),
                w.filter(both).sum().alias(f"{spec.code}__w"),
                c.drop_nulls().first().alias(f"{spec.code}__first"),
                c.is_not_null().sum().alias(f"{spec.code}__nn"),
            ]
        elif spec.aggregation == "sum":
            aggs.append(pl.when(c.is_not_null().any()).then(c.sum()).alias(spec.code))
        elif spec.aggregation in ("max", "min", "mean"):
            aggs.append(getattr(c, spec.aggregation)().alias(spec.code))
        else:
            aggs += [
                c.drop_nulls().first().alias(spec.code),
                c.drop_nulls().n_unique().alias(f"{spec.code}__nu"),
            ]
    grouped = used.group_by(keys).agg(aggs).sort(keys)
    for spec, header in match.columns:
        if spec.weight and spec.weight not in present:
            dup = grouped.filter(pl.col(f"{spec.code}__nn") > 1)
            if dup.height:
                emp = dup.get_column(EMP)[0]
                raise IngestError(
                    f"{file}：员工 {emp} 在同一期间有多行，“{header}”是比率，需要按 "
                    f"{spec.weight} 加权合并，但文件中没有这一列；请加上该列，或每人只保留一行"
                )
        if spec.aggregation == "single" and not spec.weight:
            dup = grouped.filter(pl.col(f"{spec.code}__nu") > 1)
            if dup.height:
                emp = dup.get_column(EMP)[0]
                raise IngestError(
                    f"{file}：员工 {emp} 在同一期间有多行，“{header}”的值不同且不能相加；"
                    f"请只保留一行，或在导入方案中为 {spec.code} 设定 agg（sum / mean / max / min）"
                )
    rows = []
    for rec in grouped.iter_rows(named=True):
        out: dict[str, object] = {
            "employee": rec[EMP],
            "name": rec["name"],
            "period": rec[PERIOD],
        }
        for spec, _ in match.columns:
            if spec.weight and spec.weight in present:
                out[spec.code] = _weighted(rec, spec)
            else:
                out[spec.code] = rec[spec.code]
            value = out[spec.code]
            if spec.kind == "money" and isinstance(value, Decimal):
                out[spec.code] = value.quantize(MONEY_Q, ROUND_HALF_UP)
        rows.append(out)
    schema: dict[str, pl.DataType] = {
        "employee": pl.String(),
        "name": pl.String(),
        "period": pl.String(),
    }
    for spec, _ in match.columns:
        schema[spec.code] = (
            pl.Int64()
            if spec.kind == "count"
            else (
                pl.Date()
                if spec.kind == "date"
                else pl.String()
                if spec.kind == "text"
                else DECIMAL
            )
        )
    table = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    if table.get_column("period").is_null().all():
        table = table.drop("period")
    return table


def _weighted(rec: dict[str, object], spec: ColumnSpec) -> Decimal | None:
    nn = rec[f"{spec.code}__nn"]
    if nn == 1 or (isinstance(nn, int) and nn > 1 and not rec[f"{spec.code}__w"]):
        # One row: its own value. Several rows without weights: cannot be combined honestly.
        first = rec[f"{spec.code}__first"]
        return first if nn == 1 and isinstance(first, Decimal) else None
    if not nn:
        return None
    vw, w = rec[f"{spec.code}__vw"], rec[f"{spec.code}__w"]
    assert isinstance(vw, Decimal) and isinstance(w, Decimal)
    q = MONEY_Q if spec.kind == "money" else RATIO_Q
    return (vw / w).quantize(q, ROUND_HALF_UP)


def column_total(used: pl.DataFrame, spec: ColumnSpec) -> Decimal | None:
    if spec.aggregation != "sum" or spec.weight:
        return None
    s = used.get_column(spec.code)
    if s.is_null().all():
        return None
    total = s.sum()
    return Decimal(int(total)) if spec.kind == "count" else Decimal(str(total))


def warnings_for(used: pl.DataFrame, match: Match) -> tuple[str, ...]:
    out = []
    for spec, header in match.columns:
        if spec.kind != "percent" or spec.percent_bare != "points":
            continue
        plain = used.filter(bare(header) & pl.col(header).is_not_null())
        if plain.height and plain.select((pl.col(spec.code) <= Decimal("0.01")).all()).item():
            out.append(
                f"“{header}”的数值都不超过 1（如 {plain.get_column(header)[0]}），按百分点读作 "
                f"{plain.get_column(header)[0]}%；若它其实是小数比例（0.35 = 35%），请在导入方案中为 "
                f"{spec.code} 设置 percent_bare: fraction"
            )
    if match.unmatched_headers:
        out.append("未导入的列：" + "、".join(f"“{h}”" for h in match.unmatched_headers))
    return tuple(out)
