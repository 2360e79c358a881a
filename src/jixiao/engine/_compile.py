"""Turn a validated scheme document into the engine's compiled form, collecting every issue.

Compilation resolves numbers ("35%"), parses formulas, builds band tables and rule objects,
and checks what a single field cannot: points adding up, weights summing to 100, bands that
overlap or leave gaps, formulas naming undeclared inputs, rater weights summing to 1.
"""

from __future__ import annotations

from typing import Any

from jixiao import formula as F
from jixiao.engine import _model as M
from jixiao.engine._checks import NAME as _NAME
from jixiao.engine._checks import Collector as _Collector
from jixiao.engine._checks import close as _close
from jixiao.engine._checks import num as _num
from jixiao.engine._compiled import CDimension, CEligibility, CItem, CompiledScheme
from jixiao.engine._issues import Issue
from jixiao.engine._numfmt import UNITS
from jixiao.engine.kinds import BY_NAME, Operand, Site
from jixiao.formula import Band, check_bands, parse_band

__all__ = ["CDimension", "CItem", "CompiledScheme", "compile_scheme"]


class _Compiler:
    def __init__(self, scheme: M.Scheme) -> None:
        self.s = scheme
        self.out = _Collector()
        self.params = {k: _num(v, f"params.{k}", self.out) for k, v in scheme.params.items()}
        self.units: dict[str, str] = {k: v.unit for k, v in scheme.metrics.items()}
        self.units.update({k: v.unit for k, v in scheme.targets.items()})
        self.known = set(scheme.metrics) | set(scheme.targets) | set(self.params)
        for kind, names in (
            ("metrics", scheme.metrics),
            ("targets", scheme.targets),
            ("params", scheme.params),
        ):
            for name in names:
                if not _NAME.match(name) or name in F.RESERVED_WORDS:
                    self.out.error(
                        f"{kind}.{name}",
                        f"输入名 “{name}” 不能在公式中使用：只能用英文字母、数字和下划线、不以数字开头，"
                        "且不能是 and/or/not/min/max 等保留字",
                        f"input name {name!r} is not usable in formulas",
                    )
        for name, spec in [*scheme.metrics.items(), *scheme.targets.items()]:
            if spec.unit not in UNITS:
                self.out.warn(
                    f"metrics.{name}.unit",
                    f"未知单位 “{spec.unit}”，按普通数字显示；可用：{'、'.join(UNITS)}",
                    f"unknown unit {spec.unit!r}; shown as a plain number",
                )
        for name in set(scheme.metrics) & set(scheme.targets):
            self.out.error(
                f"targets.{name}",
                f"“{name}” 同时声明为指标和目标，请改名",
                f"{name!r} is both a metric and a target",
            )
        for name, spec in scheme.targets.items():
            if (
                spec.default is not None
                and _num(spec.default, f"targets.{name}.default", self.out) == 0
            ):
                self.out.warn(
                    f"targets.{name}.default",
                    "目标默认值为 0：按比例计分时无法计算完成率",
                    "a target of zero: attainment cannot be computed",
                )

    # -- formulas
    def operand(
        self, raw: Any, path: str, unit: str = "number", *, condition: bool = False
    ) -> Operand | None:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return Operand(F.Num(float(raw), repr(raw)), str(raw), unit)
        text = str(raw).strip()
        try:
            node = F.parse(text)
        except F.FormulaError as exc:
            self.out.error(path, str(exc), f"formula {text!r}: {exc.reason}")
            return None
        if F.is_condition(node) != condition:
            want = "条件（如 absent_days > 20）" if condition else "数值"
            self.out.error(
                path,
                f"“{text}” 应当是{want}",
                f"{text!r} should be a {'condition' if condition else 'number'}",
            )
            return None
        for name in sorted(F.variables(node)):
            if name not in self.known:
                self.out.error(
                    path,
                    f"公式 “{text}” 用到未声明的输入 “{name}”"
                    f"{_close(name, (k for k in self.known if _NAME.match(k)))}"
                    "（请在 metrics、targets 或 params 中声明）",
                    f"formula {text!r} uses undeclared input {name!r}; declare it under metrics, targets or params",
                )
        if isinstance(node, F.Var):
            unit = self.units.get(node.name, unit)
        elif isinstance(node, F.Num) and node.text.endswith("%"):
            unit = "percent"
        return Operand(node, text, unit)

    # -- bands
    def bands(self, specs: list[Any], path: str, value_key: str, fmt: Any) -> tuple[Band, ...]:
        out: list[Band] = []
        for i, spec in enumerate(specs):
            raw = spec.bounds() if hasattr(spec, "bounds") else spec
            try:
                out.append(parse_band(raw, where=f"{path}[{i}]", value_key=value_key))
            except ValueError as exc:
                self.out.error(f"{path}[{i}]", str(exc), str(exc))
        if len(out) == len(specs):
            for issue in check_bands(out, fmt=fmt):
                where = f"{path}[{issue.index}]"
                self.out.error(where, issue.message, issue.message_en)
        return tuple(out)

    # -- items
    def item(self, it: M.Item, dim: str, path: str) -> CItem:
        unit = it.unit or "number"
        if it.unit and it.unit not in UNITS:
            self.out.warn(f"{path}.unit", f"未知单位 “{it.unit}”", f"unknown unit {it.unit!r}")
        points = 0.0
        if it.type == "veto":
            if it.points is not None or it.weight is not None:
                self.out.error(
                    f"{path}.points", "否决项没有分值，请删除 points", "a veto item has no points"
                )
            if it.rule is not None:
                self.out.error(
                    f"{path}.rule",
                    "否决项用 when 写触发条件，不用 rule",
                    "veto items use 'when', not 'rule'",
                )
            when = None
            scope: tuple[str, str | None] = ("total", None)
            if not it.when:
                self.out.error(
                    f"{path}.when",
                    "否决项需要 when 条件，如 fatal_errors >= 1",
                    "a veto item needs 'when'",
                )
            else:
                when = self.operand(it.when, f"{path}.when", condition=True)
                scope = self.scope(it.scope, f"{path}.scope")
            name_en = it.name_en or it.name
            return CItem(it.code, it.name, name_en, "veto", 0.0, dim, unit, None, None, when, scope)
        if it.when is not None:
            self.out.error(
                f"{path}.when", "只有否决项（type: veto）使用 when", "'when' is for veto items only"
            )
        if it.points is not None and it.weight is not None:
            self.out.error(
                f"{path}", "points 与 weight 只写一个", "give points or weight, not both"
            )
        raw_points = it.points if it.points is not None else it.weight
        if raw_points is None:
            self.out.error(
                f"{path}.points", "缺少分值 points（或权重 weight）", "missing points (or weight)"
            )
        else:
            points = _num(raw_points, f"{path}.points", self.out)
            if points <= 0:
                self.out.error(f"{path}.points", "分值必须大于 0", "points must be above 0")
        value = None
        if it.value is not None:
            value = self.operand(it.value, f"{path}.value", unit)
        elif it.rule is not None and BY_NAME[it.rule.kind].uses_value:
            default = it.indicator if it.indicator in self.known else it.code
            if default in self.known:
                value = self.operand(default, f"{path}.value", unit)
            else:
                self.out.error(
                    f"{path}.value",
                    f"没有写 value，也没有名为 “{it.code}” 的输入{_close(it.code, self.known)}",
                    f"no 'value' and no input named {it.code!r}",
                )
        if value is not None and it.unit is None:
            unit = value.unit
        if it.rule is None:
            self.out.error(f"{path}.rule", "缺少计分规则 rule", "missing 'rule'")
            rule = None
        else:
            site = Site(points, it.type, unit, f"{path}.rule")
            rule = BY_NAME[it.rule.kind].from_doc(it.rule, site, self)
        return CItem(
            it.code,
            it.name,
            it.name_en or it.name,
            it.type,
            points,
            dim,
            unit,
            value,
            rule,
        )

    def scope(self, raw: str, path: str) -> tuple[str, str | None]:
        if raw == "total":
            return ("total", None)
        kind, _, code = raw.partition(":")
        if kind == "dimension" and code in {d.code for d in self.s.dimensions}:
            return ("dimension", code)
        if kind == "item" and code in {i.code for d in self.s.dimensions for i in d.items}:
            return ("item", code)
        self.out.error(
            path,
            f"否决范围 “{raw}” 无效：写 total、dimension:<维度代码> 或 item:<指标代码>",
            f"invalid scope {raw!r}",
        )
        return ("total", None)

    def compile(self) -> CompiledScheme:
        s = self.s
        full = _num(s.full_score, "full_score", self.out, 100.0)
        min_score = _num(s.min_score, "min_score", self.out)
        dims: list[CDimension] = []
        seen_items: dict[str, str] = {}
        for d in s.dimensions:
            dpath = f"dimensions.{d.code}"
            items = []
            for it in d.items:
                ipath = f"{dpath}.items.{it.code}"
                if it.code in seen_items:
                    self.out.error(
                        ipath,
                        f"指标代码 “{it.code}” 与 {seen_items[it.code]} 重复",
                        f"item code {it.code!r} repeats",
                    )
                seen_items[it.code] = ipath
                items.append(self.item(it, d.code, ipath))
            weight = None if d.weight is None else _num(d.weight, f"{dpath}.weight", self.out)
            dims.append(CDimension(d.code, d.name, d.name_en or d.name, weight, tuple(items)))
        codes = [d.code for d in s.dimensions]
        for c in {c for c in codes if codes.count(c) > 1}:
            self.out.error(
                f"dimensions.{c}", f"维度代码 “{c}” 重复", f"dimension code {c!r} repeats"
            )
        for c in sorted(set(codes) & set(seen_items)):
            self.out.error(
                seen_items[c],
                f"考核项代码 “{c}” 与维度代码相同；结果表中两者各占一列，请改名",
                f"item code {c!r} equals a dimension code; rename one",
            )
        self._check_totals(dims, full)
        bonus = sum(i.points for d in dims for i in d.items if i.type == "bonus")
        # A ratio capped above 100% can lift a normal item above its points, too.
        for cd in dims:
            excess = sum(max(0.0, i.max_points - i.points) for i in cd.items if i.type == "normal")
            if cd.weight is not None and cd.full:
                excess *= _weight_fraction(dims, cd) * full / cd.full
            bonus += excess
        max_score = (
            full + bonus if s.max_score is None else _num(s.max_score, "max_score", self.out, full)
        )
        if max_score < full:
            self.out.error(
                "max_score", f"封顶分 {max_score:g} 低于满分 {full:g}", "max_score below full_score"
            )
        if bonus and max_score == full:
            self.out.warn(
                "max_score",
                "有加分项，但封顶分等于满分：加分无法超过满分",
                "bonus items cannot lift the total above full",
            )
        grades = self.bands(s.grades, "grades", "grade", None)
        if grades and len(grades) == len(s.grades):
            for issue in check_bands(grades, domain=(min_score, max_score)):
                if issue.kind.startswith("uncovered"):
                    self.out.error(
                        f"grades[{issue.index}]",
                        f"等级表没有覆盖全部分数 {min_score:g}–{max_score:g}：{issue.message}",
                        issue.message_en,
                    )
        grade_en = {g.grade: g.label_en or g.grade for g in s.grades}
        elig = []
        for i, e in enumerate(s.eligibility):
            op = self.operand(e.when, f"eligibility[{i}].when", condition=True)
            if op is not None:
                elig.append(CEligibility(op, e.label, e.label_en or e.label))
        return CompiledScheme(
            scheme=s,
            dimensions=tuple(dims),
            grades=grades,
            grade_en=grade_en,
            eligibility=tuple(elig),
            full_score=full,
            max_score=max_score,
            min_score=min_score,
            params=self.params,
            units=self.units,
        )

    def _check_totals(self, dims: list[CDimension], full: float) -> None:
        weighted = [d for d in dims if d.weight is not None]
        if weighted and len(weighted) != len(dims):
            missing = "、".join(d.code for d in dims if d.weight is None)
            self.out.error(
                "dimensions",
                f"部分维度写了权重，部分没写（缺：{missing}）",
                f"some dimensions lack a weight: {missing}",
            )
            return
        if weighted:
            total = sum(d.weight or 0 for d in dims)
            if abs(total - 100) > 1e-9 and abs(total - 1) > 1e-9:
                shown = " + ".join(f"{d.name} {d.weight:g}" for d in dims)
                self.out.error(
                    "dimensions",
                    f"维度权重合计 {total:g}（{shown}），应为 100",
                    f"dimension weights sum to {total:g}; they must sum to 100",
                )
            for d in dims:
                if d.full <= 0:
                    self.out.error(
                        f"dimensions.{d.code}",
                        "该维度没有计分项",
                        "the dimension has no normal items",
                    )
            return
        total = sum(d.full for d in dims)
        if abs(total - full) > 1e-9:
            shown = " + ".join(f"{d.name} {d.full:g}" for d in dims)
            self.out.error(
                "dimensions",
                f"各项分值合计 {total:g}（{shown}），与满分 {full:g} 不符：请调整分值，或为维度写上权重",
                f"item points add up to {total:g} ({shown}), not the full score {full:g}",
            )


def _weight_fraction(dims: list[CDimension], d: CDimension) -> float:
    total = sum(x.weight or 0 for x in dims)
    return (d.weight or 0) / 100 if total > 1.5 else (d.weight or 0)


def compile_scheme(scheme: M.Scheme) -> tuple[CompiledScheme, list[Issue]]:
    c = _Compiler(scheme)
    compiled = c.compile()
    return compiled, c.out.issues
