"""The vectorised pay run: every component for all employees at once, as Polars Decimal columns."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from jixiao.formula import Band, Binary, Call, Node, Num, band_expr, variables
from jixiao.formula import to_decimal_expr as to_polars
from jixiao.pay._compiled import CompiledComponent, CompiledPlan, share_values
from jixiao.pay._errors import Issue, PayError, fail
from jixiao.pay._num import CENT, DEC, lit, money
from jixiao.pay._pool import group_cents, vector_split

NET = "_net"


@dataclass(frozen=True)
class PoolSummary:
    code: str
    name: str
    amount: Decimal
    groups: tuple[tuple[str, Decimal], ...]
    distributed: Decimal

    @property
    def undistributed(self) -> Decimal:
        return self.amount - self.distributed


def band_lookup(bands: tuple[Band, ...], x: pl.Expr, values: list[pl.Expr]) -> pl.Expr:
    """The value of the first band holding ``x`` (bounds exact), null where none does."""
    return band_expr(bands, x, values, exact=True).cast(DEC)


def base_node(comp: CompiledComponent) -> Node | None:
    """The amount of simple kinds as one expression tree (shared meaning, two evaluators)."""
    n, spec = comp.nodes, comp.spec
    match spec.kind:
        case "formula" | "adjustment":
            return n["amount"]
        case "prorate":
            return Binary("*", Binary("/", n["base"], n["due_days"]), n["actual_days"])
        case "per_count":
            return Binary("*", n["count"], Num.of(spec.rate))
        case "attendance_bonus":
            pay: Node = Binary("*", n["base"], Num.of(spec.rate))
            conds = [n[f"forfeit[{k}].when"] for k in range(len(spec.forfeit))]
            if not conds:
                return pay
            cond = conds[0]
            for c in conds[1:]:
                cond = Binary("or", cond, c)
            return Call("if", (cond, Num.of(0), pay))
    return None


def component_expr(comp: CompiledComponent, col: Callable[[str], pl.Expr] = pl.col) -> pl.Expr:
    """Unrounded amount of a non-pool component (null where it cannot be computed)."""
    n, spec = comp.nodes, comp.spec
    node = base_node(comp)
    if node is not None:
        return to_polars(node, col)
    if spec.kind == "tiers":
        x = to_polars(n["on"], col)
        value = band_lookup(comp.bands, x, [lit(b.value) for b in comp.bands])
        return (value * to_polars(n["times"], col)).cast(DEC)
    if spec.kind == "piecewise":
        x = to_polars(n["on"], col)
        vals = [to_polars(n[f"bands[{k}].amount"], col) for k in range(len(comp.bands))]
        return band_lookup(comp.bands, x, vals)
    if spec.kind == "commission":
        total: pl.Expr | None = None
        for k, line in enumerate(spec.lines):
            bands = comp.line_bands[k]
            if bands is None:
                rate = lit(line.rate)
            else:
                rate = band_lookup(
                    bands, to_polars(n["tier_on"], col), [lit(b.value) for b in bands]
                )
            part = (to_polars(n[f"lines[{k}].sales"], col) * rate).cast(DEC)
            total = part if total is None else total + part
        assert total is not None
        return total
    raise AssertionError(spec.kind)  # pragma: no cover - pools are handled by compute()


def _pool(
    comp: CompiledComponent,
    df: pl.DataFrame,
    params: dict[str, Decimal],
    approvals: Collection[str],
    when: pl.Expr | None,
    pools: list[PoolSummary],
) -> pl.Series:
    spec = comp.spec
    if spec.requires_approval and spec.code not in approvals:
        raise fail(
            comp.where,
            f"分配方案需经{spec.requires_approval}批准后才能发放；批准后加 --approve {spec.code}",
            f"needs approval by {spec.requires_approval}; run with --approve {spec.code}",
        )
    pool = df.select(to_polars(comp.nodes["amount"], pl.col).first()).item()
    if pool is None or pool < 0:
        raise fail(comp.where, f"奖金池金额 {pool} 无效（不能为负或为空）", "invalid pool amount")
    pool = money(pool)
    try:
        shares = share_values(spec, params) if spec.shares else None
    except PayError as exc:
        raise PayError(
            [Issue(f"{comp.where}.{i.where}", i.message, i.message_en) for i in exc.issues]
        ) from None
    groups = group_cents(int(pool / CENT), shares)
    group = pl.col(spec.group_by) if spec.group_by else None
    amounts = vector_split(
        df,
        when if when is not None else pl.lit(True),
        to_polars(comp.nodes["weight"], pl.col),
        group,
        groups,
    )
    pools.append(
        PoolSummary(
            spec.code,
            spec.name,
            pool,
            tuple((g, Decimal(c) * CENT) for g, c in groups.items()),
            money(Decimal(amounts.sum())),
        )
    )
    return amounts


def _overflow(
    plan: CompiledPlan, df: pl.DataFrame, batch: dict[str, pl.Expr], exc: Exception
) -> Exception:
    """A Decimal overflow (a result beyond 38 digits) as a user error naming the component."""
    if "overflow" not in str(exc):
        return exc
    for code, expr in batch.items():
        try:
            df.select(expr)
        except pl.exceptions.ComputeError:
            comp = next(c for c in plan.components if c.code == code)
            return fail(
                comp.where,
                "金额超出可计算范围（结果超过 38 位数字）：请检查该组件用到的输入是否填错（如多写了几个 0）",
                "the amount is out of range (beyond 38 digits): check the inputs it reads",
            )
    return exc


def compute(
    plan: CompiledPlan,
    frame: pl.DataFrame,
    params: dict[str, Decimal],
    approvals: Collection[str] = (),
) -> tuple[pl.DataFrame, tuple[PoolSummary, ...]]:
    """Amounts for every employee and component (rounded to the cent) plus the net pay column.

    Null in a component column means that row could not be computed (division by zero, a value in
    no band); the caller re-runs those rows through the scalar path, which names the problem.
    """
    df = frame

    def col(name: str) -> pl.Expr:
        # Parameters are the same for everyone: literals, so Polars can skip rescaling.
        return to_polars(Num.of(params[name]), pl.col) if name in params else pl.col(name)

    pools: list[PoolSummary] = []
    # Components that do not read each other go into one with_columns, which Polars runs in
    # parallel; a component reading one still pending starts the next batch.
    batch: dict[str, pl.Expr] = {}

    def flush() -> pl.DataFrame:
        try:
            out = df.with_columns(**batch) if batch else df
        except pl.exceptions.ComputeError as exc:
            raise _overflow(plan, df, batch, exc) from None
        batch.clear()
        return out

    for comp in plan.components:
        spec = comp.spec
        when = to_polars(comp.nodes["when"], col) if "when" in comp.nodes else None
        reads = set().union(*(variables(n) for n in comp.nodes.values())) if comp.nodes else set()
        if reads & set(batch):
            df = flush()
        if spec.kind == "pool":
            # A pool reads only columns already in df, so its shares join the pending batch.
            batch[spec.code] = pl.lit(_pool(comp, df, params, approvals, when, pools))
            continue
        amount = component_expr(comp, col)
        if when is not None:
            amount = pl.when(when).then(amount).otherwise(lit(Decimal(0)))
        batch[spec.code] = amount.round(2, mode="half_away_from_zero").cast(DEC)
    df = flush()
    paid = [c.code for c in plan.components if not c.spec.memo]
    net = pl.sum_horizontal(*[pl.col(c) for c in paid]).cast(DEC) if paid else lit(Decimal(0))
    if not plan.plan.allow_negative:
        net = pl.max_horizontal(net, lit(Decimal(0)))
    df = df.with_columns(net.alias(NET))
    return df.select("employee", "name", "group", *[c.code for c in plan.components], NET), tuple(
        pools
    )
