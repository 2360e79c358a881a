"""rank: 小组排名第 1 名得满分，第 2 名得…… — a score table by place, with a tie policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
from pydantic import Field

from jixiao.engine._checks import num
from jixiao.engine._numfmt import fmt_expr
from jixiao.engine.kinds._base import (
    NULL,
    Compiler,
    Doc,
    Kind,
    Number,
    RuleDoc,
    Site,
    VectorContext,
    lit,
    s,
)

__all__ = ["RankKind", "RankRule", "RankScore"]

UNRANKED = {
    "zh": "：本期不参与考核，不参加排名",
    "en": ": not appraised this period, so not ranked",
}
NO_GROUP = {"zh": "：没有分组，无法组内排名", "en": ": no group, so no rank within a group"}


class RankScore(Doc):
    rank: int = Field(ge=1)
    score: Number


class RankRule(RuleDoc):
    """Rank within a group (小组排名第 1 名 → full …) with an explicit tie policy."""

    kind: Literal["rank"]
    scores: list[RankScore] = Field(min_length=1)
    otherwise: Number = 0
    direction: Literal["higher", "lower"] = "higher"
    group_by: str | None = Field(
        "group", description="data column holding the group; null ranks everyone together"
    )
    ties: Literal["min", "max", "dense"] = Field(
        "min",
        description="min: tied people share the best rank (1,1,3); max: the worst (2,2,3); dense: 1,1,2",
    )


@dataclass(frozen=True)
class RankKind(Kind):
    kind = "rank"
    doc = RankRule

    table: tuple[tuple[int, float], ...] = ()
    otherwise: float = 0.0
    higher: bool = True
    group_by: str | None = "group"
    ties: str = "min"

    @classmethod
    def from_doc(cls, doc: RankRule, site: Site, c: Compiler) -> RankKind:
        path, points = site.path, site.points
        table: list[tuple[int, float]] = []
        seen: set[int] = set()
        for i, rs in enumerate(doc.scores):
            sc = num(rs.score, f"{path}.scores[{i}].score", c.out)
            if rs.rank in seen:
                c.out.error(
                    f"{path}.scores[{i}]", f"名次 {rs.rank} 重复", f"rank {rs.rank} listed twice"
                )
            seen.add(rs.rank)
            if not 0 <= sc <= points:
                c.out.error(
                    f"{path}.scores[{i}].score",
                    f"得分 {sc:g} 超出 0–{points:g}",
                    f"score outside 0–{points:g}",
                )
            table.append((rs.rank, sc))
        return cls(
            points,
            site.item_type,
            site.unit,
            table=tuple(table),
            otherwise=num(doc.otherwise, f"{path}.otherwise", c.out),
            higher=doc.direction == "higher",
            group_by=doc.group_by,
            ties=doc.ties,
        )

    def group_columns(self) -> tuple[str, ...]:
        return () if self.group_by is None else (self.group_by,)

    def _group(self, ctx: VectorContext) -> pl.Expr | None:
        # A data file without a ``group`` column ranks everyone together.
        if self.group_by is None or (self.group_by == "group" and not ctx.group_present):
            return None
        return pl.col(self.group_by)

    def value_mask(self, ctx: VectorContext) -> pl.Expr:
        # People not appraised this period, or without a group when ranking within groups,
        # take no place in a ranking.
        group = self._group(ctx)
        return ctx.eligible if group is None else ctx.eligible & group.is_not_null()

    def parts(self, v: pl.Expr, ctx: VectorContext) -> dict[str, pl.Expr]:
        group = self._group(ctx)
        rank = v.rank(method=self.ties, descending=self.higher)  # type: ignore[arg-type]
        if group is not None:
            rank = rank.over(group)
        return {
            "rank": rank.cast(pl.Float64),
            "group": group.cast(pl.String) if group is not None else s(""),
            "plain": ctx.plain_value,
            "eligible": ctx.eligible,
        }

    def raw(self, p: Mapping[str, pl.Expr]) -> pl.Expr:
        expr: Any = pl.when(p["rank"].is_null()).then(NULL)
        for r, sc in self.table:
            expr = expr.when(p["rank"] == r).then(lit(sc))
        return expr.otherwise(lit(self.otherwise))

    def detail(self, p: Mapping[str, pl.Expr], lang: str) -> pl.Expr:
        rank = fmt_expr(p["rank"])
        if lang == "zh":
            overall = pl.concat_str([s("，全体排第 "), rank, s(" 名")])
            grouped = pl.concat_str([s("，在 "), p["group"], s(" 组内排第 "), rank, s(" 名")])
        else:
            overall = pl.concat_str([s(", rank "), rank, s(" overall")])
            grouped = pl.concat_str([s(", rank "), rank, s(" in group "), p["group"]])
        # Ranked within a group only when there was one to rank in.
        no_group = p["group"].is_null() | (p["group"] == "")
        return pl.when(no_group).then(overall).otherwise(grouped)

    def reason(
        self, p: Mapping[str, pl.Expr], default: pl.Expr, detail: pl.Expr, lang: str
    ) -> pl.Expr:
        # A value that is there but not ranked: the person is not appraised, or has no group.
        return (
            pl.when(p["plain"].is_null())
            .then(default)
            .when(p["eligible"])
            .then(s(NO_GROUP[lang]))
            .otherwise(s(UNRANKED[lang]))
        )
