"""docs/templates.md lists every built-in scheme with its seed source, verbatim, and names only
templates and pay plans that exist."""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.library import list_templates
from jixiao.pay import LIBRARY

DOC = Path(__file__).resolve().parents[2] / "docs" / "templates.md"


def _catalogue() -> dict[str, list[str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## 1.") : text.index("## 2.")]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        m = re.match(r"^\| `([a-z0-9_]+)` \|", line)
        if m:
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows[m.group(1)] = cells
    return rows


def test_every_template_is_listed_once_with_its_source_verbatim() -> None:
    rows = _catalogue()
    templates = list_templates()
    assert list(rows) == [t.code for t in templates]
    for t in templates:
        _code, name, period, items, source = rows[t.code]
        s = t.scheme
        assert (name, period, source) == (s.name, s.period, s.source or "")
        assert int(items) == sum(len(d.items) for d in s.dimensions)


def test_every_code_named_in_the_gap_and_reading_tables_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    rest = text[text.index("## 2.") :]
    named = set(re.findall(r"`([a-z][a-z0-9_]+)`", rest))
    known = {t.code for t in list_templates()} | {p.stem for p in LIBRARY.glob("*.yaml")}
    not_codes = {"period", "description", "on", "tiers", "sum"}
    assert named - not_codes <= known, named - not_codes - known
    assert len(named & known) >= 20  # the tables really name templates
