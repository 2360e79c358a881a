"""The frozen result of planning an import: what a person reviews before committing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from jixiao.ingest._errors import CellIssue

__all__ = ["ColumnSummary", "ImportPreview", "PersonRow"]


@dataclass(frozen=True, slots=True)
class ColumnSummary:
    code: str
    header: str
    kind: str
    aggregation: str
    values: int  # non-blank cells in the rows used
    total: Decimal | None  # sum over the rows used, for additive columns


@dataclass(frozen=True, slots=True)
class PersonRow:
    account: str  # the identity text as written in the file
    employee: str | None
    name: str | None
    rows: int
    reason: str | None = None


@dataclass(frozen=True)
class ImportPreview:
    file: str
    sha256: str
    profile: str
    profile_name: str
    sheet: str | None
    encoding: str | None
    header_row: int
    rows_read: int
    rows_used: int
    rejected: tuple[CellIssue, ...]
    skipped: tuple[CellIssue, ...]
    columns: tuple[ColumnSummary, ...]
    matched: tuple[PersonRow, ...]
    unmatched: tuple[PersonRow, ...]
    unmapped_headers: tuple[str, ...]
    periods: tuple[str, ...]
    warnings: tuple[str, ...]
    table: pl.DataFrame  # employee, name, [period], one column per indicator code

    def problems(self, *, strict: bool) -> tuple[str, ...]:
        """What blocks a commit: nothing unless ``strict``, then rejects and unknown people."""
        if not strict:
            return ()
        out = [str(i) for i in self.rejected]
        out += [
            f"{self.file}：“{p.account}”（{p.rows} 行）未能对应到员工：{p.reason}"
            for p in self.unmatched
        ]
        return tuple(out)
