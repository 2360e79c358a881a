"""`jixiao score | check | explain | schema | templates | indicators | demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from jixiao.cli._inputs import Fmt, err, fail, out, resolve_scheme, run_score
from jixiao.engine import (
    SchemeError,
    ScoreResult,
    check_scheme,
    load_scheme,
    score,
)
from jixiao.files import FileError, csv_text, json_text, write_csv, write_json, write_xlsx


def _result_rows(result: ScoreResult) -> tuple[list[str], list[list[object]]]:
    t = result.table.sort(["rank", "employee"], nulls_last=True)
    items = [c for c in t.columns if c.startswith("item:")]
    dims = [c for c in t.columns if c.startswith("dim:")]
    header = ["employee", "name", "group", "eligible", "total", "grade", "rank", "group_rank"]
    cols = (
        header + [d.removeprefix("dim:") for d in dims] + [i.removeprefix("item:") for i in items]
    )
    rows = [list(r) for r in t.select(header + dims + items).iter_rows()]
    return cols, rows


def _write(result: ScoreResult, fmt: Fmt, out_path: Path | None, lang: str) -> None:
    """Results as JSON / CSV (printed when there is no ``--out``) or an XLSX workbook."""
    if fmt is Fmt.json:
        if out_path is None:
            out.print(json_text(result.records()), markup=False)
        else:
            write_json(out_path, result.records())
        return
    header, rows = _result_rows(result)
    if fmt is Fmt.csv:
        if out_path is None:
            out.print(csv_text(header, rows), markup=False, end="")
        else:
            write_csv(out_path, header, rows)
        return
    if out_path is None:
        raise fail("xlsx 输出需要 --out 文件名")
    traces = result.traces(lang)
    detail = []
    for rec, tr in zip(result.records(traces=False), traces.iter_rows(named=True), strict=True):
        for it in result.scheme.items:
            detail.append(
                [
                    rec["employee"],
                    rec["name"],
                    it.code,
                    it.name,
                    rec["items"].get(it.code),
                    tr[it.code],
                ]
            )
    write_xlsx(
        out_path,
        [
            ("结果", header, rows),
            ("计分明细", ["employee", "name", "item", "item_name", "score", "trace"], detail),
        ],
    )


def print_ranking(result: ScoreResult, title: str) -> None:
    cs = result.scheme
    t = result.table.sort(["rank", "employee"], nulls_last=True)
    table = Table(title=title, show_lines=False)
    for h in ("排名", "员工", "姓名", "组别", "总分", "等级"):
        table.add_column(h, justify="right" if h in ("排名", "总分") else "left")
    for d in cs.dimensions:
        table.add_column(d.name, justify="right")
    for r in t.iter_rows(named=True):
        total = "—" if r["total"] is None else f"{r['total']:.2f}"
        grade = r["grade"] or ("不参与考核" if not r["eligible"] else "—")
        table.add_row(
            "" if r["rank"] is None else str(r["rank"]),
            r["employee"],
            r["name"] or "",
            r["group"] or "",
            total,
            grade,
            *[f"{r['dim:' + d.code]:.2f}" if r["eligible"] else "—" for d in cs.dimensions],
        )
    out.print(table)
    excluded = t.filter(~pl.col("eligible"))
    for r in excluded.iter_rows(named=True):
        out.print(f"· {r['employee']} {r['name'] or ''}：{r['excluded_reason']}")


def register(app: typer.Typer) -> None:
    @app.command("score")
    def score_cmd(
        scheme: Annotated[
            str, typer.Option("--scheme", "-s", help="方案文件（YAML/JSON）或内置方案代码")
        ],
        data: Annotated[
            list[Path],
            typer.Option(
                "--data",
                "-d",
                help="数据文件（CSV/XLSX），含 employee 列与各指标列；可给多个，按 employee 合并",
            ),
        ],
        targets: Annotated[
            Path | None, typer.Option("--targets", "-t", help="目标文件：employee + 各目标列")
        ] = None,
        ratings: Annotated[
            Path | None,
            typer.Option("--ratings", "-r", help="评分文件：employee,item,rater_role,rater,score"),
        ] = None,
        fmt: Annotated[Fmt, typer.Option("--format", "-f", help="输出格式")] = Fmt.table,
        out_path: Annotated[
            Path | None, typer.Option("--out", "-o", help="输出文件（xlsx 必填）")
        ] = None,
        lang: Annotated[str, typer.Option("--lang", help="说明语言 zh|en")] = "zh",
    ) -> None:
        """计算每位员工的各项得分、总分、等级与排名。Score a month of data."""
        sch, label = resolve_scheme(scheme)
        result = run_score(sch, data, targets, ratings)
        if fmt is Fmt.table:
            print_ranking(result, f"{sch.name}（{label}）")
            if out_path is None:
                return
            fmt = Fmt.xlsx if out_path.suffix.lower() == ".xlsx" else Fmt.csv
        try:
            _write(result, fmt, out_path, lang)
        except FileError as exc:
            raise fail(str(exc)) from None
        if out_path is not None:
            err.print(f"已写入 {out_path}")

    @app.command("check")
    def check_cmd(scheme: Annotated[str, typer.Argument(help="方案文件或内置方案代码")]) -> None:
        """检查方案：分值合计、权重、档位重叠/空档、公式中的未知指标等。"""
        path = Path(scheme)
        try:
            sch = load_scheme(path) if path.exists() or path.suffix else resolve_scheme(scheme)[0]
        except SchemeError as exc:
            for issue in exc.issues:
                err.print(
                    f"{'错误' if issue.level == 'error' else '警告'}  {issue.path}: {issue.message}",
                    markup=False,
                )
            raise typer.Exit(1) from None
        issues = check_scheme(sch)
        for issue in issues:
            out.print(f"警告  {issue.path}: {issue.message}", markup=False)
        n_items = sum(len(d.items) for d in sch.dimensions)
        out.print(
            f"方案 {sch.code}（{sch.name}）通过检查：{len(sch.dimensions)} 个维度，{n_items} 个考核项，{len(issues)} 条警告。",
            markup=False,
        )

    @app.command("explain")
    def explain_cmd(
        scheme: Annotated[str, typer.Option("--scheme", "-s")],
        data: Annotated[list[Path], typer.Option("--data", "-d", help="数据文件，可给多个")],
        employee: Annotated[str, typer.Option("--employee", "-e", help="员工编号")],
        targets: Annotated[Path | None, typer.Option("--targets", "-t")] = None,
        ratings: Annotated[Path | None, typer.Option("--ratings", "-r")] = None,
        lang: Annotated[str, typer.Option("--lang")] = "zh",
    ) -> None:
        """逐项说明一位员工的得分是怎么算出来的。"""
        sch, _ = resolve_scheme(scheme)
        result = run_score(sch, data, targets, ratings)
        try:
            exp = result.explain(employee)
        except KeyError as exc:
            raise fail(f"{'、'.join(str(p) for p in data)} 中{exc.args[0]}") from None
        row = result.table.filter(pl.col("employee") == employee).row(0, named=True)
        out.print(exp.text(lang), markup=False)
        if row["rank"] is not None:
            rank = f"全体第 {row['rank']} 名" if lang == "zh" else f"rank {row['rank']} overall"
            if row["group_rank"] is not None:
                rank += (
                    f"，组内第 {row['group_rank']} 名"
                    if lang == "zh"
                    else f", {row['group_rank']} in group"
                )
            out.print(rank, markup=False)

    @app.command("schema")
    def schema_cmd() -> None:
        """输出方案文件的 JSON Schema（编辑器校验与补全用）。"""
        from jixiao.engine import scheme_json_schema

        out.print(json_text(scheme_json_schema()), markup=False)

    templates = typer.Typer(help="内置方案模板（来自种子文档）", no_args_is_help=True)
    app.add_typer(templates, name="templates")

    @templates.command("list")
    def templates_list() -> None:
        """列出全部内置方案。"""
        from jixiao.library import list_templates

        rows: list[tuple[str, ...]] = []
        for t in list_templates():
            s = t.scheme
            n = sum(len(d.items) for d in s.dimensions)
            rows.append((t.code, s.name, s.period, str(n), s.source or "", "、".join(s.positions)))
        out.print(
            _one_line_table("内置方案", ("代码", "名称", "周期", "考核项", "来源", "岗位"), rows)
        )
        out.print("完整的来源与说明：jixiao templates show <代码>", markup=False)

    @templates.command("show")
    def templates_show(
        code: str,
        example: Annotated[bool, typer.Option("--example", help="同时打印示例数据")] = False,
    ) -> None:
        """打印一个内置方案的 YAML。"""
        from jixiao.library import get_template

        try:
            t = get_template(code)
        except KeyError as exc:
            raise fail(str(exc.args[0])) from None
        out.print(t.path.read_text(encoding="utf-8"), markup=False)
        if example and t.data_path:
            out.print(f"# 示例数据 {t.data_path.name}", markup=False)
            out.print(t.data_path.read_text(encoding="utf-8"), markup=False)

    indicators = typer.Typer(help="指标库", no_args_is_help=True)
    app.add_typer(indicators, name="indicators")

    @indicators.command("list")
    def indicators_list(
        category: Annotated[str | None, typer.Option("--category", "-c", help="只看某一类")] = None,
    ) -> None:
        """列出指标库中的全部指标。"""
        from jixiao.library import CATEGORY_NAMES, load_indicators

        table = Table(title="指标库")
        for h in ("代码", "名称", "类别", "单位", "方向", "公式", "数据来源"):
            table.add_column(h)
        shown = 0
        for ind in load_indicators():
            if category and ind.category != category:
                continue
            shown += 1
            table.add_row(
                ind.code,
                ind.name,
                CATEGORY_NAMES.get(ind.category, ind.category),
                ind.unit,
                ind.direction,
                ind.formula or "",
                ind.source or "",
            )
        if category and not shown:
            raise fail(f"没有类别 “{category}”；可用：{'、'.join(CATEGORY_NAMES)}")
        out.print(table)
        out.print(f"共 {shown} 个指标", markup=False)

    @app.command("demo")
    def demo_cmd(
        cli_only: Annotated[
            bool, typer.Option("--cli", help="只在命令行里给内置方案的示例数据打分，不启动网页")
        ] = False,
        addr: Annotated[str, typer.Option("--addr", help="网页监听地址")] = "127.0.0.1:8000",
    ) -> None:
        """演示：准备 SQLite 数据库、载入演示店铺并启动网页；--cli 只在命令行打分。"""
        if cli_only:
            from jixiao.library import list_templates

            for t in list_templates():
                if t.data_path is None:
                    continue
                data, targets, ratings = t.example()
                result = score(t.scheme, data, targets=targets, ratings=ratings)
                print_ranking(result, f"{t.scheme.name}（{t.code}）")
            out.print(
                "逐项说明：jixiao explain --scheme <代码> --data <数据文件> --employee <编号>",
                markup=False,
            )
            return
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
        import django
        from django.core.management import call_command

        django.setup()
        from jixiao.errors import UserError
        from jixiao.web.demo import ensure_demo_allowed

        try:
            ensure_demo_allowed()
        except UserError as exc:
            raise fail(exc.message) from exc
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo")
        out.print(
            f"\n演示店铺已就绪：打开 http://{addr}/ ，用上面的任一账号登录（Ctrl+C 退出）。",
            markup=False,
        )
        call_command("runserver", addr, use_reloader=False)


def _one_line_table(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> Table:
    """The templates table with one line per template, fitted to the terminal.

    Code, period and item count keep their width (the code is what users copy into ``-s``); the
    name, source and positions share what is left and end in "…" when cut; on a narrow terminal
    the positions and then the source are left out. (Rich's own shrinking of no-wrap columns
    collapses the short columns to nothing, hence the widths are worked out here.)
    """
    width = [max(cell_len(h), *(cell_len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    flexible = [
        (1, 24, 3),
        (4, 12, 4),
        (5, 8, 2),
    ]  # (column, minimum, weight): name, source, positions
    fixed = width[0] + width[2] + width[3]
    while flexible:
        room = out.width - fixed - 3 * (3 + len(flexible)) - 1
        if room >= sum(min(m, width[i]) for i, m, _ in flexible) or len(flexible) == 1:
            break
        flexible.pop()
    budget = {i: min(m, width[i]) for i, m, _ in flexible}
    spare = max(0, room - sum(budget.values()))
    while spare > 0:
        hungry = [(i, w) for i, _, w in flexible if budget[i] < width[i]]
        if not hungry:
            break
        total = sum(w for _, w in hungry)
        step = {i: min(width[i] - budget[i], max(1, spare * w // total)) for i, w in hungry}
        for i, add in step.items():
            add = min(add, spare)
            budget[i] += add
            spare -= add
    shown = [0, 1, 2, 3, *sorted(i for i, _, _ in flexible if i != 1)]
    table = Table(title=title)
    for i in shown:
        table.add_column(headers[i], no_wrap=True, justify="right" if i == 3 else "left")
    for r in rows:
        cells = []
        for i in shown:
            text = Text(r[i])
            if i in budget:
                text.truncate(max(budget[i], 2), overflow="ellipsis")
            cells.append(text)
        table.add_row(*cells)
    return table
