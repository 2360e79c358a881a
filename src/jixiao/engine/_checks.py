"""Small helpers every check uses: collecting issues, reading numbers, suggesting names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from jixiao.engine._issues import Issue
from jixiao.formula import parse_number

__all__ = ["NAME", "Collector", "close", "isnum", "num"]

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Collector:
    """Every issue found while compiling, in the order found."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def error(self, path: str, zh: str, en: str) -> None:
        self.issues.append(Issue("error", path, zh, en))

    def warn(self, path: str, zh: str, en: str) -> None:
        self.issues.append(Issue("warning", path, zh, en))


def num(raw: Any, path: str, out: Collector, default: float = 0.0) -> float:
    """A number field ("35%", "1,200", 0.3); an error naming ``path`` if it is not one."""
    try:
        return parse_number(raw, where=path)
    except ValueError as exc:
        out.error(path, f"{raw!r} 不是数字（可写 80、0.95 或 95%）", str(exc))
        return default


def isnum(x: Any) -> bool:
    try:
        parse_number(x, where="")
        return True
    except ValueError:
        return False


def close(name: str, known: Iterable[str]) -> str:
    """ "，是不是 a、b？" for names close to ``name``, else nothing."""
    hits = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f"，是不是 {'、'.join(hits)}？" if hits else ""
