"""``pool``: a shared pool split exactly to the cent (公共提成 ÷ 客服人数；营业额 1% 按岗位占比
和得分；年度团队奖). ``when`` says who shares in it; the remainder rule is in ``_pool``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import polars as pl

from jixiao.formula import variables_outside_aggregates
from jixiao.pay._errors import Issue, PayError, fail
from jixiao.pay._model import ComponentModel, Expr, Number
from jixiao.pay._num import CENT, DEC, fmt, money, pct
from jixiao.pay._pool import group_cents, share_values, vector_split
from jixiao.pay.kinds._base import (
    Checks,
    Kind,
    Parts,
    PoolSummary,
    Texts,
    Vec,
    concat,
    fmt2_expr,
    fmt_expr,
    label,
    pick,
)

__all__ = ["Pool", "PoolKind"]

# Working columns of the split (a NUL cannot start an input's name, so they never collide).
_WHEN, _W, _G = "\x00when", "\x00w", "\x00g"


class Pool(ComponentModel):
    """A shared pool split exactly to the cent; ``when`` selects who shares in it."""

    kind: Literal["pool"]
    amount: Expr
    weight: Expr = "1"
    group_by: str | None = None
    shares: dict[str, Number | str] | None = None
    requires_approval: str | None = None


class PoolKind(Kind):
    name = "pool"
    model = Pool
    own_when = True

    def check(self, spec: Any, ck: Checks) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        ck.expr("amount", spec.amount, "num", aggregates=True)
        node = ck.node("amount")
        if node is not None:
            loose = sorted(variables_outside_aggregates(node) - set(ck.params))
            if loose:
                ck.issue(
                    "amount",
                    f"奖金池金额对所有人相同，只能用参数和 sum()/count()；"
                    f"{', '.join(loose)} 请放进 sum() 或改为参数",
                    f"a pool amount may use parameters and sum()/count() only: {loose}",
                )
        ck.expr("weight", spec.weight, "num")
        if spec.group_by is not None and ck.types.get(spec.group_by) != "text":
            ck.issue(
                "group_by",
                f"{spec.group_by!r} 必须是文本列（如 组别 或 inputs 里的岗位）",
                f"{spec.group_by!r} must be a text column",
            )
        if (spec.shares is None) != (spec.group_by is None):
            ck.issue("shares", "group_by 与 shares 需同时给出", "group_by and shares go together")
        if spec.shares is not None:
            try:
                share_values(spec.shares, ck.params)
            except PayError as exc:
                for x in exc.issues:
                    ck.issue(x.where, x.message, x.message_en)
            for v in spec.shares.values():
                if isinstance(v, str):
                    ck.use(v)
        if spec.group_by:
            ck.use(spec.group_by)
        return (), ()

    def parts(self, comp: Any, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        spec, nodes = comp.spec, comp.nodes
        if spec.requires_approval and spec.code not in v.approvals:
            raise fail(
                comp.where,
                f"分配方案需经{spec.requires_approval}批准后才能发放；批准后加 --approve {spec.code}",
                f"needs approval by {spec.requires_approval}; run with --approve {spec.code}",
            )
        pool = frame.select(v.num(nodes["amount"]).first()).item()
        if pool is None or pool < 0:
            raise fail(
                comp.where, f"奖金池金额 {pool} 无效（不能为负或为空）", "invalid pool amount"
            )
        pool = money(pool)
        try:
            shares = share_values(spec.shares, v.params) if spec.shares else None
        except PayError as exc:
            raise PayError(
                [Issue(f"{comp.where}.{i.where}", i.message, i.message_en) for i in exc.issues]
            ) from None
        groups = group_cents(int(pool / CENT), shares)
        group = pl.col(spec.group_by) if spec.group_by else pl.lit("")
        cond = v.num(nodes["when"]) if "when" in nodes else pl.lit(True)
        checked = frame.select(
            "employee", cond.alias(_WHEN), v.num(nodes["weight"]).alias(_W), group.alias(_G)
        )
        self._refuse_bad_weights(comp, checked)
        split = vector_split(
            checked, pl.col(_WHEN), pl.col(_W), pl.col(_G) if spec.group_by else None, groups
        )

        def per_group(e: pl.Expr) -> pl.Expr:
            return e.over(_G) if spec.group_by else e

        member = pl.col(_WHEN) & pl.col(_G).is_in(list(groups))
        out = checked.with_columns(split).select(
            pl.col("_c").alias("amount"),
            pl.col("_extra").alias("extra"),
            member.alias("member"),
            pl.when(member).then(pl.col(_W)).alias("w"),
            per_group(pl.when(member).then(pl.col(_W)).sum()).cast(DEC).alias("total"),
            per_group(member.sum()).alias("n"),
        )
        v.pools.append(
            PoolSummary(
                spec.code,
                spec.name,
                pool,
                tuple((g, Decimal(c) * CENT) for g, c in groups.items()),
                money(Decimal(out["amount"].sum())),
            )
        )
        v.notes[spec.code] = (groups, shares, pool)
        return {name: pl.lit(out[name]) for name in out.columns}

    @staticmethod
    def _refuse_bad_weights(comp: Any, checked: pl.DataFrame) -> None:
        """A condition or weight that cannot be computed, or a negative weight, for someone
        who shares: the pool cannot be split."""
        if checked[_WHEN].null_count():
            raise fail(comp.where, "无法分配：除数为 0", "cannot split: division by zero")
        weights = checked.filter(pl.col(_WHEN))[_W]
        if weights.null_count():
            raise fail(comp.where, "无法分配：除数为 0", "cannot split: division by zero")
        negative = weights.filter(weights < 0)
        if len(negative):
            w = fmt(negative[0])
            raise fail(
                comp.where,
                f"无法分配：权重 {comp.spec.weight} = {w} 为负",
                f"cannot split: negative weight {w}",
            )

    def amount(self, comp: Any, p: Parts) -> pl.Expr:
        return p["amount"]

    def trace(self, comp: Any, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        spec, nodes = comp.spec, comp.nodes
        groups, shares, pool = v.notes[spec.code]
        head = f"奖金池 {spec.amount} = {fmt(pool, 2)}"
        head_en = f"pool {spec.amount} = {fmt(pool, 2)}"
        group = pl.col(spec.group_by) if spec.group_by else pl.lit("")
        why: pl.Expr = (
            concat(f"不满足条件 {spec.when}（", v.vars(nodes["when"]), "）")
            if "when" in nodes
            else pl.lit("")
        )
        if spec.group_by:
            unfunded = concat(f"{spec.group_by}「", group, "」没有分配份额")
            why = pl.when(group.is_in(list(groups))).then(why).otherwise(unfunded)
        out_zh = concat(head, "；", why, "，不参与分配")
        out_en = pl.lit(f"{head_en}; not a member ({spec.when or spec.group_by})")
        share_zh: pl.Expr | str = ""
        share_en: pl.Expr | str = ""
        if shares:
            names = list(shares)
            at = group.replace_strict(names, list(range(len(names))), default=None)
            cut = [f"{pct(shares[g])} = {fmt(Decimal(groups[g]) * CENT, 2)}" for g in names]
            share_zh = concat("；", group, " 份额 ", pick(at, cut))
            share_en = concat("; ", group, " share ", pick(at, cut))
        if spec.weight.strip() == "1":
            how = concat(p["n"].cast(pl.String), " 人平分")
            how_en = concat("split equally among ", p["n"].cast(pl.String))
        else:
            w, total = fmt_expr(p["w"]), fmt_expr(p["total"])
            how = concat(f"按 {label(spec.weight)} ", w, " / 合计 ", total, " 分配")
            how_en = concat(f"by {spec.weight} ", w, " of ", total)
        extra = p["extra"]
        in_zh = concat(
            head,
            share_zh,
            "；",
            how,
            " = ",
            fmt2_expr(p["amount"]),
            pl.when(extra).then(pl.lit("（含尾差分配 0.01）")).otherwise(pl.lit("")),
        )
        in_en = concat(
            head_en,
            share_en,
            "; ",
            how_en,
            " = ",
            fmt2_expr(p["amount"]),
            pl.when(extra).then(pl.lit(" (incl. one remainder cent)")).otherwise(pl.lit("")),
        )
        member = p["member"]
        return (
            pl.when(member).then(in_zh).otherwise(out_zh),
            pl.when(member).then(in_en).otherwise(out_en),
        )
