"""The pay benchmark runs at a tiny size and its loop agrees with the engine (no timing asserts)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


def test_pay_bench_smoke(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JIXIAO_PAY_BENCH_N", "300")
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    sys.modules.pop("bench.pay_bench", None)
    from bench import pay_bench

    pay_bench.main()
    out = capsys.readouterr().out
    assert "employees: 300" in out and "results identical for every employee: yes" in out
