"""Compiling one item's rule: numbers resolved, operands parsed, tables and tiers checked.

A mixin of :class:`._compile._Compiler`, kept apart because each rule kind has its own checks.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable
from typing import Any

from jixiao.engine import _model as M
from jixiao.engine import _rules as R
from jixiao.engine._issues import Issue
from jixiao.engine._numfmt import unit_text
from jixiao.formula import Band, parse_number

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Collector:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def error(self, path: str, zh: str, en: str) -> None:
        self.issues.append(Issue("error", path, zh, en))

    def warn(self, path: str, zh: str, en: str) -> None:
        self.issues.append(Issue("warning", path, zh, en))


def _num(raw: Any, path: str, out: _Collector, default: float = 0.0) -> float:
    try:
        return parse_number(raw, where=path)
    except ValueError as exc:
        out.error(path, f"{raw!r} 不是数字（可写 80、0.95 或 95%）", str(exc))
        return default


def _close(name: str, known: Iterable[str]) -> str:
    hits = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f"，是不是 {'、'.join(hits)}？" if hits else ""


def _isnum(x: Any) -> bool:
    try:
        parse_number(x, where="")
        return True
    except ValueError:
        return False


class _RuleCompiler:
    """Rule compilation; the host class provides ``out``, ``operand`` and ``bands``."""

    out: _Collector

    def operand(
        self, raw: Any, path: str, unit: str = "number", *, condition: bool = False
    ) -> R.Operand | None:
        raise NotImplementedError

    def bands(self, specs: list[Any], path: str, value_key: str, fmt: Any) -> tuple[Band, ...]:
        raise NotImplementedError

    def rule(self, r: Any, points: float, item_type: str, unit: str, path: str) -> R.Rule | None:
        base: dict[str, Any] = {"points": points, "item_type": item_type, "unit": unit}
        if isinstance(r, M.RatioRule):
            target = self.operand(r.target, f"{path}.target", unit)
            cap = _num(r.cap, f"{path}.cap", self.out, 1.0)
            floor = None if r.floor is None else _num(r.floor, f"{path}.floor", self.out)
            if cap < 1:
                self.out.warn(
                    f"{path}.cap",
                    "封顶比例小于 100%：达到目标也拿不到满分",
                    "cap below 100%: full points unreachable",
                )
            if floor is not None and not 0 <= floor <= cap:
                self.out.error(
                    f"{path}.floor",
                    "不得分线应在 0 与封顶比例之间",
                    "floor must be between 0 and cap",
                )
            self._zero_target(target, f"{path}.target")
            return (
                None
                if target is None
                else R.RatioRule(**base, target=target, direction=r.direction, cap=cap, floor=floor)
            )
        if isinstance(r, M.LinearRule):
            x0 = self.operand(r.from_.value, f"{path}.from.value", unit)
            x1 = self.operand(r.to.value, f"{path}.to.value", unit)
            s0 = (
                0.0
                if r.from_.score is None
                else _num(r.from_.score, f"{path}.from.score", self.out)
            )
            s1 = points if r.to.score is None else _num(r.to.score, f"{path}.to.score", self.out)
            if x0 and x1 and x0.constant is not None and x0.constant == x1.constant:
                self.out.error(
                    path,
                    "线性计分的两个端点相同，无法插值",
                    "the two points of a linear rule coincide",
                )
            for sc, p in ((s0, "from"), (s1, "to")):
                if not 0 <= sc <= points:
                    self.out.error(
                        f"{path}.{p}.score",
                        f"得分 {sc:g} 超出 0–{points:g}",
                        f"score {sc:g} outside 0–{points:g}",
                    )
            return (
                None
                if x0 is None or x1 is None
                else R.LinearRule(**base, x0=x0, x1=x1, s0=s0, s1=s1)
            )
        if isinstance(r, M.TiersRule):
            target = None if r.target is None else self.operand(r.target, f"{path}.target", unit)
            basis = "percent" if r.target is not None else unit
            bands = self.bands(
                r.bands, f"{path}.bands", "score", lambda x: unit_text(x, basis).replace(" ", "")
            )
            for i, b in enumerate(bands):
                sc = _num(b.value, f"{path}.bands[{i}].score", self.out)
                if not 0 <= sc <= points:
                    self.out.error(
                        f"{path}.bands[{i}].score",
                        f"第 {i + 1} 档得分 {sc:g} 超出 0–{points:g}",
                        f"band {i + 1} scores {sc:g}, outside 0–{points:g}",
                    )
                if basis == "percent" and b.low > 1.5 and b.low != float("inf"):
                    self.out.warn(
                        f"{path}.bands[{i}]",
                        f"第 {i + 1} 档从 {unit_text(b.low, 'percent')} 起，比率很难达到——是不是想写 {b.low:g}%？",
                        f"band {i + 1} starts at {b.low * 100:g}% — did you mean {b.low:g}%?",
                    )
            self._monotone(bands, r.direction, f"{path}.bands")
            self._zero_target(target, f"{path}.target")
            bands = tuple(
                Band(
                    b.low,
                    b.high,
                    b.low_inclusive,
                    b.high_inclusive,
                    float(parse_number(b.value, where=path)) if _isnum(b.value) else 0.0,
                    b.label,
                )
                for b in bands
            )
            if r.target is not None and target is None:
                return None
            return R.TiersRule(**base, bands=bands, target=target)
        if isinstance(r, M.PerOccurrenceRule):
            per = _num(r.per, f"{path}.per", self.out, 1.0)
            free = _num(r.free, f"{path}.free", self.out)
            mx = points if r.max is None else _num(r.max, f"{path}.max", self.out, points)
            if per <= 0:
                self.out.error(f"{path}.per", "每次分值必须大于 0", "per must be above 0")
            if free < 0:
                self.out.error(f"{path}.free", "免计次数不能为负", "free must not be negative")
            if mx > points and item_type != "normal":
                self.out.error(
                    f"{path}.max",
                    f"上限 {mx:g} 超过本项分值 {points:g}",
                    f"max {mx:g} above points {points:g}",
                )
            if r.start == "zero" and item_type != "normal":
                self.out.error(
                    f"{path}.start",
                    "start 只用于普通项；加分项/扣分项本来就从 0 累计",
                    "start applies to normal items only",
                )
            return R.PerOccurrenceRule(
                **base, per=per, free=free, max_amount=min(mx, points), start=r.start
            )
        if isinstance(r, M.StepRule):
            target = self.operand(r.target, f"{path}.target", unit)
            step = _num(r.step, f"{path}.step", self.out, 1.0)
            per = _num(r.per, f"{path}.per", self.out, 1.0)
            if step <= 0:
                self.out.error(f"{path}.step", "每档跨度必须大于 0", "step must be above 0")
                step = 1.0
            if per <= 0:
                self.out.error(f"{path}.per", "每档扣分必须大于 0", "per must be above 0")
            return (
                None
                if target is None
                else R.StepRule(
                    **base,
                    target=target,
                    step=step,
                    per=per,
                    direction=r.direction,
                    rounding=r.rounding,
                )
            )
        if isinstance(r, M.RankRule):
            table: list[tuple[int, float]] = []
            seen: set[int] = set()
            for i, rs in enumerate(r.scores):
                sc = _num(rs.score, f"{path}.scores[{i}].score", self.out)
                if rs.rank in seen:
                    self.out.error(
                        f"{path}.scores[{i}]",
                        f"名次 {rs.rank} 重复",
                        f"rank {rs.rank} listed twice",
                    )
                seen.add(rs.rank)
                if not 0 <= sc <= points:
                    self.out.error(
                        f"{path}.scores[{i}].score",
                        f"得分 {sc:g} 超出 0–{points:g}",
                        f"score outside 0–{points:g}",
                    )
                table.append((rs.rank, sc))
            other = _num(r.otherwise, f"{path}.otherwise", self.out)
            return R.RankRule(
                **base,
                table=tuple(table),
                otherwise=other,
                higher=r.direction == "higher",
                group_by=r.group_by,
                ties=r.ties,
            )
        if isinstance(r, M.RatingRule):
            raters = tuple(
                (role, _num(w, f"{path}.raters.{role}", self.out)) for role, w in r.raters.items()
            )
            total = sum(w for _, w in raters)
            if abs(total - 100) < 1e-9:
                # Written as whole percents (30 / 50 / 20), like dimension weights may be.
                raters = tuple((role, w / 100) for role, w in raters)
                total = sum(w for _, w in raters)
            if abs(total - 1.0) > 1e-9:
                shown = " + ".join(f"{role} {w * 100:g}%" for role, w in raters)
                self.out.error(
                    f"{path}.raters",
                    f"评分人权重合计 {total * 100:g}%（{shown}），应为 100%",
                    f"rater weights sum to {total * 100:g}% ({shown}); they must sum to 100%",
                )
            if any(w < 0 for _, w in raters):
                self.out.error(
                    f"{path}.raters", "评分人权重不能为负", "rater weights must not be negative"
                )
            levels: tuple[tuple[str, float], ...] = ()
            if r.levels:
                levels = tuple(
                    (k, _num(v, f"{path}.levels.{k}", self.out)) for k, v in r.levels.items()
                )
                for k, v in levels:
                    if not 0 <= v <= points:
                        self.out.error(
                            f"{path}.levels.{k}",
                            f"等级 {k} 的分值 {v:g} 超出 0–{points:g}",
                            f"level {k} outside 0–{points:g}",
                        )
            scale = (
                points
                if r.levels or r.scale is None
                else _num(r.scale, f"{path}.scale", self.out, points)
            )
            if scale <= 0:
                self.out.error(f"{path}.scale", "评分满分必须大于 0", "scale must be above 0")
                scale = points or 1.0
            return R.RatingRule(
                **base, raters=raters, scale=scale, missing_policy=r.missing, levels=levels
            )
        if isinstance(r, M.FormulaRule):
            op = self.operand(r.score, f"{path}.score", "score")
            return None if op is None else R.FormulaRule(**base, score=op)
        return None  # pragma: no cover - the discriminated union admits no other kind

    def _monotone(self, bands: tuple[Band, ...], direction: str, path: str) -> None:
        """Warn when a better value earns fewer points than a worse one (often a typo)."""
        order = sorted(range(len(bands)), key=lambda i: (bands[i].low, not bands[i].low_inclusive))
        for a, b in itertools.pairwise(order):
            if not (_isnum(bands[a].value) and _isnum(bands[b].value)):
                return
            sa, sb = (
                parse_number(bands[a].value, where=path),
                parse_number(bands[b].value, where=path),
            )
            worse = sb < sa if direction == "higher" else sb > sa
            if worse:
                want = "越高越好" if direction == "higher" else "越低越好"
                self.out.warn(
                    f"{path}[{b}]",
                    f"方向为“{want}”，但第 {b + 1} 档 {bands[b].describe()} 得 {sb:g} 分，"
                    f"第 {a + 1} 档 {bands[a].describe()} 得 {sa:g} 分；如非有意，请检查分值或 direction",
                    f"direction {direction!r}, but band {b + 1} scores {sb:g} and band {a + 1} scores {sa:g}",
                )
                return

    def _zero_target(self, target: R.Operand | None, path: str) -> None:
        if target is not None and target.constant == 0:
            self.out.warn(
                path,
                "目标为 0：完成率无法计算，该项将显示为缺失",
                "a target of zero: attainment cannot be computed",
            )

    # -- whole scheme
