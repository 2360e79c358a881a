"""One loader for every YAML / JSON document (schemes, pay plans, library files, import
profiles and mappings, results): size, depth and alias expansion are limited while the document
is composed, before anything is built from it, so a "billion laughs" or a deeply nested
document is refused in milliseconds with a message naming the line and column."""

from __future__ import annotations

import contextlib
import json
import re
from collections import deque
from pathlib import Path, PurePath
from typing import Any, Literal

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from jixiao.files._errors import DocumentSyntaxError, DocumentTooComplex, FileTooLarge
from jixiao.files._limits import DocumentLimits
from jixiao.files._source import read_bytes

__all__ = ["Syntax", "check_document", "load_document"]

Syntax = Literal["auto", "yaml", "json"]


class _Refused(Exception):
    def __init__(self, mark: Any, zh: str, en: str) -> None:
        super().__init__(en)
        self.mark, self.zh, self.en = mark, zh, en


def _too_deep(lim: DocumentLimits) -> tuple[str, str]:
    return (
        f"嵌套超过 {lim.max_depth} 层；请检查缩进与括号",
        f"nested more than {lim.max_depth} levels deep; check indentation and brackets",
    )


def _too_many(lim: DocumentLimits) -> tuple[str, str]:
    return (
        f"展开别名后超过 {lim.max_nodes} 个节点（疑似“十亿笑声”攻击）；请精简文档或少用别名",
        f"more than {lim.max_nodes} nodes once aliases are expanded (a 'billion laughs' "
        "document?); shorten it or use fewer aliases",
    )


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, counting depth, aliases and expanded nodes while composing."""

    def __init__(self, stream: str, limits: DocumentLimits) -> None:
        super().__init__(stream)
        self._lim = limits
        self._depth = 0
        self._aliases = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        lim = self._lim
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            self._aliases += 1
            if self._aliases > lim.max_aliases:
                zh = f"别名（*引用）超过 {lim.max_aliases} 个；请直接写出内容"
                raise _Refused(mark, zh, f"more than {lim.max_aliases} aliases; write it out")
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:  # still being composed: the alias is inside it
                zh = "别名引用了包含它自身的节点（循环引用）；请去掉这个引用"
                raise _Refused(mark, zh, "an alias refers to a node that contains it (a cycle)")
            return node
        mark = self.peek_event().start_mark
        self._depth += 1
        if self._depth > lim.max_depth:
            raise _Refused(mark, *_too_deep(lim))
        node = super().compose_node(parent, index)
        self._depth -= 1
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._sizes[id(c)] for c in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        if size > lim.max_nodes:
            raise _Refused(mark, *_too_many(lim))
        self._sizes[id(node)] = size
        return node


def _position(mark: Any) -> dict[str, int | None]:
    if mark is None:
        return {"line": None, "column": None}
    return {"line": mark.line + 1, "column": mark.column + 1}


_FLOW = re.compile(r"""\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*|[\[\]{}]""")


def _flow_depth(text: str, label: str, lim: DocumentLimits) -> None:
    """Refuse deeply nested ``[[[…`` / ``{{{…`` before PyYAML, whose scanner reads a whole
    chain of flow openings ahead (seconds for a few hundred KB) before the composer can count."""
    if text.count("[") + text.count("{") <= lim.max_depth:
        return
    depth = 0
    for m in _FLOW.finditer(text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > lim.max_depth:
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - text.rfind("\n", 0, m.start())
                raise DocumentTooComplex(label, *_too_deep(lim), line=line, column=column)
        elif ch in "]}":
            depth = max(0, depth - 1)


def _load_yaml(text: str, label: str, lim: DocumentLimits) -> Any:
    _flow_depth(text, label, lim)
    loader = _Loader(text, lim)
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise DocumentTooComplex(label, exc.zh, exc.en, **_position(exc.mark)) from None
    except yaml.MarkedYAMLError as exc:
        detail = "；".join(str(x) for x in (exc.context, exc.problem) if x)
        raise DocumentSyntaxError(
            label,
            f"不是有效的 YAML（{detail}）",
            f"not valid YAML ({detail})",
            **_position(exc.problem_mark or exc.context_mark),
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise DocumentSyntaxError(
            label, f"不是有效的 YAML（{exc}）", f"not valid YAML ({exc})"
        ) from None
    except RecursionError:
        raise DocumentTooComplex(label, *_too_deep(lim)) from None
    finally:
        loader.dispose()


def _check_tree(data: Any, label: str, lim: DocumentLimits) -> None:
    """Depth and node count of a parsed JSON value, without recursion."""
    count = 0
    todo: deque[tuple[Any, int]] = deque([(data, 1)])
    while todo:
        value, depth = todo.pop()
        count += 1
        if count > lim.max_nodes:
            raise DocumentTooComplex(label, *_too_many(lim))
        if depth > lim.max_depth:
            raise DocumentTooComplex(label, *_too_deep(lim))
        if isinstance(value, dict):
            todo.extend((v, depth + 1) for v in value.values())
            count += len(value)
        elif isinstance(value, list):
            todo.extend((v, depth + 1) for v in value)


def _load_json(text: str, label: str, lim: DocumentLimits) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentSyntaxError(
            label,
            f"不是有效的 JSON（{exc.msg}）",
            f"not valid JSON ({exc.msg})",
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:
        raise DocumentTooComplex(label, *_too_deep(lim)) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise DocumentSyntaxError(
            label, f"不是有效的 JSON（{exc}）", f"not valid JSON ({exc})"
        ) from None
    _check_tree(data, label, lim)
    return data


def _too_big(label: str, size: int, lim: DocumentLimits) -> DocumentTooComplex:
    return DocumentTooComplex(
        label,
        f"文档太大（{size / 1024:.0f} KB，上限 {lim.max_bytes / 1024:.0f} KB）；请精简或拆分",
        f"document too large ({size / 1024:.0f} KB, limit {lim.max_bytes / 1024:.0f} KB)",
    )


def _text_of(src: str | bytes | Path, label: str, lim: DocumentLimits) -> str:
    if isinstance(src, Path):
        path = src
        try:
            src = read_bytes(path, name=label, max_bytes=lim.max_bytes)
        except FileTooLarge:
            raise _too_big(label, path.stat().st_size, lim) from None
    if isinstance(src, bytes):
        if len(src) > lim.max_bytes:
            raise _too_big(label, len(src), lim)
        try:
            return src.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = src[: exc.start].count(b"\n") + 1
            raise DocumentSyntaxError(
                label,
                "不是 UTF-8 编码的文本；请另存为 UTF-8",
                "not UTF-8 text; save it as UTF-8",
                line=line,
            ) from None
    if len(src) > lim.max_bytes or len(src.encode("utf-8", "surrogatepass")) > lim.max_bytes:
        raise _too_big(label, len(src.encode("utf-8", "surrogatepass")), lim)
    return src.removeprefix("\ufeff")


def load_document(
    src: str | bytes | Path,
    *,
    name: str | None = None,
    syntax: Syntax = "auto",
    limits: DocumentLimits | None = None,
) -> Any:
    """The value of a YAML or JSON document: a path (stat'ed before it is read), bytes (UTF-8,
    with or without BOM) or text. ``syntax="auto"``: JSON for ``.json`` names and for text that
    starts with ``{`` (unless named ``.yaml``/``.yml``), YAML otherwise.

    Raises :class:`~jixiao.files.DocumentSyntaxError` (line and column named) or
    :class:`~jixiao.files.DocumentTooComplex` (beyond ``limits``).
    """
    lim = limits or DocumentLimits()
    label = name or (str(src) if isinstance(src, Path) else "文档")
    text = _text_of(src, label, lim)
    suffix = PurePath(label).suffix.lower() if (name or isinstance(src, Path)) else ""
    if syntax == "auto":
        if suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip().startswith("{")):
            syntax = "json"
        else:
            syntax = "yaml"
    return _load_json(text, label, lim) if syntax == "json" else _load_yaml(text, label, lim)


def check_document(text: str, *, name: str = "文档", limits: DocumentLimits | None = None) -> None:
    """Refuse a document beyond ``limits`` (too big, too deep, alias bomb). A syntax error is
    not refused here: a draft may be saved with one and is reported where it is validated."""
    with contextlib.suppress(DocumentSyntaxError):
        load_document(text, name=name, syntax="yaml", limits=limits)
