"""Errors and per-cell issues of an import, worded for the person who made the file."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.errors import UserError

__all__ = ["CellIssue", "IngestError"]


class IngestError(UserError):
    """A whole file (or option) that cannot be imported; the message says what to do."""


@dataclass(frozen=True, slots=True)
class CellIssue:
    """One rejected cell or row. ``row`` is the row number as shown in Excel / WPS (1-based)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    raw: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列“{self.column}”")
        raw = "" if self.raw is None else f"：“{self.raw}”"
        return f"{'，'.join(where)}{raw} — {self.reason}"
