"""Validate scheme YAML with the scoring engine (``jixiao.engine``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from jixiao.engine import CompiledScheme, SchemeError, check_scheme, compile_checked, load_scheme
from jixiao.files import DocumentError, load_document

__all__ = [
    "ItemOutline",
    "SchemeMessage",
    "SchemeOutline",
    "compiled_scheme",
    "scheme_heading",
    "scheme_outline",
    "validate_yaml",
]


@dataclass(frozen=True)
class SchemeMessage:
    level: str  # error | warning
    path: str
    message: str
    message_en: str = ""


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
        scheme = load_scheme(text)
    except SchemeError as exc:
        return [SchemeMessage(i.level, i.path, i.message, i.message_en) for i in exc.issues], True
    return [
        SchemeMessage(i.level, i.path, i.message, i.message_en) for i in check_scheme(scheme)
    ], True


@functools.lru_cache(maxsize=128)
def compiled_scheme(text: str) -> CompiledScheme:
    """A scheme version's text, parsed, checked and compiled once per content (a published
    version's text never changes; a draft's new text is a new key). Raises
    :class:`~jixiao.engine.SchemeError` when the text does not compile."""
    return compile_checked(load_scheme(text))


def scheme_heading(text: str) -> tuple[str, str]:
    """(code, name) of a scheme text that may still have errors (a new draft); ``ValueError``
    when it is not a YAML mapping."""
    doc, msgs = _parse(text)
    if msgs:
        raise ValueError(msgs[0].message)
    return str(doc.get("code") or ""), str(doc.get("name") or "")


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


@functools.lru_cache(maxsize=128)
def scheme_outline(text: str) -> SchemeOutline:
    """The outline of a scheme version, from its compiled form (cached per content). Raises
    :class:`~jixiao.engine.SchemeError` (a ``ValueError``) when the text does not compile."""
    cs = compiled_scheme(text)
    written = {i.code: i.points for d in cs.scheme.dimensions for i in d.items}
    items = []
    for it in cs.items:
        spec = None if it.rule is None else it.rule.rating()
        points = it.points if written.get(it.code) is not None else None
        items.append(
            ItemOutline(
                code=it.code,
                name=it.name,
                type=it.type,
                points=points,
                rating_roles=frozenset(r for r, _ in spec.raters) if spec else frozenset(),
                rating_max=spec.scale if spec else points,
                rating_levels=tuple(k for k, _ in spec.levels) if spec else (),
            )
        )
    s = cs.scheme
    return SchemeOutline(
        code=s.code,
        name=s.name,
        positions=tuple(s.positions),
        items=tuple(items),
        targets={k: v.name or k for k, v in s.targets.items()},
        metrics={k: v.name or k for k, v in s.metrics.items()},
    )
