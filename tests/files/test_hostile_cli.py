"""Hostile files through the path a user takes: `jixiao score -d`, `jixiao pay -i`,
`jixiao import` and hostile documents as `-s` / `--plan`. Each is refused with a message naming
the file, before any spreadsheet parser runs (memory stays small), and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import _register, app

from .helpers import assert_bounded, billion_laughs, deep_yaml, far_cell, measured, zip_bomb

runner = CliRunner()
SCHEME = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "all_rules.yaml"
MB = 2**20


@pytest.fixture(scope="module", autouse=True)
def _commands() -> None:
    if not any(g.name == "import" for g in app.registered_groups):
        _register()


@pytest.fixture(params=["bomb", "far"])
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    path = tmp_path / f"{request.param}.xlsx"
    path.write_bytes(zip_bomb() if request.param == "bomb" else far_cell())
    yield path, ("压缩炸弹" if request.param == "bomb" else "数据区域为 200001 行 × 2001 列")


def invoke(*args: str) -> tuple[int, str, int, int]:
    """(exit code, output, peak Python allocation, growth of the process' peak RSS) of a run."""
    result, peak, grown = measured(lambda: runner.invoke(app, list(args)))
    return result.exit_code, result.output, peak, grown


def test_score_refuses_hostile_data_files(tmp_path, hostile, no_parse):
    path, message = hostile
    out = tmp_path / "r.csv"
    code, output, peak, grown = invoke("score", "-s", str(SCHEME), "-d", str(path), "-o", str(out))
    assert code == 2 and message in output and path.name in output
    assert not out.exists()
    assert_bounded(peak, grown, python_mb=16)


@pytest.mark.parametrize("option", ["-t", "-r"])
def test_score_refuses_hostile_targets_and_ratings(tmp_path, hostile, no_parse, option):
    path, message = hostile
    data = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "all_rules.csv"
    code, output, _, _ = invoke("score", "-s", str(SCHEME), "-d", str(data), option, str(path))
    assert code == 2 and message in output


def test_pay_refuses_hostile_inputs(tmp_path, hostile, no_parse):
    path, message = hostile
    results = tmp_path / "r.json"
    results.write_text(json.dumps([{"employee": "E1", "total": 80}]), encoding="utf-8")
    out = tmp_path / "pay.xlsx"
    code, output, peak, grown = invoke(
        "pay", "--plan", "kefu_zhuanyuan", "-r", str(results), "-i", str(path), "-o", str(out)
    )
    assert code == 1 and message in output and path.name in output
    assert not out.exists()
    assert_bounded(peak, grown, python_mb=16)


def test_pay_refuses_hostile_results(tmp_path, hostile, no_parse):
    path, message = hostile
    inputs = tmp_path / "in.csv"
    inputs.write_text("工号,姓名,个人销售额\nE1,a,1\n", encoding="utf-8")
    code, output, _, _ = invoke(
        "pay", "--plan", "kefu_zhuanyuan", "-r", str(path), "-i", str(inputs)
    )
    assert code == 1 and message in output


def test_import_refuses_hostile_exports(tmp_path, hostile, no_parse):
    path, message = hostile
    out = tmp_path / "data.csv"
    code, output, peak, grown = invoke("import", str(path), "--out", str(out))
    assert code == 2 and message in output
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == [path.name]
    assert_bounded(peak, grown, python_mb=16)


@pytest.mark.parametrize(
    ("doc", "message"),
    [(billion_laughs(), "展开别名后超过"), (deep_yaml(), "嵌套超过 64 层")],
)
def test_hostile_schemes_and_plans_are_refused(tmp_path, doc, message):
    path = tmp_path / "hostile.yaml"
    path.write_text(doc, encoding="utf-8")
    data = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "all_rules.csv"
    code, output, peak, _ = invoke("score", "-s", str(path), "-d", str(data))
    assert code == 2 and message in output and peak < 16 * MB
    code, output, peak, _ = invoke("check", str(path))
    assert code == 1 and message in output
    code, output, peak, _ = invoke("pay", "check", str(path))
    assert code == 1 and message in output and "hostile.yaml" in output and peak < 16 * MB
