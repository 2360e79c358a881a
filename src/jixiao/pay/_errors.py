"""Errors users can act on: each names where the problem is and what to do, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: ``where`` is a file/row/column or a plan field path such as ``components[2].bands``."""

    where: str
    message: str
    message_en: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} / {self.message_en}" if self.message_en else text


class PayError(Exception):
    """Bad plan, bad input or an impossible computation; carries one or more :class:`Issue`."""

    def __init__(self, issues: list[Issue] | Issue) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues) if isinstance(issues, list) else (issues,)
        super().__init__("\n".join(str(i) for i in self.issues))


def fail(where: str, message: str, message_en: str = "") -> PayError:
    return PayError(Issue(where, message, message_en))
