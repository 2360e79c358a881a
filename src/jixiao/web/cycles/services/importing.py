"""Import measured data from a CSV / XLSX table: one row per employee, one column per metric."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jixiao.files import EMPLOYEE_ALIASES, PERSON_ALIASES, FileError, Limits, read_table
from jixiao.web.access import actor_of, manages
from jixiao.web.cycles.models import Cycle
from jixiao.web.cycles.services._common import CycleError, ensure_state
from jixiao.web.cycles.services.planning import metric_set, parse_decimal

__all__ = ["metrics_import"]

S = Cycle.State
MAX_ROWS = 5000
LIMITS = Limits(max_bytes=2_000_000, max_rows=MAX_ROWS)


@transaction.atomic
def metrics_import(*, user: Any, cycle: Cycle, text: str | bytes, name: str = "导入的表格") -> int:
    """All or nothing: every problem is reported with its row and column, nothing is saved
    unless the whole table is right. ``text`` is the table (CSV text, or a CSV / XLSX file's
    bytes). Returns the number of values stored."""
    ensure_state(cycle, S.RUNNING, S.RATING, doing="导入数据")
    actor = actor_of(user)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        table = read_table(data, name=name, known_headers=PERSON_ALIASES, limits=LIMITS)
    except FileError as exc:
        raise CycleError(str(exc)) from None
    header = list(table.header)
    key = table.column(EMPLOYEE_ALIASES)
    if key is None:
        raise CycleError("表格第一行应是列名，并包含“工号”（或 employee）列。")
    metrics = [h for h in header if h != key and h]
    if not metrics:
        raise CycleError("表格里没有指标列：除“工号”外，每一列是一个指标编码，例如 sales。")
    people = {p.employee.number: p for p in cycle.participants.select_related("employee", "cycle")}
    problems: list[str] = []
    todo = []
    for n, cells in table.rows():
        row = {h: (v or "").strip() for h, v in zip(header, cells, strict=True)}
        number = row.get(key, "")
        p = people.get(number)
        if p is None:
            problems.append(f"第 {n} 行：本周期没有工号为“{number}”的员工")
            continue
        if not manages(actor=actor, participant=p):
            problems.append(f"第 {n} 行：您不能为 {p.employee.name} 录入数据")
            continue
        for code in metrics:
            if row.get(code, "") == "":
                continue
            try:
                parse_decimal(row[code], field=code)
            except CycleError as exc:
                problems.append(f"第 {n} 行“{code}”列：{exc}")
                continue
            todo.append((p, code, row[code]))
    if problems:
        more = f"（另有 {len(problems) - 10} 处）" if len(problems) > 10 else ""
        raise CycleError("导入未保存，请改正后重试：" + "；".join(problems[:10]) + more)
    for p, code, value in todo:
        metric_set(user=user, participant=p, code=code, value=value)
    return len(todo)
