"""Validate scheme YAML with the scoring engine (``jixiao.engine``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["EngineUnavailable", "SchemeMessage", "engine", "rater_roles", "validate_yaml"]


class EngineUnavailable(RuntimeError):
    def __init__(self) -> None:
        super().__init__("评分引擎尚未安装或不可用（jixiao.engine），暂时无法计算或完整校验方案。")


@dataclass(frozen=True)
class SchemeMessage:
    level: str  # error | warning
    path: str
    message: str
    message_en: str = ""


def engine() -> Any:
    """The engine module, or raise :class:`EngineUnavailable` if its API is not there yet."""
    try:
        from jixiao import engine as mod
    except ImportError as exc:  # pragma: no cover - depends on the engine's progress
        raise EngineUnavailable() from exc
    if not all(hasattr(mod, n) for n in ("load_scheme", "check_scheme", "score", "SchemeError")):
        raise EngineUnavailable()
    return mod


def _parse(text: str) -> tuple[Any, list[SchemeMessage]]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "YAML"
        return None, [SchemeMessage("error", where, f"YAML 格式错误：{exc}", "YAML syntax error")]
    if not isinstance(doc, dict):
        return None, [
            SchemeMessage("error", "(根)", "方案应是一个 YAML 映射（键: 值）。", "not a mapping")
        ]
    return doc, []


def validate_yaml(text: str) -> tuple[list[SchemeMessage], bool]:
    """Return (messages, engine_checked). Errors have level ``error``."""
    _doc, msgs = _parse(text)
    if msgs:
        return msgs, False
    try:
        mod = engine()
    except EngineUnavailable as exc:
        return [SchemeMessage("warning", "(引擎)", str(exc), "engine unavailable")], False
    try:
        scheme = mod.load_scheme(text)
    except mod.SchemeError as exc:
        return [
            SchemeMessage(i.level, i.path, i.message, getattr(i, "message_en", ""))
            for i in exc.issues
        ], True
    return [
        SchemeMessage(i.level, i.path, i.message, getattr(i, "message_en", ""))
        for i in mod.check_scheme(scheme)
    ], True


def rater_roles(text: str) -> dict[str, set[str]]:
    """Rating items and the rater roles their ``rating`` rule names: {item_code: {roles}}."""
    doc, msgs = _parse(text)
    if msgs:
        return {}
    out: dict[str, set[str]] = {}
    for dim in doc.get("dimensions") or []:
        for item in (dim or {}).get("items") or []:
            rule = (item or {}).get("rule") or {}
            if isinstance(rule, dict) and rule.get("kind") == "rating":
                out[str(item.get("code"))] = set((rule.get("raters") or {}).keys())
    return out


@dataclass(frozen=True)
class ItemOutline:
    code: str
    name: str
    type: str
    points: float | None
    rating_roles: frozenset[str]
    rating_max: float | None
    rating_levels: tuple[str, ...]


@dataclass(frozen=True)
class SchemeOutline:
    """What the web layer needs to know about a scheme (positions, items, targets, raters)."""

    code: str
    name: str
    positions: tuple[str, ...]
    items: tuple[ItemOutline, ...]
    targets: dict[str, str]
    metrics: dict[str, str]

    @property
    def rating_items(self) -> tuple[ItemOutline, ...]:
        return tuple(i for i in self.items if i.rating_roles)


def _num(v: Any) -> float | None:
    try:
        return float(str(v).replace("%", "").replace(",", ""))
    except (TypeError, ValueError):
        return None


def _names(spec: Any) -> dict[str, str]:
    out = {}
    for k, v in (spec or {}).items():
        out[str(k)] = v if isinstance(v, str) else str((v or {}).get("name") or k)
    return out


def scheme_outline(text: str) -> SchemeOutline:
    """Read the outline from the YAML (tolerant; the engine does the strict validation)."""
    doc, msgs = _parse(text)
    if msgs:
        raise ValueError(msgs[0].message)
    items = []
    for dim in doc.get("dimensions") or []:
        for item in (dim or {}).get("items") or []:
            item = item or {}
            rule = item.get("rule") or {}
            is_rating = isinstance(rule, dict) and rule.get("kind") == "rating"
            points = _num(item.get("points")) if item.get("points") is not None else None
            levels = tuple(str(k) for k in (rule.get("levels") or {})) if is_rating else ()
            scale = _num(rule.get("scale")) if is_rating and rule.get("scale") is not None else None
            items.append(
                ItemOutline(
                    code=str(item.get("code")),
                    name=str(item.get("name") or item.get("code")),
                    type=str(item.get("type") or "normal"),
                    points=points,
                    rating_roles=frozenset((rule.get("raters") or {}).keys())
                    if is_rating
                    else frozenset(),
                    rating_max=scale if scale is not None else points,
                    rating_levels=levels,
                )
            )
    return SchemeOutline(
        code=str(doc.get("code") or ""),
        name=str(doc.get("name") or ""),
        positions=tuple(str(p) for p in doc.get("positions") or []),
        items=tuple(items),
        targets=_names(doc.get("targets")),
        metrics=_names(doc.get("metrics")),
    )
