"""Reading raw chat and order logs (CSV, possibly millions of rows) into typed frames.

Logs are large, so they go straight to Polars' multi-threaded CSV reader, which validates
UTF-8 strictly (a BOM is accepted); only a file that is not UTF-8 is decoded from GB18030 in
Python first. Rows that cannot be used (no conversation, unknown sender role, unreadable time
or amount) are rejected and reported with their row numbers; they are never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl

from jixiao.files import norm_header, scan_csv
from jixiao.ingest._chatlogs import DEFAULT_FORBIDDEN
from jixiao.ingest._errors import CellIssue, IngestError
from jixiao.ingest._values import DECIMAL, convert_expr

__all__ = ["CHAT_COLUMNS", "ORDER_COLUMNS", "LogFrame", "read_chats", "read_orders"]

CHAT_COLUMNS: dict[str, tuple[str, ...]] = {
    "conversation": ("conversation", "conversation_id", "会话id", "会话编号", "会话"),
    "customer": ("customer", "buyer", "买家", "买家昵称", "顾客", "客户"),
    "agent": ("agent", "sub_account", "客服", "子账号", "客服账号", "旺旺"),
    "role": ("role", "sender_role", "sender", "发送方", "角色", "发送者"),
    "timestamp": ("timestamp", "time", "ts", "时间", "发送时间", "消息时间"),
    "text": ("text", "content", "message", "内容", "消息内容"),
    "auto": ("auto", "auto_reply", "is_auto", "自动回复", "是否自动回复"),
}
ORDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "order_id": ("order_id", "订单号", "订单编号"),
    "buyer": ("buyer", "customer", "买家", "买家昵称", "客户"),
    "amount": ("amount", "金额", "实付金额", "订单金额", "支付金额"),
    "created": ("created", "created_at", "创建时间", "下单时间"),
    "paid": ("paid", "paid_at", "付款时间", "支付时间"),
    "refunded": ("refunded", "refunded_at", "退款时间"),
    "refund_amount": ("refund_amount", "退款金额"),
}
_OPTIONAL = {"text", "auto", "refunded", "refund_amount"}

CUSTOMER_ROLES = ("customer", "buyer", "买家", "顾客", "客户", "c")
AGENT_ROLES = ("agent", "seller", "staff", "客服", "卖家", "a")
SYSTEM_ROLES = ("system", "系统", "s")
_TRUE = ("1", "true", "yes", "y", "是", "t")
_TS_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
)
_MAX_ISSUES = 200
T = TypeVar("T")


@dataclass(frozen=True)
class LogFrame:
    file: str
    frame: pl.DataFrame
    rows_read: int
    rejected: tuple[CellIssue, ...]  # at most 200 listed
    rejected_count: int


def _scan(
    path: Path, spec: dict[str, tuple[str, ...]], max_bytes: int, *, decode: bool = False
) -> tuple[pl.LazyFrame, dict[str, str]]:
    lf, header = scan_csv(path, max_bytes=max_bytes, decode=decode)
    found: dict[str, str] = {}
    for key, aliases in spec.items():
        keys = {norm_header(a) for a in aliases}
        hit = next((h for h in header if norm_header(h) in keys), None)
        if hit is not None:
            found[key] = hit
    missing = [k for k in spec if k not in found and k not in _OPTIONAL]
    if missing:
        want = "；".join(f"{k}（{' / '.join(spec[k][:4])}）" for k in missing)
        raise IngestError(f"{path}：缺少必需的列：{want}。现有表头：{'、'.join(header)}")
    return lf.with_row_index("row", offset=2), found


def _load(
    path: Path,
    spec: dict[str, tuple[str, ...]],
    max_bytes: int,
    build: Callable[[pl.LazyFrame, dict[str, str]], T],
) -> T:
    """Run ``build`` on the file; if Polars finds invalid UTF-8 past the header, decode first."""
    lf, cols = _scan(path, spec, max_bytes)
    try:
        return build(lf, cols)
    except pl.exceptions.ComputeError as exc:
        if "utf-8" not in str(exc).lower() and "utf8" not in str(exc).lower():
            raise IngestError(f"{path}：CSV 格式有误（{exc}）") from None
    lf, cols = _scan(path, spec, max_bytes, decode=True)
    return build(lf, cols)


def _any_format(col: pl.Expr) -> pl.Expr:
    text = col.str.strip_chars()
    return pl.coalesce([text.str.to_datetime(f, strict=False, time_unit="ms") for f in _TS_FORMATS])


def _ts_format(lf: pl.LazyFrame, column: str | None) -> str:
    """The format most of the first 2,000 cells use; parsing one format is 5× faster than
    trying all, and cells in another format are repaired afterwards (``_repair``)."""
    if column is None:
        return _TS_FORMATS[0]
    sample = lf.select(pl.col(column).str.strip_chars()).head(2000).collect().to_series()
    hits = [int(sample.str.to_datetime(f, strict=False).is_not_null().sum()) for f in _TS_FORMATS]
    return _TS_FORMATS[hits.index(max(hits))]


def _timestamp(col: pl.Expr, fmt: str) -> pl.Expr:
    return col.str.strip_chars().str.to_datetime(fmt, strict=False, time_unit="ms")


def _repair(
    typed: pl.DataFrame,
    lf: pl.LazyFrame,
    out: str,
    flag: str,
    raw_col: str | None,
    parse: Callable[[pl.Expr], pl.Expr],
) -> pl.DataFrame:
    """Re-parse with the full ``parse`` the few cells the fast path did not read."""
    if raw_col is None or not typed.get_column(flag).any():
        return typed
    bad = typed.filter(pl.col(flag)).select("row")
    raw = lf.select("row", pl.col(raw_col).alias("raw")).join(bad.lazy(), on="row").collect()
    fixed = raw.select("row", parse(pl.col("raw")).alias(out)).filter(pl.col(out).is_not_null())
    if not fixed.height:
        return typed
    fixed = fixed.with_columns(pl.lit(False).alias(flag))
    return typed.update(fixed, on="row")


def _issues(file: str, bad: pl.DataFrame, reasons: dict[str, tuple[str, str]]) -> list[CellIssue]:
    out: list[CellIssue] = []
    for rec in bad.head(_MAX_ISSUES).iter_rows(named=True):
        for flag, (column, why) in reasons.items():
            if rec.get(flag):
                out.append(CellIssue(file, None, rec["row"], column, rec.get(f"raw_{flag}"), why))
    return out


def read_chats(
    path: str | Path, *, phrases: Sequence[str] = DEFAULT_FORBIDDEN, max_bytes: int = 8 * 2**30
) -> LogFrame:
    """conversation, customer, agent (nullable), is_customer, ts, text, row — human and
    customer messages only; auto-replies and system messages are dropped here."""
    p = Path(path)
    return _load(p, CHAT_COLUMNS, max_bytes, lambda lf, cols: _chats(p, lf, cols, phrases))


def _chats(p: Path, lf: pl.LazyFrame, cols: dict[str, str], phrases: Sequence[str]) -> LogFrame:
    role = pl.col(cols["role"]).str.strip_chars().str.to_lowercase()
    auto = (
        pl.col(cols["auto"]).str.strip_chars().str.to_lowercase().is_in(_TRUE).fill_null(False)
        if "auto" in cols
        else pl.lit(False)
    )
    # Only the compact columns leave the reader: the text is reduced to a count of forbidden
    # phrases per agent message right here, so 10 M message texts are never sorted or kept.
    conv = pl.col(cols["conversation"])
    # Empty CSV cells are already null; sub-account text is stripped where it is looked up
    # (a few dozen distinct accounts), not on 10 M rows.
    agent = pl.col(cols["agent"])
    ts = _timestamp(pl.col(cols["timestamp"]), _ts_format(lf, cols["timestamp"]))
    kind = (
        pl.when(role.is_in(CUSTOMER_ROLES))
        .then(pl.lit(0, pl.Int8))
        .when(role.is_in(AGENT_ROLES))
        .then(pl.lit(1, pl.Int8))
        .when(role.is_in(SYSTEM_ROLES))
        .then(pl.lit(2, pl.Int8))
    )
    text = pl.col(cols["text"]) if "text" in cols else pl.lit("", dtype=pl.String)
    pattern = "|".join(re.escape(x) for x in sorted(phrases, key=len, reverse=True))
    typed = (
        lf.select(
            "row",
            conv.alias("conversation"),
            pl.col(cols["customer"]).alias("customer"),
            agent.alias("agent"),
            kind.alias("kind"),
            auto.alias("auto"),
            ts.alias("ts"),
            (
                pl.when(role.is_in(AGENT_ROLES) & ~auto)
                .then(text.str.count_matches(pattern).fill_null(0))
                .otherwise(0)
                .cast(pl.UInt32)
                if pattern
                else pl.lit(0, pl.UInt32)
            ).alias("violations"),
        )
        .with_columns(
            (pl.col("kind") == 0).fill_null(False).alias("is_customer"),
            (pl.col("kind") == 2).fill_null(False).alias("is_system"),
            pl.col("conversation").is_null().alias("bad_conv"),
            pl.col("kind").is_null().alias("bad_role"),
            pl.col("ts").is_null().alias("bad_ts"),
            ((pl.col("kind") == 1) & pl.col("agent").is_null()).fill_null(False).alias("bad_agent"),
        )
        .collect()
    )
    typed = _repair(typed, lf, "ts", "bad_ts", cols["timestamp"], _any_format)
    rows_read = typed.height
    flags = ["bad_conv", "bad_role", "bad_ts", "bad_agent"]
    any_bad = pl.any_horizontal(flags)
    bad = typed.filter(any_bad)
    rejected: list[CellIssue] = []
    if bad.height:
        raw = (
            lf.select(
                "row",
                pl.col(cols["role"]).alias("raw_bad_role"),
                pl.col(cols["timestamp"]).alias("raw_bad_ts"),
            )
            .join(bad.head(_MAX_ISSUES).lazy().select("row", *flags), on="row")
            .sort("row")
            .collect()
        )
        rejected = _issues(
            str(p),
            raw,
            {
                "bad_conv": (cols["conversation"], "缺少会话编号"),
                "bad_role": (
                    cols["role"],
                    "发送方应为 客服 / 买家 / 系统（agent / customer / system）",
                ),
                "bad_ts": (cols["timestamp"], "时间无法识别，应为 2026-10-01 12:00:05"),
                "bad_agent": (cols["agent"], "客服消息缺少子账号"),
            },
        )
    frame = typed.filter(
        ~any_bad & ~pl.col("is_system") & ~(pl.col("auto") & ~pl.col("is_customer"))
    )
    frame = frame.drop(*flags, "is_system", "auto", "kind")
    missing_customer = frame.filter(pl.col("customer").is_null() & pl.col("is_customer")).height
    if missing_customer:
        raise IngestError(
            f"{p}：有 {missing_customer} 条买家消息缺少买家（customer）列的值；请补全后重新导入"
        )
    return LogFrame(str(p), frame, rows_read, tuple(rejected), bad.height)


def read_orders(path: str | Path, *, max_bytes: int = 4 * 2**30) -> LogFrame:
    """order_id, buyer, amount (Decimal), created, paid, refunded (datetimes), refund_amount."""
    p = Path(path)
    return _load(p, ORDER_COLUMNS, max_bytes, lambda lf, cols: _orders(p, lf, cols))


def _orders(p: Path, lf: pl.LazyFrame, cols: dict[str, str]) -> LogFrame:
    def opt(key: str) -> pl.Expr:
        return pl.col(cols[key]) if key in cols else pl.lit(None, dtype=pl.String)

    def blank(key: str) -> pl.Expr:
        return convert_expr(opt(key), "text").is_null()

    def money_fast(key: str) -> pl.Expr:
        # Plain "123.45" casts directly; "¥1,234" and friends are repaired below.
        return opt(key).str.strip_chars().cast(DECIMAL, strict=False)

    stamps = {
        k: _timestamp(opt(k), _ts_format(lf, cols.get(k))) for k in ("created", "paid", "refunded")
    }
    typed = (
        lf.select(
            "row",
            pl.col(cols["order_id"]).str.strip_chars().alias("order_id"),
            pl.col(cols["buyer"]).str.strip_chars().alias("buyer"),
            money_fast("amount").alias("amount"),
            money_fast("refund_amount").alias("refund_amount"),
            *(e.alias(k) for k, e in stamps.items()),
            *(blank(k).alias(f"blank_{k}") for k in ("paid", "refunded", "refund_amount")),
        )
        .with_columns(
            (pl.col("buyer").is_null() | (pl.col("buyer") == "")).alias("bad_buyer"),
            pl.col("amount").is_null().alias("bad_amount"),
            (pl.col("refund_amount").is_null() & ~pl.col("blank_refund_amount")).alias(
                "bad_refund_amount"
            ),
            pl.col("created").is_null().alias("bad_created"),
            (pl.col("paid").is_null() & ~pl.col("blank_paid")).alias("bad_paid"),
            (pl.col("refunded").is_null() & ~pl.col("blank_refunded")).alias("bad_refunded"),
        )
        .collect(engine="streaming")
    )
    money = lambda e: convert_expr(e, "money").cast(DECIMAL)  # noqa: E731
    for out, key, fn in (
        ("amount", "amount", money),
        ("refund_amount", "refund_amount", money),
        ("created", "created", _any_format),
        ("paid", "paid", _any_format),
        ("refunded", "refunded", _any_format),
    ):
        typed = _repair(typed, lf, out, f"bad_{out}", cols.get(key), fn)
    flags = [
        "bad_buyer",
        "bad_amount",
        "bad_refund_amount",
        "bad_created",
        "bad_paid",
        "bad_refunded",
    ]
    any_bad = pl.any_horizontal(flags)
    bad = typed.filter(any_bad)
    rejected: list[CellIssue] = []
    if bad.height:
        raw_cols = {
            "amount": "amount",
            "refund_amount": "refund_amount",
            "created": "created",
            "paid": "paid",
            "refunded": "refunded",
        }
        raw = (
            lf.select("row", *(opt(k).alias(f"raw_bad_{v}") for k, v in raw_cols.items()))
            .join(bad.head(_MAX_ISSUES).lazy().select("row", *flags), on="row")
            .sort("row")
            .collect()
        )
        rejected = _issues(
            str(p),
            raw,
            {
                "bad_buyer": (cols["buyer"], "缺少买家"),
                "bad_amount": (cols["amount"], "金额无法识别"),
                "bad_refund_amount": (cols.get("refund_amount", ""), "退款金额无法识别"),
                "bad_created": (cols["created"], "下单时间无法识别"),
                "bad_paid": (cols["paid"], "付款时间无法识别"),
                "bad_refunded": (cols.get("refunded", ""), "退款时间无法识别"),
            },
        )
    good = typed.filter(~any_bad)
    dup = good.get_column("order_id").is_duplicated()
    if dup.any():
        first = good.filter(dup).get_column("order_id")[0]
        raise IngestError(
            f"{p}：订单号“{first}”出现了不止一次；每个订单只能有一行（避免重复计算销售额）"
        )
    frame = good.select(
        "order_id", "buyer", "amount", "created", "paid", "refunded", "refund_amount"
    )
    return LogFrame(str(p), frame, typed.height, tuple(rejected), bad.height)
