"""The pieces every plan document model is built from: frozen models, exact numbers and
expression text. Each component kind's own model lives with the kind (``jixiao.pay.kinds``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from jixiao.pay._num import fmt, to_decimal

__all__ = ["Band", "ComponentModel", "Expr", "Frozen", "Number"]


def _number(raw: Any) -> Decimal:
    try:
        return to_decimal(raw)
    except ValueError:
        raise ValueError(f"{raw!r} 不是数值（例如 1800、0.5、2%） / not a number") from None


Number = Annotated[
    Decimal,
    BeforeValidator(_number),
    PlainSerializer(lambda d: fmt(d), return_type=str, when_used="json"),
]
Band = dict[str, Any]


def _expr_text(raw: Any) -> Any:
    # `times: 500` or `weight: 1` in YAML are numbers; expressions are text.
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float | Decimal):
        return fmt(to_decimal(raw))
    return raw


Expr = Annotated[str, BeforeValidator(_expr_text)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ComponentModel(Frozen):
    """What every component has; each kind adds ``kind: Literal[...]`` and its own fields."""

    kind: str
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    when: Expr | None = None
    memo: bool = False
    description: str = ""
