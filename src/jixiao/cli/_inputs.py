"""Shared by the scoring commands: consoles, errors, and reading schemes and data files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import polars as pl
import typer
from rich.console import Console

from jixiao.engine import DataError, Scheme, SchemeError, ScoreResult, load_scheme, score
from jixiao.tabular import TableError, read_table

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


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


def _read(path: Path | None, label: str) -> pl.DataFrame | None:
    if path is None:
        return None
    try:
        return read_table(path)
    except TableError as exc:
        raise fail(f"{label}：{exc}") from None


def merge_data(paths: list[Path]) -> tuple[pl.DataFrame, dict[str, Path]]:
    """Several data files (e.g. a customer-service report, an attendance sheet and a QA sheet,
    each imported on its own) joined on ``employee``. Returns the frame and which file each
    column came from; a column in two files is an error, never a silent choice."""
    merged: pl.DataFrame | None = None
    owner: dict[str, Path] = {}
    for path in paths:
        frame = _read(path, "数据文件")
        assert frame is not None
        if "employee" not in frame.columns:
            raise fail(
                str(DataError("缺少 employee（员工编号）列", file=str(path), column="employee"))
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
                        row=rows[1] + 2,
                        column="employee",
                        also_row=rows[0] + 2,
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
    return merged, owner


def run_score(
    scheme: Scheme, data: list[Path], targets: Path | None, ratings: Path | None
) -> ScoreResult:
    frame, owner = merge_data(data)
    extra = {"targets": _read(targets, "目标文件"), "ratings": _read(ratings, "评分文件")}
    try:
        return score(scheme, frame, targets=extra["targets"], ratings=extra["ratings"])
    except DataError as exc:
        raise fail(str(_locate(exc, frame, owner, data, targets, ratings))) from None


def _locate(
    exc: DataError,
    frame: pl.DataFrame,
    owner: dict[str, Path],
    data: list[Path],
    targets: Path | None,
    ratings: Path | None,
) -> DataError:
    """Point an engine error (which counts rows of the frames it was given) at a file row."""
    also = None if exc.also_row is None else exc.also_row + 1
    if exc.source in ("targets", "ratings"):
        file = targets if exc.source == "targets" else ratings
        row = None if exc.row is None else exc.row + 1
        return DataError(exc.reason, file=str(file), row=row, column=exc.column, also_row=also)
    if len(data) == 1:
        row = None if exc.row is None else exc.row + 1
        return DataError(exc.reason, file=str(data[0]), row=row, column=exc.column, also_row=also)
    file = owner.get(exc.column or "")
    row = None
    if file is not None and exc.row is not None:
        # Find the same employee's row in the file that supplied the column.
        emp = frame.get_column("employee")[exc.row - 1]
        source = _read(file, "数据文件")
        assert source is not None
        hits = source.get_column("employee").eq(emp).arg_true()
        row = int(hits[0]) + 2 if len(hits) else None
    where = str(file) if file else "、".join(str(p) for p in data)
    return DataError(exc.reason, file=where, row=row, column=exc.column)
