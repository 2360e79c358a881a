"""The one base of every mistake a user can act on, and the issue it may carry.

Every layer (formula, engine, pay, ingest, files, web services) raises subclasses of
:class:`UserError`. A user error is never a crash: the CLI prints it and exits 2, the web
re-renders the page that caused it with the message next to ``field``. Pure Python: no Django,
no Polars, so that every layer can import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Issue", "IssuesError", "UserError"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a document or a file.

    ``path`` names where: a field path (``dimensions.sales.items.gmv.rule.bands[2]``,
    ``components[3]「绩效奖金」.bands``) or a file position (``data.csv，第 4 行，列 “销售额”``).
    """

    level: Literal["error", "warning"]
    path: str
    message: str
    message_en: str = ""

    def __str__(self) -> str:
        tag = "错误" if self.level == "error" else "警告"
        return f"[{tag}] {self.path}: {self.message}" if self.path else f"[{tag}] {self.message}"


class UserError(ValueError):
    """A mistake the user can fix, said in Chinese (``message``) and English (``message_en``).

    ``field`` names the form field or document path the message belongs next to (``None``:
    the page as a whole); ``issues`` lists every problem when there are several.
    """

    field: str | None = None

    def __init__(
        self,
        message: str,
        *,
        message_en: str = "",
        field: str | None = None,
        issues: Iterable[Issue] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message
        if field is not None:
            self.field = field
        self.issues: tuple[Issue, ...] = tuple(issues)

    def localized(self, lang: str = "zh") -> str:
        """The message in ``lang`` ("zh" or "en")."""
        return self.message_en if lang.startswith("en") else self.message


class IssuesError(UserError):
    """A document that cannot be used: ``issues`` lists every error (and warning) found, the
    message counts and lists the errors. Subclasses name the document (``noun``)."""

    noun: tuple[str, str] = ("文档", "document")

    def __init__(self, issues: Iterable[Issue], *, source: str | None = None) -> None:
        found = tuple(issues)
        self.source = source
        errors = [i for i in found if i.level == "error"]
        head = f"{source}: " if source else ""
        lines = "\n".join(f"  - {i}" for i in errors)
        lines_en = "\n".join(f"  - {i.path}: {i.message_en or i.message}" for i in errors)
        zh, en = self.noun
        super().__init__(
            f"{head}{zh}有 {len(errors)} 处错误：\n{lines}",
            message_en=f"{head}the {en} has {len(errors)} error(s):\n{lines_en}",
            field=errors[0].path if errors else None,
            issues=found,
        )
