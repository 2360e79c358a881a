"""`jixiao import`: preview, write, strict, profiles, chatlogs; errors without tracebacks."""

from __future__ import annotations

import pytest
from files.helpers import csv_text
from typer.testing import CliRunner

from jixiao.cli import _register, app

from .conftest import CS_REPORT
from .test_chatlogs import CHATS, MAPPING, ORDERS

runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _commands():
    if not any(g.name == "import" for g in app.registered_groups):
        _register()


@pytest.fixture
def report(tmp_path):
    p = tmp_path / "客服.csv"
    p.write_bytes(csv_text(CS_REPORT).encode("gbk"))
    return p


def test_import_auto_detects_and_writes(tmp_path, report, mapping_file):
    out = tmp_path / "data.csv"
    r = runner.invoke(
        app, ["import", str(report), "--mapping", str(mapping_file), "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "cs_subaccount" in r.output and "旗舰店:小王" in r.output and "已写出" in r.output
    assert (
        out.read_text(encoding="utf-8-sig")
        .splitlines()[0]
        .startswith("employee,name,served_customers")
    )


def test_preview_only_writes_nothing(tmp_path, report, mapping_file):
    r = runner.invoke(app, ["import", "file", str(report), "--mapping", str(mapping_file)])
    assert r.exit_code == 0 and "仅预览" in r.output
    assert set(tmp_path.iterdir()) == {report, mapping_file}


def test_strict_refuses_unknown_accounts_and_writes_nothing(tmp_path, report, mapping_file):
    out = tmp_path / "data.csv"
    r = runner.invoke(
        app, ["import", str(report), "-m", str(mapping_file), "-o", str(out), "--strict"]
    )
    assert r.exit_code == 1
    assert "--strict" in r.output and not out.exists()


def test_json_preview(report, mapping_file):
    import json

    r = runner.invoke(app, ["import", str(report), "-m", str(mapping_file), "--json"])
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["profile"] == "cs_subaccount" and len(data["sha256"]) == 64
    assert data["unmatched"][0]["account"] == "旗舰店:小王"


def test_bad_file_is_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bomb.xlsx"
    bad.write_bytes(b"PK\x03\x04garbage")
    r = runner.invoke(app, ["import", str(bad), "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2
    assert "已损坏" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "o.csv").exists()


def test_profiles_lists_shipped(tmp_path):
    r = runner.invoke(app, ["import", "profiles"])
    assert r.exit_code == 0
    for code in (
        "cs_subaccount",
        "shop_traffic",
        "ads",
        "livestream",
        "finance_sales",
        "attendance",
    ):
        assert code in r.output


def test_chatlogs_command(tmp_path):
    chats, orders, mapping = tmp_path / "c.csv", tmp_path / "o.csv", tmp_path / "m.csv"
    chats.write_text(CHATS, encoding="utf-8")
    orders.write_text(ORDERS, encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    out = tmp_path / "cs_kpis.csv"
    args = [
        "import",
        "chatlogs",
        "--chats",
        str(chats),
        "--orders",
        str(orders),
        "--period",
        "2026-10",
        "--mapping",
        str(mapping),
    ]
    r = runner.invoke(app, [*args, "--out", str(out)])
    assert r.exit_code == 0, r.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("employee,name,period,served_customers")
    assert lines[1].startswith("E001,陈晓峰,2026-10,3,2,0.6667")
    r = runner.invoke(app, [*args, "--strict", "--out", str(tmp_path / "x.csv")])
    assert r.exit_code == 1 and "旗舰店:小王" in r.output
    r = runner.invoke(app, [*args[:-4], "--period", "2026-1", "--mapping", str(mapping)])
    assert r.exit_code == 2 and "YYYY-MM" in r.output
