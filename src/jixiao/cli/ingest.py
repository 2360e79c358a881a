"""`jixiao import [file] FILE | profiles | chatlogs`: platform exports and raw logs into a
data file for `jixiao score`. A preview is always shown; the output is written only with
``--out`` and only when nothing blocks it (``--strict`` turns rejected rows and unknown
accounts into blockers)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from jixiao.errors import UserError
from jixiao.files import Limits, decode_text, json_text, read_bytes
from jixiao.ingest import (
    AccountMap,
    ChatKpiConfig,
    ImportPreview,
    import_chatlogs,
    load_mapping,
    load_profiles,
    plain_decimal,
    plan_import,
    write_output,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_SHOW = 30  # issues listed before "… and N more"


class _DefaultToFile(TyperGroup):
    """`jixiao import report.xlsx` means `jixiao import file report.xlsx`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["file", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultToFile,
    help="导入平台导出表与聊天/订单记录，生成 `jixiao score` 可用的数据文件。",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="import")


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]错误：[/red]{message}", markup=True)
    return typer.Exit(code)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("开始", total=total)

        def step(label: str) -> None:
            bar.update(task, description=label, advance=1)

        yield step


def _mapping(path: Path | None) -> AccountMap | None:
    return load_mapping(path) if path is not None else None


def _value(v: Any) -> str:
    if v is None:
        return "—"
    return str(plain_decimal(v)) if hasattr(v, "as_tuple") else str(v)


def _report(p: ImportPreview) -> None:
    out.print(f"[bold]{p.file}[/bold]  sha256 {p.sha256[:16]}…", markup=True)
    where = f"工作表“{p.sheet}”，" if p.sheet else (f"编码 {p.encoding}，" if p.encoding else "")
    out.print(f"导入方案：{p.profile}（{p.profile_name}）；{where}表头在第 {p.header_row} 行")
    out.print(
        f"读取 {p.rows_read} 行，使用 {p.rows_used} 行，跳过 {len(p.skipped)} 行，拒绝 {len(p.rejected)} 行；"
        f"期间：{'、'.join(p.periods) or '未注明'}"
    )
    cols = Table(title="各列", show_lines=False)
    for h in ("指标代码", "表头", "类型", "合并方式", "非空", "合计"):
        cols.add_column(h)
    for c in p.columns:
        cols.add_row(c.code, c.header, c.kind, c.aggregation, str(c.values), _value(c.total))
    out.print(cols)
    if p.unmatched:
        out.print(
            f"[yellow]未对应到员工的账号 / 人员（{len(p.unmatched)}，不写入输出）：[/yellow]",
            markup=True,
        )
        for u in p.unmatched:
            out.print(f"  · {u.account}（{u.rows} 行）：{u.reason}")
    out.print(f"已对应员工：{len(p.matched)} 个账号 → {p.table.height} 行输出")
    for label, issues in (("跳过", p.skipped), ("拒绝", p.rejected)):
        for i in issues[:_SHOW]:
            out.print(f"  [{label}] {i}")
        if len(issues) > _SHOW:
            out.print(f"  ……另有 {len(issues) - _SHOW} 行{label}")
    for w in p.warnings:
        out.print(f"[yellow]提示：[/yellow]{w}", markup=True)


def _summary(p: ImportPreview) -> dict[str, Any]:
    return {
        "file": p.file,
        "sha256": p.sha256,
        "profile": p.profile,
        "sheet": p.sheet,
        "encoding": p.encoding,
        "header_row": p.header_row,
        "rows_read": p.rows_read,
        "rows_used": p.rows_used,
        "periods": list(p.periods),
        "skipped": [str(i) for i in p.skipped],
        "rejected": [str(i) for i in p.rejected],
        "columns": [
            {
                "code": c.code,
                "header": c.header,
                "kind": c.kind,
                "values": c.values,
                "total": _value(c.total),
            }
            for c in p.columns
        ],
        "matched": [
            {"account": m.account, "employee": m.employee, "rows": m.rows} for m in p.matched
        ],
        "unmatched": [
            {"account": m.account, "rows": m.rows, "reason": m.reason} for m in p.unmatched
        ],
        "warnings": list(p.warnings),
    }


@app.command("file")
def import_file(
    path: Annotated[Path, typer.Argument(help="导出的 CSV / XLSX 文件")],
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="写出 CSV / XLSX；不给则只预览")
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="方案代码或方案 YAML；默认自动识别")
    ] = None,
    profiles_dir: Annotated[
        list[Path] | None, typer.Option("--profiles", help="自定义方案文件或目录（可多次）")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", "-m", help="子账号映射表（shop, sub_account, employee）"),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="XLSX 工作表名称；默认第一个")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="考核期 YYYY-MM；只导入该月的行")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="有被拒绝的行或未对应的账号时不写出")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出预览")] = False,
) -> None:
    """导入一个平台导出文件（自动识别导入方案），预览后写出 score 用的数据文件。"""
    try:
        pool = load_profiles(profiles_dir or ())
        with _progress(5) as step:
            step("读取映射表")
            preview = plan_import(
                path,
                profile=profile,
                profiles=pool,
                mapping=_mapping(mapping),
                sheet=sheet,
                period=period,
                progress=step,
            )
    except UserError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        out.print_json(json_text(_summary(preview)))
    else:
        _report(preview)
    problems = preview.problems(strict=strict)
    if problems:
        raise _fail(
            f"--strict：有 {len(problems)} 个问题，未写出任何文件；请改正后重新导入", code=1
        )
    if out_path is None:
        if not as_json:
            out.print("（仅预览，未写出文件；加 --out 文件名 写出）")
        return
    try:
        write_output(preview.table, out_path)
    except UserError as exc:
        raise _fail(str(exc)) from None
    if not as_json:
        out.print(f"[green]已写出[/green] {out_path}（{preview.table.height} 行）", markup=True)


