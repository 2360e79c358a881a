"""Check a plan: expressions, names, order, band tables, pool shares.

Every problem found is reported at once, each naming the field path (e.g.
``components[3]「绩效奖金」.bands``) and, for references, both components involved.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from jixiao.formula import (
    PAY,
    Band,
    FormulaError,
    Node,
    Type,
    parse,
    typecheck,
    variables,
    variables_outside_aggregates,
)
from jixiao.pay._compiled import (
    BUILTINS,
    CompiledComponent,
    CompiledPlan,
    parse_bands,
    share_values,
)
from jixiao.pay._errors import Issue, PayError
from jixiao.pay._num import fmt, to_decimal
from jixiao.pay._plan import Commission, PayPlan, Piecewise, Pool, Tiers

_IDENT = re.compile(r"^[^\W\d]\w*$")


def compile_plan(plan: PayPlan) -> CompiledPlan:
    """Check everything that can be checked without data; raise :class:`PayError` listing all issues."""
    issues: list[Issue] = []
    types: dict[str, Type] = dict(BUILTINS)
    for name, p in plan.parameters.items():
        types[name] = "num"
        if (p.min is not None and p.value < p.min) or (p.max is not None and p.value > p.max):
            issues.append(
                Issue(
                    f"parameters.{name}",
                    f"取值 {fmt(p.value)} 超出 [{p.min}, {p.max}]",
                    "value outside [min, max]",
                )
            )
    for i, inp in enumerate(plan.inputs):
        if inp.name in types:
            issues.append(
                Issue(
                    f"inputs[{i}]",
                    f"名称 {inp.name!r} 与内置名称或参数重复",
                    f"name {inp.name!r} clashes with a built-in or parameter",
                )
            )
        types[inp.name] = "num" if inp.type == "number" else "text"
    for name, lk in plan.lookups.items():
        if types.get(lk.key) != "text":
            issues.append(
                Issue(
                    f"lookups.{name}.key",
                    f"{lk.key!r} 必须是 inputs 里的文本列",
                    f"{lk.key!r} must be a text input",
                )
            )
        types[name] = "num"
    codes: dict[str, int] = {}
    for i, c in enumerate(plan.components):
        codes.setdefault(c.code, i)
    if len(codes) != len(plan.components):
        seen: dict[str, int] = {}
        for i, c in enumerate(plan.components):
            if c.code in seen:
                issues.append(
                    Issue(
                        f"components[{i}].code",
                        f"代码 {c.code!r} 与 components[{seen[c.code]}] 重复",
                        f"code {c.code!r} duplicates components[{seen[c.code]}]",
                    )
                )
            seen.setdefault(c.code, i)
    used: set[str] = set()
    compiled: list[CompiledComponent] = []
    spec: Any
    for i, spec in enumerate(plan.components):
        where = f"components[{i}]「{spec.name}」"
        if not _IDENT.match(spec.code):
            issues.append(
                Issue(
                    f"{where}.code",
                    f"代码 {spec.code!r} 只能含字母、汉字、数字、下划线",
                    "a code may hold letters, digits and underscores only",
                )
            )
        elif spec.code in types:
            issues.append(
                Issue(
                    f"{where}.code",
                    f"代码 {spec.code!r} 与参数、输入或内置名称重复",
                    f"code {spec.code!r} clashes with a parameter, input or built-in",
                )
            )
        nodes: dict[str, Node] = {}

        def expr(
            path: str,
            src: str | None,
            want: Type,
            *,
            aggregates: bool = False,
            i: int = i,
            spec: Any = spec,
            where: str = where,
            nodes: dict[str, Node] = nodes,
        ) -> None:
            if src is None:
                return
            try:
                node = parse(src, PAY)
            except FormulaError as exc:
                at = "" if exc.pos is None else f"第 {exc.pos + 1} 个字符处："
                at_en = "" if exc.pos is None else f" at {exc.pos + 1}"
                issues.append(
                    Issue(f"{where}.{path}", f"{src!r}：{at}{exc.reason}", exc.reason_en + at_en)
                )
                return
            for n in sorted(variables(node)):
                if n in codes and codes[n] >= i:
                    later = plan.components[codes[n]]
                    what = (
                        "自身"
                        if codes[n] == i
                        else f"后面的组件 components[{codes[n]}]「{later.name}」"
                    )
                    issues.append(
                        Issue(
                            f"{where}.{path}",
                            f"组件「{spec.name}」引用了{what}（{n}）：只能引用排在前面的组件，请调整顺序",
                            f"component {spec.code!r} refers to {'itself' if codes[n] == i else f'later component {n!r}'}; "
                            "only earlier components may be used",
                        )
                    )
                    return
            env = dict(types)
            env.update({c.code: "num" for c in plan.components[:i]})
            env.update({n: "num" for n in variables(node) if n.startswith(("items.", "dims."))})
            try:
                got = typecheck(node, text=src, types=env, aggregates=aggregates)
            except FormulaError as exc:
                known = "、".join(sorted(env)[:40])
                extra = f"；可用名称：{known}" if "未知名称" in exc.reason else ""
                issues.append(
                    Issue(f"{where}.{path}", f"{src!r}：{exc.reason}{extra}", exc.reason_en)
                )
                return
            if got != want:
                issues.append(
                    Issue(
                        f"{where}.{path}",
                        f"{src!r} 应为{'条件' if want == 'bool' else '数值'}",
                        f"{src!r} must be a {want}",
                    )
                )
                return
            used.update(variables(node))
            nodes[path] = node

        expr("when", spec.when, "bool")
        bands: list[Band] = []
        line_bands: list[tuple[Band, ...] | None] = []
        match spec.kind:
            case "formula":
                expr("amount", spec.amount, "num")
            case "prorate":
                expr("base", spec.base, "num")
                expr("due_days", spec.due_days, "num")
                expr("actual_days", spec.actual_days, "num")
            case "attendance_bonus":
                expr("base", spec.base, "num")
                for k, rule in enumerate(spec.forfeit):
                    expr(f"forfeit[{k}].when", rule.when, "bool")
            case "per_count":
                expr("count", spec.count, "num")
            case "tiers":
                assert isinstance(spec, Tiers)
                expr("on", spec.on, "num")
                expr("times", spec.times, "num")
                bands = parse_bands(spec.bands, f"{where}.bands", "value", spec.domain, issues)
                for k, db in enumerate(bands):
                    try:
                        bands[k] = replace(db, value=to_decimal(db.value))
                    except ValueError:
                        issues.append(
                            Issue(
                                f"{where}.bands[{k}].value",
                                f"{db.value!r} 不是数值",
                                "not a number",
                            )
                        )
            case "piecewise":
                assert isinstance(spec, Piecewise)
                expr("on", spec.on, "num")
                bands = parse_bands(spec.bands, f"{where}.bands", "amount", spec.domain, issues)
                for k, db in enumerate(bands):
                    expr(f"bands[{k}].amount", str(db.value), "num")
            case "commission":
                assert isinstance(spec, Commission)
                expr("tier_on", spec.tier_on, "num")
                for k, line in enumerate(spec.lines):
                    expr(f"lines[{k}].sales", line.sales, "num")
                    if (line.rate is None) == (line.rates is None):
                        issues.append(
                            Issue(
                                f"{where}.lines[{k}]",
                                "请给出 rate（固定比例）或 rates（分档），二选一",
                                "give either rate or rates",
                            )
                        )
                        line_bands.append(None)
                    elif line.rates is not None:
                        if spec.tier_on is None:
                            issues.append(
                                Issue(
                                    f"{where}.tier_on",
                                    "分档提成需要 tier_on（按什么分档）",
                                    "tiered rates need tier_on",
                                )
                            )
                        lb = parse_bands(
                            line.rates, f"{where}.lines[{k}].rates", "value", None, issues
                        )
                        try:
                            line_bands.append(
                                tuple(replace(d, value=to_decimal(d.value)) for d in lb)
                            )
                        except ValueError:
                            issues.append(
                                Issue(
                                    f"{where}.lines[{k}].rates",
                                    "比例必须是数值",
                                    "rates must be numbers",
                                )
                            )
                    else:
                        line_bands.append(None)
            case "pool":
                assert isinstance(spec, Pool)
                expr("amount", spec.amount, "num", aggregates=True)
                if "amount" in nodes:
                    loose = sorted(
                        variables_outside_aggregates(nodes["amount"]) - set(plan.parameters)
                    )
                    if loose:
                        issues.append(
                            Issue(
                                f"{where}.amount",
                                f"奖金池金额对所有人相同，只能用参数和 sum()/count()；"
                                f"{', '.join(loose)} 请放进 sum() 或改为参数",
                                f"a pool amount may use parameters and sum()/count() only: {loose}",
                            )
                        )
                expr("weight", spec.weight, "num")
                if spec.group_by is not None and types.get(spec.group_by) != "text":
                    issues.append(
                        Issue(
                            f"{where}.group_by",
                            f"{spec.group_by!r} 必须是文本列（如 组别 或 inputs 里的岗位）",
                            f"{spec.group_by!r} must be a text column",
                        )
                    )
                if (spec.shares is None) != (spec.group_by is None):
                    issues.append(
                        Issue(
                            f"{where}.shares",
                            "group_by 与 shares 需同时给出",
                            "group_by and shares go together",
                        )
                    )
                if spec.shares is not None:
                    try:
                        share_values(spec, {k: p.value for k, p in plan.parameters.items()})
                    except PayError as exc:
                        issues.extend(
                            Issue(f"{where}.{x.where}", x.message, x.message_en) for x in exc.issues
                        )
                    used.update(v for v in spec.shares.values() if isinstance(v, str))
                if spec.group_by:
                    used.add(spec.group_by)
            case "adjustment":
                expr("amount", spec.amount, "num")
                if spec.reason is not None and types.get(spec.reason) != "text":
                    issues.append(
                        Issue(
                            f"{where}.reason",
                            f"{spec.reason!r} 必须是 inputs 里的文本列",
                            f"{spec.reason!r} must be a text input",
                        )
                    )
                elif spec.reason:
                    used.add(spec.reason)
        compiled.append(CompiledComponent(i, spec, nodes, tuple(bands), tuple(line_bands)))
    for n in list(used):
        if n in plan.lookups:
            used.add(plan.lookups[n].key)
    if issues:
        raise PayError(issues)
    return CompiledPlan(plan, tuple(compiled), types, frozenset(used))
