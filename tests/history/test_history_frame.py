"""History as data: the dense frame, statuses, reading files, rows from ResultRecord."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jixiao.engine import ResultRecord
from jixiao.history import History, HistoryError, HistoryRow, history_rows, read_history

from .conftest import DATA


def test_six_months_are_dense_and_in_order(six_months: History) -> None:
    assert six_months.periods == ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11")
    people = six_months.frame["employee"].n_unique()
    assert six_months.frame.height == people * 6
    a03 = six_months.person("A03")
    assert a03["period"].to_list() == list(six_months.periods)
    assert a03["status"].cast(pl.String).to_list() == ["no_record"] * 3 + ["appraised"] * 3


def test_leave_rows_carry_no_result(six_months: History) -> None:
    a02 = six_months.person("A02").filter(pl.col("period") == "2026-09").row(0, named=True)
    assert (a02["status"], a02["total"], a02["rank"]) == ("leave", None, None)


def test_ties_share_first_place(six_months: History) -> None:
    m = six_months.frame.filter(pl.col("period") == "2026-11", pl.col("scheme") == "taobao_cs")
    got = dict(
        zip(m["employee"], zip(m["rank"], m["place"], m["group_place"], strict=True), strict=True)
    )
    # Archived with ties ranked max (2, 2, 3, 4); places recomputed 1, 1, 3, 4; A08 alone in its group.
    assert got == {"A03": (2, 1, 1), "A04": (2, 1, 1), "A07": (3, 3, 3), "A08": (4, 4, 1)}


def test_from_rows_and_table_round_trip() -> None:
    h = History.from_rows(
        [
            HistoryRow(employee="E1", period="2026/1", total=80.0, items={"kpi": 30.0}),
            HistoryRow(employee="E1", period="2026年3月", total=70.0),
            HistoryRow(employee="E2", period="2026-02", status="请假"),
        ]
    )
    assert h.periods == ("2026-01", "2026-02", "2026-03")
    assert h.items == ("kpi",)
    table = h.table()
    assert "person" not in table.columns and table["status"].to_list() == [
        "appraised",
        "no_record",
        "appraised",
        "no_record",
        "leave",
        "no_record",
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([HistoryRow(employee="E1", period="2026-13")], "不是有效的月份"),
        ([HistoryRow(employee="E1", period="下个月")], "应写成 年-月"),
        ([HistoryRow(employee="E1", period="2026-01", status="出差")], "状态“出差”无法识别"),
        (
            [
                HistoryRow(employee="E1", period="2026-01"),
                HistoryRow(employee="E1", period="2026-01"),
            ],
            "每人每月只能有一条",
        ),
        ([], "没有任何一行"),
    ],
)
def test_bad_rows_are_refused(rows: list[HistoryRow], message: str) -> None:
    with pytest.raises(HistoryError) as info:
        History.from_rows(rows)
    assert message in info.value.message


def test_read_errors_name_file_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "h.csv"
    bad.write_text("工号,期间,总分\nE1,2026-01,80\nE1,2026-02,八十\n", encoding="utf-8")
    with pytest.raises(HistoryError) as info:
        read_history(bad)
    assert info.value.message == f"{bad}，第 3 行，列“总分”：“八十”不是数字"
    bad.write_text("工号,期间,状态\nE1,2026-01,\nE1,2026-02,出差\n", encoding="utf-8")
    with pytest.raises(HistoryError) as info:
        read_history(bad)
    assert "第 3 行，列“状态”：状态“出差”无法识别" in info.value.message
    bad.write_text("姓名,总分\n王一,80\n", encoding="utf-8")
    with pytest.raises(HistoryError) as info:
        read_history(bad)
    assert "缺少“工号”列" in info.value.message


def test_read_xlsx_and_item_columns(tmp_path: Path) -> None:
    from jixiao.files import write_xlsx

    path = tmp_path / "h.xlsx"
    write_xlsx(
        path,
        [
            (
                "历史",
                ["工号", "期间", "总分", "item.kpi"],
                [["E1", "2026-01", 80, 3], ["E1", "2026-02", 90, 4]],
            )
        ],
    )
    h = read_history(path)
    assert h.items == ("kpi",) and h.frame["item.kpi"].to_list() == [3.0, 4.0]


def test_history_rows_from_results() -> None:
    results = [
        ResultRecord(
            "E1", "王一", "g1", True, None, 91.5, "优秀", 1, 1, items={"kpi": 40.0, "x": 1.0}
        ),
        ResultRecord("E2", "李二", "g1", False, "请假超过 10 天", None, None, None, None),
        ResultRecord("E3", "张三", "g1", False, "试用期", None, None, None, None),
    ]
    rows = history_rows(
        results,
        period="2026-09",
        cycle="c9",
        scheme="s",
        departments={"E1": "客服部"},
        on_leave={"E2"},
        items={"kpi"},
    )
    assert [(r.employee, r.status, r.total, dict(r.items)) for r in rows] == [
        ("E1", "appraised", 91.5, {"kpi": 40.0}),
        ("E2", "leave", None, {}),
        ("E3", "not_appraised", None, {}),
    ]
    assert rows[0].department == "客服部" and rows[0].cycle == "c9"


def test_fixture_file_exists() -> None:
    assert (DATA / "history_6m.csv").is_file()
