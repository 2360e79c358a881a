"""History as data: every archived result as one Polars frame, one row per person and month,
the months in order and every gap explicit.

A person has a row for every month of the history's range. A month without a result is a row
too, with ``status`` saying why: ``leave`` (请假), ``not_appraised`` (未参与考核: not eligible,
or appraised under another scheme than the policy's) or ``no_record`` (无记录: before joining,
after leaving, or simply not in the archive). Policies decide per status whether such a month
breaks a streak or is skipped (docs/history.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from jixiao.history._errors import HistoryError
from jixiao.history._period import format_period, parse_period

__all__ = [
    "APPRAISED",
    "BASE_COLUMNS",
    "GAP_STATUSES",
    "ITEM_PREFIX",
    "STATUS_EN",
    "STATUS_ZH",
    "History",
    "HistoryRow",
]

APPRAISED = "appraised"
GAP_STATUSES: tuple[str, ...] = ("leave", "not_appraised", "no_record")
STATUS_ZH = {
    APPRAISED: "已考核",
    "leave": "请假",
    "not_appraised": "未参与考核",
    "no_record": "无记录",
}
STATUS_EN = {
    APPRAISED: "appraised",
    "leave": "on leave",
    "not_appraised": "not appraised",
    "no_record": "no record",
}
_STATUS_WORDS = {
    **{v: k for k, v in STATUS_ZH.items()},
    **{k: k for k in STATUS_ZH},
    "休假": "leave",
    "不参评": "not_appraised",
    "不参与考核": "not_appraised",
    "未考核": "not_appraised",
}
ITEM_PREFIX = "item."

_TEXT = ("employee", "name", "department", "group", "cycle", "scheme")
STATUS = pl.Enum([APPRAISED, *GAP_STATUSES])
BASE_COLUMNS: dict[str, pl.DataType] = {
    "person": pl.UInt32(),
    "employee": pl.String(),
    "name": pl.String(),
    "department": pl.String(),
    "group": pl.String(),
    "cycle": pl.String(),
    "scheme": pl.String(),
    "period": pl.String(),
    "month": pl.Int32(),
    "status": STATUS,
    "total": pl.Float64(),
    "grade": pl.Categorical(),
    "rank": pl.Int32(),
    "group_rank": pl.Int32(),
    "place": pl.Int32(),
    "group_place": pl.Int32(),
}


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One person's archived result for one month (``status`` other than ``appraised``: a gap)."""

    employee: str
    period: str
    status: str = APPRAISED
    name: str | None = None
    department: str | None = None
    group: str | None = None
    cycle: str | None = None
    scheme: str | None = None
    total: float | None = None
    grade: str | None = None
    rank: int | None = None
    group_rank: int | None = None
    items: Mapping[str, float] = field(default_factory=dict)


def _status_code(raw: str | None, has_total: bool) -> str | None:
    if raw is None or not str(raw).strip():
        return APPRAISED if has_total else "not_appraised"
    return _STATUS_WORDS.get(str(raw).strip().lower(), _STATUS_WORDS.get(str(raw).strip()))


