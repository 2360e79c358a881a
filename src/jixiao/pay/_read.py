"""Read the month's files: the `jixiao score` results and tables (CSV in UTF-8/GBK, or XLSX).

Files are read by :mod:`jixiao.files` (limits, encodings, header row below any title rows);
this module keeps the pay semantics: numbers become exact ``Decimal`` values, and errors become
:class:`PayError` issues naming the file, the row as a spreadsheet shows it and the column.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.engine import ResultRecord
from jixiao.files import (
    EMPLOYEE_ALIASES,
    PERSON_ALIASES,
    DocumentLimits,
    FileError,
    RawTable,
    find_column,
    load_document,
    read_table,
)
from jixiao.pay._errors import Issue, PayError, fail
from jixiao.pay._num import to_decimal

_RESULT_ALIASES = {
    "score": "total",
    "得分": "total",
    "等级": "grade",
    "排名": "rank",
    "组内排名": "group_rank",
    "组别": "group",
    "姓名": "name",
    "工号": "employee",
}
_FIXED = {
    "employee",
    "name",
    "group",
    "eligible",
    "total",
    "grade",
    "rank",
    "group_rank",
    "excluded_reason",
}
# A results file has one object per person: far more nodes than a plan, still bounded.
RESULTS_LIMITS = DocumentLimits(max_bytes=100 * 2**20, max_nodes=20_000_000)


def cell_text(raw: Any) -> str:
    """Text of an id cell; Excel stores 1001 as 1001.0, which must still read as "1001"."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def read_number(raw: Any, where: str, what: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    try:
        return to_decimal(raw)
    except ValueError:
        raise fail(where, f"{what} {raw!r} 不是数值", f"{what} {raw!r} is not a number") from None


def file_error(exc: FileError) -> PayError:
    """A file the reader refused, as a pay issue (``where`` is the file, row and column)."""
    return PayError(Issue(exc.where, exc.reason, exc.reason_en))


def read_sheet(path: Path, known: Iterable[str] = ()) -> RawTable:
    """A CSV / XLSX table of text cells; ``known`` headers help find the header row."""
    try:
        return read_table(path, known_headers=PERSON_ALIASES | frozenset(known))
    except FileError as exc:
        raise file_error(exc) from None


def employee_column(header: list[str], where: str) -> int:
    i = find_column(header, EMPLOYEE_ALIASES)
    if i is None:
        options = " / ".join(EMPLOYEE_ALIASES)
        raise fail(
            where,
            f"找不到员工列（应为 {options} 之一）；现有列：{', '.join(header)}",
            f"no employee column ({options}); columns: {', '.join(header)}",
        )
    return i


def _json_records(p: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = load_document(p, syntax="json", limits=RESULTS_LIMITS)
    except FileError as exc:
        raise file_error(exc) from None
    if not isinstance(data, list):
        raise fail(
            str(p), "应为 jixiao score --format json 输出的列表", "expected a list of results"
        )
    records = []
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise fail(f"{p} [{i}]", "每一项应为一个对象", "each entry must be an object")
        records.append((f"{p} [{i}]", rec))
    return records


def _table_records(p: Path) -> list[tuple[str, dict[str, Any]]]:
    table = read_sheet(p, {*_FIXED, *_RESULT_ALIASES})
    header = list(table.header)
    emp = employee_column(header, str(p))
    records = []
    for r, row in table.rows():
        item: dict[str, Any] = {"items": {}}
        for c, h in enumerate(header):
            key = _RESULT_ALIASES.get(h, h)
            if c == emp:
                item["employee"] = row[c]
            elif key in _FIXED:
                item[key] = row[c]
            elif h:
                item["items"][h] = row[c]
        records.append((f"{p} 第 {r} 行", item))
    return records


def _score(raw: Any, where: str, what: str) -> float | None:
    if type(raw) is float or type(raw) is int:  # JSON numbers: already what the record holds
        return float(raw)
    value = read_number(raw, where, what)
    return None if value is None else float(value)


def _rank(raw: Any, where: str, what: str) -> int | None:
    if type(raw) is int:
        return raw
    value = read_number(raw, where, what)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise fail(where, f"{what} {raw!r} 不是整数", f"{what} {raw!r} is not a whole number")
    return int(value)


def _scores(table: Any, where: str, what: str) -> dict[str, float]:
    if not table:
        return {}
    return {
        str(k): s for k, v in table.items() if (s := _score(v, f"{where}.{k}", what)) is not None
    }


def result_record(where: str, rec: dict[str, Any]) -> ResultRecord:
    """One person's appraisal result as the scoring engine's typed record; every value is
    checked first so that a bad one is named by file, record and field."""
    emp_id = cell_text(rec.get("employee"))
    if not emp_id:
        raise fail(where, "缺少 employee（工号）", "missing employee id")
    items, dims = rec.get("items") or {}, rec.get("dimensions") or {}
    if not isinstance(items, dict) or not isinstance(dims, dict):
        raise fail(where, "items / dimensions 应为对象", "items / dimensions must be objects")
    total = _score(rec.get("total"), f"{where} total", "得分")
    eligible = rec.get("eligible")
    return ResultRecord(
        employee=emp_id,
        name=str(rec.get("name") or ""),
        group=str(rec.get("group") or ""),
        eligible=total is not None
        if eligible is None
        else eligible not in (False, "false", "False", "0", 0),
        excluded_reason=rec.get("excluded_reason"),
        total=total,
        grade=str(rec.get("grade") or ""),
        rank=_rank(rec.get("rank"), f"{where} rank", "排名"),
        group_rank=_rank(rec.get("group_rank"), f"{where} group_rank", "组内排名"),
        items=_scores(items, f"{where} items", "分项得分"),
        dimensions=_scores(dims, f"{where} dimensions", "维度得分"),
    )


def read_results(path: str | Path) -> dict[str, ResultRecord]:
    """Results of `jixiao score` as JSON (list of objects) or CSV, keyed by employee id."""
    p = Path(path)
    records = _json_records(p) if p.suffix.lower() == ".json" else _table_records(p)
    out: dict[str, ResultRecord] = {}
    for where, rec in records:
        record = result_record(where, rec)
        if record.employee in out:
            raise fail(
                where,
                f"工号 {record.employee} 重复出现",
                f"employee {record.employee} appears twice",
            )
        out[record.employee] = record
    return out
