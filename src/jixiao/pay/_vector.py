"""The one pay computation: every component for all employees at once, as Polars Decimal
columns, with each component's traces built column-wise from the same intermediate columns.

Each kind (``jixiao.pay.kinds``) gives its parts, amount, trace and failure wording; this module
only runs them in plan order, applies ``when`` and the one money rounding, and names the first
row that cannot be computed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal

import polars as pl

from jixiao.pay._compiled import CompiledComponent, CompiledPlan
from jixiao.pay._errors import PayError, fail
from jixiao.pay._num import DEC, lit
from jixiao.pay.kinds._base import DIV0, Parts, PoolSummary, Vec, concat, fmt2_expr

__all__ = ["NET", "PoolSummary", "compute", "evaluate", "trace_columns"]

NET = "_net"


def trace_columns(comp: CompiledComponent) -> tuple[str, str]:
    """The names of a component's Chinese and English trace columns in :func:`evaluate`."""
    p = Parts(comp.index)
    return p.name("zh"), p.name("en")


def _with(df: pl.DataFrame, comp: CompiledComponent, cols: Mapping[str, pl.Expr]) -> pl.DataFrame:
    try:
        return df.with_columns(**cols)
    except pl.exceptions.ComputeError as exc:
        if "overflow" not in str(exc):
            raise
        raise fail(
            comp.where,
            "金额超出可计算范围（结果超过 38 位数字）：请检查该组件用到的输入是否填错（如多写了几个 0）",
            "the amount is out of range (beyond 38 digits): check the inputs it reads",
        ) from None


def _cannot(
    comp: CompiledComponent, df: pl.DataFrame, parts: Collection[str], where: Sequence[str] | None
) -> PayError:
    """The first row whose amount is missing, named with the kind's reason."""
    p = Parts(comp.index)
    i = int(df[comp.code].is_null().arg_true()[0])
    row = {k: df[p.name(k)][i] for k in parts}
    if "when" in row and row["when"] is None and not comp.kind.own_when:
        why = DIV0
    else:
        why = comp.kind.failure(comp, row)
    emp = df["employee"][i]
    at = where[i] if where else f"员工 {emp}"
    return fail(
        f"{at}（{emp}）{comp.where}",
        f"无法计算：{why[0]}；请检查该行数据或方案",
        f"cannot compute: {why[1]}",
    )


def evaluate(
    plan: CompiledPlan,
    frame: pl.DataFrame,
    params: Mapping[str, Decimal],
    approvals: Collection[str] = (),
    where: Sequence[str] | None = None,
    traces: bool = True,
) -> tuple[pl.DataFrame, tuple[PoolSummary, ...]]:
    """``frame`` with every component's parts, its amount rounded to the cent (the column named
    by its code), the net pay (``NET``) and, with ``traces``, the trace columns.

    Raises :class:`PayError` naming the first component and row that cannot be computed
    (``where[i]`` says where row ``i`` came from).
    """
    v = Vec(params, plan.types, approvals)
    df = frame
    for comp in plan.components:
        kind, p = comp.kind, Parts(comp.index)
        parts = kind.parts(comp, v, df)
        when = "when" in comp.nodes and not kind.own_when
        if when:
            parts["when"] = v.num(comp.nodes["when"])
        df = _with(df, comp, {p.name(k): e for k, e in parts.items()})
        raw = kind.amount(comp, p)
        if when:
            raw = (
                pl.when(p["when"].is_null())
                .then(None)
                .when(p["when"])
                .then(raw)
                .otherwise(lit(Decimal(0)))
            )
        df = _with(df, comp, {p.name("raw"): raw.cast(DEC)})
        df = df.with_columns(
            p["raw"].round(2, mode="half_away_from_zero").cast(DEC).alias(comp.code)
        )
        if df[comp.code].null_count():
            raise _cannot(comp, df, parts, where)
    paid = [c.code for c in plan.components if not c.spec.memo]
    net = pl.sum_horizontal(*[pl.col(c) for c in paid]).cast(DEC) if paid else lit(Decimal(0))
    if not plan.plan.allow_negative:
        net = pl.max_horizontal(net, lit(Decimal(0)))
    df = df.with_columns(net.alias(NET))
    if traces:
        df = df.with_columns(**_traces(plan, v))
    return df, tuple(v.pools)


def _traces(plan: CompiledPlan, v: Vec) -> dict[str, pl.Expr]:
    out: dict[str, pl.Expr] = {}
    for comp in plan.components:
        kind, p, spec = comp.kind, Parts(comp.index), comp.spec
        zh, en = kind.trace(comp, v, p, fmt2_expr(p["raw"]))
        if "when" in comp.nodes and not kind.own_when:
            why = v.vars(comp.nodes["when"])
            zh = (
                pl.when(p["when"])
                .then(zh)
                .otherwise(concat(f"不适用：条件 {spec.when} 不成立（", why, "）"))
            )
            en = (
                pl.when(p["when"])
                .then(en)
                .otherwise(concat(f"not applicable: {spec.when} is false (", why, ")"))
            )
        zh_col, en_col = trace_columns(comp)
        out[zh_col], out[en_col] = zh, en
    return out


def compute(
    plan: CompiledPlan,
    frame: pl.DataFrame,
    params: Mapping[str, Decimal],
    approvals: Collection[str] = (),
) -> tuple[pl.DataFrame, tuple[PoolSummary, ...]]:
    """Amounts for every employee and component (rounded to the cent) plus the net pay column,
    without traces."""
    df, pools = evaluate(plan, frame, params, approvals, traces=False)
    codes = [c.code for c in plan.components]
    return df.select("employee", "name", "group", *codes, NET), pools
