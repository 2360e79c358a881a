"""Errors and per-cell issues of an import, worded for the person who made the file."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.errors import UserError
from jixiao.files import location

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
        where = location(self.file, self.sheet, self.row, self.column)[0]
        raw = "" if self.raw is None else f"：“{self.raw}”"
        return f"{where}{raw} — {self.reason}"
