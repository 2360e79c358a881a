"""What a pay component kind is, and the tools every kind shares.

A kind is one class (one module in this package, one line in the registry) owning:

* ``model`` — its pydantic document model (the fields a plan writes for it);
* :meth:`Kind.check` — its checks, done once when a plan is compiled;
* :meth:`Kind.parts` and :meth:`Kind.amount` — its vectorised Polars expressions: the named
  intermediate columns ("parts") for every employee at once, then the unrounded amount;
* :meth:`Kind.trace` — its wording, built column-wise from those same parts;
* :meth:`Kind.failure` — why a row's amount could not be computed, read from its parts.

Nothing outside a kind's module branches on the kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl

from jixiao.formula import Band, Node, Num, Type, Var, band_index_expr, to_decimal_expr, variables
from jixiao.pay._model import ComponentModel
from jixiao.pay._num import DEC, fmt, pct

if TYPE_CHECKING:
    from jixiao.pay._compiled import CompiledComponent

__all__ = [
    "DIV0",
    "Checks",
    "Kind",
    "Parts",
    "PoolSummary",
    "Texts",
    "Vec",
    "concat",
    "fmt2_expr",
    "fmt_expr",
    "label",
    "pick",
    "rate_text",
]

LABELS = {
    "score": "得分",
    "grade": "等级",
    "rank": "排名",
    "group_rank": "组内排名",
    "group": "组别",
}
DIV0 = ("除数为 0", "division by zero")
Texts = tuple[pl.Expr, pl.Expr]


def label(name: str) -> str:
    """How a trace names an input: the built-in result names in Chinese, the rest as written."""
    return LABELS.get(name, name)


def fmt_expr(x: pl.Expr) -> pl.Expr:
    """:func:`jixiao.pay._num.fmt` over a column: plain text without trailing zeros. At scale
    10 the text always has a decimal point, so stripping zeros never eats an integer's own
    (and Polars has no negative zero to strip a sign from)."""
    return x.cast(DEC).cast(pl.String).str.strip_chars_end("0").str.strip_chars_end(".")


def fmt2_expr(x: pl.Expr) -> pl.Expr:
    """``fmt(x, 2)`` over a column: two decimals, half away from zero (never "-0.00")."""
    return x.round(2, mode="half_away_from_zero").cast(pl.Decimal(38, 2)).cast(pl.String)


def concat(*pieces: pl.Expr | str) -> pl.Expr:
    """One text column from literal strings and text columns."""
    return pl.concat_str([p if isinstance(p, pl.Expr) else pl.lit(p) for p in pieces])


def pick(index: pl.Expr, texts: Sequence[str | pl.Expr]) -> pl.Expr:
    """``texts[index]`` per row (null where the index is null)."""
    out: Any = pl
    for i, t in enumerate(texts):
        out = out.when(index == i).then(t if isinstance(t, pl.Expr) else pl.lit(t))
    return out.otherwise(pl.lit(None, dtype=pl.String))


@dataclass(frozen=True)
class PoolSummary:
    code: str
    name: str
    amount: Decimal
    groups: tuple[tuple[str, Decimal], ...]
    distributed: Decimal

    @property
    def undistributed(self) -> Decimal:
        return self.amount - self.distributed


class Parts:
    """The intermediate columns of one component, e.g. ``parts["base"]``."""

    def __init__(self, index: int) -> None:
        self.prefix = f"\x00{index}:"

    def name(self, part: str) -> str:
        return self.prefix + part

    def __getitem__(self, part: str) -> pl.Expr:
        return pl.col(self.prefix + part)

    def num(self, node: Node) -> pl.Expr:
        """A formula over parts (``Var("base")`` reads the part ``base``): the Decimal backend's
        own arithmetic, so a kind computes exactly like a formula would."""
        return to_decimal_expr(node, self.__getitem__)


@dataclass
class Vec:
    """The vectorised evaluation of one payroll: parameters are literals (the same for
    everyone), everything else a column of ``frame``."""

    params: Mapping[str, Decimal]
    types: Mapping[str, Type]
    approvals: Collection[str] = ()
    pools: list[PoolSummary] = field(default_factory=list)
    #: What a kind worked out once for the whole run and its traces reuse (a pool's split).
    notes: dict[str, Any] = field(default_factory=dict)

    def col(self, name: str) -> pl.Expr:
        if name in self.params:
            return to_decimal_expr(Num.of(self.params[name]))
        return pl.col(name)

    def num(self, node: Node) -> pl.Expr:
        return to_decimal_expr(node, self.col)

    def value_text(self, name: str) -> pl.Expr:
        """A variable's value as a trace shows it (numbers without trailing zeros)."""
        if name in self.params:
            return pl.lit(fmt(self.params[name]))
        if self.types.get(name) == "text":
            return pl.col(name)
        return fmt_expr(pl.col(name))

    def vars(self, node: Node) -> pl.Expr:
        """The values a trace shows, e.g. ``得分 86.5，底薪 1800`` (names in sorted order)."""
        pieces: list[pl.Expr | str] = []
        for i, n in enumerate(sorted(variables(node))):
            pieces += ["，" if i else "", f"{label(n)} ", self.value_text(n)]
        return concat(*pieces) if pieces else pl.lit("")

    def term(self, src: str, node: Node, value: pl.Expr) -> pl.Expr:
        """``底薪 1800.00`` for a plain name, ``500.00`` for a constant,
        ``expr（vars）1800.00`` otherwise."""
        if isinstance(node, Var):
            return concat(f"{label(node.name)} ", fmt2_expr(value))
        if not variables(node):
            return fmt2_expr(value)
        return concat(f"{src}（", self.vars(node), "）", fmt2_expr(value))

    @staticmethod
    def band_index(bands: Sequence[Band], x: pl.Expr) -> pl.Expr:
        return band_index_expr(bands, x, exact=True)

    @staticmethod
    def band_value(bands: Sequence[Band], index: pl.Expr) -> pl.Expr:
        out: Any = pl
        for i, b in enumerate(bands):
            out = out.when(index == i).then(pl.lit(b.value, dtype=DEC))
        return out.otherwise(pl.lit(None, dtype=DEC))

    @staticmethod
    def band_texts(bands: Sequence[Band], index: pl.Expr) -> pl.Expr:
        return pick(index, [b.describe() for b in bands])