@dataclass(frozen=True, slots=True)
class History:
    """The archive as a frame (see :data:`BASE_COLUMNS`, plus ``item.<code>`` columns), sorted
    by employee then month, dense over ``periods``. ``person`` numbers the people in that order
    (0, 1, …) so that evaluation compares integers, not employee numbers.

    ``place`` / ``group_place`` are ``rank`` / ``group_rank`` recomputed from the totals with
    ties sharing the best place (1, 1, 3), so a tie for first place is first place whatever tie
    method the scheme used; rules on ranks read these.
    """

    frame: pl.DataFrame
    periods: tuple[str, ...]
    items: tuple[str, ...]

    @property
    def first_month(self) -> int:
        return parse_period(self.periods[0])

    @property
    def last_month(self) -> int:
        return parse_period(self.periods[-1])

    def person(self, employee: str) -> pl.DataFrame:
        """One person's months in order."""
        return self.frame.filter(pl.col("employee") == employee)

    def table(self) -> pl.DataFrame:
        """The frame as written to files: without the month number and the tie columns."""
        return self.frame.drop("person", "month", "place", "group_place").with_columns(
            pl.col("status").cast(pl.String)
        )

    @classmethod
    def from_rows(cls, rows: Iterable[HistoryRow]) -> History:
        """A history from rows (e.g. built from archived :class:`~jixiao.engine.ResultRecord`)."""
        rows = list(rows)
        codes = sorted({c for r in rows for c in r.items})
        data: dict[str, list[object]] = {k: [] for k in (*_TEXT, "period", "status")}
        nums: dict[str, list[object]] = {k: [] for k in ("total", "grade", "rank", "group_rank")}
        items: dict[str, list[float | None]] = {c: [] for c in codes}
        for r in rows:
            for k in _TEXT:
                data[k].append(getattr(r, k))
            data["period"].append(r.period)
            data["status"].append(r.status)
            for k in nums:
                nums[k].append(getattr(r, k))
            for c in codes:
                items[c].append(r.items.get(c))
        frame = pl.DataFrame(
            {**data, **nums, **{ITEM_PREFIX + c: v for c, v in items.items()}},
            schema={
                **{k: pl.String for k in (*_TEXT, "period", "status", "grade")},
                "total": pl.Float64,
                "rank": pl.Int32,
                "group_rank": pl.Int32,
                **{ITEM_PREFIX + c: pl.Float64 for c in codes},
            },
        )
        return cls.from_frame(frame)

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, *, periods: Sequence[str] | None = None) -> History:
        """Validate and complete a frame with at least ``employee`` and ``period``.

        ``periods`` (first and last used) widens the range beyond the months present. Raises
        :class:`HistoryError` for an unknown status or period, or a person twice in a month.
        """
        for col in ("employee", "period"):
            if col not in frame.columns:
                raise HistoryError(f"缺少列 {col}", f"column {col} is missing")
        if frame.height == 0:
            raise HistoryError("历史数据里没有任何一行结果", "the history has no rows")
        frame = _with_defaults(frame)
        months = _months(frame.get_column("period"))
        labels = {text: format_period(m) for text, m in months.items()}
        frame = frame.with_columns(
            pl.col("period").replace_strict(months, return_dtype=pl.Int32).alias("month"),
            pl.col("period").replace_strict(labels, return_dtype=pl.String),
        )
        unique = frame.select(pl.struct("employee", "month").n_unique()).item()
        if unique != frame.height:
            dup = frame.filter(pl.struct("employee", "month").is_duplicated())
            who, when = dup.row(0, named=True)["employee"], dup.row(0, named=True)["month"]
            raise HistoryError(
                f"员工 {who} 在 {format_period(when)} 有不止一条结果；每人每月只能有一条",
                f"employee {who} has more than one result in {format_period(when)}",
            )
        present = frame.get_column("month")
        wanted = [parse_period(p) for p in periods or ()]
        first = min([*wanted, int(present.min())])  # type: ignore[arg-type]
        last = max([*wanted, int(present.max())])  # type: ignore[arg-type]
        frame = _densify(frame, first, last)
        frame = _places(frame)
        items = tuple(
            c.removeprefix(ITEM_PREFIX) for c in frame.columns if c.startswith(ITEM_PREFIX)
        )
        ordered = [*BASE_COLUMNS, *(ITEM_PREFIX + c for c in items)]
        frame = frame.sort("employee", "month")
        person = (pl.col("employee") != pl.col("employee").shift(1)).fill_null(True)
        frame = frame.with_columns((person.cum_sum() - 1).cast(pl.UInt32).alias("person"))
        frame = frame.select(ordered).cast({"status": STATUS})
        periods_out = tuple(format_period(m) for m in range(first, last + 1))
        return cls(frame=frame, periods=periods_out, items=items)


