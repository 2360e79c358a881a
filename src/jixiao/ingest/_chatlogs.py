"""Customer-service KPIs computed from raw chat and order logs.

The definitions are written down in docs/import.md ("客服指标的计算口径"); this module is
their implementation, one vectorised Polars pass over the messages:

* messages of one conversation are ordered by time (file order breaks ties); auto-replies and
  system messages are removed before anything else;
* a *block* is a run of consecutive customer messages; its reply is the next human agent
  message in the same conversation; the block belongs to the agent who replied, or, if
  nobody did, to the agent the customer wrote to (the ``agent`` cell of the first message in
  the block, else the last agent who spoke in the conversation);
* response time of a block = reply time − first message of the block, capped per pair, and
  left out when the reply falls on a later calendar day;
* consultations, after-sale contacts and order attribution come from ``join_asof`` on time
  per customer, so each order is attributed to at most one agent (never double-counted).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from jixiao.ingest._errors import IngestError
from jixiao.ingest._mapping import AccountMap

__all__ = ["DEFAULT_FORBIDDEN", "KPI_COLUMNS", "ChatKpiConfig", "ChatKpis", "compute_cs_kpis"]

# Seeds (001 客服聊天质检 / 002): 禁忌用词 哦 恩 噢 喔 啊 喂 哎, 不知道, 我要下班了, and 你 where 您
# is required.
DEFAULT_FORBIDDEN: tuple[str, ...] = (
    "哦",
    "恩",
    "噢",
    "喔",
    "啊",
    "喂",
    "哎",
    "不知道",
    "我要下班了",
    "你",
)

KPI_COLUMNS: tuple[str, ...] = (
    "served_customers",
    "replied_customers",
    "reply_rate",
    "response_pairs",
    "first_response_seconds",
    "avg_response_seconds",
    "inquiries",
    "paid_buyers",
    "consult_conversion_rate",
    "sales",
    "avg_order_value",
    "refunded_buyers",
    "refund_amount",
    "refund_rate",
    "violation_count",
)

_RATE_Q = Decimal("0.0001")
_SEC_Q = Decimal("0.01")
_MONEY_Q = Decimal("0.01")


@dataclass(frozen=True)
class ChatKpiConfig:
    period: str  # YYYY-MM, calendar month in the shop's local time
    window_hours: int = 72  # inquiry → payment
    after_sale_days: int = 15  # a contact within this many days after a payment is after-sale
    response_cap_seconds: int = 600  # one slow pair cannot dominate the average
    forbidden_phrases: tuple[str, ...] = DEFAULT_FORBIDDEN

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        m = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", self.period)
        if not m:
            raise IngestError(f"考核期“{self.period}”格式不对；请写成 YYYY-MM，例如 2026-10")
        y, mo = int(m.group(1)), int(m.group(2))
        start = dt.datetime(y, mo, 1)
        return start, start + dt.timedelta(days=calendar.monthrange(y, mo)[1])

    def check(self) -> None:
        self.bounds()
        if self.window_hours <= 0 or self.after_sale_days < 0 or self.response_cap_seconds <= 0:
            raise IngestError("转化窗口、售后天数与响应时间上限必须是正数")
        if any(not p.strip() for p in self.forbidden_phrases):
            raise IngestError("禁忌用语列表中有空白项；请删除空行")


@dataclass(frozen=True)
class ChatKpis:
    period: str
    table: pl.DataFrame  # employee, name, period, KPI_COLUMNS
    unmatched_accounts: tuple[tuple[str, int], ...]  # (sub-account, customer blocks), not in output
    unattributed_blocks: int  # customer blocks no agent could be found for
    warnings: tuple[str, ...] = field(default=())


def _sorted_messages(chats: pl.DataFrame, phrases: Sequence[str]) -> pl.DataFrame:
    lf = chats.lazy().rename({"conversation": "conv"})
    if "violations" not in chats.columns:
        pattern = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        count = pl.col("text").str.count_matches(pattern).fill_null(0) if pattern else pl.lit(0)
        lf = lf.with_columns(
            pl.when(pl.col("is_customer"))
            .then(0)
            .otherwise(count)
            .cast(pl.UInt32)
            .alias("violations")
        )
    msgs = lf.select("conv", "customer", "agent", "is_customer", "ts", "violations").collect()
    # Exports usually list messages conversation by conversation in time order; checking that
    # costs one comparison per row, sorting 10 M rows costs seconds.
    conv, ts = pl.col("conv"), pl.col("ts")
    ordered = msgs.select(
        ((conv >= conv.shift(1)) & ((conv != conv.shift(1)) | (ts >= ts.shift(1))))
        .fill_null(True)
        .all()
    ).item()
    if ordered:
        return msgs
    # Stable sort (same timestamp: file order). Conversations as integer codes first: sorting
    # 10 M strings costs several times more than one hashing pass plus an integer sort.
    coded = msgs.with_columns(pl.col("conv").cast(pl.Categorical).to_physical())
    return coded.sort(["conv", "ts"], maintain_order=True)


def _blocks(msgs: pl.LazyFrame) -> pl.LazyFrame:
    cust = pl.col("is_customer")
    conv = pl.col("conv")
    agent_row = ~cust
    same_prev = (conv == conv.shift(1)).fill_null(False)
    start = cust & ~(same_prev & cust.shift(1).fill_null(False))
    nxt_conv = pl.when(agent_row).then(conv).fill_null(strategy="backward")
    prv_conv = pl.when(agent_row).then(conv).fill_null(strategy="forward")
    replied = (nxt_conv == conv).fill_null(False)
    return (
        msgs.with_columns(
            start.alias("start"),
            pl.when(replied)
            .then(pl.when(agent_row).then(pl.col("ts")).fill_null(strategy="backward"))
            .alias("reply_ts"),
            pl.when(replied)
            .then(pl.when(agent_row).then(pl.col("agent")).fill_null(strategy="backward"))
            .alias("reply_agent"),
            pl.when((prv_conv == conv).fill_null(False))
            .then(pl.when(agent_row).then(pl.col("agent")).fill_null(strategy="forward"))
            .alias("prev_agent"),
        )
        .filter(pl.col("start"))
        .select(
            "conv",
            pl.col("customer").str.strip_chars(),
            pl.col("ts").alias("t0"),
            "reply_ts",
            pl.coalesce("reply_agent", "agent", "prev_agent").alias("owner"),
            (pl.col("conv") != pl.col("conv").shift(1)).fill_null(True).alias("first_block"),
        )
    )


def _customer_codes(
    blocks: pl.DataFrame, orders: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Customers as u32 codes shared by chats and orders: grouping, counting distinct and
    as-of joins on integers instead of millions of strings (one hashing pass)."""
    n = blocks.height
    both = pl.concat([blocks.get_column("customer"), orders.get_column("buyer").str.strip_chars()])
    codes = both.cast(pl.Categorical).to_physical()
    return (
        blocks.with_columns(codes.slice(0, n).alias("customer")),
        orders.with_columns(codes.slice(n).alias("buyer")),
    )


