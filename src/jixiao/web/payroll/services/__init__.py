"""Writes for payroll: pay plan documents, runs, inputs, adjustments, compute, close.

Every function is keyword-only and atomic, checks who may act (HR) and leaves an audit entry.
"""

from __future__ import annotations

from jixiao.web.payroll.services._common import (
    INPUT_LIMITS,
    MAX_ROWS,
    PAYABLE_STATES,
    PayPlanInvalidError,
    PayrollError,
)
from jixiao.web.payroll.services.inputs import (
    payroll_adjustment_set,
    payroll_input_set,
    payroll_inputs_import,
)
from jixiao.web.payroll.services.plans import (
    payplan_create,
    payplan_version_new_draft,
    payplan_version_publish,
    payplan_version_update,
)
from jixiao.web.payroll.services.runs import (
    payroll_run_close,
    payroll_run_compute,
    payroll_run_create,
)

__all__ = [
    "INPUT_LIMITS",
    "MAX_ROWS",
    "PAYABLE_STATES",
    "PayPlanInvalidError",
    "PayrollError",
    "payplan_create",
    "payplan_version_new_draft",
    "payplan_version_publish",
    "payplan_version_update",
    "payroll_adjustment_set",
    "payroll_input_set",
    "payroll_inputs_import",
    "payroll_run_close",
    "payroll_run_compute",
    "payroll_run_create",
]
