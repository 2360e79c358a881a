"""Exact pool distribution: the shares always sum to the pool, to the cent.

Remainder rule (largest remainder, Hamilton): the pool is counted in whole cents. A member's exact
share is ``pool_cents × weight ÷ total_weight``; each member first gets the whole cents of it
(floor); the cents left over go one each to the members with the largest fractional remainders,
ties broken by employee id in ascending text order. Group shares (e.g. 客服 50%, 运营 30%) are
split from the pool the same way first, ties by the order the groups are written in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal

import polars as pl

from jixiao.pay._errors import fail
from jixiao.pay._num import DEC, INT_DEC, SCALE, fmt, to_decimal

_UNIT = 10**SCALE


def weight_units(w: Decimal) -> int:
    """A weight (≤ 10 decimals) as an exact integer count of 1e-10 units."""
    return int(w.scaleb(SCALE).to_integral_value(rounding=ROUND_FLOOR))


def split_cents(total: int, keyed: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Split ``total`` cents by integer weights; largest remainder, ties by key order given."""
    wsum = sum(w for _, w in keyed)
    if wsum == 0:
        return {k: 0 for k, _ in keyed}
    base = {k: total * w // wsum for k, w in keyed}
    left = total - sum(base.values())
    order = sorted(range(len(keyed)), key=lambda i: (-(total * keyed[i][1] % wsum), i))
    for i in order[:left]:
        base[keyed[i][0]] += 1
    return base


def group_cents(pool_cents: int, shares: dict[str, Decimal] | None) -> dict[str, int]:
    if not shares:
        return {"": pool_cents}
    return split_cents(pool_cents, [(g, weight_units(s)) for g, s in shares.items()])


def share_values(
    shares: Mapping[str, Decimal | str], params: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """A pool's group shares with parameter names resolved; they must sum to exactly 100%."""
    out: dict[str, Decimal] = {}
    for group, raw in shares.items():
        if isinstance(raw, str) and raw in params:
            out[group] = params[raw]
        else:
            try:
                out[group] = to_decimal(raw)
            except ValueError:
                raise fail(
                    f"shares.{group}", f"{raw!r} 既不是比例也不是参数名", "not a share or parameter"
                ) from None
        if out[group] < 0:
            raise fail(f"shares.{group}", "份额不能为负", "a share cannot be negative")
    total = sum(out.values(), Decimal(0))
    if total != 1:
        detail = " + ".join(f"{g} {fmt(v * 100)}%" for g, v in out.items())
        raise fail(
            "shares",
            f"各份额之和为 {fmt(total * 100)}%（{detail}），必须正好是 100%",
            f"shares sum to {fmt(total * 100)}%, they must sum to exactly 100%",
        )
    return out


def split_members(cents: int, members: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Per-employee split within one group: ties broken by employee id (ascending)."""
    wsum = sum(w for _, w in members)
    if wsum == 0:
        return {e: 0 for e, _ in members}
    base = {e: cents * w // wsum for e, w in members}
    left = cents - sum(base.values())
    order = sorted(members, key=lambda m: (-(cents * m[1] % wsum), m[0]))
    for e, _ in order[:left]:
        base[e] += 1
    return base


def vector_split(
    frame: pl.DataFrame,
    eligible: pl.Expr,
    weight: pl.Expr,
    group: pl.Expr | None,
    groups: dict[str, int],
) -> pl.DataFrame:
    """The same rule over all employees at once, in exact 128-bit integer arithmetic: ``_c``
    is each share in yuan, ``_extra`` whether it holds a remainder cent (more than the whole
    cents of the exact share).

    Instead of sorting, each member's place in the remainder order is a rank of the key
    ``rem × (n + 1) + (n − employee_rank)``: larger remainder first, then lower employee id.
    """
    n = frame.height
    i128 = pl.Int128
    zero = pl.lit(0, dtype=i128)

    def per_group(e: pl.Expr) -> pl.Expr:
        return e if group is None else e.over("_g")

    w = pl.when(eligible.fill_null(False)).then((weight * pl.lit(_UNIT)).cast(i128)).otherwise(zero)
    g_cents = (
        pl.lit(groups[""], dtype=i128)
        if group is None
        else group.replace_strict(groups, default=0, return_dtype=i128)
    )
    lf = frame.lazy().select(
        w.alias("_w"),
        g_cents.alias("_G"),
        pl.col("employee").rank("ordinal").cast(i128).alias("_eo"),
        *([] if group is None else [group.alias("_g")]),
    )
    if group is None:
        return _single_split(lf.collect(), groups[""], n)
    lf = lf.with_columns(per_group(pl.col("_w").sum()).alias("_W"))
    safe_w = pl.when(pl.col("_W") == 0).then(pl.lit(1, dtype=i128)).otherwise(pl.col("_W"))
    num = pl.col("_G") * pl.col("_w")
    lf = lf.with_columns((num // safe_w).alias("_base"), (num % safe_w).alias("_rem"))
    key = pl.col("_rem") * pl.lit(n + 1, dtype=i128) + (pl.lit(n, dtype=i128) - pl.col("_eo"))
    lf = lf.with_columns(
        (pl.col("_G") - per_group(pl.col("_base").sum())).alias("_left"),
        per_group(key.rank("ordinal", descending=True)).cast(i128).alias("_pos"),
    )
    extra = (pl.col("_pos") <= pl.col("_left")) & (pl.col("_w") > 0) & (pl.col("_W") != 0)
    cents = pl.when(pl.col("_W") == 0).then(zero).otherwise(pl.col("_base") + extra.cast(i128))
    return lf.select(_yuan(cents), extra.alias("_extra")).collect()


def _yuan(cents: pl.Expr) -> pl.Expr:
    return (cents.cast(DEC) / pl.lit(Decimal(100), dtype=INT_DEC)).cast(DEC).alias("_c")


def _single_split(df: pl.DataFrame, cents: int, n: int) -> pl.DataFrame:
    """One group: the leftover cents go to the ``left`` largest keys, found with top_k instead
    of ranking every row (same result, since keys are unique)."""
    i128 = pl.Int128
    total_w = df["_w"].sum()
    if not total_w:
        return pl.DataFrame(
            {
                "_c": pl.Series([Decimal(0)] * n, dtype=DEC),
                "_extra": pl.repeat(False, n, eager=True),
            }
        )
    num = pl.lit(cents, dtype=i128) * pl.col("_w")
    w_lit = pl.lit(total_w, dtype=i128)
    df = df.select(
        (num // w_lit).alias("_base"),
        (num % w_lit).alias("_rem"),
        pl.col("_w"),
        pl.col("_eo"),
    )
    left = cents - int(df["_base"].sum())
    extra = pl.lit(False)
    if left > 0:
        key = pl.col("_rem") * pl.lit(n + 1, dtype=i128) + (pl.lit(n, dtype=i128) - pl.col("_eo"))
        df = df.with_columns(key.alias("_key"))
        threshold = df["_key"].top_k(left).min()
        extra = (pl.col("_key") >= threshold) & (pl.col("_w") > 0)
    return df.select(_yuan(pl.col("_base") + extra.cast(i128)), extra.alias("_extra"))
