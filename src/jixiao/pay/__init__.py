"""Performance pay (绩效薪酬): pay plans, a month's payroll, pay sheet and pay slips.

Pure Python + Polars (no Django). Money is ``Decimal`` end to end; see docs/pay.md for the plan
format, the rounding rule and the pool remainder rule.
"""

from __future__ import annotations

from jixiao.pay._compile import compile_plan
from jixiao.pay._compiled import CompiledPlan
from jixiao.pay._data import PayData, parse_params, prepare, prepare_frame, prepare_table
from jixiao.pay._errors import Issue, PayError
from jixiao.pay._export import to_csv, to_json, to_xlsx, write_payroll, xlsx_of
from jixiao.pay._library import LIBRARY, builtin_paths, builtin_plans, example_inputs, find_plan
from jixiao.pay._load import build_plan, load_plan, read_document
from jixiao.pay._plan import PayPlan
from jixiao.pay._pool import split_cents, split_members
from jixiao.pay._read import cell_text, read_results, result_record
from jixiao.pay._run import Line, Payroll, Slip, run, run_files
from jixiao.pay._vector import NET, PoolSummary, compute, evaluate, trace_columns
from jixiao.pay.kinds import KINDS, REGISTRY, Kind

__all__ = [
    "KINDS",
    "LIBRARY",
    "NET",
    "REGISTRY",
    "CompiledPlan",
    "Issue",
    "Kind",
    "Line",
    "PayData",
    "PayError",
    "PayPlan",
    "Payroll",
    "PoolSummary",
    "Slip",
    "build_plan",
    "builtin_paths",
    "builtin_plans",
    "cell_text",
    "compile_plan",
    "compute",
    "evaluate",
    "example_inputs",
    "find_plan",
    "load_plan",
    "parse_params",
    "prepare",
    "prepare_frame",
    "prepare_table",
    "read_document",
    "read_results",
    "result_record",
    "run",
    "run_files",
    "split_cents",
    "split_members",
    "to_csv",
    "to_json",
    "to_xlsx",
    "trace_columns",
    "write_payroll",
    "xlsx_of",
]
