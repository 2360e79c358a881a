"""Who is who: shop sub-accounts (``旗舰店:小冰``) and names mapped to employee numbers.

A mapping file is CSV / XLSX with columns ``shop, sub_account, employee`` (and optionally
``name``), or YAML (a list of such records, or ``"shop:sub_account": employee`` pairs).
Sub-accounts are kept per shop: ``旗舰店:小冰`` and ``专卖店:小冰`` are different people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jixiao.files import EMPLOYEE_ALIASES, NAME_ALIASES, Limits, load_document, read_table
from jixiao.ingest._errors import IngestError

__all__ = ["AccountMap", "Lookup", "load_mapping", "split_account"]

_SEPARATORS = (":", "：")


def split_account(text: str, shop: str | None = None) -> tuple[str | None, str]:
    """``旗舰店:小冰`` → (旗舰店, 小冰); a bare ``小冰`` takes ``shop`` (may be None)."""
    t = text.strip()
    for sep in _SEPARATORS:
        if sep in t:
            s, _, sub = t.partition(sep)
            return (s.strip() or shop), sub.strip()
    return (shop.strip() if shop else None), t


@dataclass(frozen=True, slots=True)
class Lookup:
    employee: str | None
    name: str | None
    reason: str | None = None  # why it did not match


@dataclass(frozen=True)
class AccountMap:
    accounts: Mapping[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)  # person name → employee
    employee_names: Mapping[str, str] = field(default_factory=dict)

    def by_account(self, text: str, shop: str | None = None) -> Lookup:
        s, sub = split_account(text, shop)
        if s is not None:
            hit = self.accounts.get((s, sub))
            if hit:
                return Lookup(hit[0], hit[1])
            return Lookup(None, None, f"子账号“{s}:{sub}”不在映射表中")
        found = {v for (_, a), v in self.accounts.items() if a == sub}
        if len(found) == 1:
            emp, name = next(iter(found))
            return Lookup(emp, name)
        if len(found) > 1:
            return Lookup(None, None, f"子账号“{sub}”在多个店铺下对应不同员工；请写成“店铺:{sub}”")
        return Lookup(None, None, f"子账号“{sub}”不在映射表中")

    def by_name(self, name: str) -> Lookup:
        emp = self.names.get(name.strip())
        if emp:
            return Lookup(emp, name.strip())
        return Lookup(None, None, f"姓名“{name}”不在映射表中（需要 name 与 employee 两列）")

    def name_of(self, employee: str) -> str | None:
        return self.employee_names.get(employee)


_ALIASES = {
    "shop": ("shop", "店铺", "店铺名称"),
    "sub_account": ("sub_account", "子账号", "旺旺", "account", "账号", "客服账号"),
    "employee": EMPLOYEE_ALIASES,
    "name": NAME_ALIASES,
}


def _records_from_table(path: Path, limits: Limits | None) -> list[dict[str, str | None]]:
    known = frozenset(a for v in _ALIASES.values() for a in v)
    raw = read_table(path, known_headers=known, limits=limits)
    found = {key: raw.column(aliases) for key, aliases in _ALIASES.items()}
    cols = {key: h for key, h in found.items() if h is not None}
    if "employee" not in cols:
        raise IngestError(
            f"{path}：映射表缺少 employee（员工编号）列；需要 shop, sub_account, employee 三列"
        )
    frame = raw.frame.select(
        [pl.col(h).str.strip_chars().alias(k) for k, h in cols.items()] + [pl.col("__row__")]
    )
    return [dict(r) for r in frame.iter_rows(named=True)]


def _records_from_yaml(path: Path) -> list[dict[str, str | None]]:
    data = load_document(path, syntax="yaml")
    if isinstance(data, dict) and "accounts" in data:
        data = data["accounts"]
    out: list[dict[str, str | None]] = []
    if isinstance(data, dict):
        for i, (k, v) in enumerate(data.items(), start=1):
            s, sub = split_account(str(k))
            out.append({"shop": s, "sub_account": sub, "employee": str(v), "__row__": str(i)})
    elif isinstance(data, list):
        for i, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise IngestError(f"{path}：第 {i} 项应为 {{shop, sub_account, employee}} 映射")
            rec = {k: (None if v is None else str(v)) for k, v in item.items()}
            rec["__row__"] = str(i)
            out.append(rec)
    else:
        raise IngestError(f"{path}：YAML 应为列表或 “店铺:子账号: 员工编号” 映射")
    return out


def load_mapping(path: str | Path, *, limits: Limits | None = None) -> AccountMap:
    p = Path(path)
    if not p.is_file():
        raise IngestError(f"找不到映射文件 {p}")
    records = (
        _records_from_yaml(p)
        if p.suffix.lower() in (".yaml", ".yml")
        else _records_from_table(p, limits)
    )
    accounts: dict[tuple[str, str], tuple[str, str | None]] = {}
    names: dict[str, str] = {}
    emp_names: dict[str, str] = {}
    where: dict[tuple[str, str], str] = {}
    for rec in records:
        row = rec.get("__row__")
        emp = (rec.get("employee") or "").strip()
        if not emp:
            raise IngestError(f"{p}：第 {row} 行缺少员工编号（employee）")
        name = (rec.get("name") or "").strip() or None
        if name:
            if names.get(name, emp) != emp:
                raise IngestError(
                    f"{p}：姓名“{name}”对应了两个员工编号 {names[name]} 与 {emp}；请改用工号区分"
                )
            names[name] = emp
            emp_names.setdefault(emp, name)
        sub = (rec.get("sub_account") or "").strip()
        if not sub:
            continue
        shop, sub = split_account(sub, rec.get("shop"))
        if not shop:
            raise IngestError(
                f"{p}：第 {row} 行子账号“{sub}”缺少店铺（shop）；同名子账号在不同店铺是不同的人"
            )
        key = (shop, sub)
        if key in accounts and accounts[key][0] != emp:
            raise IngestError(
                f"{p}：子账号“{shop}:{sub}”在第 {where[key]} 行对应 {accounts[key][0]}，"
                f"在第 {row} 行又对应 {emp}；一个子账号只能对应一名员工"
            )
        accounts[key] = (emp, name)
        where[key] = str(row)
    return AccountMap(accounts, names, emp_names)
