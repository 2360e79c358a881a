"""The history benchmark runs at a tiny size and the oracle agrees with it (no timing asserts)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


def test_history_bench_smoke(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JIXIAO_HISTORY_BENCH_N", "240")
    monkeypatch.setenv("JIXIAO_HISTORY_BENCH_BASELINE", "120")
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    sys.modules.pop("bench.history_bench", None)
    from bench import history_bench

    history_bench.main()
    out = capsys.readouterr().out
    assert "240 people × 24 months" in out
    assert "oracle firings equal to the vectorised ones on the sample: True" in out
