"""The errors of history files and policy documents: user errors naming where and what to do."""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.errors import Issue, UserError

__all__ = ["HistoryError", "PolicyError"]


class PolicyError(UserError):
    """The policy document cannot be used; ``issues`` lists every problem with its field path."""

    def __init__(self, issues: Sequence[Issue], *, source: str | None = None) -> None:
        found = tuple(issues)
        self.source = source
        errors = [i for i in found if i.level == "error"]
        head = f"{source}: " if source else ""
        lines = "\n".join(f"  - {i}" for i in errors)
        lines_en = "\n".join(f"  - {i.path}: {i.message_en or i.message}" for i in errors)
        super().__init__(
            f"{head}政策文件有 {len(errors)} 处错误：\n{lines}",
            message_en=f"{head}the policy has {len(errors)} error(s):\n{lines_en}",
            field=errors[0].path if errors else None,
            issues=found,
        )


class HistoryError(UserError):
    """A history table that cannot be used: names the file, row and column where known."""

    def __init__(self, message: str, message_en: str, *, where: str = "", where_en: str = ""):
        self.where, self.reason, self.reason_en = where, message, message_en
        super().__init__(
            f"{where}：{message}" if where else message,
            message_en=f"{where_en or where}: {message_en}" if where else message_en,
        )
