"""Loading, checking and scoring: the functions behind ``jixiao.engine``'s public names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import ValidationError

from jixiao.engine._compile import CompiledScheme, compile_scheme
from jixiao.engine._explain import RowExplanation, explain_row
from jixiao.engine._issues import DataError, Issue, SchemeError
from jixiao.engine._model import Scheme
from jixiao.engine._prepare import prepare
from jixiao.engine._rules import RankRule
from jixiao.engine._score import DIM, HEAD_COLUMNS, ITEM, eligible_expr, score_frame
from jixiao.engine._trace import trace_frame
from jixiao.files import DocumentError, UnreadableFile, load_document

__all__ = [
    "ScoreResult",
    "check_scheme",
    "compile_checked",
    "load_scheme",
    "parse_scheme",
    "scheme_json_schema",
    "score",
]


def _loc(loc: tuple[Any, ...], data: Any) -> str:
    """A pydantic error location as a readable path, with codes instead of list indexes:
    ``dimensions.sales.items.orders_growth.rule.target``."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
            code = item.get("code") if isinstance(item, dict) else None
            parts.append(f".{code}" if code else f"[{key}]")
            node = item
            continue
        if isinstance(node, dict) and node.get("kind") == key:
            continue  # the discriminated-union tag, not a field
        parts.append(("." if parts else "") + str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "(根)"


_MSG_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（是否拼写错误？）",
    "string_type": "应当是文本",
    "int_type": "应当是整数",
    "float_type": "应当是数字",
    "list_type": "应当是列表",
    "dict_type": "应当是映射（键: 值）",
    "literal_error": "取值不在允许范围内",
    "too_short": "不能为空",
    "string_pattern_mismatch": "只能用英文字母、数字和下划线，且不以数字开头",
    "union_tag_invalid": "未知的规则类型 kind",
    "union_tag_not_found": "规则缺少 kind（ratio/linear/tiers/per_occurrence/step/rank/rating/formula）",
    "greater_than_equal": "数值太小",
}


def parse_scheme(doc: Mapping[str, Any], *, source: str | None = None) -> Scheme:
    """Validate a scheme mapping; raise :class:`SchemeError` naming every bad field."""
    if not isinstance(doc, Mapping):
        raise SchemeError(
            [
                Issue(
                    "error",
                    "(根)",
                    "方案文件的顶层必须是映射（code: …, name: …）",
                    "top level must be a mapping",
                )
            ],
            source=source,
        )
    try:
        scheme = Scheme.model_validate(dict(doc))
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            path = _loc(tuple(err["loc"]), doc)
            zh = _MSG_ZH.get(err["type"], err["msg"])
            if err["type"] == "literal_error":
                zh = f"{zh}：{err['msg'].replace('Input should be', '应为')}"
            issues.append(Issue("error", path, zh, err["msg"]))
        raise SchemeError(issues, source=source) from None
    _cs, issues = compile_scheme(scheme)
    if any(i.level == "error" for i in issues):
        raise SchemeError(issues, source=source)
    return scheme


def load_scheme(src: str | Path | Mapping[str, Any]) -> Scheme:
    """Load a scheme from a path, from YAML / JSON text, or from a mapping."""
    if isinstance(src, Mapping):
        return parse_scheme(src)
    source: str | None = None
    doc_src: str | Path
    if isinstance(src, Path) or (
        isinstance(src, str) and "\n" not in src and src.endswith((".yaml", ".yml", ".json"))
    ):
        doc_src = Path(src)
        source = str(doc_src)
    else:
        doc_src = str(src)
    try:
        # A path's syntax follows its suffix; text is JSON when it starts with "{".
        doc = load_document(doc_src, name=source or "方案")
    except UnreadableFile as exc:
        missing = isinstance(doc_src, Path) and not doc_src.is_file()
        message = f"找不到方案文件 {doc_src}" if missing else f"方案文件 {doc_src}：{exc.reason}"
        raise SchemeError(
            [Issue("error", "(文件)", message, f"{doc_src}: {exc.reason_en}")], source=source
        ) from None
    except DocumentError as exc:
        where = exc.position
        raise SchemeError(
            [
                Issue(
                    "error",
                    where or "(文件)",
                    f"YAML/JSON 格式错误{('（' + where + '）') if where else ''}：{exc.reason}",
                    exc.reason_en,
                )
            ],
            source=source,
        ) from None
    return parse_scheme(doc, source=source)


