"""Pay plan documents: frozen pydantic models, loaded from YAML or JSON.

A plan is an ordered list of components. Each component's amount is a rule over the inputs, the
appraisal result, plan parameters, lookups and EARLIER components (checked in ``_compile``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)

from jixiao.pay._num import fmt, to_decimal


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
_PARAM_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {"type": "string"},
        {
            "type": "object",
            "properties": {
                "value": {"anyOf": [{"type": "number"}, {"type": "string"}]},
                "min": {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]},
                "max": {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]},
                "description": {"type": "string"},
            },
            "required": ["value"],
            "additionalProperties": False,
        },
    ]
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Param(_Frozen):
    """A plan parameter; ``jixiao pay --param name=value`` overrides it within [min, max]."""

    value: Number
    min: Number | None = None
    max: Number | None = None
    description: str = ""


class InputSpec(_Frozen):
    """A per-employee column of the inputs file."""

    name: str
    type: Literal["number", "text"] = "number"
    default: str | int | float | None = None
    description: str = ""


class Lookup(_Frozen):
    """A table keyed by a text input, e.g. base pay by level: ``{key: 职级, values: {P1: 3000}}``."""

    key: str
    values: dict[str, Number]
    description: str = ""


class _Component(_Frozen):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    when: Expr | None = None
    memo: bool = False
    description: str = ""


class Formula(_Component):
    kind: Literal["formula"]
    amount: Expr


class Prorate(_Component):
    """基本工资标准 ÷ 当月应出勤天数 × 当月实际出勤天数."""

    kind: Literal["prorate"]
    base: Expr
    due_days: Expr
    actual_days: Expr


class Forfeit(_Frozen):
    when: Expr
    reason: str


class AttendanceBonus(_Component):
    """Full-attendance bonus: ``base × rate`` unless any forfeit rule holds."""

    kind: Literal["attendance_bonus"]
    base: Expr
    rate: Number = Decimal("0.1")
    forfeit: list[Forfeit] = Field(default_factory=list)


class PerCount(_Component):
    """count × rate; a negative rate is a deduction (迟到 per time, 请假 per day)."""

    kind: Literal["per_count"]
    count: Expr
    rate: Number
    unit: str = "次"


class Tiers(_Component):
    """Coefficient / percentage table on ``on`` (default the total score), times ``times``."""

    kind: Literal["tiers"]
    on: Expr = "score"
    bands: list[Band] = Field(min_length=1)
    times: Expr
    value_name: str = "系数"
    percent: bool = False
    domain: tuple[Number, Number] | None = None


class Piecewise(_Component):
    """A different amount expression per band of ``on`` (each band has ``amount`` instead of value)."""

    kind: Literal["piecewise"]
    on: Expr = "score"
    bands: list[Band] = Field(min_length=1)
    domain: tuple[Number, Number] | None = None


class CommissionLine(_Frozen):
    name: str
    sales: Expr
    rate: Number | None = None
    rates: list[Band] | None = None


class Commission(_Component):
    """Σ sales × rate; each line's rate is flat or from bands on ``tier_on``."""

    kind: Literal["commission"]
    tier_on: Expr | None = None
    tier_label: str = ""
    lines: list[CommissionLine] = Field(min_length=1)


class Pool(_Component):
    """A shared pool split exactly to the cent; ``when`` selects who shares in it."""

    kind: Literal["pool"]
    amount: Expr
    weight: Expr = "1"
    group_by: str | None = None
    shares: dict[str, Number | str] | None = None
    requires_approval: str | None = None


class Adjustment(_Component):
    """One-off reward (+) or penalty (−) entered by a manager, with the reason shown on the slip."""

    kind: Literal["adjustment"]
    amount: Expr
    reason: str | None = None


Component = Annotated[
    Formula
    | Prorate
    | AttendanceBonus
    | PerCount
    | Tiers
    | Piecewise
    | Commission
    | Pool
    | Adjustment,
    Field(discriminator="kind"),
]
KINDS = (
    "formula",
    "prorate",
    "attendance_bonus",
    "per_count",
    "tiers",
    "piecewise",
    "commission",
    "pool",
    "adjustment",
)


class PayPlan(_Frozen):
    """A versioned pay plan (薪酬方案)."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = ""
    applies_to: str = ""
    parameters: dict[str, Annotated[Param, WithJsonSchema(_PARAM_SCHEMA)]] = Field(
        default_factory=dict
    )
    inputs: list[InputSpec] = Field(default_factory=list)
    lookups: dict[str, Lookup] = Field(default_factory=dict)
    components: list[Component] = Field(min_length=1)
    score_default: Number | None = None
    allow_negative: bool = False

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) else v

    @field_validator("parameters", mode="before")
    @classmethod
    def _short_params(cls, v: Any) -> Any:
        # `rate: 2%` is shorthand for `rate: {value: 2%}`.
        if isinstance(v, dict):
            return {k: (x if isinstance(x, dict) else {"value": x}) for k, x in v.items()}
        return v
