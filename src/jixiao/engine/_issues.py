"""Validation issues and the errors that carry them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["DataError", "Issue", "SchemeError"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a scheme. ``path`` names the field, e.g.
    ``dimensions.sales.items.orders_growth.rule.bands[2]``."""

    level: Literal["error", "warning"]
    path: str
    message: str
    message_en: str

    def __str__(self) -> str:
        tag = "错误" if self.level == "error" else "警告"
        return f"[{tag}] {self.path}: {self.message}"


class SchemeError(ValueError):
    """The scheme cannot be used; ``issues`` lists every error (and warning) found."""

    def __init__(self, issues: Sequence[Issue], *, source: str | None = None) -> None:
        self.issues = list(issues)
        self.source = source
        errors = [i for i in self.issues if i.level == "error"]
        head = f"{source}: " if source else ""
        lines = "\n".join(f"  - {i}" for i in errors)
        super().__init__(f"{head}方案有 {len(errors)} 处错误：\n{lines}")


class DataError(ValueError):
    """Input data that does not fit the scheme: names the file, row and column where known."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        source: str = "data",
        also_row: int | None = None,
    ) -> None:
        # source: which input the row counts in: "data", "targets" or "ratings";
        # also_row: a second row the problem involves (e.g. the first of two duplicates).
        self.file, self.row, self.column, self.source = file, row, column, source
        self.also_row = also_row
        where = []
        if file:
            where.append(file)
        if row is not None:
            where.append(f"第 {row} 行")
        if column:
            where.append(f"列 “{column}”")
        prefix = "，".join(where)
        text = message if also_row is None else f"{message}（另见第 {also_row} 行）"
        super().__init__(f"{prefix}：{text}" if prefix else text)
        self.reason = message
