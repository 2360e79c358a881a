"""Errors users can act on: each names where the problem is and what to do, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.errors import UserError


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: ``where`` is a file/row/column or a plan field path such as ``components[2].bands``."""

    where: str
    message: str
    message_en: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} / {self.message_en}" if self.message_en else text


class PayError(UserError):
    """Bad plan, bad input or an impossible computation; carries one or more :class:`Issue`."""

    def __init__(self, issues: list[Issue] | Issue) -> None:
        found: tuple[Issue, ...] = tuple(issues) if isinstance(issues, list) else (issues,)
        super().__init__(
            "\n".join(str(i) for i in found),
            message_en="\n".join(
                f"{i.where}: {i.message_en or i.message}" if i.where else i.message_en or i.message
                for i in found
            ),
            field=found[0].where if found else None,
        )
        self.issues: tuple[Issue, ...] = found  # type: ignore[assignment]


def fail(where: str, message: str, message_en: str = "") -> PayError:
    return PayError(Issue(where, message, message_en))
