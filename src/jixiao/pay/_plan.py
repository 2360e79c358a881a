"""Pay plan documents: frozen pydantic models, loaded from YAML or JSON.

A plan is an ordered list of components. Each component's amount is a rule over the inputs, the
appraisal result, plan parameters, lookups and EARLIER components (checked in ``_compile``).
Each component kind's model is its kind's own (``jixiao.pay.kinds``).
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, WithJsonSchema, field_validator

from jixiao.pay._model import ComponentModel, Frozen, Number
from jixiao.pay.kinds import KINDS as _KINDS

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


class Param(Frozen):
    """A plan parameter; ``jixiao pay --param name=value`` overrides it within [min, max]."""

    value: Number
    min: Number | None = None
    max: Number | None = None
    description: str = ""


class InputSpec(Frozen):
    """A per-employee column of the inputs file."""

    name: str
    type: Literal["number", "text"] = "number"
    default: str | int | float | None = None
    description: str = ""


class Lookup(Frozen):
    """A table keyed by a text input, e.g. base pay by level: ``{key: 职级, values: {P1: 3000}}``."""

    key: str
    values: dict[str, Number]
    description: str = ""


# One model per registered kind, told apart by ``kind`` (type checkers see the common base).
if TYPE_CHECKING:
    Component = ComponentModel
else:
    Component = Annotated[
        functools.reduce(operator.or_, [k.model for k in _KINDS]), Field(discriminator="kind")
    ]
KINDS = tuple(k.name for k in _KINDS)


class PayPlan(Frozen):
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
