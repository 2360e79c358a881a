"""Every file is read and written through ``jixiao.files``: nothing else in src parses or
writes CSV, XLSX, YAML or JSON on its own (so every reader has the same limits and every
export the same formula-injection rule)."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"
FORBIDDEN = re.compile(
    r"\bcsv\.(?:writer|reader|DictWriter|DictReader)\b"
    r"|\bimport csv\b"
    r"|\bopenpyxl\b"
    r"|\bxlsxwriter\b"
    r"|\bfastexcel\b"
    r"|\bpl\.(?:read_csv|read_excel|scan_csv|read_ods|read_json|write_csv|write_excel)\b"
    r"|\.(?:write_csv|write_excel|write_json)\("
    r"|\byaml\.(?:safe_load|load|full_load|unsafe_load)\b"
    r"|\bimport yaml\b"
    r"|\bjson\.(?:loads?|dumps?)\("
    r"|\bJsonResponse\b"
)


def test_only_jixiao_files_reads_and_writes_files() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "files":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if FORBIDDEN.search(code):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []


def test_the_pattern_catches_what_it_should() -> None:
    for bad in (
        "w = csv.writer(buf)",
        "import openpyxl",
        "from xlsxwriter import Workbook",
        "df = pl.read_csv(p)",
        "pl.read_excel(p)",
        "frame.write_csv(path)",
        "doc = yaml.safe_load(text)",
        "json.loads(text)",
        "return JsonResponse(x)",
    ):
        assert FORBIDDEN.search(bad), bad
    for good in ("from jixiao.files import write_csv", "write_csv(out, header, rows)"):
        assert not FORBIDDEN.search(good), good
