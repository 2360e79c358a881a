"""The one YAML / JSON loader: alias bombs, deep nesting and oversized documents refused while
composing (bounded memory), every error naming the line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.files import (
    DocumentLimits,
    DocumentSyntaxError,
    DocumentTooComplex,
    UnreadableFile,
    check_document,
    load_document,
)

from .helpers import billion_laughs, measured, raised


def test_billion_laughs_is_refused_while_composing():
    doc = billion_laughs()
    assert len(doc) < 400  # 342 bytes, 10^9 nodes once expanded
    info, peak, _ = measured(
        lambda: raised(DocumentTooComplex, load_document, doc, name="plan.yaml")
    )
    assert "展开别名后超过 200000 个节点" in info.message and peak < 4 * 2**20
    assert info.line is not None and info.column_number is not None
    assert "billion laughs" in info.message_en


def test_merge_key_bomb_is_counted_too():
    lines = ["a0: &a0 {x: 1, y: 2}"]
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} {{<<: [*a{i - 1}], k{i}: [*a{i - 1}, *a{i - 1}]}}")
    with pytest.raises(DocumentTooComplex, match="节点"):
        load_document("\n".join(lines))


def test_a_few_aliases_are_fine_and_too_many_are_refused():
    doc = "base: &b {score: 1}\nitems: [*b, *b, *b]\n"
    assert load_document(doc)["items"] == [{"score": 1}] * 3
    many = "base: &b 1\nitems: [" + ", ".join(["*b"] * 300) + "]\n"
    with pytest.raises(DocumentTooComplex, match="别名（\\*引用）超过 256 个"):
        load_document(many)
    assert len(load_document(many, limits=DocumentLimits(max_aliases=300))["items"]) == 300


def test_recursive_alias_is_refused():
    with pytest.raises(DocumentTooComplex, match="循环引用") as info:
        load_document("a: &a [1, *a]\n")
    assert (info.value.line, info.value.column_number) == (1, 11)


@pytest.mark.parametrize(
    "doc",
    [
        "a: " + "[" * 100_000 + "]" * 100_000,
        "a: " + "{x: " * 5_000 + "1" + "}" * 5_000,
        "".join("  " * i + "-\n" for i in range(200)),
        "".join("  " * i + f"k{i}:\n" for i in range(200)),
    ],
)
def test_deep_nesting_is_refused_with_a_position(doc):
    with pytest.raises(DocumentTooComplex, match="嵌套超过 64 层") as info:
        load_document(doc, name="s.yaml")
    assert info.value.line is not None
    assert info.value.where.startswith("s.yaml，第 ")


def test_nesting_within_the_limit_loads():
    assert load_document("a: " + "[" * 60 + "1" + "]" * 60)["a"] is not None
    assert load_document('{"a": ' * 60 + "1" + "}" * 60, name="x.json")


def test_json_depth_and_nodes():
    with pytest.raises(DocumentTooComplex, match="嵌套超过 64 层"):
        load_document("[" * 100_000 + "]" * 100_000, name="r.json")
    with pytest.raises(DocumentTooComplex, match="节点"):
        load_document(
            "[" + ",".join(["1"] * 300) + "]", name="r.json", limits=DocumentLimits(max_nodes=100)
        )


def test_size_limit_before_parsing(tmp_path: Path):
    with pytest.raises(DocumentTooComplex, match="文档太大"):
        load_document("a: 1\n" * 1000, limits=DocumentLimits(max_bytes=100))
    p = tmp_path / "big.yaml"
    p.write_text("a: 1\n" * 1000, encoding="utf-8")
    with pytest.raises(DocumentTooComplex, match=r"big\.yaml：文档太大"):
        load_document(p, limits=DocumentLimits(max_bytes=100))


def test_syntax_errors_name_line_and_column():
    with pytest.raises(DocumentSyntaxError) as info:
        load_document("code: t\nname: [oops\nfull: 1\n", name="s.yaml")
    assert info.value.line == 3 and info.value.where.startswith("s.yaml，第 3 行第")
    assert "不是有效的 YAML" in info.value.message and "not valid YAML" in info.value.message_en
    with pytest.raises(DocumentSyntaxError, match="第 2 行第 3 列：不是有效的 JSON"):
        load_document('{"a": 1,\n  }', name="r.json")


@pytest.mark.parametrize(
    "doc",
    ["n: " + "9" * 5000, "d: 2026-13-45", "? [a, b]\n: 1", "x: !!python/object:os.system ls"],
)
def test_values_python_cannot_build_are_syntax_errors(doc):
    with pytest.raises(DocumentSyntaxError):
        load_document(doc)


def test_encoding_and_files(tmp_path: Path):
    assert load_document("\ufeffa: 1".encode()) == {"a": 1}
    with pytest.raises(DocumentSyntaxError, match="第 2 行：不是 UTF-8"):
        load_document(b"a: 1\nb: \xff\n", name="g.yaml")
    with pytest.raises(UnreadableFile, match="找不到文件"):
        load_document(tmp_path / "nope.yaml")
    p = tmp_path / "p.json"
    p.write_text('{"a": [1, 2]}', encoding="utf-8")
    assert load_document(p) == {"a": [1, 2]}


def test_syntax_follows_name_or_content():
    assert load_document('{"on": 1}') == {"on": 1}  # JSON: a key, not YAML's boolean
    assert load_document("{on: 1}", name="p.yaml") == {True: 1}
    assert load_document("- 1\n- 2\n") == [1, 2]


def test_check_document_refuses_only_what_is_beyond_the_limits():
    check_document("code: [unclosed\n")  # a draft may be saved with a syntax error
    with pytest.raises(DocumentTooComplex):
        check_document(billion_laughs())
    with pytest.raises(DocumentTooComplex):
        check_document("a: " + "[" * 1000)
