"""Shared by the scoring commands: consoles, errors, and reading schemes and data files."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import polars as pl
import typer
from rich.console import Console

from jixiao.engine import DataError, Scheme, SchemeError, ScoreResult, load_scheme, score
from jixiao.files import (
    EMPLOYEE_ALIASES,
    GROUP_ALIASES,
    NAME_ALIASES,
    PERSON_ALIASES,
    ROW,
    FileError,
    read_table,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_CANONICAL = (("employee", EMPLOYEE_ALIASES), ("name", NAME_ALIASES), ("group", GROUP_ALIASES))


class Fmt(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]错误：[/red]{message}", markup=True)
    return typer.Exit(code)


def resolve_scheme(ref: str) -> tuple[Scheme, str]:
    """A scheme file path, or the code of a built-in template."""
    path = Path(ref)
    try:
        if path.suffix.lower() in (".yaml", ".yml", ".json") or path.exists():
            return load_scheme(path), str(path)
        from jixiao.library import get_template

        tpl = get_template(ref)
        return tpl.scheme, f"内置方案 {ref}"
    except SchemeError as exc:
        raise fail(str(exc)) from None
    except KeyError as exc:
        raise fail(str(exc.args[0])) from None


@dataclass(frozen=True)
class Sheet:
    """A data file as the engine takes it: text cells stripped, empty cells null, the employee
    (name, group) column under its canonical name; ``rows`` are the rows as Excel numbers them."""

    frame: pl.DataFrame
    rows: list[int]


def _read(path: Path, label: str) -> Sheet:
    try:
        table = read_table(path, known_headers=PERSON_ALIASES)
    except FileError as exc:
        raise fail(f"{label}：{exc}") from None
    frame = table.frame.drop(ROW).with_columns(
        pl.col(h).str.strip_chars().replace("", None) for h in table.header
    )
    renames = {}
    for canonical, aliases in _CANONICAL:
        found = table.column(aliases)
        if found is not None and found != canonical and canonical not in frame.columns:
            renames[found] = canonical
    return Sheet(frame.rename(renames), table.frame.get_column(ROW).to_list())


def _read_optional(path: Path | None, label: str) -> Sheet | None:
    return None if path is None else _read(path, label)


def merge_data(paths: list[Path]) -> tuple[pl.DataFrame, dict[str, Path], dict[Path, Sheet]]:
    """Several data files (e.g. a customer-service report, an attendance sheet and a QA sheet,
    each imported on its own) joined on ``employee``. Returns the frame, which file each column
    came from and each file as read; a column in two files is an error, never a silent choice."""
    merged: pl.DataFrame | None = None
    owner: dict[str, Path] = {}
    sheets: dict[Path, Sheet] = {}
    for path in paths:
        sheet = sheets[path] = _read(path, "数据文件")
        frame = sheet.frame
        if "employee" not in frame.columns:
            want = " / ".join(EMPLOYEE_ALIASES)
            raise fail(
                str(DataError(f"缺少员工编号列（{want}）", file=str(path), column="employee"))
            )
        dup = frame.get_column("employee").is_duplicated()
        if dup.any():
            rows = dup.arg_true().to_list()[:2]
            emp = frame.get_column("employee")[rows[0]]
            raise fail(
                str(
                    DataError(
                        f"员工 “{emp}” 出现了不止一次；每人只能有一行",
                        file=str(path),
                        row=sheet.rows[rows[1]],
                        column="employee",
                        also_row=sheet.rows[rows[0]],
                    )
                )
            )
        for col in frame.columns:
            if col in ("employee", "name", "group"):
                continue
            if col in owner:
                raise fail(f"列 “{col}” 同时出现在 {owner[col]} 和 {path} 中；请只保留一处")
            owner[col] = path
        if merged is None:
            merged = frame
            continue
        merged = merged.join(frame, on="employee", how="full", coalesce=True, suffix="__right")
        for col in ("name", "group"):
            right = f"{col}__right"
            if right in merged.columns:
                merged = merged.with_columns(pl.coalesce(col, right).alias(col)).drop(right)
    assert merged is not None
    return merged, owner, sheets


def run_score(
    scheme: Scheme, data: list[Path], targets: Path | None, ratings: Path | None
) -> ScoreResult:
    frame, owner, sheets = merge_data(data)
    extra = {
        "targets": _read_optional(targets, "目标文件"),
        "ratings": _read_optional(ratings, "评分文件"),
    }
    try:
        return score(
            scheme,
            frame,
            targets=None if extra["targets"] is None else extra["targets"].frame,
            ratings=None if extra["ratings"] is None else extra["ratings"].frame,
        )
    except DataError as exc:
        raise fail(str(_locate(exc, frame, owner, sheets, targets, ratings, extra))) from None


def _row(sheet: Sheet, index: int | None) -> int | None:
    """The Excel row of the engine's 1-based data row ``index``."""
    if index is None or not 1 <= index <= len(sheet.rows):
        return None
    return sheet.rows[index - 1]


def _locate(
    exc: DataError,
    frame: pl.DataFrame,
    owner: dict[str, Path],
    sheets: dict[Path, Sheet],
    targets: Path | None,
    ratings: Path | None,
    extra: dict[str, Sheet | None],
) -> DataError:
    """Point an engine error (which counts rows of the frames it was given) at a file row."""
    if exc.source in ("targets", "ratings"):
        file = targets if exc.source == "targets" else ratings
        sheet = extra[exc.source]
        assert sheet is not None
        return DataError(
            exc.reason,
            file=str(file),
            row=_row(sheet, exc.row),
            column=exc.column,
            also_row=_row(sheet, exc.also_row),
        )
    data = list(sheets)
    if len(data) == 1:
        sheet = sheets[data[0]]
        return DataError(
            exc.reason,
            file=str(data[0]),
            row=_row(sheet, exc.row),
            column=exc.column,
            also_row=_row(sheet, exc.also_row),
        )
    file = owner.get(exc.column or "")
    row = None
    if file is not None and exc.row is not None:
        # Find the same employee's row in the file that supplied the column.
        emp = frame.get_column("employee")[exc.row - 1]
        source = sheets[file]
        hits = source.frame.get_column("employee").eq(emp).arg_true()
        row = source.rows[int(hits[0])] if len(hits) else None
    where = str(file) if file else "、".join(str(p) for p in data)
    return DataError(exc.reason, file=where, row=row, column=exc.column)
