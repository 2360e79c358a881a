"""The words of traces: what a test, a condition and an action say, in Chinese and English.

A trace reads ``连续 3 个月小组第 1 名：2026-09、2026-10、2026-11 → 奖励 200 元``: the condition,
the months it rests on, and what is proposed."""

from __future__ import annotations

from decimal import Decimal

from jixiao.history._policy import (
    ACTIONS,
    Count,
    Current,
    InOrder,
    Money,
    Personnel,
    Streak,
    Test,
    Threshold,
)

__all__ = ["action_text", "amount_text", "condition_text", "field_text", "test_text"]

_FIELD = {
    "total": ("总分", "total"),
    "rank": ("排名", "rank"),
    "group_rank": ("小组排名", "group rank"),
    "grade": ("等级", "grade"),
}
_OPS = {
    "lt": ("低于", "below"),
    "lte": ("不高于", "at most"),
    "gt": ("高于", "above"),
    "gte": ("不低于", "at least"),
    "eq": ("等于", "equal to"),
    "ne": ("不等于", "not equal to"),
}
_AGG = {
    "mean": ("平均", "mean"),
    "min": ("最低", "lowest"),
    "max": ("最高", "highest"),
    "sum": ("合计", "sum"),
}


def num(value: float | Decimal) -> str:
    """12.0 → ``12``, 91.25 → ``91.25``: no trailing zeros, never scientific notation."""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount_text(amount: Decimal) -> str:
    return num(amount)


def field_text(field: str, item: str | None) -> tuple[str, str]:
    if field == "item":
        return f"考核项 {item}", f"item {item}"
    return _FIELD[field]


def _place(t: Test) -> tuple[str, str] | None:
    """Rank tests read as places: ``小组第 1 名``, ``排名前 3 名``."""
    bounds = t.bounds()
    if t.field not in ("rank", "group_rank") or len(bounds) != 1:
        return None
    key, value = next(iter(bounds.items()))
    zh_scope, en_scope = ("小组", "in the group") if t.field == "group_rank" else ("", "overall")
    if key in ("eq", "lte") and value == 1:
        return f"{zh_scope}第 1 名" if zh_scope else "排名第 1 名", f"first {en_scope}"
    if key == "lte":
        return f"{zh_scope or '排名'}前 {num(value)} 名", f"in the top {num(value)} {en_scope}"
    return None


def test_text(t: Test) -> tuple[str, str]:
    if t.all or t.any:
        parts = [test_text(x) for x in (t.all or t.any or [])]
        zh_join, en_join = ("且", " and ") if t.all else ("或", " or ")
        return f"（{zh_join.join(p[0] for p in parts)}）", f"({en_join.join(p[1] for p in parts)})"
    place = _place(t)
    if place:
        return place
    assert t.field is not None
    zh_f, en_f = field_text(t.field, t.item)
    zh, en = [], []
    if t.in_ is not None:
        zh.append(f"{zh_f}为 {' 或 '.join(t.in_)}")
        en.append(f"{en_f} {' or '.join(t.in_)}")
    if t.not_in is not None:
        zh.append(f"{zh_f}不是 {'、'.join(t.not_in)}")
        en.append(f"{en_f} not {', '.join(t.not_in)}")
    for key in ("lt", "lte", "gt", "gte", "eq", "ne"):
        value = getattr(t, key)
        if value is None:
            continue
        shown = value if isinstance(value, str) else num(value)
        zh.append(f"{zh_f}{_OPS[key][0]} {shown}")
        en.append(f"{en_f} {_OPS[key][1]} {shown}")
    return "且".join(zh), " and ".join(en)


def bounds_text(c: Threshold) -> tuple[str, str]:
    zh, en = [], []
    for key in ("lt", "lte", "gt", "gte"):
        value = getattr(c, key)
        if value is not None:
            zh.append(f"{_OPS[key][0]} {num(value)}")
            en.append(f"{_OPS[key][1]} {num(value)}")
    return "且".join(zh), " and ".join(en)


def condition_text(
    c: Streak | Count | Threshold | InOrder | Current, value: str | None = None
) -> tuple[str, str]:
    """The condition as met. ``value``: the aggregate a threshold found, or the length of a
    streak (which may be longer than ``periods``)."""
    if isinstance(c, InOrder):
        parts = [test_text(t) for t in c.tests]
        return (
            f"连续 {len(c.tests)} 个月依次{'，然后'.join(p[0] for p in parts)}",
            f"{len(c.tests)} months in a row: {', then '.join(p[1] for p in parts)}",
        )
    if isinstance(c, Threshold):
        zh_f, en_f = field_text(c.field, c.item)
        zh_b, en_b = bounds_text(c)
        agg_zh, agg_en = _AGG[c.aggregate]
        shown = "" if value is None else f" {value}"
        return (
            f"近 {c.periods} 个月{zh_f}{agg_zh}{shown}，{zh_b}",
            f"{agg_en} {en_f} over the last {c.periods} months{shown}, {en_b}",
        )
    zh_t, en_t = test_text(c.test)
    if isinstance(c, Streak):
        n = value or str(c.periods)
        return f"连续 {n} 个月{zh_t}", f"{en_t} for {n} months in a row"
    if isinstance(c, Count):
        return (
            f"近 {c.periods} 个月中有 {c.at_least} 个月{zh_t}",
            f"{en_t} in {c.at_least} of the last {c.periods} months",
        )
    return f"本月{zh_t}", f"{en_t} this month"


def action_text(a: Money | Personnel) -> tuple[str, str]:
    if isinstance(a, Money):
        en_label = a.label_en or a.label
        if a.amount is None:
            return f"{a.label}（金额由人事确定）", f"{en_label} (amount set by HR)"
        return f"{a.label} {amount_text(a.amount)} 元", f"{en_label} {amount_text(a.amount)} yuan"
    zh, en = ACTIONS[a.action]
    zh, en = a.label or zh, a.label_en or a.label or en
    if a.value:
        return f"{zh}（{a.value}）", f"{en} ({a.value})"
    return zh, en