def _employee_lut(
    accounts: Sequence[str], mapping: AccountMap | None
) -> tuple[pl.DataFrame, list[str]]:
    emp: list[str | None] = []
    names: list[str | None] = []
    unknown: list[str] = []
    for a in accounts:
        if mapping is None:
            emp.append(a)
            names.append(None)
            continue
        look = mapping.by_account(a)
        emp.append(look.employee)
        names.append(look.name)
        if look.employee is None:
            unknown.append(a)
    lut = pl.DataFrame(
        {"owner": list(accounts), "employee": emp, "name": names},
        schema={"owner": pl.String, "employee": pl.String, "name": pl.String},
    )
    return lut, unknown


def compute_cs_kpis(
    chats: pl.DataFrame,
    orders: pl.DataFrame,
    config: ChatKpiConfig,
    *,
    mapping: AccountMap | None = None,
) -> ChatKpis:
    """Per employee (sub-accounts mapped through ``mapping``) KPIs for ``config.period``.

    ``chats``: conversation, customer, agent, is_customer, ts, and either ``violations`` (the
    count read_chats makes) or ``text``, in file order;
    ``orders``: order_id, buyer, amount, created, paid, refunded, refund_amount."""
    config.check()
    start, end = config.bounds()
    in_period = pl.col("t0").is_between(start, end, closed="left")
    msgs = _sorted_messages(chats, config.forbidden_phrases)
    blocks_all = _blocks(msgs.lazy()).collect()
    blocks_all, orders = _customer_codes(blocks_all, orders)
    agent_msgs = msgs.filter(
        ~pl.col("is_customer") & pl.col("ts").is_between(start, end, closed="left")
    )
    per_agent = agent_msgs.group_by("agent").agg(
        pl.col("violations").sum().alias("violation_count")
    )
    accounts = sorted(
        set(blocks_all.get_column("owner").drop_nulls().unique().to_list())
        | set(per_agent.get_column("agent").drop_nulls().to_list())
    )
    lut, unknown = _employee_lut(accounts, mapping)
    blocks = blocks_all.join(lut, on="owner", how="left")
    unattributed = blocks.filter(pl.col("owner").is_null() & in_period).height
    unmatched = (
        blocks.filter(pl.col("owner").is_in(unknown) & in_period)
        .group_by("owner")
        .len()
        .sort("owner")
    )
    known = blocks.filter(pl.col("employee").is_not_null())
    period_blocks = known.filter(in_period)
    cap = config.response_cap_seconds
    answered = pl.col("reply_ts").is_not_null()
    same_day = pl.col("reply_ts").dt.date() == pl.col("t0").dt.date()
    # Integer milliseconds: exact sums; the division happens once, in Decimal, in _finish.
    secs = (pl.col("reply_ts") - pl.col("t0")).dt.total_milliseconds().clip(upper_bound=cap * 1000)

    served = period_blocks.group_by("employee").agg(
        pl.col("customer").n_unique().alias("served_customers"),
        pl.col("customer").filter(answered).n_unique().alias("replied_customers"),
        answered.and_(same_day).sum().alias("response_pairs"),
        secs.filter(answered & same_day).sum().alias("_resp_sum"),
        secs.filter(answered & same_day & pl.col("first_block")).sum().alias("_first_sum"),
        (answered & same_day & pl.col("first_block")).sum().alias("_first_n"),
    )

    # Consultations: an agent's first block with a customer on a calendar day.
    consult = (
        known.group_by("employee", "customer", pl.col("t0").dt.date().alias("day"))
        .agg(pl.col("t0").min())
        .sort("t0")
    )
    paid = orders.filter(pl.col("paid").is_not_null())
    last_paid = paid.select(
        pl.col("buyer").alias("customer"), pl.col("paid").alias("last_paid")
    ).sort("last_paid")
    consult = consult.join_asof(
        last_paid,
        left_on="t0",
        right_on="last_paid",
        by="customer",
        strategy="backward",
        allow_exact_matches=False,
        check_sortedness=False,
    )
    after_sale = (pl.col("t0") - pl.col("last_paid")) <= pl.duration(days=config.after_sale_days)
    presale = consult.filter(~after_sale.fill_null(False)).select("employee", "customer", "t0")
    inquiries = (
        presale.filter(in_period)
        .group_by("employee")
        .agg(pl.col("customer").n_unique().alias("inquiries"))
    )

    attributed = (
        paid.sort("created")
        .join_asof(
            presale.rename({"customer": "buyer"}).sort("t0"),
            left_on="created",
            right_on="t0",
            by="buyer",
            strategy="backward",
            check_sortedness=False,
        )
        .filter(
            pl.col("t0").is_not_null()
            & in_period
            & (pl.col("paid") >= pl.col("t0"))
            & ((pl.col("paid") - pl.col("t0")) <= pl.duration(hours=config.window_hours))
        )
    )
    refunded = pl.col("refunded").is_not_null() & (pl.col("refunded") < end)
    sales = attributed.group_by("employee").agg(
        pl.col("buyer").n_unique().alias("paid_buyers"),
        pl.col("amount").sum().alias("sales"),
        pl.col("buyer").filter(refunded).n_unique().alias("refunded_buyers"),
        pl.coalesce("refund_amount", "amount").filter(refunded).sum().alias("refund_amount"),
    )

    violations = (
        per_agent.join(lut.rename({"owner": "agent"}), on="agent", how="inner")
        .filter(pl.col("employee").is_not_null())
        .group_by("employee")
        .agg(pl.col("violation_count").sum())
    )
    names = (
        lut.filter(pl.col("employee").is_not_null())
        .group_by("employee")
        .agg(pl.col("name").drop_nulls().first())
    )
    people = pl.concat(
        [f.select("employee") for f in (served, inquiries, sales, violations)]
    ).unique()
    merged = (
        people.join(names, on="employee", how="left")
        .join(served, on="employee", how="left")
        .join(inquiries, on="employee", how="left")
        .join(sales, on="employee", how="left")
        .join(violations, on="employee", how="left")
        .sort("employee")
    )
    table = _finish(merged, config.period)
    warnings = []
    if mapping is None:
        warnings.append(
            "未提供子账号映射表：employee 列填的是子账号本身；请用 --mapping 对应到员工编号"
        )
    if unattributed:
        warnings.append(
            f"{unattributed} 个买家消息段既没有客服回复也没有接待子账号，未计入任何客服"
        )
    return ChatKpis(
        config.period,
        table,
        tuple((str(a), int(n)) for a, n in unmatched.iter_rows()),
        unattributed,
        tuple(warnings),
    )


