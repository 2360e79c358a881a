"""Built-in pay plans shipped in ``jixiao/library/payplans`` (one YAML file each, plus an example
inputs CSV named ``<file stem>.inputs.csv``)."""

from __future__ import annotations

from pathlib import Path

from jixiao.pay._compiled import CompiledPlan
from jixiao.pay._errors import fail
from jixiao.pay._load import load_plan

LIBRARY = Path(__file__).resolve().parent.parent / "library" / "payplans"


def builtin_paths() -> list[Path]:
    return sorted(LIBRARY.glob("*.yaml"))


def builtin_plans() -> list[CompiledPlan]:
    return [load_plan(p) for p in builtin_paths()]


def find_plan(ref: str) -> CompiledPlan:
    """A plan by file path, or by the code / file stem of a built-in plan."""
    path = Path(ref)
    if path.suffix.lower() in {".yaml", ".yml", ".json"} and path.exists():
        return load_plan(path)
    for p in builtin_paths():
        if p.stem == ref:
            return load_plan(p)
    for plan in builtin_plans():
        if plan.plan.code == ref:
            return plan
    if path.suffix:
        raise fail(ref, "找不到文件，请检查路径", "file not found; check the path")
    codes = ", ".join(p.plan.code for p in builtin_plans())
    raise fail(
        ref,
        f"既不是方案文件也不是内置方案代码；内置方案：{codes}",
        f"no such plan file or built-in code; built-ins: {codes}",
    )


def example_inputs(plan_file: Path) -> Path:
    return plan_file.with_name(f"{plan_file.stem}.inputs.csv")
