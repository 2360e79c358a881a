"""Every refusal of a file or document: a :class:`~jixiao.errors.UserError` naming the file (and
sheet, row, column or line where it matters), saying what to do, in Chinese and English."""

from __future__ import annotations

from jixiao.errors import UserError

__all__ = [
    "DocumentError",
    "DocumentSyntaxError",
    "DocumentTooComplex",
    "FileError",
    "FileTooLarge",
    "UnreadableFile",
    "location",
]


def location(
    file: str, sheet: str | None = None, row: int | None = None, column: str | None = None
) -> tuple[str, str]:
    """Where in a table, in Chinese and English: ``x.csv，工作表“S”，第 4 行，列“销售额”``."""
    zh, en = [file], [file]
    if sheet:
        zh.append(f"工作表“{sheet}”")
        en.append(f'sheet "{sheet}"')
    if row is not None:
        zh.append(f"第 {row} 行")
        en.append(f"row {row}")
    if column:
        zh.append(f"列“{column}”")
        en.append(f'column "{column}"')
    return "，".join(zh), ", ".join(en)


class FileError(UserError):
    """A file that cannot be read or written. ``row`` is the row as Excel / WPS shows it."""

    def __init__(
        self,
        file: str,
        reason: str,
        reason_en: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.sheet, self.row, self.column = file, sheet, row, column
        self.reason, self.reason_en = reason, reason_en
        super().__init__(f"{self.where}：{reason}", message_en=f"{self.where_en}: {reason_en}")

    @property
    def where(self) -> str:
        return location(self.file, self.sheet, self.row, self.column)[0]

    @property
    def where_en(self) -> str:
        return location(self.file, self.sheet, self.row, self.column)[1]


class FileTooLarge(FileError):
    """Beyond a :class:`~jixiao.files.Limits` (size, decompressed size, ratio, rows, …)."""


class UnreadableFile(FileError):
    """Missing, empty, of an unsupported type, in an unknown encoding, corrupt or malformed."""


class DocumentError(FileError):
    """A YAML / JSON document that cannot be loaded; ``line`` and ``column`` are 1-based."""

    def __init__(
        self,
        file: str,
        reason: str,
        reason_en: str,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.line, self.column_number = line, column
        super().__init__(file, reason, reason_en)

    @property
    def position(self) -> str:
        """``第 3 行第 5 列`` (empty when the problem has no position)."""
        if self.line is None:
            return ""
        return f"第 {self.line} 行" + (f"第 {self.column_number} 列" if self.column_number else "")

    @property
    def where(self) -> str:
        return f"{self.file}，{self.position}" if self.position else self.file

    @property
    def where_en(self) -> str:
        if self.line is None:
            return self.file
        col = f", column {self.column_number}" if self.column_number else ""
        return f"{self.file}, line {self.line}{col}"


class DocumentSyntaxError(DocumentError):
    """Not valid YAML / JSON, or not UTF-8 text."""


class DocumentTooComplex(DocumentError):
    """Beyond a :class:`~jixiao.files.DocumentLimits`: too big, too deep, too many aliases or
    nodes once aliases are expanded (a "billion laughs" document)."""
