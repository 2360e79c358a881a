"""The test oracle of the pay engine: every amount and trace recomputed one employee at a time
with plain Python ``Decimal``, independently of the Polars pass that production runs.

This is the per-employee evaluator that once ran in production next to the vectorised pass
(``jixiao.pay._explain`` and ``jixiao.formula._scalar``'s Decimal evaluator); production now
computes once, and the hypothesis properties compare it with this oracle row by row. The
benchmark times it as "the per-employee Decimal loop".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from jixiao.formula import AGGREGATES, Band, Binary, Bool, Call, Node, Num, Str, Unary, Var
from jixiao.formula import variables as names
from jixiao.formula._decimal import div, mul, q, round_half_up
from jixiao.pay import CompiledPlan, Line, PayData, split_members
from jixiao.pay._compiled import CompiledComponent
from jixiao.pay._errors import fail
from jixiao.pay._num import CENT, fmt, money, pct
from jixiao.pay._pool import group_cents, share_values, weight_units

__all__ = [
    "EvalError",
    "aggregates",
    "div",
    "evaluate",
    "explain",
    "explain_component",
    "mul",
    "rows_of",
]


def rows_of(data: PayData) -> list[dict[str, Any]]:
    """Each employee's values as one mapping (parameters included), as the oracle reads them."""
    return [{**data.params, **r} for r in data.frame.to_dicts()]


class EvalError(ValueError):
    def __init__(self, message: str, message_en: str) -> None:
        self.message, self.message_en = message, message_en
        super().__init__(f"{message} / {message_en}")


def evaluate(node: Node, env: Mapping[str, Any], aggs: Mapping[Node, Decimal] | None = None) -> Any:
    """Evaluate ``node`` for one employee (a division by zero raises :class:`EvalError`). ``aggs`` holds precomputed sum()/count() values."""
    if isinstance(node, Num):
        return q(node.decimal)
    if isinstance(node, Bool | Str):
        return node.value
    if isinstance(node, Var):
        return env[node.name]
    if isinstance(node, Unary):
        v = evaluate(node.operand, env, aggs)
        return -v if node.op == "-" else not v
    if isinstance(node, Binary):
        if node.op == "and":
            return bool(evaluate(node.left, env, aggs)) and bool(evaluate(node.right, env, aggs))
        if node.op == "or":
            return bool(evaluate(node.left, env, aggs)) or bool(evaluate(node.right, env, aggs))
        a, b = evaluate(node.left, env, aggs), evaluate(node.right, env, aggs)
        match node.op:
            case "+":
                return a + b
            case "-":
                return a - b
            case "*":
                return mul(a, b)
            case "/":
                if b == 0:
                    raise EvalError("除数为 0", "division by zero")
                return div(a, b)
            case "<":
                return a < b
            case "<=":
                return a <= b
            case ">":
                return a > b
            case ">=":
                return a >= b
            case "==":
                return a == b
            case _:
                return a != b
    if node.fn in AGGREGATES:
        if aggs is None or node not in aggs:
            raise EvalError(f"{node.fn}() 未预先计算", f"{node.fn}() was not precomputed")
        return aggs[node]
    if node.fn == "if":
        cond = evaluate(node.args[0], env, aggs)
        return evaluate(node.args[1] if cond else node.args[2], env, aggs)
    if node.fn == "round":
        n = int(node.args[1].value) if len(node.args) == 2 and isinstance(node.args[1], Num) else 0
        return round_half_up(evaluate(node.args[0], env, aggs), n)
    vals = [evaluate(a, env, aggs) for a in node.args]
    match node.fn:
        case "min":
            return min(vals)
        case "max":
            return max(vals)
        case "floor":
            return q(vals[0].to_integral_value(rounding=ROUND_FLOOR))
        case "ceil":
            return q(vals[0].to_integral_value(rounding=ROUND_CEILING))
        case _:
            return q(abs(vals[0]))


def aggregates(node: Node, rows: list[Mapping[str, Any]]) -> dict[Node, Decimal]:
    """sum()/count() values of every aggregate call inside ``node``, by a plain loop over rows."""
    out: dict[Node, Decimal] = {}

    def walk(n: Node) -> None:
        if isinstance(n, Call):
            if n.fn == "sum":
                out[n] = sum((evaluate(n.args[0], r) for r in rows), Decimal(0))
                return
            if n.fn == "count":
                out[n] = Decimal(sum(1 for r in rows if not n.args or evaluate(n.args[0], r)))
                return
            for a in n.args:
                walk(a)
        elif isinstance(n, Unary):
            walk(n.operand)
        elif isinstance(n, Binary):
            walk(n.left)
            walk(n.right)

    walk(node)
    return out


