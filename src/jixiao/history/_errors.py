"""The errors of history files and policy documents: user errors naming where and what to do."""

from __future__ import annotations

from jixiao.errors import IssuesError, UserError

__all__ = ["HistoryError", "PolicyError"]


class PolicyError(IssuesError):
    """The policy document cannot be used; ``issues`` lists every problem with its field path."""

    noun = ("政策文件", "policy")


class HistoryError(UserError):
    """A history table that cannot be used: names the file, row and column where known."""

    def __init__(self, message: str, message_en: str, *, where: str = "", where_en: str = ""):
        self.where, self.reason, self.reason_en = where, message, message_en
        super().__init__(
            f"{where}：{message}" if where else message,
            message_en=f"{where_en or where}: {message_en}" if where else message_en,
        )
