"""Read plan documents (YAML or JSON) and validate them into :class:`PayPlan` models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jixiao.files import FileError, load_document
from jixiao.pay._compile import compile_plan
from jixiao.pay._compiled import CompiledPlan
from jixiao.pay._errors import Issue, PayError, fail
from jixiao.pay._plan import KINDS, PayPlan
from jixiao.pay._read import file_error


def read_document(path: Path) -> dict[str, Any]:
    """A YAML or JSON mapping from ``path``; errors name the file and line."""
    try:
        data = load_document(path, syntax="json" if path.suffix.lower() == ".json" else "yaml")
    except FileError as exc:
        raise file_error(exc) from None
    if not isinstance(data, dict):
        raise fail(
            str(path),
            "顶层必须是一个映射（code、name、version、components…）",
            "the top level must be a mapping",
        )
    return data


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in KINDS:
            continue  # pydantic puts the union tag into the path; users never wrote it
        else:
            out += f".{part}" if out else str(part)
    return out


def _yaml_keys(data: Any) -> Any:
    # YAML 1.1 reads a bare `on:` key as the boolean True; plans use `on` for "band on what".
    if isinstance(data, dict):
        return {("on" if k is True else k): _yaml_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_yaml_keys(v) for v in data]
    return data


def build_plan(data: dict[str, Any], *, source: str = "") -> PayPlan:
    """Validate a plan mapping; every pydantic error becomes an :class:`Issue` with its path."""
    try:
        return PayPlan.model_validate(_yaml_keys(data))
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            where = f"{source}: {_loc(err['loc'])}" if source else _loc(err["loc"])
            msg = str(err["msg"])
            if err["type"] == "union_tag_invalid":
                msg = f"未知的组件类型 kind；可用：{', '.join(KINDS)}"
            elif err["type"] == "union_tag_not_found":
                msg = f"缺少 kind；可用：{', '.join(KINDS)}"
            elif err["type"] == "missing":
                msg = "缺少必填字段"
            elif err["type"] == "extra_forbidden":
                msg = "未知字段（拼写错误？）"
            issues.append(Issue(where, msg, str(err["msg"])))
        raise PayError(issues) from None


def load_plan(path: str | Path) -> CompiledPlan:
    """Read, validate and compile a plan file; raises :class:`PayError` naming the file."""
    p = Path(path)
    plan = build_plan(read_document(p), source=str(p))
    try:
        return compile_plan(plan)
    except PayError as exc:
        raise PayError(
            [Issue(f"{p}: {i.where}", i.message, i.message_en) for i in exc.issues]
        ) from None