@app.command("profiles")
def list_profiles(
    profiles_dir: Annotated[
        list[Path] | None, typer.Option("--profiles", help="另加自定义方案文件或目录")
    ] = None,
) -> None:
    """列出可用的导入方案及其识别的表头。"""
    try:
        pool = load_profiles(profiles_dir or ())
    except UserError as exc:
        raise _fail(str(exc)) from None
    table = Table(title="导入方案")
    for h in ("代码", "名称", "来源", "人员列", "指标（表头 → 代码）"):
        table.add_column(h, overflow="fold")
    for p in pool:
        cols = "；".join(f"{c.aliases[0]}→{c.code}" for c in p.columns)
        table.add_row(
            p.code, p.name, p.source, f"{p.person.by}：{' / '.join(p.person.aliases[:3])}", cols
        )
    out.print(table)


@app.command("chatlogs")
def chatlogs(
    chats: Annotated[Path, typer.Option("--chats", help="聊天记录 CSV")],
    orders: Annotated[Path, typer.Option("--orders", help="订单 CSV")],
    period: Annotated[str, typer.Option("--period", help="考核期 YYYY-MM")],
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="写出 CSV / XLSX；不给则只预览")
    ] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", "-m", help="子账号映射表")] = None,
    window_hours: Annotated[int, typer.Option(help="询单→付款的转化窗口（小时）")] = 72,
    after_sale_days: Annotated[int, typer.Option(help="付款后多少天内的咨询算售后")] = 15,
    cap_seconds: Annotated[int, typer.Option(help="单次响应时间上限（秒）")] = 600,
    phrases: Annotated[
        Path | None,
        typer.Option("--phrases", help="禁忌用语列表（每行一个）；默认用种子文件中的列表"),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="有被拒绝的行或未对应的子账号时不写出")
    ] = False,
) -> None:
    """从原始聊天与订单记录计算客服指标（口径见 docs/import.md）。"""
    try:
        cfg_kwargs: dict[str, Any] = {}
        if phrases is not None:
            raw = read_bytes(phrases, max_bytes=Limits().max_bytes)
            lines = decode_text(raw, str(phrases))[0].splitlines()
            cfg_kwargs["forbidden_phrases"] = tuple(x.strip() for x in lines if x.strip())
        cfg = ChatKpiConfig(
            period,
            window_hours=window_hours,
            after_sale_days=after_sale_days,
            response_cap_seconds=cap_seconds,
            **cfg_kwargs,
        )
        with _progress(2) as step:
            step("读取映射表")
            amap = _mapping(mapping)
            step("读取聊天与订单记录并计算")
            res = import_chatlogs(chats, orders, cfg, mapping=amap)
    except UserError as exc:
        raise _fail(str(exc)) from None
    k = res.kpis
    out.print(
        f"聊天 {res.chat_rows} 行，订单 {res.order_rows} 行，拒绝 {res.rejected_count} 行；考核期 {k.period}"
    )
    for i in res.rejected[:_SHOW]:
        out.print(f"  [拒绝] {i}")
    if res.rejected_count > _SHOW:
        out.print(f"  ……共 {res.rejected_count} 行被拒绝")
    if k.unmatched_accounts:
        out.print("[yellow]未在映射表中的子账号（不写入输出）：[/yellow]", markup=True)
        for acc, n in k.unmatched_accounts:
            out.print(f"  · {acc}（{n} 个买家消息段）")
    for w in k.warnings:
        out.print(f"[yellow]提示：[/yellow]{w}", markup=True)
    table = Table(title=f"客服指标 {k.period}")
    show = (
        "employee",
        "served_customers",
        "inquiries",
        "paid_buyers",
        "sales",
        "reply_rate",
        "avg_response_seconds",
        "violation_count",
    )
    for h in show:
        table.add_column(h)
    for row in k.table.select(show).iter_rows():
        table.add_row(*(_value(v) for v in row))
    out.print(table)
    problems = res.problems(strict=strict)
    if problems:
        raise _fail(f"--strict：有 {len(problems)} 个问题，未写出任何文件", code=1)
    if out_path is None:
        out.print("（仅预览，未写出文件；加 --out 文件名 写出）")
        return
    try:
        write_output(k.table, out_path)
    except UserError as exc:
        raise _fail(str(exc)) from None
    out.print(f"[green]已写出[/green] {out_path}（{k.table.height} 行）", markup=True)
