"""The indicator library: every KPI the source documents define, as YAML package data.

Each ``indicators/*.yaml`` file is either a list of indicators or a mapping with the keys
``indicators`` and/or ``raw_inputs``. A *raw input* (``raw_inputs.yaml``) is a plain data column
that formulas read but that is not an appraisal indicator by itself (广告展现次数, 退单量 ...).

The loader checks, across all files at once:

* every field is valid (pydantic, frozen, unknown keys rejected);
* codes are unique across indicators and raw inputs (the error names both files);
* a formula only references known indicator codes or raw inputs, its ``inputs`` list matches
  what it references, and formulas do not depend on themselves (no cycles).

Formulas are only tokenised here (to find the names they read); the scoring engine has the
full parser.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jixiao.engine import RESERVED_WORDS as _RESERVED
from jixiao.engine import formula_variables as variables
from jixiao.engine import parse_formula
from jixiao.files import FileError, load_document

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "DIRECTIONS",
    "UNITS",
    "Indicator",
    "IndicatorLibrary",
    "IndicatorLibraryError",
    "RawInput",
    "formula_names",
    "get_indicator",
    "get_raw_input",
    "load_indicators",
    "load_library",
    "load_raw_inputs",
]

Category = Literal[
    "shop",
    "promotion",
    "campaign",
    "customer_service",
    "design",
    "new_media",
    "livestream",
    "short_video",
    "network_admin",
    "department_head",
    "sales",
    "qualitative",
    "attendance",
]
Unit = Literal[
    "percent",
    "count",
    "people",
    "times",
    "yuan",
    "seconds",
    "minutes",
    "hours",
    "days",
    "score",
    "ratio",
    "level",
]
Direction = Literal["higher", "lower", "target", "none"]

CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
UNITS: tuple[str, ...] = Unit.__args__  # type: ignore[attr-defined]
DIRECTIONS: tuple[str, ...] = Direction.__args__  # type: ignore[attr-defined]

#: Chinese display names of the categories, in display order.
CATEGORY_NAMES: Mapping[str, str] = {
    "shop": "店铺运营",
    "promotion": "推广",
    "campaign": "活动策划",
    "customer_service": "客服",
    "design": "设计",
    "new_media": "新媒体",
    "livestream": "直播",
    "short_video": "短视频",
    "network_admin": "网络管理",
    "department_head": "部门负责人",
    "sales": "销售",
    "qualitative": "定性评价",
    "attendance": "考勤",
}

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SEED_RE = re.compile(r"^00[0-4]: \S")


class IndicatorLibraryError(ValueError):
    """The indicator YAML is invalid; the message names the file and the indicator."""


def formula_names(formula: str) -> frozenset[str]:
    """The inputs a formula reads, parsed by the engine's own formula language.

    Raises :class:`ValueError` (a :class:`~jixiao.engine.FormulaError`) naming the position.
    """
    return variables(parse_formula(formula))


def _check_code(value: str) -> str:
    if not _CODE_RE.match(value):
        raise ValueError(f"代码 “{value}” 只能用小写英文字母、数字和下划线，并以字母开头")
    if value in _RESERVED:
        raise ValueError(f"代码 “{value}” 是公式语言的保留字")
    return value


def _check_cjk(value: str) -> str:
    value = value.strip()
    if not _CJK_RE.search(value):
        raise ValueError(f"中文名称 “{value}” 必须包含汉字")
    return value


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    code: str = Field(description="snake_case ASCII code; also the data column name")
    name: str = Field(min_length=1, description="Chinese name")
    name_en: str = Field(min_length=1, description="English name")
    unit: Unit
    source: str = Field(min_length=1, description="typical data source, e.g. 生意参谋")
    description: str = Field(min_length=1)
    aliases: tuple[str, ...] = Field(
        (), description="other column headers meaning the same thing (为导入表头匹配)"
    )

    @field_validator("code")
    @classmethod
    def _valid_code(cls, v: str) -> str:
        return _check_code(v)

    @field_validator("name")
    @classmethod
    def _chinese_name(cls, v: str) -> str:
        return _check_cjk(v)

    @field_validator("aliases")
    @classmethod
    def _non_empty_aliases(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not a.strip() for a in v):
            raise ValueError("别名不能为空")
        return tuple(a.strip() for a in v)


class RawInput(_Entry):
    """A raw data column read by indicator formulas (e.g. 广告展现次数)."""

    seed: str | None = None


class Indicator(_Entry):
    """One appraisal indicator (KPI / 考核指标)."""

    category: Category
    direction: Direction
    formula: str | None = Field(None, description="omit for raw metrics read from a data source")
    inputs: tuple[str, ...] = Field((), description="codes the formula references")
    seed: str | None = Field(None, description='seed file and a short quote, e.g. "000: ..."')

    @field_validator("seed")
    @classmethod
    def _seed_format(cls, v: str | None) -> str | None:
        if v is not None and not _SEED_RE.match(v):
            raise ValueError("seed 应写作 “000: 原文摘录”（000–004 为种子文件编号）")
        return v

    @model_validator(mode="before")
    @classmethod
    def _fill_inputs(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("formula") and "inputs" not in data:
            data = {**data, "inputs": sorted(formula_names(str(data["formula"])))}
        return data

    @model_validator(mode="after")
    def _inputs_match_formula(self) -> Indicator:
        if self.formula is None:
            if self.inputs:
                raise ValueError("没有公式（formula）的指标不能声明 inputs")
            return self
        used = formula_names(self.formula)
        if self.code in used:
            raise ValueError(f"公式引用了指标自身 {self.code}")
        declared = set(self.inputs)
        if declared != used:
            missing = sorted(used - declared)
            extra = sorted(declared - used)
            parts = []
            if missing:
                parts.append(f"公式用到但 inputs 未列出: {', '.join(missing)}")
            if extra:
                parts.append(f"inputs 列出但公式未用到: {', '.join(extra)}")
            raise ValueError("inputs 与公式不一致（" + "；".join(parts) + "）")
        return self

    @property
    def is_derived(self) -> bool:
        """True when the value is computed from other columns by :attr:`formula`."""
        return self.formula is not None

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES[self.category]


@dataclass(frozen=True)
class IndicatorLibrary:
    """Indicators (sorted by category order, then code) and raw inputs (sorted by code)."""

    indicators: tuple[Indicator, ...]
    raw_inputs: tuple[RawInput, ...]

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        known = [i.code for i in self.indicators]
        close = difflib.get_close_matches(code, known, n=5, cutoff=0.5)
        hint = f"；相近的代码: {', '.join(close)}" if close else ""
        raw = " （它是原始数据列 raw input，不是考核指标）" if self._raw(code) else ""
        raise KeyError(f"未知指标代码 “{code}”{raw}{hint}")

    def raw_input(self, code: str) -> RawInput:
        found = self._raw(code)
        if found is None:
            close = difflib.get_close_matches(code, [r.code for r in self.raw_inputs], n=5)
            hint = f"；相近的代码: {', '.join(close)}" if close else ""
            raise KeyError(f"未知原始数据列 “{code}”{hint}")
        return found

    def _raw(self, code: str) -> RawInput | None:
        return next((r for r in self.raw_inputs if r.code == code), None)


def _entries(doc: Any, fname: str) -> tuple[list[Any], list[Any]]:
    if doc is None:
        return [], []
    if isinstance(doc, list):
        return doc, []
    if isinstance(doc, dict):
        unknown = set(doc) - {"indicators", "raw_inputs"}
        if unknown:
            raise IndicatorLibraryError(
                f"{fname}: 顶层只允许 indicators 和 raw_inputs，发现 {', '.join(sorted(unknown))}"
            )
        inds, raws = doc.get("indicators") or [], doc.get("raw_inputs") or []
        if not isinstance(inds, list) or not isinstance(raws, list):
            raise IndicatorLibraryError(f"{fname}: indicators / raw_inputs 必须是列表")
        return inds, raws
    raise IndicatorLibraryError(f"{fname}: 顶层必须是指标列表或映射")


def _describe_error(fname: str, index: int, item: Any, err: ValidationError) -> str:
    code = item.get("code") if isinstance(item, dict) else None
    who = f"“{code}”" if code else f"第 {index + 1} 项"
    lines = [f"{fname}: {who} 无效:"]
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(整体)"
        lines.append(f"  - {loc}: {e['msg']}")
    return "\n".join(lines)


def _build(files: Iterable[tuple[str, str | Path]]) -> IndicatorLibrary:
    """Parse and cross-check ``(file name, YAML text or path)`` pairs."""
    problems: list[str] = []
    indicators: list[Indicator] = []
    raws: list[RawInput] = []
    where: dict[str, str] = {}

    def claim(code: str, fname: str) -> bool:
        if code in where:
            problems.append(f"代码 “{code}” 重复：同时出现在 {where[code]} 和 {fname}")
            return False
        where[code] = fname
        return True

    for fname, source in files:
        try:
            doc = load_document(source, name=fname, syntax="yaml")
        except FileError as exc:
            problems.append(f"{exc.where}: YAML 格式错误: {exc.reason}")
            continue
        try:
            ind_items, raw_items = _entries(doc, fname)
        except IndicatorLibraryError as exc:
            problems.append(str(exc))
            continue
        for model, items, sink in (
            (Indicator, ind_items, indicators),
            (RawInput, raw_items, raws),
        ):
            for i, item in enumerate(items):
                try:
                    obj = model.model_validate(item)
                except ValidationError as exc:
                    problems.append(_describe_error(fname, i, item, exc))
                    continue
                except ValueError as exc:  # formula tokenising inside a "before" validator
                    problems.append(f"{fname}: 第 {i + 1} 项无效: {exc}")
                    continue
                if claim(obj.code, fname):
                    sink.append(obj)  # type: ignore[arg-type]

    known = set(where)
    by_code = {i.code: i for i in indicators}
    for ind in indicators:
        unknown = [n for n in ind.inputs if n not in known]
        for name in unknown:
            close = difflib.get_close_matches(name, sorted(known), n=3)
            hint = f"（是否想写 {', '.join(close)}？）" if close else ""
            problems.append(
                f"{where[ind.code]}: 指标 “{ind.code}” 的公式引用了未知代码 “{name}”{hint}；"
                "请使用已有指标代码，或在 raw_inputs 中声明原始数据列"
            )
    problems.extend(_cycles(by_code, where))
    problems.extend(_alias_clashes(indicators, raws, where))

    if problems:
        raise IndicatorLibraryError("指标库有误:\n" + "\n".join(problems))
    order = {c: n for n, c in enumerate(CATEGORIES)}
    indicators.sort(key=lambda i: (order[i.category], i.code))
    raws.sort(key=lambda r: r.code)
    return IndicatorLibrary(tuple(indicators), tuple(raws))


def _cycles(by_code: Mapping[str, Indicator], where: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(code: str, path: list[str]) -> None:
        state[code] = 1
        for dep in by_code[code].inputs:
            if dep not in by_code:
                continue
            if state.get(dep) == 1:
                cycle = [*path[path.index(dep) :], dep] if dep in path else [code, dep]
                out.append(f"{where[code]}: 公式循环引用: {' → '.join(cycle)}")
            elif dep not in state:
                visit(dep, [*path, dep])
        state[code] = 2

    for code in by_code:
        if code not in state:
            visit(code, [code])
    return out


def _alias_clashes(
    indicators: Iterable[Indicator], raws: Iterable[RawInput], where: Mapping[str, str]
) -> list[str]:
    """Names and aliases are header labels for import: one label must mean one column."""
    seen: dict[str, str] = {}
    out: list[str] = []
    for entry in [*indicators, *raws]:
        labels = {entry.name, *entry.aliases}
        for label in labels:
            key = label.strip().lower()
            other = seen.get(key)
            if other is not None and other != entry.code:
                out.append(
                    f"名称/别名 “{label}” 同时指向 {other}（{where[other]}）"
                    f"和 {entry.code}（{where[entry.code]}）"
                )
            seen.setdefault(key, entry.code)
    return out


def _package_files() -> list[tuple[str, str | Path]]:
    folder = resources.files("jixiao.library").joinpath("indicators")
    found = [p for p in folder.iterdir() if p.name.endswith((".yaml", ".yml"))]
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(found, key=lambda p: p.name)]


def _dir_files(directory: Path) -> list[tuple[str, str | Path]]:
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not paths:
        raise IndicatorLibraryError(f"目录 {directory} 中没有 .yaml 指标文件")
    return [(p.name, p) for p in paths]


@lru_cache(maxsize=1)
def _default_library() -> IndicatorLibrary:
    return _build(_package_files())


def load_library(directory: str | Path | None = None) -> IndicatorLibrary:
    """The built-in library (cached), or the one in ``directory`` (not cached)."""
    if directory is None:
        return _default_library()
    return _build(_dir_files(Path(directory)))


def load_indicators(directory: str | Path | None = None) -> tuple[Indicator, ...]:
    """All indicators, sorted by category (in :data:`CATEGORIES` order) then code."""
    return load_library(directory).indicators


def load_raw_inputs(directory: str | Path | None = None) -> tuple[RawInput, ...]:
    """All declared raw inputs (data columns formulas read), sorted by code."""
    return load_library(directory).raw_inputs


def get_indicator(code: str) -> Indicator:
    """The built-in indicator ``code``; ``KeyError`` lists close codes when unknown."""
    return _default_library().indicator(code)


def get_raw_input(code: str) -> RawInput:
    """The built-in raw input ``code``; ``KeyError`` lists close codes when unknown."""
    return _default_library().raw_input(code)