def _ratio(num: object, den: object, q: Decimal) -> Decimal | None:
    if num is None or not den:
        return None
    return (Decimal(str(num)) / Decimal(str(den))).quantize(q, ROUND_HALF_UP)


def _finish(merged: pl.DataFrame, period: str) -> pl.DataFrame:
    rows = []
    for r in merged.iter_rows(named=True):
        served = r["served_customers"] or 0
        pairs = r["response_pairs"] or 0
        paid_buyers = r["paid_buyers"] or 0
        sales = r["sales"] if r["sales"] is not None else Decimal(0)
        refund = r["refund_amount"] if r["refund_amount"] is not None else Decimal(0)
        rows.append(
            {
                "employee": r["employee"],
                "name": r["name"],
                "period": period,
                "served_customers": served,
                "replied_customers": r["replied_customers"] or 0,
                "reply_rate": _ratio(r["replied_customers"] or 0, served, _RATE_Q),
                "response_pairs": pairs,
                "first_response_seconds": _ratio(
                    r["_first_sum"], (r["_first_n"] or 0) * 1000, _SEC_Q
                ),
                "avg_response_seconds": _ratio(r["_resp_sum"], pairs * 1000, _SEC_Q),
                "inquiries": r["inquiries"] or 0,
                "paid_buyers": paid_buyers,
                "consult_conversion_rate": _ratio(paid_buyers, r["inquiries"], _RATE_Q),
                "sales": Decimal(sales).quantize(_MONEY_Q, ROUND_HALF_UP),
                "avg_order_value": _ratio(sales, paid_buyers, _MONEY_Q),
                "refunded_buyers": r["refunded_buyers"] or 0,
                "refund_amount": Decimal(refund).quantize(_MONEY_Q, ROUND_HALF_UP),
                "refund_rate": _ratio(r["refunded_buyers"] or 0, paid_buyers, _RATE_Q),
                "violation_count": r["violation_count"] or 0,
            }
        )
    dec = pl.Decimal(38, 6)
    schema: dict[str, pl.DataType] = {
        "employee": pl.String(),
        "name": pl.String(),
        "period": pl.String(),
    }
    for c in KPI_COLUMNS:
        schema[c] = dec if c in _DECIMAL_COLUMNS else pl.Int64()
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


_DECIMAL_COLUMNS = frozenset(
    {
        "reply_rate",
        "first_response_seconds",
        "avg_response_seconds",
        "consult_conversion_rate",
        "sales",
        "avg_order_value",
        "refund_amount",
        "refund_rate",
    }
)
