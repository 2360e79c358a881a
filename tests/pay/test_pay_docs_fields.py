"""docs/pay.md's field reference lists exactly the fields the pay plan models define.

The reference is read from the markdown (the first column of each table, between backticks) and
compared with ``PayPlan.model_json_schema()``: a field added to a component kind, or renamed, fails
here until the docs say what it is. Required/optional and defaults stated in the tables are checked
against the schema too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.files import load_document
from jixiao.pay import PayPlan, build_plan

DOC = Path(__file__).resolve().parents[2] / "docs" / "pay.md"
COMMON = {"code", "name", "kind", "when", "memo", "description"}
SCHEMA = PayPlan.model_json_schema()
DEFS: dict[str, Any] = SCHEMA["$defs"]
KIND_DEF: dict[str, str] = {
    kind: ref.rsplit("/", 1)[1]
    for kind, ref in SCHEMA["properties"]["components"]["items"]["discriminator"]["mapping"].items()
}


def _reference() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("### 字段参考 / Field reference")
    return text[start : text.index("\n### ", start + 1)]


def _tables(section: str) -> list[dict[str, str]]:
    """Each markdown table of ``section`` as {field: the row's 必填/默认 cell}."""
    tables: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in section.splitlines():
        if line.startswith("| 字段 |"):
            current = {}
            tables.append(current)
        elif current is not None and line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            for field in re.findall(r"`([A-Za-z_]+)`", cells[0]):
                current[field] = cells[2]
        elif not line.startswith("|"):
            current = None
    return tables


def _block(heading: str) -> str:
    ref = _reference()
    start = ref.index(heading)
    nxt = ref.find("\n#### ", start + 1)
    bold = ref.find("\n**", start + 1)
    ends = [e for e in (nxt, bold) if e != -1]
    return ref[start : min(ends) if ends else len(ref)]


def _fields(def_name: str) -> dict[str, Any]:
    return dict(DEFS[def_name]["properties"])


def test_every_component_kind_has_a_section() -> None:
    documented = set(re.findall(r"^#### `([a-z_]+)`", _reference(), flags=re.M))
    assert documented == set(KIND_DEF)


@pytest.mark.parametrize("kind", sorted(KIND_DEF))
def test_kind_fields_match_the_model(kind: str) -> None:
    table = _tables(_block(f"#### `{kind}`"))[0]
    model = _fields(KIND_DEF[kind])
    assert set(table) - COMMON == set(model) - COMMON
    required = set(DEFS[KIND_DEF[kind]].get("required", [])) - COMMON
    for field, cell in table.items():
        if field in COMMON:
            continue
        if field in required:
            assert cell.startswith("必填"), (kind, field, cell)
        else:
            assert not cell.startswith("必填"), (kind, field, cell)
            default = model[field].get("default")
            if default not in (None, [], "", False):
                shown = (
                    str(default).rstrip("0").rstrip(".") if "." in str(default) else str(default)
                )
                assert shown in cell or f"{float(default):.0%}" in cell, (kind, field, cell)


@pytest.mark.parametrize(
    ("heading", "def_name"),
    [
        ("**参数 / `parameters.<名称>`**", None),
        ("**输入列 / `inputs[]`**", "InputSpec"),
        ("**对照表 / `lookups.<名称>`**", "Lookup"),
        ("每一行 `lines[]`", "CommissionLine"),
    ],
)
def test_part_fields_match_the_model(heading: str, def_name: str | None) -> None:
    ref = _reference()
    start = ref.index(heading)
    table = _tables(ref[start:])[0]
    if def_name is None:  # parameters are given a hand-written schema (number or {value, …})
        model = set(
            SCHEMA["properties"]["parameters"]["additionalProperties"]["anyOf"][2]["properties"]
        )
    else:
        model = set(_fields(def_name))
    assert set(table) == model


def test_plan_and_common_fields_match_the_model() -> None:
    ref = _reference()
    plan = _tables(ref[ref.index("**方案（顶层）/ Plan**") :])[0]
    assert set(plan) == set(SCHEMA["properties"])
    for field in SCHEMA["required"]:
        assert plan[field].startswith("必填"), field
    common = _tables(ref[ref.index("**所有组件共有的字段") :])[0]
    for def_name in KIND_DEF.values():
        assert set(_fields(def_name)) | {"kind"} >= COMMON
    assert set(common) == COMMON
    forfeit = set(_fields("Forfeit"))
    assert forfeit == {"when", "reason"}  # the docs spell the forfeit mapping as {when, reason}


def test_reference_examples_are_valid_components() -> None:
    # Structure only (names are checked by `jixiao pay check` against a whole plan).
    blocks = re.findall(r"```yaml\n(.*?)```", _reference(), flags=re.S)
    assert len(blocks) == len(KIND_DEF)
    kinds: set[str] = set()
    for block in blocks:
        parsed = load_document(block, syntax="yaml")
        comps = parsed if isinstance(parsed, list) else [parsed]
        plan = build_plan({"code": "doc", "name": "文档", "version": "1", "components": comps})
        kinds.update(c.kind for c in plan.components)
    assert kinds == set(KIND_DEF)
