"""The scoring engine: scheme documents in, scores, grades, ranks and traces out.

Public API::

    scheme = load_scheme("ops.yaml")            # or YAML/JSON text, or a dict
    issues = check_scheme(scheme)               # warnings (errors raise SchemeError on load)
    result = score(scheme, data, targets=..., ratings=...)
    result.table                                # one row per employee
    result.records()                            # JSON-ready dicts, with traces
    result.explain("E001").text()               # one employee, every point explained

Pure Python + Polars; never imports Django.
"""

from __future__ import annotations

from jixiao.engine._api import (
    ScoreResult,
    check_scheme,
    compile_checked,
    load_scheme,
    parse_scheme,
    scheme_json_schema,
    score,
)
from jixiao.engine._issues import DataError, Issue, SchemeError
from jixiao.engine._model import Scheme
from jixiao.engine._records import ResultRecord, Trace
from jixiao.formula import RESERVED_WORDS, FormulaError
from jixiao.formula import parse as parse_formula
from jixiao.formula import variables as formula_variables

__all__ = [
    "RESERVED_WORDS",
    "DataError",
    "FormulaError",
    "Issue",
    "ResultRecord",
    "Scheme",
    "SchemeError",
    "ScoreResult",
    "Trace",
    "check_scheme",
    "compile_checked",
    "formula_variables",
    "load_scheme",
    "parse_formula",
    "parse_scheme",
    "scheme_json_schema",
    "score",
]
