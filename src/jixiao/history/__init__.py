"""Results across months: the archive as data, and company policies that act on it.

* :class:`History` — every archived monthly result as one Polars frame, one row per person and
  month, gaps (leave, not appraised, no record) explicit; :func:`read_history` reads it from a
  CSV / XLSX file through :mod:`jixiao.files`; :func:`history_rows` builds rows from
  :class:`~jixiao.engine.ResultRecord`.
* :class:`Policy` — consequence rules over the last N months (streaks, counts, thresholds,
  ranks, group ranks, grades) and results application tables, loaded with :func:`load_policy`.
* :func:`evaluate` — every :class:`Proposal` a policy makes for a month, vectorised over all
  people, each with a trace such as ``连续 3 个月小组第 1 名：2026-09、2026-10、2026-11 → 奖励 200 元``.

Pure Python + Polars: never imports Django. The format and semantics are in docs/history.md.
"""

from jixiao.history._errors import HistoryError, PolicyError
from jixiao.history._history import (
    APPRAISED,
    GAP_STATUSES,
    ITEM_PREFIX,
    STATUS_EN,
    STATUS_ZH,
    History,
    HistoryRow,
)
from jixiao.history._library import builtin_policies, builtin_policy_paths, find_policy
from jixiao.history._load import check_policy, load_policy, parse_policy, policy_json_schema
from jixiao.history._period import format_period, parse_period
from jixiao.history._policy import (
    ACTIONS,
    ApplicationTable,
    Count,
    Current,
    Gaps,
    GradeEffect,
    InOrder,
    Money,
    Personnel,
    Policy,
    PolicyRule,
    Streak,
    Test,
    Threshold,
)
from jixiao.history._proposal import (
    PROPOSAL_COLUMNS,
    PROPOSAL_SCHEMA,
    Proposal,
    export_frame,
    proposals_frame,
)
from jixiao.history._propose import Evaluation, effect_actions, evaluate
from jixiao.history._read import history_rows, read_history

__all__ = [
    "ACTIONS",
    "APPRAISED",
    "GAP_STATUSES",
    "ITEM_PREFIX",
    "PROPOSAL_COLUMNS",
    "PROPOSAL_SCHEMA",
    "STATUS_EN",
    "STATUS_ZH",
    "ApplicationTable",
    "Count",
    "Current",
    "Evaluation",
    "Gaps",
    "GradeEffect",
    "History",
    "HistoryError",
    "HistoryRow",
    "InOrder",
    "Money",
    "Personnel",
    "Policy",
    "PolicyError",
    "PolicyRule",
    "Proposal",
    "Streak",
    "Test",
    "Threshold",
    "builtin_policies",
    "builtin_policy_paths",
    "check_policy",
    "effect_actions",
    "evaluate",
    "export_frame",
    "find_policy",
    "format_period",
    "history_rows",
    "load_policy",
    "parse_period",
    "parse_policy",
    "policy_json_schema",
    "proposals_frame",
    "read_history",
]
