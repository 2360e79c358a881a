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
    check_bands,
    parse,
    parse_band,
    typecheck,
    variables,
)
from jixiao.pay._compiled import BUILTINS, CompiledComponent, CompiledPlan
from jixiao.pay._errors import Issue, PayError
from jixiao.pay._num import fmt, to_decimal
from jixiao.pay._plan import PayPlan
from jixiao.pay.kinds import REGISTRY
from jixiao.pay.kinds._base import Checks

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
    params = {k: p.value for k, p in plan.parameters.items()}
    for i, spec in enumerate(plan.components):
        ck = _Checker(plan, i, types, codes, params, issues, used)
        if not _IDENT.match(spec.code):
            ck.issue(
                "code",
                f"代码 {spec.code!r} 只能含字母、汉字、数字、下划线",
                "a code may hold letters, digits and underscores only",
            )
        elif spec.code in types:
            ck.issue(
                "code",
                f"代码 {spec.code!r} 与参数、输入或内置名称重复",
                f"code {spec.code!r} clashes with a parameter, input or built-in",
            )
        ck.expr("when", spec.when, "bool")
        bands, line_bands = REGISTRY[spec.kind].check(spec, ck)
        compiled.append(CompiledComponent(i, spec, ck.nodes, tuple(bands), tuple(line_bands)))
    for n in list(used):
        if n in plan.lookups:
            used.add(plan.lookups[n].key)
    if issues:
        raise PayError(issues)
    return CompiledPlan(plan, tuple(compiled), types, frozenset(used))


class _Checker(Checks):
    """Checks one component: parses its expressions against the names known at its place in
    the plan (earlier components only) and collects every problem as an issue."""

    def __init__(
        self,
        plan: PayPlan,
        index: int,
        types: dict[str, Type],
        codes: dict[str, int],
        params: dict[str, Any],
        issues: list[Issue],
        used: set[str],
    ) -> None:
        self.plan, self.index, self.types, self.codes = plan, index, types, codes
        self.params, self.issues, self.used = params, issues, used
        self.spec = plan.components[index]
        self.where = f"components[{index}]「{self.spec.name}」"
        self.nodes: dict[str, Node] = {}

    def issue(self, path: str, message: str, message_en: str) -> None:
        self.issues.append(Issue(f"{self.where}.{path}", message, message_en))

    def use(self, name: str) -> None:
        self.used.add(name)

    def node(self, path: str) -> Node | None:
        return self.nodes.get(path)

    def expr(self, path: str, src: str | None, want: Type, *, aggregates: bool = False) -> None:
        if src is None:
            return
        try:
            node = parse(src, PAY)
        except FormulaError as exc:
            at = "" if exc.pos is None else f"第 {exc.pos + 1} 个字符处："
            at_en = "" if exc.pos is None else f" at {exc.pos + 1}"
            self.issue(path, f"{src!r}：{at}{exc.reason}", exc.reason_en + at_en)
            return
        if self._refers_forward(path, node):
            return
        env = dict(self.types)
        env.update({c.code: "num" for c in self.plan.components[: self.index]})
        env.update({n: "num" for n in variables(node) if n.startswith(("items.", "dims."))})
        try:
            got = typecheck(node, text=src, types=env, aggregates=aggregates)
        except FormulaError as exc:
            known = "、".join(sorted(env)[:40])
            extra = f"；可用名称：{known}" if "未知名称" in exc.reason else ""
            self.issue(path, f"{src!r}：{exc.reason}{extra}", exc.reason_en)
            return
        if got != want:
            self.issue(
                path,
                f"{src!r} 应为{'条件' if want == 'bool' else '数值'}",
                f"{src!r} must be a {want}",
            )
            return
        self.used.update(variables(node))
        self.nodes[path] = node

    def _refers_forward(self, path: str, node: Node) -> bool:
        i, codes = self.index, self.codes
        for n in sorted(variables(node)):
            if n in codes and codes[n] >= i:
                later = self.plan.components[codes[n]]
                what = (
                    "自身"
                    if codes[n] == i
                    else f"后面的组件 components[{codes[n]}]「{later.name}」"
                )
                self.issue(
                    path,
                    f"组件「{self.spec.name}」引用了{what}（{n}）：只能引用排在前面的组件，请调整顺序",
                    f"component {self.spec.code!r} refers to "
                    f"{'itself' if codes[n] == i else f'later component {n!r}'}; "
                    "only earlier components may be used",
                )
                return True
        return False

    def bands(
        self, raw: list[dict[str, Any]], path: str, value_key: str, domain: Any = None
    ) -> list[Band]:
        """Read a band table (bounds exact as written); overlaps, gaps and uncovered parts of
        ``domain`` are issues naming the table."""
        out: list[Band] = []
        for i, b in enumerate(raw):
            try:
                out.append(parse_band(b, where=f"{self.where}.{path}[{i}]", value_key=value_key))
            except ValueError as exc:
                self.issue(f"{path}[{i}]", str(exc), str(exc))
        if len(out) == len(raw):
            for found in check_bands(out, domain=domain):
                self.issue(path, found.message, found.message_en)
        return out

    def number_bands(self, bands: list[Band], path: str) -> tuple[Band, ...] | None:
        out = []
        for k, b in enumerate(bands):
            try:
                out.append(replace(b, value=to_decimal(b.value)))
            except ValueError:
                self.issue(f"{path}[{k}].value", f"{b.value!r} 不是数值", "not a number")
        return tuple(out) if len(out) == len(bands) else None