_LABEL = {
    "score": "得分",
    "grade": "等级",
    "rank": "排名",
    "group_rank": "组内排名",
    "group": "组别",
}


def _val(v: Any) -> str:
    if isinstance(v, Decimal):
        return fmt(v)
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def _vars(node: Node, env: Mapping[str, Any]) -> str:
    """The values a trace shows, e.g. `得分 86.5，底薪 1800`."""
    return "，".join(f"{_LABEL.get(n, n)} {_val(env[n])}" for n in sorted(names(node)))


def _term(src: str, node: Node, value: Decimal, env: Mapping[str, Any]) -> str:
    """`底薪 1800` for a plain name, `500` for a constant, `expr（vars）= value` otherwise."""
    if isinstance(node, Var):
        return f"{_LABEL.get(node.name, node.name)} {fmt(value, 2)}"
    if not names(node):
        return fmt(value, 2)
    return f"{src}（{_vars(node, env)}）{fmt(value, 2)}"


def _band(bands: Sequence[Band], x: Decimal, what: str) -> tuple[int, Band]:
    for i, b in enumerate(bands):
        if b.contains(x):
            return i, b
    raise EvalError(f"{what} {fmt(x)} 不在任何一档中", f"{what} {fmt(x)} falls in no band")


def explain_component(comp: CompiledComponent, env: Mapping[str, Any]) -> tuple[Decimal, str, str]:
    """Amount (rounded to the cent) and traces of one non-pool component for one employee."""
    n, spec = comp.nodes, comp.spec
    if "when" in n and not evaluate(n["when"], env):
        why = _vars(n["when"], env)
        return (
            Decimal("0.00"),
            f"不适用：条件 {spec.when} 不成立（{why}）",
            f"not applicable: {spec.when} is false ({why})",
        )
    ev = env
    match spec.kind:
        case "formula":
            raw = evaluate(n["amount"], ev)
            amt = money(raw)
            if isinstance(n["amount"], Var):
                label = _LABEL.get(spec.amount, spec.amount)
                return amt, f"{label} = {fmt(amt, 2)}", f"{spec.amount} = {fmt(amt, 2)}"
            detail = _vars(n["amount"], ev)
            tail = f"（{detail}）" if detail else ""
            return (
                amt,
                f"{spec.amount}{tail} = {fmt(amt, 2)}",
                f"{spec.amount}{tail} = {fmt(amt, 2)}",
            )
        case "adjustment":
            amt = money(evaluate(n["amount"], ev))
            reason = str(ev.get(spec.reason, "")) if spec.reason else ""
            why = reason or "无说明"
            return (
                amt,
                f"{spec.name}（{why}）：{fmt(amt, 2)}",
                f"{spec.name} ({reason or 'no reason given'}): {fmt(amt, 2)}",
            )
        case "prorate":
            base, due, act = (evaluate(n[k], ev) for k in ("base", "due_days", "actual_days"))
            if due == 0:
                raise EvalError("应出勤天数为 0", "days due is 0")
            amt = money(mul(div(base, due), act))
            t = f"{_term(spec.base, n['base'], base, ev)} ÷ 应出勤 {fmt(due)} 天 × 实际出勤 {fmt(act)} 天 = {fmt(amt, 2)}"
            e = f"{fmt(base)} ÷ {fmt(due)} days due × {fmt(act)} days worked = {fmt(amt, 2)}"
            return amt, t, e
        case "attendance_bonus":
            base = evaluate(n["base"], ev)
            for k, rule in enumerate(spec.forfeit):
                node = n[f"forfeit[{k}].when"]
                if evaluate(node, ev):
                    return (
                        Decimal("0.00"),
                        f"取消全勤奖：{rule.reason}（{_vars(node, ev)}）",
                        f"forfeited: {rule.reason} ({_vars(node, ev)})",
                    )
            amt = money(mul(base, spec.rate))
            return (
                amt,
                f"{_term(spec.base, n['base'], base, ev)} × {pct(spec.rate)} = {fmt(amt, 2)}",
                f"{fmt(base)} × {pct(spec.rate)} = {fmt(amt, 2)}",
            )
        case "per_count":
            count = evaluate(n["count"], ev)
            amt = money(mul(count, spec.rate))
            label = (
                spec.count
                if isinstance(n["count"], Var)
                else f"{spec.count}（{_vars(n['count'], ev)}）"
            )
            return (
                amt,
                f"{label} {fmt(count)} {spec.unit} × {fmt(spec.rate)} 元 = {fmt(amt, 2)}",
                f"{fmt(count)} × {fmt(spec.rate)} yuan = {fmt(amt, 2)}",
            )
        case "tiers":
            x = evaluate(n["on"], ev)
            on = _LABEL.get(spec.on, spec.on)
            _, band = _band(comp.bands, x, on)
            times = evaluate(n["times"], ev)
            amt = money(mul(band.value, times))
            v = pct(band.value) if spec.percent else fmt(band.value)
            t_times = _term(spec.times, n["times"], times, ev)
            return (
                amt,
                f"{spec.value_name} {v}（{on} {fmt(x)}，落在 {band.describe()}）× {t_times} = {fmt(amt, 2)}",
                f"{v} ({spec.on} {fmt(x)} in {band.describe()}) × {fmt(times)} = {fmt(amt, 2)}",
            )
        case "piecewise":
            x = evaluate(n["on"], ev)
            on = _LABEL.get(spec.on, spec.on)
            k, band = _band(comp.bands, x, on)
            node = n[f"bands[{k}].amount"]
            amt = money(evaluate(node, ev))
            detail = _vars(node, ev)
            tail = f"（{detail}）" if detail else ""
            return (
                amt,
                f"{on} {fmt(x)} 落在 {band.describe()}：{band.value}{tail} = {fmt(amt, 2)}",
                f"{spec.on} {fmt(x)} in {band.describe()}: {band.value}{tail} = {fmt(amt, 2)}",
            )
        case "commission":
            total = Decimal(0)
            parts, parts_en = [], []
            tier = evaluate(n["tier_on"], ev) if "tier_on" in n else None
            for k, line in enumerate(spec.lines):
                sales = evaluate(n[f"lines[{k}].sales"], ev)
                bands = comp.line_bands[k]
                if bands is None:
                    rate, note = line.rate, ""
                else:
                    label = spec.tier_label or str(spec.tier_on)
                    assert tier is not None  # compile() requires tier_on for tiered rates
                    _, band = _band(bands, tier, label)
                    rate, note = band.value, f"（{label} {fmt(tier)}，落在 {band.describe()}）"
                total += mul(sales, rate)
                parts.append(f"{line.name} {fmt(sales, 2)} × {pct(rate)}{note}")
                parts_en.append(
                    f"{fmt(sales, 2)} × {pct(rate)}"
                    + (f" ({fmt(tier)} in {band.describe()})" if note and tier is not None else "")
                )
            amt = money(total)
            return (
                amt,
                f"{' + '.join(parts)} = {fmt(amt, 2)}",
                f"{' + '.join(parts_en)} = {fmt(amt, 2)}",
            )
    raise AssertionError(spec.kind)  # pragma: no cover


