"""Fixture files are made by the tests themselves, in every encoding and layout."""

from __future__ import annotations

from pathlib import Path

import pytest

CS_REPORT = [
    [
        "店铺",
        "旺旺",
        "接待人数",
        "询单人数",
        "最终付款人数",
        "询单转化率",
        "销售额",
        "客单价",
        "首次响应时间",
        "平均响应时间",
        "回复率",
    ],
    [
        "旗舰店",
        "小冰",
        "100",
        "80",
        "20",
        "25.00%",
        "￥1,234.50",
        "61.73",
        "00:00:15",
        "1分20秒",
        "98%",
    ],
    ["旗舰店", "小冰", "50", "20", "10", "50%", "600", "60", "10秒", "20", "100%"],
    ["旗舰店", "小雪", "30", "10", "3", "30%", "300", "100", "5", "10", "90%"],
    ["旗舰店", "小王", "30", "10", "3", "30%", "300", "100", "5", "10", "90%"],
    ["合计", None, "210", "120", "36", None, None, None, None, None, None],
]

MAPPING_CSV = "shop,sub_account,employee,name\n旗舰店,小冰,E001,陈晓峰\n旗舰店,小雪,E002,林雨桐\n"


@pytest.fixture
def mapping_file(tmp_path: Path) -> Path:
    p = tmp_path / "accounts.csv"
    p.write_text(MAPPING_CSV, encoding="utf-8")
    return p
