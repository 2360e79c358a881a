"""Export files made by the tests: a customer-service report in GBK, an XLSX with a title."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from jixiao.web.org.models import Employee, ShopAccount

HEADER = ["店铺", "旺旺", "接待人数", "销售额", "回复率"]
ROWS = [
    ["旗舰店", "小冰", "100", "￥1,234.50", "98%"],
    ["旗舰店", "小冰", "50", "600", "100%"],
    ["旗舰店", "小雪", "30", "300", "90%"],
    ["旗舰店", "小王", "20", "200", "80%"],
    ["旗舰店", "小雪", "很多", "1", "90%"],
    ["合计", "", "200", "2334.5", ""],
]


def csv_bytes(
    rows: Sequence[Sequence[str]] = ROWS, *, encoding: str = "gbk", title: str = ""
) -> bytes:
    lines = [title] if title else []
    lines.append(",".join(HEADER))
    for r in rows:
        lines.append(",".join(f'"{v}"' if "," in v else v for v in r))
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[str]] = ROWS) -> bytes:
    """Two title rows and a blank row above the header, as platform exports do."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("客服绩效")
    ws.write(0, 0, "客服绩效报表")
    ws.write(1, 0, "统计时间：2026-10-01 ~ 2026-10-31")
    for j, h in enumerate(HEADER):
        ws.write(3, j, h)
    for i, r in enumerate(rows, start=4):
        for j, v in enumerate(r):
            if v != "":
                ws.write(i, j, v)
    wb.close()
    return buf.getvalue()


def map_accounts(org) -> None:
    """小冰 is the ops employee, 小雪 the customer-service outsider; 小王 is unknown."""
    ShopAccount.objects.create(employee=org.employee, shop="旗舰店", nick="小冰")
    ShopAccount.objects.create(employee=org.outsider, shop="旗舰店", nick="小雪")


def employee(number: str) -> Employee:
    return Employee.objects.get(number=number)