def compile_checked(scheme: Scheme) -> CompiledScheme:
    cs, issues = compile_scheme(scheme)
    if any(i.level == "error" for i in issues):
        raise SchemeError(issues)
    return cs


def check_scheme(scheme: Scheme) -> list[Issue]:
    """Every issue (errors and warnings) of an already parsed scheme."""
    return compile_scheme(scheme)[1]


def scheme_json_schema() -> dict[str, Any]:
    return Scheme.model_json_schema(by_alias=True)


@dataclass
class ScoreResult:
    """Scores for a population. ``table`` has one row per employee."""

    scheme: CompiledScheme
    frame: pl.DataFrame
    table: pl.DataFrame
    _traces: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)

    def traces(self, lang: str = "zh") -> pl.DataFrame:
        if lang not in self._traces:
            self._traces[lang] = trace_frame(self.scheme, self.frame, self.table, lang)
        return self._traces[lang]

    def item_codes(self) -> list[str]:
        return [c.removeprefix(ITEM) for c in self.table.columns if c.startswith(ITEM)]

    def records(self, *, traces: bool = True) -> list[dict[str, Any]]:
        rows = self.table.to_dicts()
        tz = self.traces("zh").to_dicts() if traces else None
        te = self.traces("en").to_dicts() if traces else None
        out = []
        for k, r in enumerate(rows):
            rec: dict[str, Any] = {key: r[key] for key in HEAD_COLUMNS}
            rec["dimensions"] = {c.removeprefix(DIM): r[c] for c in r if c.startswith(DIM)}
            rec["items"] = {c.removeprefix(ITEM): r[c] for c in r if c.startswith(ITEM)}
            rec["vetoes"] = {c.removeprefix("veto:"): r[c] for c in r if c.startswith("veto:")}
            if tz is not None and te is not None:
                rec["traces"] = {
                    code: {"zh": tz[k][code], "en": te[k][code]}
                    for code in tz[k]
                    if code != "employee"
                }
            out.append(rec)
        return out

    def explain(self, employee: str) -> RowExplanation:
        rows = self.frame.filter(pl.col("employee") == str(employee))
        if rows.height == 0:
            raise KeyError(f"没有员工 “{employee}”")
        row = rows.row(0, named=True)
        groups: dict[str, list[float | None]] = {}
        ungrouped: set[str] = set()
        group_present = self.frame.get_column("group").null_count() < self.frame.height
        for it in self.scheme.items:
            if not isinstance(it.rule, RankRule) or it.value is None:
                continue
            peers = self.frame.filter(eligible_expr(self.scheme))
            gcol = it.rule.group_by
            if gcol is not None and (gcol != "group" or group_present):
                if row.get(gcol) is None:
                    ungrouped.add(it.code)
                    continue
                peers = peers.filter(pl.col(gcol) == row[gcol])
            groups[it.code] = peers.select(it.value.expr().alias("v")).get_column("v").to_list()
        return explain_row(self.scheme, row, group_values=groups, ungrouped=frozenset(ungrouped))


def score(
    scheme: Scheme | CompiledScheme,
    data: pl.DataFrame,
    *,
    targets: pl.DataFrame | None = None,
    ratings: pl.DataFrame | None = None,
) -> ScoreResult:
    """Score everyone in ``data`` (``employee`` column + metric columns) at once."""
    cs = scheme if isinstance(scheme, CompiledScheme) else compile_checked(scheme)
    if not isinstance(data, pl.DataFrame):
        raise DataError("数据必须是表格（polars.DataFrame）")
    frame = prepare(cs, data, targets=targets, ratings=ratings)
    table = score_frame(cs, frame)
    return ScoreResult(cs, frame, table)
