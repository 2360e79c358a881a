"""Company policy documents: consequence rules over the last N months and results application
tables, as frozen pydantic models (the format is docs/history.md; its JSON Schema is
docs/policy.schema.json)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "ACTIONS",
    "Action",
    "ApplicationTable",
    "Condition",
    "Count",
    "Current",
    "Gaps",
    "GradeEffect",
    "InOrder",
    "Money",
    "Personnel",
    "Policy",
    "PolicyRule",
    "Streak",
    "Test",
    "Threshold",
]

Code = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
GapMode = Literal["break", "skip"]
Bound = Annotated[float | None, Field(default=None, allow_inf_nan=False)]

# Personnel actions: (Chinese, English) shown in traces, proposals and the web.
ACTIONS: dict[str, tuple[str, str]] = {
    "warning": ("警告", "warning"),
    "exit": ("劝退/辞退", "dismissal"),
    "resignation": ("自动请辞（离职）", "resignation"),
    "probation_pay": (
        "下月工资按试用期（实习期）标准",
        "paid at the probation standard next month",
    ),
    "team_leader_candidate": ("可提升为组长", "team leader candidate"),
    "next_month_supervisor": ("担任下一个月的客服主管", "customer service supervisor next month"),
    "promotion_eligible": ("参加晋升", "eligible for promotion"),
    "level_change": ("岗位级别调整", "job level change"),
    "pay_adjustment": ("岗位工资调整", "base pay adjustment"),
    "training": ("培训", "training"),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _decimal(raw: Any) -> Any:
    if raw is None or isinstance(raw, Decimal):
        return raw
    if isinstance(raw, bool):
        raise ValueError("金额应是数字 / the amount must be a number")
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{raw!r} 不是金额（例如 200、-50） / not an amount") from None
    if not value.is_finite():
        raise ValueError(f"{raw!r} 不是金额 / not an amount")
    return value


class Gaps(_Frozen):
    """How a month without a result counts: ``break`` (it ends a streak and counts as not
    meeting the test) or ``skip`` (it is left out, as if the month did not exist). Every kind
    must be stated: a policy never relies on a silent default."""

    leave: GapMode
    not_appraised: GapMode
    no_record: GapMode

    def skipped(self) -> tuple[str, ...]:
        return tuple(
            k for k in ("leave", "not_appraised", "no_record") if getattr(self, k) == "skip"
        )


class Test(_Frozen):
    """A test on one month's result: a field compared with bounds, or ``all`` / ``any`` of tests.

    ``field``: total | rank | group_rank | grade | item (with ``item: <code>``). Numbers use
    ``lt lte gt gte eq ne``; grades use ``in`` / ``not_in`` (``eq`` / ``ne`` take a grade too).
    """

    field: Literal["total", "rank", "group_rank", "grade", "item"] | None = None
    item: str | None = None
    lt: Bound = None
    lte: Bound = None
    gt: Bound = None
    gte: Bound = None
    eq: float | str | None = None
    ne: float | str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    not_in: list[str] | None = None
    all: list[Test] | None = None
    any: list[Test] | None = None

    def bounds(self) -> dict[str, Any]:
        keys = ("lt", "lte", "gt", "gte", "eq", "ne", "in_", "not_in")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}

    @model_validator(mode="after")
    def _shape(self) -> Test:
        combined = [x for x in (self.all, self.any) if x is not None]
        if combined:
            if len(combined) > 1 or self.field is not None or self.bounds():
                raise ValueError("all / any 不能与 field 或比较同时写，也不能同时写 all 和 any")
            if not combined[0]:
                raise ValueError("all / any 至少要有一个条件")
            return self
        if self.field is None:
            raise ValueError("缺少 field（total、rank、group_rank、grade 或 item）")
        if not self.bounds():
            raise ValueError("至少写一个比较：lt、lte、gt、gte、eq、ne，等级用 in / not_in")
        if (self.field == "item") != (self.item is not None):
            raise ValueError("field: item 时必须写 item（考核项代码），其他 field 不能写 item")
        grade = self.field == "grade"
        numeric = {"lt", "lte", "gt", "gte"} & set(self.bounds())
        if grade and numeric:
            raise ValueError("等级不能比较大小；请用 in / not_in（或 eq / ne）")
        if not grade and (self.in_ is not None or self.not_in is not None):
            raise ValueError("in / not_in 只用于 field: grade")
        for key in ("eq", "ne"):
            value = getattr(self, key)
            if value is not None and grade != isinstance(value, str):
                raise ValueError(f"{key}：等级写文本，数值字段写数字")
        return self


class Streak(_Frozen):
    """The test held in each of the last ``periods`` counted months, in a row.

    ``repeat``: ``first`` — fire in the month the streak reaches ``periods`` (once per streak);
    ``every`` — every month while it lasts; ``multiple`` — at ``periods``, 2×, 3× … months."""

    kind: Literal["streak"]
    periods: int = Field(ge=1, le=120)
    repeat: Literal["first", "every", "multiple"] = "first"
    test: Test


class Count(_Frozen):
    """The test held in at least ``at_least`` of the last ``periods`` counted months."""

    kind: Literal["count"]
    periods: int = Field(ge=1, le=120)
    at_least: int = Field(ge=1, le=120)
    test: Test


class Threshold(_Frozen):
    """An aggregate (mean, min, max, sum) of a number over the last ``periods`` counted months,
    compared with bounds. Fires only when all of those months have a result."""

    kind: Literal["threshold"]
    periods: int = Field(ge=1, le=120)
    field: Literal["total", "rank", "group_rank", "item"] = "total"
    item: str | None = None
    aggregate: Literal["mean", "min", "max", "sum"] = "mean"
    lt: Bound = None
    lte: Bound = None
    gt: Bound = None
    gte: Bound = None

    @model_validator(mode="after")
    def _shape(self) -> Threshold:
        if (self.field == "item") != (self.item is not None):
            raise ValueError("field: item 时必须写 item（考核项代码），其他 field 不能写 item")
        if all(getattr(self, k) is None for k in ("lt", "lte", "gt", "gte")):
            raise ValueError("至少写一个比较：lt、lte、gt 或 gte")
        return self


class InOrder(_Frozen):
    """The last ``len(tests)`` counted months meet the tests in order, oldest first (e.g. 001:
    grade D, then next month still below C → probation pay)."""

    kind: Literal["sequence"]
    tests: list[Test] = Field(min_length=2, max_length=12)


class Current(_Frozen):
    """The test holds in the month evaluated (e.g. 每月优秀 → 奖励, 金牌客服 → 下月主管)."""

    kind: Literal["current"]
    test: Test


Condition = Annotated[Streak | Count | Threshold | InOrder | Current, Field(discriminator="kind")]


class Money(_Frozen):
    """A one-off amount (negative for a deduction) proposed for the next payroll run.
    ``amount`` left out: the seed leaves it to the company; HR fills it in when accepting."""

    kind: Literal["money"]
    amount: Annotated[Decimal | None, BeforeValidator(_decimal)] = None
    label: str = Field(min_length=1, max_length=40)
    label_en: str = ""


class Personnel(_Frozen):
    """A change to the employee record proposed to HR (``value`` e.g. ``+1`` for a level)."""

    kind: Literal["personnel"]
    action: Literal[
        "warning",
        "exit",
        "resignation",
        "probation_pay",
        "team_leader_candidate",
        "next_month_supervisor",
        "promotion_eligible",
        "level_change",
        "pay_adjustment",
        "training",
    ]
    value: str | None = None
    label: str = ""
    label_en: str = ""


Action = Annotated[Money | Personnel, Field(discriminator="kind")]


class PolicyRule(_Frozen):
    """A consequence rule: when the condition holds in the month evaluated, each action becomes
    a proposal for HR. ``gaps`` overrides the policy's gap handling for this rule."""

    code: Code
    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    when: Condition
    then: list[Action] = Field(min_length=1)
    gaps: Gaps | None = None


class GradeEffect(_Frozen):
    """One row of a results application table (考核结果应用表)."""

    grade: str = Field(min_length=1)
    training: str | None = None
    promotion: Literal["eligible", "team_leader_candidate"] | None = None
    level_change: int | None = Field(default=None, ge=-10, le=10)
    pay_adjustment: str | None = Field(default=None, pattern=r"^[+-]\d+(\.\d+)?%?$")
    description: str = ""


class ApplicationTable(_Frozen):
    """Grade → training, promotion, level change, pay adjustment, for one scheme (or any)."""

    code: Code
    name: str = Field(min_length=1, max_length=80)
    scheme: str | None = None
    description: str = ""
    grades: list[GradeEffect] = Field(min_length=1)


class Policy(_Frozen):
    """A company policy: rules and application tables over archived monthly results.

    ``schemes``: only results under these schemes count (results under another scheme are
    ``not_appraised`` months for this policy); empty means every scheme."""

    code: Code
    name: str = Field(min_length=1, max_length=80)
    version: str = "1"
    description: str = ""
    schemes: list[str] = Field(default_factory=list)
    gaps: Gaps
    rules: list[PolicyRule] = Field(default_factory=list)
    application: list[ApplicationTable] = Field(default_factory=list)
