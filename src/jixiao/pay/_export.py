"""Pay sheet (工资表) and pay slips (工资条) as XLSX, JSON and CSV.

Written by :mod:`jixiao.files`: text that starts with ``= + - @`` (or a tab / carriage return)
gets a leading apostrophe in CSV and XLSX alike, so it never runs as a formula; XLSX text is
always a text cell; amounts are numbers. Files are replaced atomically.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import polars as pl

from jixiao.files import XlsxBook, csv_bytes, csv_text, json_text, write_file
from jixiao.pay._num import CENT, fmt
from jixiao.pay._run import Payroll
from jixiao.pay._vector import NET, trace_columns


def _money(x: Decimal) -> str:
    return fmt(x, 2)


def _cents(x: Decimal) -> Decimal:
    """An amount as a number with two decimals (a CSV shows 580.00, a workbook a number)."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _headers(payroll: Payroll) -> list[str]:
    return [c.spec.name + ("（备注）" if c.spec.memo else "") for c in payroll.plan.components]


_EMPLOYEES = "\x00employees"
_CENTS = pl.Decimal(38, 2)
_SLICE = 10_000


def _employees_json(payroll: Payroll) -> bytes:
    """The ``employees`` array as compact JSON text, encoded by Polars straight from the payroll
    table: one object per person, components in plan order, amounts as strings ("2160.00").
    Each component object is encoded on its own and the texts joined, which is several times
    faster than nesting them in a list column first."""
    comps = []
    for c in payroll.plan.components:
        zh, en = trace_columns(c)
        comps.append(
            pl.struct(
                pl.lit(c.code).alias("code"),
                pl.lit(c.spec.name).alias("name"),
                pl.col(c.code).cast(_CENTS).cast(pl.String).alias("amount"),
                pl.lit(c.spec.memo).alias("memo"),
                pl.col(zh).alias("trace"),
                pl.col(en).alias("trace_en"),
            )
            .struct.json_encode()
            .alias(f"\x00{c.index}")
        )
    head = pl.struct(
        "employee", "name", "group", pl.col(NET).cast(_CENTS).cast(pl.String).alias("net")
    ).struct.json_encode()
    person = pl.concat_str(  # {"employee": …, "net": "…"} with the components before the brace
        head.str.head(-1),
        pl.lit(',"components":['),
        pl.concat_str(comps, separator=","),
        pl.lit("]}"),
    )
    # In slices of rows, as UTF-8: a payroll of 100,000 people is about 250 MB of JSON, and one
    # Python string of it (plus its copies) would need several times that.
    table = payroll.table
    parts = [
        table.slice(start, _SLICE).select(person.str.join(",")).item().encode("utf-8")
        for start in range(0, table.height, _SLICE)
    ]
    return b"[" + b",".join(parts) + b"]"


def _json_bytes(payroll: Payroll) -> bytes:
    """The JSON document as UTF-8 (see :func:`to_json`)."""
    plan = payroll.plan.plan
    doc: dict[str, Any] = {
        "plan": {"code": plan.code, "name": plan.name, "version": plan.version},
        "employees": _EMPLOYEES,
        "totals": {("net" if k == NET else k): _money(v) for k, v in payroll.totals().items()},
        "pools": [
            {
                "code": p.code,
                "name": p.name,
                "amount": _money(p.amount),
                "distributed": _money(p.distributed),
                "undistributed": _money(p.undistributed),
                "groups": {g or "全部": _money(v) for g, v in p.groups},
            }
            for p in payroll.pools
        ],
        "warnings": list(payroll.warnings),
    }
    # Everything but the employees is indented for people; the employees (100,000 × 15
    # components with traces at most) are encoded compactly by Polars, many times faster.
    head, tail = json_text(doc).split(json_text(_EMPLOYEES), 1)
    return head.encode("utf-8") + _employees_json(payroll) + tail.encode("utf-8")


def to_json(payroll: Payroll) -> str:
    """Money as strings ("2160.00") so that no reader turns it into a binary float."""
    return _json_bytes(payroll).decode("utf-8")


def _pay_sheet(payroll: Payroll) -> tuple[list[str], list[list[Any]]]:
    """The pay sheet: one row per person, one column per component, a totals row."""
    header = ["工号", "姓名", "组别", *_headers(payroll), "实发合计"]
    amounts = [pl.col(c).cast(_CENTS) for c in [*payroll.codes, NET]]
    rows: list[list[Any]] = [
        list(r) for r in payroll.table.select("employee", "name", "group", *amounts).iter_rows()
    ]
    rows.append(["合计", "", "", *[_cents(v) for v in payroll.totals().values()]])
    return header, rows


