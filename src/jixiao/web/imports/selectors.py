"""Reads for imports: the shop's account map, the plan of an upload (writes nothing), lists."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from jixiao.errors import UserError
from jixiao.ingest import AccountMap, ImportPreview, Limits, plan_import
from jixiao.web.access import actor_of, manages
from jixiao.web.cycles.models import Cycle, Participant
from jixiao.web.cycles.services import CycleError
from jixiao.web.imports.models import ImportBatch
from jixiao.web.org.models import Employee, ShopAccount

__all__ = [
    "ImportPlan",
    "ImportRefused",
    "PlannedRow",
    "account_map",
    "batches_for",
    "import_limits",
    "import_plan",
    "mappable_employees",
]

QUANTUM = Decimal("0.0001")  # MetricValue keeps 4 decimal places
MAX_ABS = Decimal(10) ** 12  # MetricValue: 16 digits, 4 of them decimals
KEY_COLUMNS = ("employee", "name", "period")
DEFAULT_MAX_BYTES = 50 * 2**20


class ImportRefused(CycleError):
    """A file the web import cannot take (unreadable, too big, no profile …); nothing stored."""


def import_limits() -> Limits:
    return Limits(max_bytes=int(getattr(settings, "JIXIAO_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)))


def account_map() -> AccountMap:
    """The shop's sub-accounts (``旗舰店:小冰`` → E001) and unambiguous names, from the org app."""
    accounts = {
        (shop, nick): (number, name)
        for shop, nick, number, name in ShopAccount.objects.values_list(
            "shop", "nick", "employee__number", "employee__name"
        )
    }
    people = list(Employee.objects.values_list("number", "name"))
    counts = Counter(name for _, name in people)
    names = {name: number for number, name in people if counts[name] == 1}
    return AccountMap(accounts=accounts, names=names, employee_names=dict(people))


@dataclass(frozen=True)
class PlannedRow:
    participant: Participant
    values: dict[str, Decimal]


@dataclass(frozen=True)
class ImportPlan:
    """What committing would write, and everything the person should see first."""

    preview: ImportPreview
    codes: tuple[str, ...]
    rows: tuple[PlannedRow, ...]
    outside: tuple[tuple[str, str, str], ...]  # (工号, 姓名, why not imported)
    ignored_columns: tuple[str, ...]
    blockers: tuple[str, ...]
    earlier: ImportBatch | None = None

    @property
    def value_count(self) -> int:
        return sum(len(r.values) for r in self.rows)

    def triples(self) -> list[tuple[Participant, str, Decimal]]:
        return [(r.participant, c, v) for r in self.rows for c, v in r.values.items()]


def _cycle_period(cycle: Cycle) -> str | None:
    """A monthly cycle reads only its own month (rows of other months are skipped and shown)."""
    if cycle.period == Cycle.Period.MONTH and (cycle.start.year, cycle.start.month) == (
        cycle.end.year,
        cycle.end.month,
    ):
        return f"{cycle.start:%Y-%m}"
    return None


def _cycle_months(cycle: Cycle) -> set[str]:
    out, y, m = set(), cycle.start.year, cycle.start.month
    while (y, m) <= (cycle.end.year, cycle.end.month):
        out.add(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _decimal(v: Any) -> Decimal | None:
    if v is None:
        return None
    d = v if isinstance(v, Decimal) else Decimal(str(v))
    return d.quantize(QUANTUM, rounding=ROUND_HALF_UP)


def import_plan(
    *, user: Any, cycle: Cycle, data: bytes, file_name: str, profile: str | None = None
) -> ImportPlan:
    """Run the import library on ``data`` and decide what would be written. Writes nothing.

    Raises ``ImportRefused`` for a file that cannot be imported at all."""
    actor = actor_of(user)
    try:
        preview = plan_import(
            data,
            profile=profile or None,
            mapping=account_map(),
            period=_cycle_period(cycle),
            name=file_name,
            limits=import_limits(),
        )
    except UserError as exc:  # IngestError, or a FileError from reading the upload
        raise ImportRefused(str(exc)) from None
    table = preview.table
    codes = [c for c in table.columns if c not in KEY_COLUMNS]
    numeric = [c for c in codes if table.schema[c].is_numeric()]
    ignored = tuple(c for c in codes if c not in numeric)
    people = {
        p.employee.number: p
        for p in Participant.objects.filter(cycle=cycle).select_related("employee", "cycle")
    }
    blockers: list[str] = []
    outside: list[tuple[str, str, str]] = []
    rows: list[PlannedRow] = []
    numbers = table.get_column("employee").to_list() if "employee" in table.columns else []
    repeated = sorted(n for n, k in Counter(numbers).items() if k > 1)
    if repeated:
        blockers.append(
            "同一员工在文件中有多个期间的数据（工号 "
            + "、".join(repeated[:10])
            + "）；季度 / 年度周期请先按周期汇总，或按月分别导入月度周期。"
        )
    if "period" in table.columns:
        months = _cycle_months(cycle)
        foreign = sorted({p for p in table.get_column("period").to_list() if p} - months)
        if foreign:
            blockers.append(
                f"文件中的期间 {'、'.join(foreign)} 不在周期“{cycle.name}”"
                f"（{cycle.start:%Y-%m-%d} ~ {cycle.end:%Y-%m-%d}）内。"
            )
    for rec in table.select(["employee", "name", *numeric]).iter_rows(named=True):
        number, name = rec["employee"], rec.get("name") or ""
        p = people.get(number)
        if p is None:
            outside.append((number, name, "不在本考核周期中，不导入"))
            continue
        if not manages(actor=actor, participant=p):
            why = (
                "本人的数据不能自己导入"
                if p.employee_id == actor.employee_id
                else "您无权录入此人的数据"
            )
            outside.append((number, p.employee.name, why + "，不导入（请人事行政导入）"))
            continue
        values: dict[str, Decimal] = {}
        for code in numeric:
            d = _decimal(rec[code])
            if d is None:
                continue  # blank means missing, never 0
            if abs(d) >= MAX_ABS:
                blockers.append(f"{p.employee.name} 的“{code}”= {d} 超出可保存的范围。")
                continue
            values[code] = d
        if values:
            rows.append(PlannedRow(p, values))
    if not rows and not blockers:
        blockers.append("没有可以写入本周期的数值（见下方未导入的人员与被拒绝的行）。")
    earlier = (
        ImportBatch.objects.filter(
            cycle=cycle, sha256=preview.sha256, status=ImportBatch.Status.COMMITTED
        )
        .order_by("-committed_at")
        .first()
    )
    return ImportPlan(
        preview=preview,
        codes=tuple(numeric),
        rows=tuple(sorted(rows, key=lambda r: r.participant.employee.number)),
        outside=tuple(outside),
        ignored_columns=ignored,
        blockers=tuple(blockers),
        earlier=earlier,
    )


def batches_for(*, user: Any, cycle: Cycle) -> QuerySet[ImportBatch]:
    """HR sees every batch of the cycle; heads and supervisors the ones they uploaded."""
    actor = actor_of(user)
    qs = ImportBatch.objects.filter(cycle=cycle).select_related("uploaded_by", "committed_by")
    qs = qs.defer("content")
    return qs if actor.is_hr else qs.filter(uploaded_by=user)


def mappable_employees(*, user: Any) -> QuerySet[Employee]:
    """Employees this person may give a shop sub-account to (HR: all; heads: their departments)."""
    actor = actor_of(user)
    qs = Employee.objects.exclude(status=Employee.Status.LEFT).order_by("number")
    if actor.is_hr:
        return qs
    return qs.filter(department_id__in=actor.headed | actor.overseen)
