"""Data import: platform exports and raw chat / order logs into a cycle's metrics.

Two steps, so that a person sees what will happen before anything is stored:

* :func:`plan_import` reads one export (CSV in UTF-8 / GBK / GB18030, or XLSX), recognises it
  by an import profile, converts every cell explicitly, maps people and returns a frozen
  :class:`ImportPreview` (rows read, rejected with reasons, per-column totals, people matched
  and unmatched, the file's sha256). It writes nothing.
* Committing is the caller's: the CLI calls :func:`write_output`; the web app stores
  ``preview.table`` in its own transaction, replacing rows of an earlier import with the
  same ``preview.sha256`` in the same cycle.

:func:`import_chatlogs` computes customer-service KPIs from raw chat and order logs
(definitions in docs/import.md). Files are read by :mod:`jixiao.files` (limits, encodings,
header rows; ``Limits`` is re-exported for ``plan_import``'s callers). Pure Python + Polars;
never imports Django.
"""

from jixiao.files import Limits
from jixiao.ingest._chatimport import ChatImport, import_chatlogs
from jixiao.ingest._chatlogs import (
    DEFAULT_FORBIDDEN,
    KPI_COLUMNS,
    ChatKpiConfig,
    ChatKpis,
    compute_cs_kpis,
)
from jixiao.ingest._errors import CellIssue, IngestError
from jixiao.ingest._logread import LogFrame, read_chats, read_orders
from jixiao.ingest._mapping import AccountMap, Lookup, load_mapping, split_account
from jixiao.ingest._output import table_rows, write_output
from jixiao.ingest._plan import plan_import
from jixiao.ingest._preview import ColumnSummary, ImportPreview, PersonRow
from jixiao.ingest._profiles import (
    ColumnSpec,
    Match,
    PersonSpec,
    Profile,
    detect_profile,
    load_profile,
    load_profiles,
    shipped_profiles,
)
from jixiao.ingest._values import BLANK_TOKENS, Kind, parse_value, plain_decimal

__all__ = [
    "BLANK_TOKENS",
    "DEFAULT_FORBIDDEN",
    "KPI_COLUMNS",
    "AccountMap",
    "CellIssue",
    "ChatImport",
    "ChatKpiConfig",
    "ChatKpis",
    "ColumnSpec",
    "ColumnSummary",
    "ImportPreview",
    "IngestError",
    "Kind",
    "Limits",
    "LogFrame",
    "Lookup",
    "Match",
    "PersonRow",
    "PersonSpec",
    "Profile",
    "compute_cs_kpis",
    "detect_profile",
    "import_chatlogs",
    "load_mapping",
    "load_profile",
    "load_profiles",
    "parse_value",
    "plain_decimal",
    "plan_import",
    "read_chats",
    "read_orders",
    "shipped_profiles",
    "split_account",
    "table_rows",
    "write_output",
]
