"""Proposals: what a rule or an application table suggests for one person, for HR to accept or
reject. Nothing is paid or changed until HR accepts (docs/history.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import polars as pl

from jixiao.engine import Trace

__all__ = ["PROPOSAL_COLUMNS", "PROPOSAL_SCHEMA", "Proposal", "export_frame", "proposals_frame"]


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed consequence. ``rule`` is the rule (or application table) code, ``periods``
    the months the condition rests on, ``trace`` the sentence shown to HR and on the pay slip.
    ``amount`` is ``None`` for personnel actions and for money the policy leaves to HR."""

    policy: str
    rule: str
    rule_name: str
    source: Literal["rule", "application"]
    employee: str
    name: str | None
    department: str | None
    group: str | None
    scheme: str | None
    period: str
    kind: Literal["money", "personnel"]
    amount: Decimal | None
    action: str | None
    value: str | None
    label: str
    periods: tuple[str, ...]
    trace: Trace

    @property
    def key(self) -> str:
        """Stable identity: the same proposal evaluated twice has the same key."""
        return f"{self.policy}/{self.rule}/{self.employee}/{self.period}/{self.action or self.kind}"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Proposal:
        return cls(
            policy=row["policy"],
            rule=row["rule"],
            rule_name=row["rule_name"],
            source=row["source"],
            employee=row["employee"],
            name=row["name"],
            department=row["department"],
            group=row["group"],
            scheme=row["scheme"],
            period=row["period"],
            kind=row["kind"],
            amount=None if row["amount"] is None else Decimal(row["amount"]),
            action=row["action"],
            value=row["value"],
            label=row["label"],
            periods=tuple(row["periods"].split("、")) if row["periods"] else (),
            trace=Trace(row["trace_zh"], row["trace_en"]),
        )


PROPOSAL_SCHEMA: dict[str, Any] = {
    k: pl.String
    for k in (
        "policy",
        "rule",
        "rule_name",
        "source",
        "employee",
        "name",
        "department",
        "group",
        "scheme",
        "period",
        "kind",
        "amount",
        "action",
        "value",
        "label",
        "periods",
        "trace_zh",
        "trace_en",
    )
}

PROPOSAL_COLUMNS = {
    "policy": ("政策", "policy"),
    "rule": ("规则", "rule"),
    "rule_name": ("规则名称", "rule name"),
    "employee": ("工号", "employee"),
    "name": ("姓名", "name"),
    "department": ("部门", "department"),
    "group": ("小组", "group"),
    "period": ("期间", "period"),
    "kind": ("类型", "kind"),
    "amount": ("金额", "amount"),
    "action": ("人事动作", "action"),
    "value": ("取值", "value"),
    "periods": ("依据月份", "months"),
    "trace_zh": ("说明", "trace"),
    "trace_en": ("说明（英文）", "trace (English)"),
}


def export_frame(table: pl.DataFrame, *, lang: str = "zh") -> pl.DataFrame:
    """The proposal table as written to files: amounts as written decimals (text, never
    floats), headers in Chinese unless ``lang`` is ``en``."""
    i = 1 if lang.startswith("en") else 0
    return table.select(list(PROPOSAL_COLUMNS)).rename(
        {k: v[i] for k, v in PROPOSAL_COLUMNS.items()}
    )


def proposals_frame(proposals: Sequence[Proposal]) -> pl.DataFrame:
    """Proposal objects back as a table (the shape :func:`evaluate` produces)."""
    rows = [
        {
            **{k: getattr(p, k) for k in PROPOSAL_SCHEMA if hasattr(p, k)},
            "amount": None if p.amount is None else f"{p.amount:f}",
            "periods": "、".join(p.periods),
            "trace_zh": p.trace.zh,
            "trace_en": p.trace.en,
        }
        for p in proposals
    ]
    return pl.DataFrame(rows, schema=PROPOSAL_SCHEMA)
