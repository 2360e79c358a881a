from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.history import History, read_history

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def six_months() -> History:
    """The seeded 6-month history (2026-06 … 2026-11): see the comments in test_builtin_policies."""
    return read_history(DATA / "history_6m.csv")
