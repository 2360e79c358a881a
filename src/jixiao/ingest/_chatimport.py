"""Read chat and order logs and compute the customer-service KPIs in one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jixiao.ingest._chatlogs import ChatKpiConfig, ChatKpis, compute_cs_kpis
from jixiao.ingest._errors import CellIssue
from jixiao.ingest._logread import read_chats, read_orders
from jixiao.ingest._mapping import AccountMap

__all__ = ["ChatImport", "import_chatlogs"]


@dataclass(frozen=True)
class ChatImport:
    kpis: ChatKpis
    chat_rows: int
    order_rows: int
    rejected: tuple[CellIssue, ...]  # at most 200 per file are listed
    rejected_count: int

    def problems(self, *, strict: bool) -> tuple[str, ...]:
        if not strict:
            return ()
        out = [str(i) for i in self.rejected]
        if self.rejected_count > len(self.rejected):
            out.append(f"……共 {self.rejected_count} 行被拒绝")
        out += [
            f"子账号“{a}”（{n} 个买家消息段）不在映射表中" for a, n in self.kpis.unmatched_accounts
        ]
        return tuple(out)


def import_chatlogs(
    chats: str | Path,
    orders: str | Path,
    config: ChatKpiConfig,
    *,
    mapping: AccountMap | None = None,
) -> ChatImport:
    config.check()
    c = read_chats(chats, phrases=config.forbidden_phrases)
    o = read_orders(orders)
    kpis = compute_cs_kpis(c.frame, o.frame, config, mapping=mapping)
    return ChatImport(
        kpis, c.rows_read, o.rows_read, c.rejected + o.rejected, c.rejected_count + o.rejected_count
    )
