"""The Polars KPIs agree with an independent pandas implementation of docs/import.md §6
(the benchmark's baseline) on a generated month of logs with transfers and auto-replies."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_BENCH_CACHE", str(tmp_path))
    monkeypatch.syspath_prepend(str(ROOT))
    pytest.importorskip("pandas")
    import bench.ingest_bench as mod

    yield mod
    sys.modules.pop("bench.ingest_bench", None)


def test_polars_matches_pandas_baseline(bench):
    from jixiao.ingest import ChatKpiConfig, import_chatlogs, load_mapping

    chats, orders, mapping = bench.generate_logs(30_000, 3_000, seed=11)
    expected = bench.pandas_kpis(chats, orders)
    got = import_chatlogs(chats, orders, ChatKpiConfig("2026-10"), mapping=load_mapping(mapping))
    table = got.kpis.table
    assert table.height == 40
    for account, p in expected.iterrows():
        emp = f"E{int(account.split('客服')[1]):03d}"
        row = table.filter(pl.col("employee") == emp).row(0, named=True)
        assert row["served_customers"] == p["served"]
        assert row["replied_customers"] == p["replied"]
        assert row["inquiries"] == p["inq"]
        assert row["paid_buyers"] == (
            0 if p["paid_buyers"] != p["paid_buyers"] else p["paid_buyers"]
        )
        assert row["violation_count"] == p["viol"]
        # pandas rounds half-to-even in float, jixiao half-up in Decimal: within one cent-second.
        assert abs(row["avg_response_seconds"] - Decimal(str(p["avg"]))) <= Decimal("0.01")
        assert abs(row["sales"] - Decimal(str(round(p["sales"], 2)))) < Decimal("0.005")
