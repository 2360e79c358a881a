"""Import profiles: declarative YAML that maps an export's headers to indicator codes.

A profile says which header aliases hold which indicator (and of which kind), which column
identifies the person (sub-account, employee number or name), which column holds the date,
and how several rows of one person in one period combine. The shipped profiles live in
``jixiao/library/profiles``; users add their own files in the same format (docs/import.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jixiao.files import load_document, norm_header
from jixiao.ingest._errors import IngestError
from jixiao.ingest._values import Kind, PercentBare

__all__ = [
    "ColumnSpec",
    "Match",
    "PersonSpec",
    "Profile",
    "detect_profile",
    "load_profile",
    "load_profiles",
    "shipped_profiles",
]

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
Agg = Literal["sum", "mean", "max", "min", "single"]
_ADDITIVE: frozenset[str] = frozenset({"count", "money"})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ColumnSpec(_Frozen):
    code: str
    aliases: tuple[str, ...]
    kind: Kind = "number"
    agg: Agg | None = None
    weight: str | None = Field(default=None, description="weighted mean by this column's code")
    percent_bare: PercentBare = "points"
    required: bool = False

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not _CODE.match(v):
            raise ValueError(
                f"指标代码“{v}”必须是小写英文、数字和下划线（snake_case），且以字母开头"
            )
        return v

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("aliases 至少需要一个表头名称")
        return v

    @property
    def aggregation(self) -> Agg:
        """How rows of one person in one period combine; sums only for additive kinds."""
        if self.weight:
            return "mean"
        return self.agg or ("sum" if self.kind in _ADDITIVE else "single")


class PersonSpec(_Frozen):
    by: Literal["sub_account", "employee", "name"]
    aliases: tuple[str, ...]
    shop_aliases: tuple[str, ...] = ()
    name_aliases: tuple[str, ...] = ()


class Profile(_Frozen):
    code: str
    name: str
    name_en: str = ""
    source: str = ""
    person: PersonSpec
    date_aliases: tuple[str, ...] = ()
    columns: tuple[ColumnSpec, ...]
    min_columns: int = 2
    skip_labels: tuple[str, ...] = ("合计", "总计", "汇总", "小计", "总和", "total", "sum")

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        codes = [c.code for c in self.columns]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"指标代码重复：{'、'.join(dup)}")
        seen: dict[str, str] = {}
        for c in self.columns:
            for a in c.aliases:
                key = norm_header(a)
                if key in seen and seen[key] != c.code:
                    raise ValueError(
                        f"表头“{a}”同时指向 {seen[key]} 与 {c.code}；一个表头只能对应一个指标"
                    )
                seen[key] = c.code
            if c.weight and c.weight not in codes:
                raise ValueError(f"{c.code} 的 weight “{c.weight}” 不是本方案中的指标代码")
            if c.weight and c.kind not in ("percent", "duration", "number", "money"):
                raise ValueError(f"{c.code} 是{c.kind}，不能按权重求平均")
        return self

    def all_aliases(self) -> frozenset[str]:
        out = {norm_header(a) for c in self.columns for a in c.aliases}
        p = self.person
        out |= {
            norm_header(a)
            for a in (*p.aliases, *p.shop_aliases, *p.name_aliases, *self.date_aliases)
        }
        return frozenset(out)


@dataclass(frozen=True, slots=True)
class Match:
    """How well a profile fits a header row."""

    profile: Profile
    person_column: str | None
    shop_column: str | None
    name_column: str | None
    date_column: str | None
    columns: tuple[tuple[ColumnSpec, str], ...]  # (spec, header as in the file)
    unmatched_headers: tuple[str, ...]
    missing_required: tuple[str, ...]

    @property
    def usable(self) -> bool:
        return (
            (self.person_column is not None or self.name_column is not None)
            and not self.missing_required
            and len(self.columns) >= min(self.profile.min_columns, len(self.profile.columns))
        )

    @property
    def score(self) -> float:
        return len(self.columns) / max(len(self.profile.columns), 1)


def _find(header: Sequence[str], aliases: Iterable[str], taken: set[str]) -> str | None:
    keys = {norm_header(a) for a in aliases}
    for h in header:
        if h not in taken and norm_header(h) in keys:
            taken.add(h)
            return h
    return None


def match_profile(profile: Profile, header: Sequence[str]) -> Match:
    taken: set[str] = set()
    person = _find(header, profile.person.aliases, taken)
    shop = _find(header, profile.person.shop_aliases, taken)
    name = _find(header, profile.person.name_aliases, taken)
    date = _find(header, profile.date_aliases, taken)
    cols: list[tuple[ColumnSpec, str]] = []
    for spec in profile.columns:
        h = _find(header, spec.aliases, taken)
        if h is not None:
            cols.append((spec, h))
    got = {s.code for s, _ in cols}
    # A rate whose weight column is absent is still read (and its cells checked); combining
    # several rows of one person then fails with a message in aggregate().
    missing = tuple(c.code for c in profile.columns if c.required and c.code not in got)
    rest = tuple(h for h in header if h not in taken)
    return Match(profile, person, shop, name, date, tuple(cols), rest, missing)


def detect_profile(header: Sequence[str], profiles: Sequence[Profile], *, file: str) -> Match:
    """The best usable profile for a header row, or an error naming the closest ones."""
    matches = sorted((match_profile(p, header) for p in profiles), key=lambda m: -m.score)
    usable = [m for m in matches if m.usable]
    if usable:
        best = usable[0]
        ties = [
            m for m in usable[1:] if m.score == best.score and len(m.columns) == len(best.columns)
        ]
        if ties:
            names = "、".join(f"{m.profile.code}（{m.profile.name}）" for m in [best, *ties])
            raise IngestError(f"{file}：表头同样符合多个导入方案：{names}；请用 --profile 指定一个")
        return best
    lines = []
    for m in matches[:3]:
        why = []
        if m.person_column is None and m.name_column is None:
            why.append(f"缺少人员列（{' / '.join(m.profile.person.aliases[:4])}）")
        if m.missing_required:
            why.append(f"缺少必需列 {', '.join(m.missing_required)}")
        lines.append(
            f"  · {m.profile.code}（{m.profile.name}）：匹配 {len(m.columns)}/{len(m.profile.columns)} 列"
            + (f"，{'；'.join(why)}" if why else "")
        )
    unmatched = "、".join(f"“{h}”" for h in matches[0].unmatched_headers[:20]) if matches else ""
    raise IngestError(
        f"{file}：表头不符合任何导入方案。最接近的方案：\n"
        + "\n".join(lines)
        + f"\n未识别的表头：{unmatched or '（无）'}\n"
        "请用 --profile 指定方案，或按 docs/import.md 新建一个方案文件"
    )


def load_profile(path: str | Path) -> Profile:
    p = Path(path)
    return _parse(load_document(p, syntax="yaml"), str(p))


def _parse(data: object, label: str) -> Profile:
    if not isinstance(data, dict):
        raise IngestError(f"导入方案 {label}：顶层必须是映射（code / name / person / columns）")
    raw = dict(data)
    cols = raw.get("columns")
    if isinstance(cols, dict):
        # Short form: `code: {aliases: [...], kind: ...}` or `code: [alias, ...]`.
        raw["columns"] = [
            {"code": k, **(v if isinstance(v, dict) else {"aliases": v})} for k, v in cols.items()
        ]
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        problems = "；".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise IngestError(f"导入方案 {label} 有误：{problems}") from None


def shipped_profiles() -> tuple[Profile, ...]:
    root = resources.files("jixiao") / "library" / "profiles"
    out = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            doc = load_document(entry.read_text(encoding="utf-8"), name=entry.name)
            out.append(_parse(doc, entry.name))
    return tuple(out)


def load_profiles(extra: Sequence[str | Path] = ()) -> tuple[Profile, ...]:
    """Shipped profiles plus the user's (a file or a directory of YAML files each)."""
    found = list(shipped_profiles())
    for item in extra:
        p = Path(item)
        files = sorted([*p.glob("*.yaml"), *p.glob("*.yml")]) if p.is_dir() else [p]
        found.extend(load_profile(f) for f in files)
    codes = [p.code for p in found]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise IngestError(f"导入方案代码重复：{'、'.join(dup)}；请给自己的方案换一个 code")
    return tuple(found)
