from __future__ import annotations

import pytest

from ..factories import make_cycle, walk
from .helpers import map_accounts


@pytest.fixture
def running(org):
    """A running cycle, with 小冰 and 小雪 mapped to their employees."""
    cycle = walk(org, make_cycle(org), "running")
    map_accounts(org)
    return cycle
