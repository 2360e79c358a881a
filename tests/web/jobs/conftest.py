from __future__ import annotations

import pytest

from ..factories import make_cycle, walk
from ..payroll.helpers import inputs_csv, published_plan


@pytest.fixture
def run(org):
    """A payroll run with its inputs, ready to compute."""
    from jixiao.web.payroll import services as ps

    cycle = walk(org, make_cycle(org), "published")
    run = ps.payroll_run_create(user=org.hr.user, cycle=cycle, version=published_plan(org))
    ps.payroll_inputs_import(user=org.hr.user, run=run, filename="in.csv", content=inputs_csv(org))
    return run
