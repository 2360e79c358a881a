"""Loading, checking and scoring: the functions behind ``jixiao.engine``'s public names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import ValidationError

from jixiao.engine._compile import CompiledScheme, compile_scheme
from jixiao.engine._issues import DataError, Issue, SchemeError
from jixiao.engine._model import Scheme
from jixiao.engine._prepare import prepare
from jixiao.engine._records import ResultRecord, Trace
from jixiao.engine._score import DIM, ITEM, VETO, Evaluation, evaluate
from jixiao.engine._summary import RowExplanation, explain
from jixiao.engine._trace import trace_exprs, trace_frame
from jixiao.engine.kinds import BY_NAME
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
    "union_tag_not_found": f"规则缺少 kind（{'/'.join(BY_NAME)}）",
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
    """Scores for a population. ``table`` has one row per employee.

    Scoring keeps every rule's intermediate numbers; ``traces`` words them on demand (once per
    language), so a caller that needs no sentences pays for none.
    """

    scheme: CompiledScheme
    frame: pl.DataFrame
    evaluation: Evaluation
    _traces: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)
    _exprs: dict[str, list[pl.Expr]] = field(default_factory=dict, repr=False)

    @property
    def table(self) -> pl.DataFrame:
        return self.evaluation.table

    def traces(self, lang: str = "zh") -> pl.DataFrame:
        """employee + one sentence per item code (veto items included), in ``lang``."""
        if lang not in self._traces:
            exprs = self._trace_exprs(lang)
            self._traces[lang] = trace_frame(self.scheme, self.frame, self.evaluation, lang, exprs)
        return self._traces[lang]

    def _trace_exprs(self, lang: str) -> list[pl.Expr]:
        # Built once per language: building them costs more than wording one person.
        if lang not in self._exprs:
            self._exprs[lang] = trace_exprs(self.scheme, self.evaluation, lang)
        return self._exprs[lang]

    def item_codes(self) -> list[str]:
        return [c.removeprefix(ITEM) for c in self.table.columns if c.startswith(ITEM)]

    def results(self, *, traces: bool = True) -> list[ResultRecord]:
        """One typed record per employee, in table order."""
        t = self.table
        col = {c: t.get_column(c).to_list() for c in t.columns}
        dims = [(c.removeprefix(DIM), col[c]) for c in t.columns if c.startswith(DIM)]
        items = [(c.removeprefix(ITEM), col[c]) for c in t.columns if c.startswith(ITEM)]
        vetoes = [(c.removeprefix(VETO), col[c]) for c in t.columns if c.startswith(VETO)]
        texts: list[tuple[str, list[str], list[str]]] = []
        if traces:
            tz, te = self.traces("zh"), self.traces("en")
            texts = [
                (c, tz.get_column(c).to_list(), te.get_column(c).to_list())
                for c in tz.columns
                if c != "employee"
            ]
        return [
            ResultRecord(
                employee=col["employee"][k],
                name=col["name"][k],
                group=col["group"][k],
                eligible=col["eligible"][k],
                excluded_reason=col["excluded_reason"][k],
                total=col["total"][k],
                grade=col["grade"][k],
                rank=col["rank"][k],
                group_rank=col["group_rank"][k],
                dimensions={code: v[k] for code, v in dims},
                items={code: v[k] for code, v in items},
                vetoes={code: v[k] for code, v in vetoes},
                traces={code: Trace(z[k], e[k]) for code, z, e in texts},
            )
            for k in range(t.height)
        ]

    def records(self, *, traces: bool = True) -> list[dict[str, Any]]:
        """:meth:`results` as JSON-ready dicts (``jixiao score -f json``)."""
        return [r.to_json() for r in self.results(traces=traces)]

    def explain(self, employee: str) -> RowExplanation:
        """One employee, every point explained (``KeyError`` for an unknown employee)."""
        return explain(self.scheme, self.frame, self.evaluation, employee, self._trace_exprs)


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
    return ScoreResult(cs, frame, evaluate(cs, frame))
