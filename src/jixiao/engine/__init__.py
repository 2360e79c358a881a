"""The scoring engine: scheme documents in, scores, grades, ranks and traces out.

Public API::

    scheme = load_scheme("ops.yaml")            # or YAML/JSON text, or a dict
    issues = check_scheme(scheme)               # warnings (errors raise SchemeError on load)
    result = score(scheme, data, targets=..., ratings=...)
    result.table                                # one row per employee
    result.results()                            # typed ResultRecord per employee, with traces
    result.records()                            # the same as JSON-ready dicts
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
from jixiao.engine._compile import CDimension, CItem, CompiledScheme
from jixiao.engine._issues import DataError, Issue, SchemeError
from jixiao.engine._model import Scheme
from jixiao.engine._records import ResultRecord, Trace
from jixiao.engine._summary import ItemExplanation, RowExplanation
from jixiao.engine.kinds import KINDS, Kind, RatingSpec
from jixiao.formula import RESERVED_WORDS, FormulaError
from jixiao.formula import parse as parse_formula
from jixiao.formula import variables as formula_variables

__all__ = [
    "KINDS",
    "RESERVED_WORDS",
    "CDimension",
    "CItem",
    "CompiledScheme",
    "DataError",
    "FormulaError",
    "Issue",
    "ItemExplanation",
    "Kind",
    "RatingSpec",
    "ResultRecord",
    "RowExplanation",
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
