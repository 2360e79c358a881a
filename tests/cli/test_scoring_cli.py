"""The scoring commands of the `jixiao` CLI, end to end through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from jixiao.cli import _register, app
from jixiao.cli._inputs import out as console_out
from jixiao.library import list_templates

FIX = Path(__file__).resolve().parents[1] / "engine" / "fixtures"
SCHEME = str(FIX / "all_rules.yaml")
DATA = str(FIX / "all_rules.csv")

_register()
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_score_table_ranks_and_grades() -> None:
    code, out, _ = run("score", "-s", SCHEME, "-d", DATA)
    assert code == 0
    assert "83.44" in out and "良好" in out
    assert "不参与考核" in out  # E3 is absent more than 20 days
    assert out.index("E1") < out.index("E2") < out.index("E4")


def test_score_json_has_the_documented_fields() -> None:
    code, out, _ = run("score", "-s", SCHEME, "-d", DATA, "-f", "json")
    assert code == 0
    records = json.loads(out)
    by = {r["employee"]: r for r in records}
    assert by["E1"]["total"] == 83.44 and by["E1"]["grade"] == "良好" and by["E1"]["rank"] == 1
    assert by["E1"]["items"]["sales_completion"] == 17.0
    assert by["E3"]["eligible"] is False and by["E3"]["total"] is None
    assert "销售额完成率" in by["E1"]["traces"]["sales_completion"]["zh"]


def test_score_csv_and_xlsx_outputs(tmp_path: Path) -> None:
    csv_out = tmp_path / "r.csv"
    assert run("score", "-s", SCHEME, "-d", DATA, "-f", "csv", "-o", str(csv_out))[0] == 0
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("employee,name,group,eligible,total,grade,rank,group_rank")
    assert lines[1].startswith("E1,张三,A,true,83.44,良好,1,1")
    xlsx = tmp_path / "r.xlsx"
    assert run("score", "-s", SCHEME, "-d", DATA, "-f", "xlsx", "-o", str(xlsx))[0] == 0
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["结果", "计分明细"]
    assert wb["结果"]["E2"].value == 83.44
    traces = [row[5] for row in wb["计分明细"].iter_rows(min_row=2, values_only=True)]
    assert any(t and t.startswith("销售额完成率 85000 元") for t in traces)


def test_spreadsheet_output_neutralises_formula_injection(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(
        DATA and Path(DATA).read_text(encoding="utf-8").replace("张三", '=HYPERLINK("x")'),
        encoding="utf-8",
    )
    xlsx = tmp_path / "r.xlsx"
    assert run("score", "-s", SCHEME, "-d", str(data), "-f", "xlsx", "-o", str(xlsx))[0] == 0
    cell = openpyxl.load_workbook(xlsx)["结果"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
    out = tmp_path / "r.csv"
    run("score", "-s", SCHEME, "-d", str(data), "-f", "csv", "-o", str(out))
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")


def test_score_reads_xlsx_and_gbk(tmp_path: Path) -> None:
    import polars as pl

    frame = pl.read_csv(DATA, infer_schema_length=0)
    xlsx = tmp_path / "d.xlsx"
    frame.write_excel(xlsx)
    code, out, _ = run("score", "-s", SCHEME, "-d", str(xlsx), "-f", "json")
    assert code == 0 and json.loads(out)[0]["total"] == 83.44
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(Path(DATA).read_text(encoding="utf-8").encode("gbk"))
    code, out, _ = run("score", "-s", SCHEME, "-d", str(gbk), "-f", "json")
    assert code == 0 and json.loads(out)[0]["name"] == "张三"


def test_bad_cell_names_file_row_and_column(tmp_path: Path) -> None:
    text = Path(DATA).read_text(encoding="utf-8").replace("85000", "八万五")
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    code, _, err = run("score", "-s", SCHEME, "-d", str(bad))
    assert code == 2
    assert str(bad) in err and "第 2 行" in err and "sales" in err and "八万五" in err


def test_missing_column_and_missing_file() -> None:
    code, _, err = run("score", "-s", SCHEME, "-d", "/nonexistent.csv")
    assert code == 2 and "找不到文件" in err


def test_check_reports_errors_with_paths(tmp_path: Path) -> None:
    text = (
        Path(SCHEME)
        .read_text(encoding="utf-8")
        .replace('{range: "[10%, 20%)", score: 7}', '{range: "[10%, 25%)", score: 7}')
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    code, _, err = run("check", str(broken))
    assert code == 1
    assert "dimensions.perf.items.orders_growth.rule.bands" in err and "重叠" in err
    code, out, _ = run("check", SCHEME)
    assert code == 0 and "通过检查" in out


def test_check_builtin_template_by_code() -> None:
    code, out, _ = run("check", "taobao_cs")
    assert code == 0 and "taobao_cs" in out


def test_explain_one_employee() -> None:
    code, out, _ = run("explain", "-s", SCHEME, "-d", DATA, "-e", "E1")
    assert code == 0
    assert out.splitlines()[0] == "E1 张三：总分 = 业绩 83.44 = 83.44，等级 良好"
    assert "组内排名 85000 元，在 A 组内排第 2 名 → 8 / 10 分" in out
    assert "全体第 1 名" in out
    code, out, _ = run("explain", "-s", SCHEME, "-d", DATA, "-e", "E1", "--lang", "en")
    assert "total =" in out and "rank 1 overall" in out
    code, _, err = run("explain", "-s", SCHEME, "-d", DATA, "-e", "E99")
    assert code == 2 and "E99" in err


def test_templates_and_indicators_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # The console's width is read from COLUMNS once, at import: pin it for this test.
    monkeypatch.setattr(console_out, "width", 80)
    code, out, _ = run("templates", "list")
    assert code == 0 and "taobao_cs" in out
    # Exactly one line per built-in template, in an 80-column console, with every code
    # shown whole (it is what users copy into -s); long names and sources end in "…".
    lines = [ln for ln in out.splitlines() if ln.startswith("│")]
    shown = [ln.split("│")[1].strip() for ln in lines]
    assert shown == [t.code for t in list_templates()]
    assert all(cell_len(ln) <= 80 for ln in out.splitlines())
    assert "jixiao templates show <代码>" in out
    code, out, _ = run("templates", "show", "taobao_cs", "--example")
    assert code == 0 and "code: taobao_cs" in out and "employee" in out
    code, _, err = run("templates", "show", "taobao")
    assert code == 2 and "taobao_cs" in err
    code, out, _ = run("indicators", "list", "-c", "customer_service")
    assert code == 0 and "共" in out
    code, _, err = run("indicators", "list", "-c", "nope")
    assert code == 2


def test_schema_is_json_schema() -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0 and "dimensions" in schema["properties"]


@pytest.mark.parametrize("builtin", ["taobao_cs", "ecommerce_ops_100"])
def test_score_builtin_by_code(builtin: str) -> None:
    from jixiao.library import get_template

    t = get_template(builtin)
    args = ["score", "-s", builtin, "-d", str(t.data_path), "-f", "json"]
    if t.targets_path:
        args += ["-t", str(t.targets_path)]
    if t.ratings_path:
        args += ["-r", str(t.ratings_path)]
    code, out, _ = run(*args)
    assert code == 0 and len(json.loads(out)) > 1


def test_committed_json_schema_is_current() -> None:
    committed = Path(__file__).resolve().parents[2] / "docs" / "scheme.schema.json"
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(committed.read_text(encoding="utf-8")) == json.loads(out), (
        "docs/scheme.schema.json is stale: run `jixiao schema > docs/scheme.schema.json`"
    )
