"""Import measured data from a CSV / XLSX table: one row per employee, one column per metric."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jixiao.files import EMPLOYEE_ALIASES, PERSON_ALIASES, FileError, Limits, read_table
from jixiao.web.access import UserLike, can_manage_participant
from jixiao.web.cycles.models import Cycle
from jixiao.web.cycles.services._common import CycleError, ensure_state
from jixiao.web.cycles.services.planning import metric_set, parse_decimal
from jixiao.web.errors import either, in_both
from jixiao.web.numbers import METRIC

__all__ = ["metrics_import"]

S = Cycle.State
MAX_ROWS = 5000
LIMITS = Limits(max_bytes=2_000_000, max_rows=MAX_ROWS)


@transaction.atomic
def metrics_import(
    *, user: UserLike, cycle: Cycle, text: str | bytes, name: str = "导入的表格"
) -> int:
    """All or nothing: every problem is reported with its row and column, nothing is saved
    unless the whole table is right. ``text`` is the table (CSV text, or a CSV / XLSX file's
    bytes). Returns the number of values stored."""
    ensure_state(cycle, S.RUNNING, S.RATING, doing=_("导入数据"))
    # rights are checked per row: a row for someone the user does not manage is a problem
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        table = read_table(data, name=name, known_headers=PERSON_ALIASES, limits=LIMITS)
    except FileError as exc:
        raise CycleError.wrap(exc, field="file") from None
    header = list(table.header)
    key = table.column(EMPLOYEE_ALIASES)
    if key is None:
        raise CycleError(_("表格第一行应是列名，并包含“工号”（或 employee）列。"), field="file")
    metrics = [h for h in header if h != key and h]
    if not metrics:
        raise CycleError(
            _("表格里没有指标列：除“工号”外，每一列是一个指标编码，例如 sales。"), field="file"
        )
    people = {p.employee.number: p for p in cycle.participants.select_related("employee", "cycle")}
    problems: list[tuple[str, str]] = []  # (Chinese, English)
    todo = []
    for n, cells in table.rows():
        row = {h: (v or "").strip() for h, v in zip(header, cells, strict=True)}
        number = row.get(key, "")
        p = people.get(number)
        if p is None or not can_manage_participant(user=user, participant=p):
            # one message for both: the file's 工号 only, never the name of someone the user
            # may not see (nor whether that 工号 exists in another department)
            problems.append(
                in_both(
                    _("第 %(row)s 行：本周期没有您可以录入数据的、工号为“%(number)s”的员工"),
                    {"row": n, "number": number},
                )
            )
            continue
        for code in metrics:
            if row.get(code, "") == "":
                continue
            try:
                parse_decimal(row[code], label=code, domain=METRIC)
            except CycleError as exc:
                problems.append(
                    in_both(
                        _("第 %(row)s 行“%(code)s”列：%(problem)s"),
                        {"row": n, "code": code, "problem": either(exc.message, exc.message_en)},
                    )
                )
                continue
            todo.append((p, code, row[code]))
    if problems:
        more = _("（另有 %(n)s 处）") if len(problems) > 10 else ""
        raise CycleError(
            _("导入未保存，请改正后重试：%(problems)s%(more)s"),
            params={
                "problems": either(
                    "；".join(zh for zh, _en in problems[:10]),
                    "; ".join(en for _zh, en in problems[:10]),
                ),
                "more": either(*in_both(more, {"n": len(problems) - 10})) if more else "",
            },
            field="file",
        )
    for p, code, value in todo:
        metric_set(user=user, participant=p, code=code, value=value)
    return len(todo)
