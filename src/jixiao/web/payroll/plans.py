"""Pay plan documents: validation with ``jixiao.pay`` and the built-in plan library."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jixiao.files import DocumentError, load_document
from jixiao.pay import CompiledPlan, Issue, PayError, build_plan, builtin_paths, compile_plan

__all__ = [
    "AdjustmentSpec",
    "BuiltinPlan",
    "PlanMessage",
    "adjustment_specs",
    "builtin_plans",
    "compile_text",
    "validate_plan_yaml",
]


@dataclass(frozen=True)
class PlanMessage:
    level: str  # error | warning
    path: str
    message: str
    message_en: str = ""


@dataclass(frozen=True)
class BuiltinPlan:
    key: str
    code: str
    title: str
    yaml_text: str


@dataclass(frozen=True)
class AdjustmentSpec:
    """A one-off reward/penalty component whose amount (and reason) come from input columns."""

    code: str
    name: str
    amount_column: str
    reason_column: str | None


def _parse(text: str) -> dict:
    try:
        doc = load_document(text, name="薪酬方案", syntax="yaml")
    except DocumentError as exc:
        where = exc.position or "YAML"
        raise PayError([Issue(where, f"YAML 格式错误：{exc.reason}", exc.reason_en)]) from None
    if not isinstance(doc, dict):
        raise PayError([_issue("(根)", "薪酬方案应是一个 YAML 映射（code、name、components…）。")])
    return doc


def _issue(where: str, message: str) -> Issue:
    return Issue(where, message, "")


def compile_text(text: str) -> CompiledPlan:
    """Parse, validate and compile a plan document; raises :class:`PayError` with every issue."""
    return _compile_cached(text)


@lru_cache(maxsize=64)
def _compile_cached(text: str) -> CompiledPlan:
    return compile_plan(build_plan(_parse(text)))  # build_plan also restores YAML's `on:` key


def validate_plan_yaml(text: str) -> list[PlanMessage]:
    """Every problem ``jixiao pay check`` would report (empty list: the plan is valid)."""
    if not text.strip():
        return [PlanMessage("error", "(根)", "方案为空：请粘贴 YAML 或从内置方案开始。")]
    try:
        compile_text(text)
    except PayError as exc:
        return [PlanMessage("error", i.where, i.message, i.message_en) for i in exc.issues]
    return []


def builtin_plans() -> list[BuiltinPlan]:
    out = []
    for path in builtin_paths():
        text = path.read_text(encoding="utf-8")
        try:
            plan = compile_text(text).plan
        except PayError:  # pragma: no cover - built-ins are tested by the pay engine
            continue
        out.append(
            BuiltinPlan(f"lib:{path.stem}", plan.code, f"{plan.name}（内置 {plan.code}）", text)
        )
    return out


def adjustment_specs(plan: CompiledPlan) -> list[AdjustmentSpec]:
    """The plan's ``adjustment`` components whose amount is a plain input column."""
    inputs = {s.name for s in plan.plan.inputs}
    out = []
    for c in plan.components:
        entry = c.kind.manual_entry(c.spec, inputs)
        if entry is not None:
            out.append(AdjustmentSpec(c.code, c.spec.name, *entry))
    return out