def explain_pool(
    comp: CompiledComponent,
    rows: Sequence[dict[str, Any]],
    params: Mapping[str, Decimal],
    approvals: Sequence[str] | frozenset[str],
) -> list[tuple[Decimal, str, str]]:
    """Pool shares for all employees, by a plain loop, with each person's trace."""
    spec, n = comp.spec, comp.nodes
    if spec.requires_approval and spec.code not in approvals:
        raise fail(
            comp.where,
            f"分配方案需经{spec.requires_approval}批准",
            f"needs approval by {spec.requires_approval}",
        )
    node = n["amount"]
    pool = money(evaluate(node, rows[0], aggregates(node, list(rows))))
    shares = share_values(spec.shares, dict(params)) if spec.shares else None
    groups = group_cents(int(pool / CENT), shares)
    members: dict[str, list[tuple[str, int]]] = {g: [] for g in groups}
    weights: dict[str, Decimal] = {}
    for r in rows:
        if "when" in n and not evaluate(n["when"], r):
            continue
        g = str(r[spec.group_by]) if spec.group_by else ""
        w = evaluate(n["weight"], r)
        if w < 0:
            raise EvalError(f"权重 {spec.weight} = {fmt(w)} 为负", f"negative weight {fmt(w)}")
        if g in members:
            members[g].append((r["employee"], weight_units(w)))
            weights[r["employee"]] = w
    cents: dict[str, int] = {}
    totals: dict[str, Decimal] = {}
    for g, ms in members.items():
        cents.update(split_members(groups[g], ms))
        totals[g] = sum((weights[e] for e, _ in ms), Decimal(0))
    units_of = {g: sum(u for _, u in ms) for g, ms in members.items()}
    out = []
    for r in rows:
        emp = r["employee"]
        g = str(r[spec.group_by]) if spec.group_by else ""
        head = f"奖金池 {spec.amount} = {fmt(pool, 2)}"
        if emp not in cents:
            why = (
                f"{spec.group_by}「{g}」没有分配份额"
                if spec.group_by and g not in groups
                else f"不满足条件 {spec.when}（{_vars(n['when'], r)}）"
            )
            out.append(
                (
                    Decimal("0.00"),
                    f"{head}；{why}，不参与分配",
                    f"pool {spec.amount} = {fmt(pool, 2)}; not a member ({spec.when or spec.group_by})",
                )
            )
            continue
        amt = Decimal(cents[emp]) * CENT
        ms = members[g]
        g_amt = Decimal(groups[g]) * CENT
        total_w = totals[g]
        gtxt = f"；{g} 份额 {pct(shares[g])} = {fmt(g_amt, 2)}" if shares else ""
        gtxt_en = f"; {g} share {pct(shares[g])} = {fmt(g_amt, 2)}" if shares else ""
        if spec.weight.strip() == "1":
            how, how_en = f"{len(ms)} 人平分", f"split equally among {len(ms)}"
        else:
            how = f"按 {_LABEL.get(spec.weight, spec.weight)} {fmt(weights[emp])} / 合计 {fmt(total_w)} 分配"
            how_en = f"by {spec.weight} {fmt(weights[emp])} of {fmt(total_w)}"
        # Whole cents of the exact share (in exact integers); anything above is a remainder cent.
        units = units_of[g]
        floor = groups[g] * weight_units(weights[emp]) // units if units else cents[emp]
        extra = cents[emp] > floor
        out.append(
            (
                amt,
                f"{head}{gtxt}；{how} = {fmt(amt, 2)}" + ("（含尾差分配 0.01）" if extra else ""),
                f"pool {spec.amount} = {fmt(pool, 2)}{gtxt_en}; {how_en} = {fmt(amt, 2)}"
                + (" (incl. one remainder cent)" if extra else ""),
            )
        )
    return out


