from __future__ import annotations

import pytest

from .helpers import forbid_parsing


@pytest.fixture
def no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    forbid_parsing(monkeypatch)
