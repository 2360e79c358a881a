"""Validation issues and the errors that carry them."""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.errors import Issue, UserError

__all__ = ["DataError", "Issue", "SchemeError"]


class SchemeError(UserError):
    """The scheme cannot be used; ``issues`` lists every error (and warning) found."""

    def __init__(self, issues: Sequence[Issue], *, source: str | None = None) -> None:
        found = tuple(issues)
        self.source = source
        errors = [i for i in found if i.level == "error"]
        head = f"{source}: " if source else ""
        lines = "\n".join(f"  - {i}" for i in errors)
        lines_en = "\n".join(f"  - {i.path}: {i.message_en}" for i in errors)
        super().__init__(
            f"{head}方案有 {len(errors)} 处错误：\n{lines}",
            message_en=f"{head}the scheme has {len(errors)} error(s):\n{lines_en}",
            field=errors[0].path if errors else None,
            issues=found,
        )


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