def rate_text(bands: Sequence[Band], index: pl.Expr, percent: bool = True) -> pl.Expr:
    return pick(index, [pct(b.value) if percent else fmt(b.value) for b in bands])


class Checks(ABC):
    """What a kind may ask of the plan checker (see ``jixiao.pay._compile``)."""

    types: dict[str, Type]
    params: dict[str, Decimal]
    where: str

    @abstractmethod
    def expr(self, path: str, src: str | None, want: Type, *, aggregates: bool = False) -> None:
        """Parse and type-check ``src`` (the field at ``path``); problems become issues."""

    @abstractmethod
    def node(self, path: str) -> Node | None:
        """The checked expression of ``path`` (``None`` if it had a problem)."""

    @abstractmethod
    def bands(
        self, raw: list[dict[str, Any]], path: str, value_key: str, domain: Any = None
    ) -> list[Band]:
        """A band table with exact bounds; overlaps, gaps and bad rows become issues."""

    @abstractmethod
    def number_bands(self, bands: list[Band], path: str) -> tuple[Band, ...] | None:
        """The same bands with exact ``Decimal`` values (``None`` if a value is no number)."""

    @abstractmethod
    def issue(self, path: str, message: str, message_en: str) -> None:
        """Report a problem at ``path`` (relative to the component)."""

    @abstractmethod
    def use(self, name: str) -> None:
        """Record that the plan reads the input ``name``."""


class Kind(ABC):
    """One component kind; see the module docstring for what each method owns."""

    name: ClassVar[str]
    model: ClassVar[type[ComponentModel]]
    #: ``True`` when the kind reads ``when`` itself (a pool: who shares in it).
    own_when: ClassVar[bool] = False

    @abstractmethod
    def check(self, spec: Any, ck: Checks) -> tuple[tuple[Band, ...], tuple[Any, ...]]:
        """Register the kind's expressions with ``ck``; return its band table and any per-line
        band tables (empty when it has none)."""

    @abstractmethod
    def parts(self, comp: CompiledComponent, v: Vec, frame: pl.DataFrame) -> dict[str, pl.Expr]:
        """The named intermediate columns, for every employee at once."""

    @abstractmethod
    def amount(self, comp: CompiledComponent, p: Parts) -> pl.Expr:
        """The unrounded amount from the parts; null where it cannot be computed."""

    @abstractmethod
    def trace(self, comp: CompiledComponent, v: Vec, p: Parts, amount: pl.Expr) -> Texts:
        """The Chinese and English traces; ``amount`` is the rounded amount as text."""

    def manual_entry(self, spec: Any, inputs: Collection[str]) -> tuple[str, str | None] | None:
        """For a kind whose amount a manager types in per person (a one-off reward or
        penalty): the input column of the amount and of the reason (``None`` if none).
        ``inputs`` are the plan's input names; other kinds return ``None``."""
        return None

    def failure(self, comp: CompiledComponent, row: Mapping[str, Any]) -> tuple[str, str]:
        """Why the amount of ``row`` (its parts by name) is missing: by default a division
        by zero, the only way a formula over present inputs comes out missing."""
        return DIV0
