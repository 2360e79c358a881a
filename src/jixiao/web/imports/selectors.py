"""Reads for imports: the shop's account map, the plan of an upload (writes nothing), lists."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jixiao.errors import UserError
from jixiao.ingest import AccountMap, ImportPreview, Limits, plan_import
from jixiao.web import access
from jixiao.web.access import UserLike, can_manage_participant, is_own_record
from jixiao.web.cycles.models import Cycle, Participant
from jixiao.web.cycles.services import CycleError
from jixiao.web.errors import bilingual, joined
from jixiao.web.imports.models import ImportBatch
from jixiao.web.org.models import Employee, ShopAccount

__all__ = [
    "ImportPlan",
    "ImportRefused",
    "PlannedRow",
    "account_map",
    "batches_for",
    "earlier_commit",
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
    outside: tuple[tuple[str, str, str | Promise], ...]  # (工号, 姓名, why not imported)
    ignored_columns: tuple[str, ...]
    blockers: tuple[str | Promise, ...]  # shown in the reader's language
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
    *, user: UserLike, cycle: Cycle, data: bytes, file_name: str, profile: str | None = None
) -> ImportPlan:
    """Run the import library on ``data`` and decide what would be written. Writes nothing.

    Raises ``ImportRefused`` for a file that cannot be imported at all."""
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
        raise ImportRefused.wrap(exc, field="file") from None
    table = preview.table
    codes = [c for c in table.columns if c not in KEY_COLUMNS]
    numeric = [c for c in codes if table.schema[c].is_numeric()]
    ignored = tuple(c for c in codes if c not in numeric)
    people = {
        p.employee.number: p
        for p in Participant.objects.filter(cycle=cycle).select_related("employee", "cycle")
    }
    blockers: list[str | Promise] = []
    outside: list[tuple[str, str, str | Promise]] = []
    rows: list[PlannedRow] = []
    others = 0
    numbers = table.get_column("employee").to_list() if "employee" in table.columns else []
    repeated = sorted(n for n, k in Counter(numbers).items() if k > 1)
    if repeated:
        blockers.append(
            bilingual(
                _(
                    "同一员工在文件中有多个期间的数据（工号 %(numbers)s）；"
                    "季度 / 年度周期请先按周期汇总，或按月分别导入月度周期。"
                ),
                {"numbers": joined(repeated[:10])},
            )
        )
    if "period" in table.columns:
        months = _cycle_months(cycle)
        foreign = sorted({p for p in table.get_column("period").to_list() if p} - months)
        if foreign:
            blockers.append(
                bilingual(
                    _("文件中的期间 %(periods)s 不在周期“%(cycle)s”（%(start)s ~ %(end)s）内。"),
                    {
                        "periods": joined(foreign),
                        "cycle": cycle.name,
                        "start": f"{cycle.start:%Y-%m-%d}",
                        "end": f"{cycle.end:%Y-%m-%d}",
                    },
                )
            )
    for rec in table.select(["employee", "name", *numeric]).iter_rows(named=True):
        number, name = rec["employee"], rec.get("name") or ""
        p = people.get(number)
        if p is None:
            outside.append((number, name, bilingual(_("不在本考核周期中，不导入"))))
            continue
        if not can_manage_participant(user=user, participant=p):
            if is_own_record(user=user, employee_id=p.employee_id):
                why = _("本人的数据不能自己导入，不导入（请人事行政导入）")
                outside.append((number, p.employee.name, bilingual(why)))
            else:
                others += 1  # counted, never named: they are other departments' staff
            continue
        values: dict[str, Decimal] = {}
        for code in numeric:
            d = _decimal(rec[code])
            if d is None:
                continue  # blank means missing, never 0
            if abs(d) >= MAX_ABS:
                blockers.append(
                    bilingual(
                        _("%(name)s 的“%(code)s”= %(value)s 超出可保存的范围。"),
                        {"name": p.employee.name, "code": code, "value": d},
                    )
                )
                continue
            values[code] = d
        if values:
            rows.append(PlannedRow(p, values))
    if others:
        why = _("%(n)s 人不是您可以录入数据的员工，不导入（不显示其工号和姓名；请人事行政导入）")
        outside.append(("", "", bilingual(why, {"n": others})))
    if not rows and not blockers:
        blockers.append(
            bilingual(_("没有可以写入本周期的数值（见下方未导入的人员与被拒绝的行）。"))
        )
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


def earlier_commit(*, batch: ImportBatch) -> ImportBatch | None:
    """The latest committed batch of the same file in the same cycle (a commit replaces it)."""
    return (
        ImportBatch.objects.filter(
            cycle_id=batch.cycle_id, sha256=batch.sha256, status=ImportBatch.Status.COMMITTED
        )
        .exclude(pk=batch.pk)
        .defer("content", "preview")
        .order_by("-committed_at")
        .first()
    )


def batches_for(*, user: UserLike, cycle: Cycle) -> QuerySet[ImportBatch]:
    """The cycle's batches the user may see (HR: all; heads and supervisors: their own)."""
    qs = access.visible_import_batches(user=user, cycle=cycle)
    return qs.select_related("uploaded_by", "committed_by").defer("content")


def mappable_employees(*, user: UserLike) -> QuerySet[Employee]:
    """Employees this person may give a shop sub-account to (HR: all; heads: their departments)."""
    return access.mappable_employees(user=user).order_by("number")