def explain(
    plan: CompiledPlan,
    rows: Sequence[dict[str, Any]],
    params: Mapping[str, Decimal],
    approvals: Sequence[str] | frozenset[str] = (),
    where: Sequence[str] | None = None,
) -> list[tuple[list[Line], Decimal]]:
    """Every employee's lines and net pay, computed one person at a time."""
    envs = [dict(r) for r in rows]
    lines: list[list[Line]] = [[] for _ in envs]
    for comp in plan.components:
        spec = comp.spec
        if spec.kind == "pool":
            try:
                results = explain_pool(comp, envs, params, approvals)
            except EvalError as exc:
                raise fail(
                    comp.where, f"无法分配：{exc.message}", f"cannot split: {exc.message_en}"
                ) from None
        else:
            results = []
            for i, env in enumerate(envs):
                try:
                    results.append(explain_component(comp, env))
                except EvalError as exc:
                    at = where[i] if where else f"员工 {env['employee']}"
                    raise fail(
                        f"{at}（{env['employee']}）{comp.where}",
                        f"无法计算：{exc.message}；请检查该行数据或方案",
                        f"cannot compute: {exc.message_en}",
                    ) from None
        for i, (amt, t, e) in enumerate(results):
            envs[i][spec.code] = amt
            lines[i].append(Line(spec.code, spec.name, amt, t, e, spec.memo))
    out = []
    for ls in lines:
        net = sum((x.amount for x in ls if not x.memo), Decimal("0.00"))
        if not plan.plan.allow_negative and net < 0:
            net = Decimal("0.00")
        out.append((ls, net))
    return out
