"""Validation issues and the errors that carry them."""

from __future__ import annotations

from jixiao.errors import Issue, IssuesError, UserError

__all__ = ["DataError", "Issue", "SchemeError"]


class SchemeError(IssuesError):
    """The scheme cannot be used; ``issues`` lists every error (and warning) found."""

    noun = ("方案", "scheme")


class DataError(UserError):
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
        super().__init__(f"{prefix}：{text}" if prefix else text, field=column)
        self.reason = message