def _with_defaults(frame: pl.DataFrame) -> pl.DataFrame:
    for col, dtype in BASE_COLUMNS.items():
        if col in ("person", "month", "place", "group_place", "status"):
            if col == "status" and col not in frame.columns:
                frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(col))
            continue
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(col))
    casts = {c: BASE_COLUMNS[c] for c in BASE_COLUMNS if c in frame.columns and c != "status"}
    casts["status"] = pl.String()
    casts.update({c: pl.Float64() for c in frame.columns if c.startswith(ITEM_PREFIX)})
    frame = frame.cast(casts)  # type: ignore[arg-type]
    raw = frame.get_column("status").unique().to_list()
    status_map: dict[str | None, str] = {}
    for value in raw:
        code = _status_code(value, True) if value is not None else None
        if value is not None and code is None:
            allowed = "、".join(STATUS_ZH.values())
            raise HistoryError(
                f"状态“{value}”无法识别；可用：{allowed}（或英文 {', '.join(STATUS_ZH)}）",
                f'unknown status "{value}"; use one of {", ".join(STATUS_ZH)}',
            )
        if value is not None and code is not None:
            status_map[value] = code
    status = pl.col("status").replace_strict(status_map, default=None, return_dtype=pl.String)
    implied = (
        pl.when(pl.col("total").is_not_null())
        .then(pl.lit(APPRAISED))
        .otherwise(pl.lit("not_appraised"))
    )
    frame = frame.with_columns(pl.coalesce(status, implied).alias("status"))
    # A gap carries no result, whatever the file says: a streak can never count it.
    gap = pl.col("status") != APPRAISED
    return frame.with_columns(
        [
            pl.when(gap).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("total", "grade", "rank", "group_rank")
        ]
        + [
            pl.when(gap).then(None).otherwise(pl.col(c)).alias(c)
            for c in frame.columns
            if c.startswith(ITEM_PREFIX)
        ]
    )


def _months(periods: pl.Series) -> dict[str, int]:
    out: dict[str, int] = {}
    for text in periods.unique().to_list():
        if text is None:
            raise HistoryError("有的行缺少期间（年-月）", "a row has no period (year-month)")
        try:
            out[text] = parse_period(text)
        except ValueError as exc:
            raise HistoryError(
                str(exc), f"period {text!r} should be year-month, e.g. 2026-09"
            ) from None
    return out


def _densify(frame: pl.DataFrame, first: int, last: int) -> pl.DataFrame:
    """Every person gets a row for every month in [first, last]; new rows are ``no_record``."""
    people = frame.select("employee").unique()
    if people.height * (last - first + 1) == frame.height:
        return frame  # already dense: no person twice in a month (checked before)
    months = pl.DataFrame({"month": pl.int_range(first, last + 1, eager=True).cast(pl.Int32)})
    grid = people.join(months, how="cross")
    missing = grid.join(frame.select("employee", "month"), on=["employee", "month"], how="anti")
    if missing.height == 0:
        return frame
    labels = {m: format_period(m) for m in range(first, last + 1)}
    missing = missing.with_columns(
        pl.col("month").replace_strict(labels, return_dtype=pl.String).alias("period"),
        pl.lit("no_record").alias("status"),
    )
    return pl.concat([frame, missing], how="diagonal_relaxed")


def _places(frame: pl.DataFrame) -> pl.DataFrame:
    """``place`` / ``group_place``: the archived rank recomputed from totals with ties sharing
    the best place (1, 1, 3) among the people ranked that month under the same scheme (and
    group), so a tie for first is first whatever tie method the scheme used. Without a total
    the archived rank stands."""

    def place(rank: str, keys: list[str]) -> pl.Expr:
        ranked = pl.when(pl.col(rank).is_not_null()).then(pl.col("total"))
        recomputed = ranked.rank("min", descending=True).over(keys).cast(pl.Int32)
        return pl.coalesce(recomputed, pl.col(rank))

    exprs = []
    for rank, out, keys in (
        ("rank", "place", ["month", "scheme"]),
        ("group_rank", "group_place", ["month", "scheme", "group"]),
    ):
        if frame.get_column(rank).null_count() == frame.height:
            exprs.append(pl.col(rank).alias(out))
        else:
            exprs.append(place(rank, keys).alias(out))
    return frame.with_columns(exprs)