def to_csv(payroll: Payroll) -> str:
    """The pay sheet as CSV text (for printing; files get a BOM, see :func:`write_payroll`)."""
    return csv_text(*_pay_sheet(payroll))


def xlsx_of(payroll: Payroll) -> bytes:
    """Workbook with 工资表 (pay sheet), 工资条 (print-ready slips) and 说明 (pools, warnings)."""
    plan = payroll.plan.plan
    with XlsxBook() as wb:
        bold = wb.format(bold=True, bg_color="#DDEBF7", border=1)
        num = wb.format(num_format="#,##0.00", border=1)
        num_bold = wb.format(num_format="#,##0.00", border=1, bold=True)
        text = wb.format(border=1)
        wrap = wb.format(border=1, text_wrap=True, valign="top")
        title = wb.format(bold=True, font_size=13)

        sheet = wb.sheet("工资表")
        headers = ["工号", "姓名", "组别", *_headers(payroll), "实发合计"]
        sheet.write(0, 0, f"{plan.name}（{plan.code} v{plan.version}）工资表", title)
        for c, h in enumerate(headers):
            sheet.write(1, c, h, bold)
        for r, s in enumerate(payroll.slips, start=2):
            for c, t in enumerate((s.employee, s.name, s.group)):
                sheet.write(r, c, t, text)
            for c, x in enumerate(s.lines, start=3):
                sheet.write(r, c, float(x.amount), num)  # exact: two decimals only
            sheet.write(r, len(headers) - 1, float(s.net), num_bold)
        last = len(payroll.slips) + 2
        sheet.write(last, 0, "合计", bold)
        for c, total in enumerate(payroll.totals().values(), start=3):
            sheet.write(last, c, float(total), num_bold)
        sheet.set_column(0, 2, 12)
        sheet.set_column(3, len(headers) - 1, 14)
        sheet.freeze_panes(2, 3)

        slips = wb.sheet("工资条")
        slips.set_column(0, 0, 18)
        slips.set_column(1, 1, 14)
        slips.set_column(2, 2, 80)
        slips.fit_to_pages(1, 0)
        r = 0
        breaks = []
        for s in payroll.slips:
            slips.write(r, 0, f"工资条　{s.name}（{s.employee}）{s.group}", title)
            slips.write(r, 2, f"{plan.name} v{plan.version}")
            slips.write(r + 1, 0, "项目", bold)
            slips.write(r + 1, 1, "金额（元）", bold)
            slips.write(r + 1, 2, "说明", bold)
            r += 2
            for x in s.lines:
                slips.write(r, 0, x.name + ("（备注，不计入实发）" if x.memo else ""), text)
                slips.write(r, 1, float(x.amount), num)
                slips.write(r, 2, x.text, wrap)
                r += 1
            slips.write(r, 0, "实发合计", bold)
            slips.write(r, 1, float(s.net), num_bold)
            r += 2
            breaks.append(r)
        if len(breaks) > 1:
            slips.set_h_pagebreaks(breaks[:-1][:1000])

        notes = wb.sheet("说明")
        notes.set_column(0, 0, 100)
        lines = [
            f"方案：{plan.name}（{plan.code} v{plan.version}）",
            plan.description.strip(),
            "金额按 0.01 元四舍五入（half-up）；奖金池按最大余数法分到分，尾差按工号升序。",
        ]
        for p in payroll.pools:
            lines.append(
                f"奖金池 {p.name}：{_money(p.amount)}，已分配 {_money(p.distributed)}，"
                f"未分配 {_money(p.undistributed)}"
            )
        lines += [f"提示：{w}" for w in payroll.warnings]
        for i, note in enumerate(x for x in lines if x):
            notes.write(i, 0, note, wrap)
    return wb.data


def to_xlsx(payroll: Payroll, path: str | Path) -> None:
    write_file(path, xlsx_of(payroll))


def write_payroll(payroll: Payroll, path: str | Path) -> Path:
    """Write ``path`` as XLSX, JSON or CSV (UTF-8 with BOM), chosen by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_file(path, xlsx_of(payroll))
    if suffix == ".json":
        return write_file(path, _json_bytes(payroll))
    return write_file(path, csv_bytes(*_pay_sheet(payroll)))
