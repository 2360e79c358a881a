"""Header rows: which row holds the column names, and the one list of names that mean "the
employee" (and "the name", "the group") in every file the project reads."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = [
    "EMPLOYEE_ALIASES",
    "GROUP_ALIASES",
    "NAME_ALIASES",
    "PERSON_ALIASES",
    "find_column",
    "find_header",
    "header_unit",
    "norm_header",
]

# The employee number column, in order of preference when a file has several of them.
EMPLOYEE_ALIASES: tuple[str, ...] = (
    "employee",
    "工号",
    "员工编号",
    "员工工号",
    "编号",
    "员工",
    "number",
)
NAME_ALIASES: tuple[str, ...] = ("name", "姓名", "员工姓名")
GROUP_ALIASES: tuple[str, ...] = ("group", "组别", "小组")
PERSON_ALIASES: frozenset[str] = frozenset(EMPLOYEE_ALIASES + NAME_ALIASES + GROUP_ALIASES)

SCAN_ROWS = 30
_UNIT_SUFFIX = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]$")
_NUMBER = re.compile(r"[-+¥￥]?[\d,.]+%?")


def norm_header(text: str) -> str:
    """Header text as matched against aliases: no spaces, no unit suffix, lower case."""
    t = re.sub(r"\s+", "", str(text)).replace("（", "(").replace("）", ")")
    t = _UNIT_SUFFIX.sub("", t)
    return t.lower()


def header_unit(text: str) -> str | None:
    """The unit in a header's trailing brackets: ``销售额(万元)`` → ``万元``."""
    m = re.search(r"[(（\[【]([^)）\]】]*)[)）\]】]\s*$", str(text))
    return m.group(1).strip() if m else None


def find_column(header: Sequence[str], aliases: Iterable[str]) -> int | None:
    """Index of the first header matching an alias, aliases tried in their order."""
    normed = [norm_header(h) for h in header]
    for alias in aliases:
        key = norm_header(alias)
        if key in normed:
            return normed.index(key)
    return None


def find_header(rows: Sequence[Sequence[str | None]], known: frozenset[str]) -> int:
    """Index of the header row among ``rows`` (the first rows of the file): the row that matches
    the most known header names, else the first row that looks like a header (two or more
    cells, none a number); title rows and notes above it are skipped."""
    keys = frozenset(norm_header(k) for k in known)
    best, best_score = -1, 0
    for i, row in enumerate(rows[:SCAN_ROWS]):
        score = sum(1 for c in row if c and norm_header(c) in keys)
        if score > best_score:
            best, best_score = i, score
    if best_score >= 2 or (best_score == 1 and sum(1 for c in rows[best] if c) <= 2):
        return best
    for i, row in enumerate(rows[:SCAN_ROWS]):
        cells = [c.strip() for c in row if c and c.strip()]
        if len(cells) >= 2 and not any(_NUMBER.fullmatch(c) for c in cells):
            return i
    return 0
