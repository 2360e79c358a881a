"""The pay component kinds: one class per kind, one module each, listed once here.

Adding a kind (docs/pay.md, "Adding a component kind"): write ``kinds/<name>.py`` with its
model, checks, parts, amount, trace and failure (see :class:`Kind`), add it to ``KINDS`` below,
and document it in docs/pay.md. Nothing else in ``jixiao.pay`` names a kind.
"""

from __future__ import annotations

from jixiao.pay.kinds._base import Kind, PoolSummary
from jixiao.pay.kinds.adjustment import AdjustmentKind
from jixiao.pay.kinds.attendance_bonus import AttendanceBonusKind
from jixiao.pay.kinds.commission import CommissionKind
from jixiao.pay.kinds.formula import FormulaKind
from jixiao.pay.kinds.per_count import PerCountKind
from jixiao.pay.kinds.piecewise import PiecewiseKind
from jixiao.pay.kinds.pool import PoolKind
from jixiao.pay.kinds.prorate import ProrateKind
from jixiao.pay.kinds.tiers import TiersKind

__all__ = ["KINDS", "REGISTRY", "Kind", "PoolSummary"]

#: Every kind, in the order the docs list them.
KINDS: tuple[Kind, ...] = (
    FormulaKind(),
    ProrateKind(),
    AttendanceBonusKind(),
    PerCountKind(),
    TiersKind(),
    PiecewiseKind(),
    CommissionKind(),
    PoolKind(),
    AdjustmentKind(),
)
REGISTRY: dict[str, Kind] = {k.name: k for k in KINDS}
