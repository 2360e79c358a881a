"""Read the month's files: the `jixiao score` results and tables (CSV in UTF-8/GBK, or XLSX).

Errors name the file, the row as a spreadsheet shows it (header = row 1) and the column.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.pay._errors import fail
from jixiao.pay._num import to_decimal

EMPLOYEE_COLUMNS = ("employee", "工号", "员工编号", "员工")
NAME_COLUMNS = ("name", "姓名")
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


@dataclass(frozen=True)
class Result:
    employee: str
    name: str
    group: str
    total: Decimal | None
    grade: str
    rank: Decimal | None
    group_rank: Decimal | None
    items: dict[str, Decimal | None]
    dims: dict[str, Decimal | None]


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


def read_table(path: Path) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of a CSV (UTF-8/GBK) or XLSX file, values kept as read."""
    if not path.exists():
        raise fail(str(path), "文件不存在", "file not found")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise fail(
                str(path), f"无法作为 Excel 打开：{exc}", f"not a readable XLSX file: {exc}"
            ) from None
        values = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    elif suffix in {".csv", ".txt"}:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise fail(str(path), f"无法读取：{exc}", f"cannot read: {exc}") from None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes almost anything
            raise fail(
                str(path),
                "无法识别编码（请另存为 UTF-8 CSV）",
                "unknown encoding; save as UTF-8 CSV",
            )
        values = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        raise fail(
            str(path), "只支持 .csv 或 .xlsx 文件", "only .csv and .xlsx files are supported"
        )
    values = [r for r in values if any(v not in (None, "") for v in r)]
    if not values:
        raise fail(str(path), "文件是空的", "the file is empty")
    header = ["" if h is None else str(h).strip() for h in values[0]]
    return header, values[1:]


def find_column(header: list[str], options: tuple[str, ...], path: Path) -> int:
    for opt in options:
        if opt in header:
            return header.index(opt)
    raise fail(
        str(path),
        f"找不到员工列（应为 {' / '.join(options)} 之一）；现有列：{', '.join(header)}",
        f"no employee column ({' / '.join(options)}); columns: {', '.join(header)}",
    )


def read_results(path: str | Path) -> dict[str, Result]:
    """Results of `jixiao score` as JSON (list of objects) or CSV, keyed by employee id."""
    p = Path(path)
    records: list[tuple[str, dict[str, Any]]] = []
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(p.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise fail(str(p), "文件不存在", "file not found") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise fail(str(p), f"不是有效的 JSON：{exc}", f"invalid JSON: {exc}") from None
        except OSError as exc:
            raise fail(str(p), f"无法读取：{exc}", f"cannot read: {exc}") from None
        if not isinstance(data, list):
            raise fail(
                str(p), "应为 jixiao score --format json 输出的列表", "expected a list of results"
            )
        for i, rec in enumerate(data):
            if not isinstance(rec, dict):
                raise fail(f"{p} [{i}]", "每一项应为一个对象", "each entry must be an object")
            records.append((f"{p} [{i}]", rec))
    else:
        header, rows = read_table(p)
        emp = find_column(header, EMPLOYEE_COLUMNS, p)
        fixed = {
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
        for r, row in enumerate(rows, start=2):
            item: dict[str, Any] = {"items": {}}
            for c, h in enumerate(header):
                key = _RESULT_ALIASES.get(h, h)
                val = row[c] if c < len(row) else None
                if c == emp:
                    item["employee"] = val
                elif key in fixed:
                    item[key] = val
                elif h:
                    item["items"][h] = val
            records.append((f"{p} 第 {r} 行", item))
    out: dict[str, Result] = {}
    for where, rec in records:
        emp_id = cell_text(rec.get("employee"))
        if not emp_id:
            raise fail(where, "缺少 employee（工号）", "missing employee id")
        if emp_id in out:
            raise fail(where, f"工号 {emp_id} 重复出现", f"employee {emp_id} appears twice")
        items, dims = rec.get("items") or {}, rec.get("dimensions") or {}
        if not isinstance(items, dict) or not isinstance(dims, dict):
            raise fail(where, "items / dimensions 应为对象", "items / dimensions must be objects")
        out[emp_id] = Result(
            employee=emp_id,
            name=str(rec.get("name") or ""),
            group=str(rec.get("group") or ""),
            total=read_number(rec.get("total"), f"{where} total", "得分"),
            grade=str(rec.get("grade") or ""),
            rank=read_number(rec.get("rank"), f"{where} rank", "排名"),
            group_rank=read_number(rec.get("group_rank"), f"{where} group_rank", "组内排名"),
            items={
                str(k): read_number(v, f"{where} items.{k}", "分项得分") for k, v in items.items()
            },
            dims={
                str(k): read_number(v, f"{where} dimensions.{k}", "维度得分")
                for k, v in dims.items()
            },
        )
    return out
