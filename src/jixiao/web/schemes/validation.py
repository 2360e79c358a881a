"""Validate scheme YAML with the scoring engine (``jixiao.engine``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.files import DocumentError, load_document

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
        doc = load_document(text, name="方案", syntax="yaml")
    except DocumentError as exc:
        where = exc.position or "YAML"
        return None, [SchemeMessage("error", where, f"YAML 格式错误：{exc.reason}", exc.reason_en)]
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
    for item in _items(doc):
        rule = _map(item.get("rule"))
        if rule.get("kind") == "rating":
            out[str(item.get("code"))] = set(_map(rule.get("raters")).keys())
    return out


def _map(value: Any) -> dict[str, Any]:
    """A mapping from a loaded document, or an empty one when it holds something else: the
    outline is tolerant, the engine reports wrong shapes."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        _map(item) for dim in _list(doc.get("dimensions")) for item in _list(_map(dim).get("items"))
    ]


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
    for k, v in _map(spec).items():
        out[str(k)] = v if isinstance(v, str) else str(_map(v).get("name") or k)
    return out


def scheme_outline(text: str) -> SchemeOutline:
    """Read the outline from the YAML (tolerant; the engine does the strict validation)."""
    doc, msgs = _parse(text)
    if msgs:
        raise ValueError(msgs[0].message)
    items = []
    for item in _items(doc):
        rule = _map(item.get("rule"))
        is_rating = rule.get("kind") == "rating"
        points = _num(item.get("points")) if item.get("points") is not None else None
        raw_levels = rule.get("levels") if is_rating else None
        levels = tuple(str(k) for k in raw_levels) if isinstance(raw_levels, dict | list) else ()
        scale = _num(rule.get("scale")) if is_rating and rule.get("scale") is not None else None
        items.append(
            ItemOutline(
                code=str(item.get("code")),
                name=str(item.get("name") or item.get("code")),
                type=str(item.get("type") or "normal"),
                points=points,
                rating_roles=frozenset(_map(rule.get("raters")).keys())
                if is_rating
                else frozenset(),
                rating_max=scale if scale is not None else points,
                rating_levels=levels,
            )
        )
    return SchemeOutline(
        code=str(doc.get("code") or ""),
        name=str(doc.get("name") or ""),
        positions=tuple(str(p) for p in _list(doc.get("positions"))),
        items=tuple(items),
        targets=_names(doc.get("targets")),
        metrics=_names(doc.get("metrics")),
    )
