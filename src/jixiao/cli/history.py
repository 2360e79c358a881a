"""`jixiao history show` and `jixiao policy check | list | show | schema | run`: results across
months and the company policies that act on them (docs/history.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from jixiao.cli._inputs import err, out
from jixiao.errors import UserError
from jixiao.files import csv_text, json_text, write_csv, write_json, write_xlsx
from jixiao.history import (
    STATUS_ZH,
    Evaluation,
    History,
    PolicyError,
    builtin_policy_paths,
    check_policy,
    evaluate,
    find_policy,
    policy_json_schema,
    read_history,
)

history_app = typer.Typer(
    help="历史结果：逐月归档的考核结果 / archived results across months.", no_args_is_help=True
)
policy_app = typer.Typer(
    help="结果应用政策：连续结果奖惩与考核结果应用表 / consequence rules and results application.",
    no_args_is_help=True,
)


def _stop(exc: UserError, code: int = 2) -> typer.Exit:
    err.print(f"错误：{exc.message}", markup=False)
    if exc.message_en and exc.message_en != exc.message:
        err.print(f"error: {exc.message_en}", markup=False)
    return typer.Exit(code)


def _history(path: Path, sheet: str | None) -> History:
    try:
        return read_history(path, sheet=sheet)
    except UserError as exc:
        raise _stop(exc) from None


@history_app.command("show")
def history_show(
    file: Annotated[
        Path, typer.Argument(help="历史结果 CSV/XLSX（工号、期间、状态、总分、等级、排名…）")
    ],
    employee: Annotated[
        str | None, typer.Option("--employee", "-e", help="只看这位员工的各月")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 工作表名")] = None,
) -> None:
    """概览历史数据：期间、人数、各类空缺月；或某人的逐月结果。"""
    history = _history(file, sheet)
    if employee is not None:
        rows = history.person(employee)
        if rows.height == 0:
            err.print(f"错误：{file} 里没有员工 {employee}", markup=False)
            raise typer.Exit(2)
        for r in rows.iter_rows(named=True):
            result = (
                f"{r['total']:g} 分  {r['grade'] or '—'}  排名 {r['rank'] or '—'}  小组排名 {r['group_rank'] or '—'}"
                if r["status"] == "appraised"
                else STATUS_ZH[r["status"]]
            )
            out.print(f"{r['period']}  {r['scheme'] or ''}  {result}", markup=False)
        return
    counts = dict(history.frame.group_by("status").len().iter_rows())
    people = history.frame["employee"].n_unique()
    out.print(
        f"{history.periods[0]} 至 {history.periods[-1]}，{len(history.periods)} 个月，{people} 人",
        markup=False,
    )
    for status, zh in STATUS_ZH.items():
        out.print(f"  {zh}：{counts.get(status, 0)} 人次", markup=False)
    if history.items:
        out.print(f"  考核项：{'、'.join(history.items)}", markup=False)


@policy_app.command("list")
def policy_list() -> None:
    """列出内置政策。"""
    for path in builtin_policy_paths():
        policy = find_policy(path.stem)
        out.print(
            f"{path.stem:<24} {policy.name}（{len(policy.rules)} 条规则，{len(policy.application)} 张应用表）",
            markup=False,
        )


@policy_app.command("show")
def policy_show(code: Annotated[str, typer.Argument(help="内置政策代码")]) -> None:
    """打印内置政策文件（可复制后修改）。"""
    for path in builtin_policy_paths():
        if code in (path.stem, find_policy(path.stem).code):
            out.print(path.read_text(encoding="utf-8"), markup=False, end="")
            return
    err.print(f"错误：没有内置政策 {code}；用 jixiao policy list 查看", markup=False)
    raise typer.Exit(2)


@policy_app.command("schema")
def policy_schema() -> None:
    """政策文件的 JSON Schema（docs/policy.schema.json）。"""
    out.print(json_text(policy_json_schema()), markup=False)


@policy_app.command("check")
def policy_check(
    policies: Annotated[list[str], typer.Argument(help="政策文件或内置政策代码")],
) -> None:
    """检查政策：字段、条件、动作、应用表；错误带位置，退出码 1。"""
    failed = False
    for ref in policies:
        try:
            policy = find_policy(ref)
        except PolicyError as exc:
            failed = True
            err.print(f"{ref}：", markup=False)
            for issue in exc.issues:
                err.print(f"  {issue}", markup=False)
            continue
        for issue in check_policy(policy):
            out.print(f"{ref}：  {issue}", markup=False)
        out.print(
            f"{ref}：可用（{len(policy.rules)} 条规则，{len(policy.application)} 张应用表）",
            markup=False,
        )
    if failed:
        raise typer.Exit(1)


def _write(evaluations: list[Evaluation], path: Path | None, lang: str) -> None:
    frames = [e.export(lang=lang) for e in evaluations]
    table = pl.concat(frames) if frames else pl.DataFrame()
    header, rows = table.columns, [list(r) for r in table.iter_rows()]
    if path is None:
        out.print(csv_text(header, rows), markup=False, end="")
        return
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(path, header, rows)
    elif suffix == ".xlsx":
        write_xlsx(path, [("提案" if lang == "zh" else "proposals", header, rows)])
    else:
        write_json(path, [dict(zip(header, r, strict=True)) for r in rows])
    err.print(f"已写入 {path}（{len(rows)} 条提案）", markup=False)


@policy_app.command("run")
def policy_run(
    policies: Annotated[list[str], typer.Argument(help="政策文件或内置政策代码（可多个）")],
    history_file: Annotated[Path, typer.Option("--history", "-H", help="历史结果 CSV/XLSX")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="评估月 年-月（默认历史的最后一个月）")
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出 .csv/.xlsx/.json（不写则打印 CSV）")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="表头语言 zh 或 en")] = "zh",
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 工作表名")] = None,
) -> None:
    """按政策评估历史结果，输出提案（奖励、人事动作）及说明；不会修改任何数据。"""
    if out_path is not None and out_path.suffix.lower() not in (".csv", ".xlsx", ".json"):
        err.print(f"错误：{out_path}：输出文件须以 .csv、.xlsx 或 .json 结尾", markup=False)
        raise typer.Exit(2)
    if lang not in ("zh", "en"):
        err.print("错误：--lang 只能是 zh 或 en", markup=False)
        raise typer.Exit(2)
    history = _history(history_file, sheet)
    evaluations = []
    for ref in policies:
        try:
            evaluations.append(evaluate(history, find_policy(ref), as_of=as_of))
        except UserError as exc:
            raise _stop(exc) from None
    try:
        _write(evaluations, out_path, lang)
    except UserError as exc:
        raise _stop(exc, 1) from None


def register(app: typer.Typer) -> None:
    app.add_typer(history_app, name="history")
    app.add_typer(policy_app, name="policy")
