"""The pure packages (formula, engine, pay, ingest, files, history) never import Django, directly or
indirectly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"
PURE = ["formula", "engine", "pay", "ingest", "files", "history"]


@pytest.mark.parametrize("package", PURE)
def test_no_django_import_statement(package: str) -> None:
    offenders = []
    for path in sorted((SRC / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}:{node.lineno} {n}" for n in names if n.split(".")[0] == "django"
            ]
    assert offenders == []


def test_importing_pure_packages_loads_no_django() -> None:
    present = ["jixiao.errors"] + [
        f"jixiao.{p}" for p in PURE if (SRC / p / "__init__.py").exists()
    ]
    code = (
        "import sys\n"
        f"import {', '.join(present)}\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
