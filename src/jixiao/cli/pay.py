"""`jixiao pay` — a month's payroll, plus `jixiao pay check | plans | show | schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jixiao.files import FileError, json_text
from jixiao.pay import (
    PayError,
    PayPlan,
    builtin_paths,
    example_inputs,
    find_plan,
    load_plan,
    read_document,
    run_files,
    to_csv,
    write_payroll,
)

pay_app = typer.Typer(
    help="绩效薪酬：按薪酬方案计算工资表与工资条 / performance pay: pay sheet and pay slips.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _report(exc: PayError) -> typer.Exit:
    _err("错误 / error:")
    for issue in exc.issues:
        _err(f"  - {issue}")
    return typer.Exit(1)


def _params(raw: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in raw:
        if "=" not in item:
            _err(f"错误：--param {item!r} 应写成 名称=数值 / write --param name=value")
            raise typer.Exit(2)
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


@pay_app.callback()
def pay(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="方案文件或内置方案代码")] = None,
    results: Annotated[
        Path | None, typer.Option("--results", "-r", help="jixiao score 的结果 JSON/CSV")
    ] = None,
    inputs: Annotated[
        Path | None, typer.Option("--inputs", "-i", help="考勤、销售等输入 CSV/XLSX")
    ] = None,
    out: Annotated[
        list[Path] | None, typer.Option("--out", "-o", help="输出文件 .xlsx/.json/.csv，可多次给出")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="覆盖方案参数：名称=数值")
    ] = None,
    approve: Annotated[
        list[str] | None, typer.Option("--approve", help="已获批准的奖金池组件代码")
    ] = None,
) -> None:
    """jixiao pay --plan P --results R --inputs I --out payroll.xlsx"""
    if ctx.invoked_subcommand is not None:
        return
    if plan is None or inputs is None:
        _err(
            "用法 / usage: jixiao pay --plan P [--results R] --inputs I [--out payroll.xlsx]\n"
            "       jixiao pay check P | plans | show CODE | schema"
        )
        raise typer.Exit(2)
    for path in out or []:
        if path.suffix.lower() not in {".xlsx", ".json", ".csv"}:
            _err(
                f"错误：{path}: 输出文件须以 .xlsx、.json 或 .csv 结尾 / --out must end in .xlsx, .json or .csv"
            )
            raise typer.Exit(2)
    try:
        compiled = find_plan(plan)
        payroll = run_files(compiled, inputs, results, _params(param or []), approve or [])
    except PayError as exc:
        raise _report(exc) from None
    for w in payroll.warnings:
        _err(f"提示：{w}")
    for p in payroll.pools:
        if p.undistributed:
            _err(
                f"提示：奖金池 {p.name} 有 {p.undistributed:.2f} 元未分配（有份额的组没有符合条件的人）"
            )
    for path in out or []:
        try:
            write_payroll(payroll, path)
        except FileError as exc:
            _err(f"错误：{exc.message} / {exc.message_en}")
            raise typer.Exit(1) from None
        typer.echo(f"已写出 / wrote {path}")
    if not out:
        typer.echo(to_csv(payroll), nl=False)
    else:
        total = payroll.totals()
        typer.echo(f"{len(payroll.slips)} 人，实发合计 {next(reversed(total.values())):.2f} 元")


@pay_app.command("check")
def check(plans: Annotated[list[str], typer.Argument(help="方案文件（或内置方案代码）")]) -> None:
    """检查方案：表达式、引用顺序、分档表重叠/空档、奖金池份额。"""
    failed = False
    for ref in plans:
        try:
            compiled = find_plan(ref)
        except PayError as exc:
            failed = True
            _err(f"✗ {ref}")
            for issue in exc.issues:
                _err(f"  - {issue}")
            continue
        p = compiled.plan
        typer.echo(f"✓ {ref}: {p.code} {p.name} v{p.version}，{len(p.components)} 个组件")
    if failed:
        raise typer.Exit(1)


@pay_app.command("plans")
def plans() -> None:
    """列出内置薪酬方案。"""
    for path in builtin_paths():
        try:
            p = load_plan(path).plan
        except PayError as exc:  # pragma: no cover - built-ins are tested
            raise _report(exc) from None
        comps = " + ".join(c.name for c in p.components)
        typer.echo(f"{p.code}\t{p.name} v{p.version}\t{comps}")


@pay_app.command("show")
def show(code: Annotated[str, typer.Argument(help="内置方案代码")]) -> None:
    """显示内置方案的 YAML 与示例输入文件位置。"""
    for path in builtin_paths():
        if path.stem == code or read_document(path).get("code") == code:
            typer.echo(path.read_text(encoding="utf-8"))
            sample = example_inputs(path)
            if sample.exists():
                typer.echo(f"# 示例输入 / example inputs: {sample}")
            return
    _err(f"错误：没有内置方案 {code!r}；用 jixiao pay plans 查看 / no such built-in plan")
    raise typer.Exit(1)


@pay_app.command("schema")
def schema() -> None:
    """输出薪酬方案的 JSON Schema。"""
    typer.echo(json_text(PayPlan.model_json_schema()))


def register(app: typer.Typer) -> None:
    app.add_typer(pay_app, name="pay")
