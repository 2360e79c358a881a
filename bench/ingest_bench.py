"""Benchmark of data import.

1. 10 M chat messages + 1 M orders (CSV) → every per-agent customer-service KPI
   (target ≤ 8 s, ≤ 3 GB peak RSS on 2 cores), against a straightforward pandas implementation
   of the same definitions, run at full size in the same run (about 25 s, 4 GB here). With
   JIXIAO_BENCH_SAMPLE_MESSAGES below the full size, pandas and jixiao run on that sample and
   the full-size pandas time is the sample time scaled linearly; the output then says so.
   jixiao also runs on a copy of the messages ordered by time instead of by conversation
   (it must sort; the per-conversation export skips the sort).
2. A 200,000-row XLSX customer-service report read and validated by ``plan_import``
   (target ≤ 3 s), against ``pandas.read_excel`` (openpyxl) on a 20,000-row sample, scaled.

Each measured run happens in a fresh child process, so its peak RSS is its own.
Sizes: JIXIAO_BENCH_MESSAGES, JIXIAO_BENCH_ORDERS, JIXIAO_BENCH_SAMPLE_MESSAGES,
JIXIAO_BENCH_XLSX_ROWS, JIXIAO_BENCH_XLSX_SAMPLE; JIXIAO_BENCH_BY_TIME=0 skips the run on a copy
ordered by time instead of by conversation; cache: JIXIAO_BENCH_CACHE
(default /tmp/jixiao-bench-cache; generated files are reused).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

from bench._measure import peak_rss_mb


def _peak_mb() -> float:
    """This process's own high-water RSS. ru_maxrss survives exec (it would report the parent's
    peak after fork), VmHWM belongs to the new address space."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


PERIOD = "2026-10"
AGENTS = 40
PHRASES = np.array(
    [
        "在吗",
        "这个有货吗",
        "好的",
        "有的哦",
        "亲，您好",
        "不知道",
        "请稍等",
        "已经发货了",
        "您好，欢迎光临",
        "可以便宜点吗",
    ]
)


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _cache() -> Path:
    d = Path(os.environ.get("JIXIAO_BENCH_CACHE", "/tmp/jixiao-bench-cache"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def generate_logs(n_msgs: int, n_orders: int, *, seed: int = 7) -> tuple[Path, Path, Path]:
    """Chat, order and mapping CSVs (cached by size): ~10 messages per conversation."""
    d = _cache()
    chats, orders, mapping = (
        d / f"chats_{n_msgs}.csv",
        d / f"orders_{n_orders}_{n_msgs}.csv",
        d / "accounts.csv",
    )
    agents = [f"旗舰店:客服{i:02d}" for i in range(AGENTS)]
    if not mapping.exists():
        pl.DataFrame(
            {
                "shop": ["旗舰店"] * AGENTS,
                "sub_account": [a.split(":")[1] for a in agents],
                "employee": [f"E{i:03d}" for i in range(AGENTS)],
            }
        ).write_csv(mapping)
    rng = np.random.default_rng(seed)
    n_conv = max(n_msgs // 10, 1)
    n_cust = max(n_conv * 6 // 10, 1)
    start = np.datetime64("2026-09-28T00:00:00", "s")
    span = 36 * 24 * 3600
    if not chats.exists():
        conv = np.sort(rng.integers(0, n_conv, n_msgs))
        conv_start = rng.integers(0, span, n_conv)
        gaps = rng.integers(1, 90, n_msgs)
        # time = conversation start + running sum of gaps inside the conversation
        csum = np.cumsum(gaps)
        first = np.r_[0, np.flatnonzero(np.diff(conv)) + 1]
        base = np.repeat(csum[first] - gaps[first], np.diff(np.r_[first, n_msgs]))
        ts = start + (conv_start[conv] + csum - base).astype("timedelta64[s]")
        is_cust = rng.random(n_msgs) < 0.55
        conv_agent = rng.integers(0, AGENTS, n_conv)
        agent_idx = conv_agent[conv]
        transfer = rng.random(n_msgs) < 0.02
        agent_idx = np.where(transfer, rng.integers(0, AGENTS, n_msgs), agent_idx)
        auto = (~is_cust) & (rng.random(n_msgs) < 0.05)
        df = pl.DataFrame(
            {
                "conversation": pl.Series(conv).cast(pl.String).str.zfill(8).str.replace("^", "C"),
                "customer": pl.Series(rng.integers(0, n_cust, n_conv)[conv])
                .cast(pl.String)
                .str.replace("^", "B"),
                "agent": pl.Series(np.array(agents)[agent_idx]),
                "role": pl.Series(np.where(is_cust, "customer", "agent")),
                "timestamp": pl.Series(ts.astype("datetime64[ms]")).dt.strftime(
                    "%Y-%m-%d %H:%M:%S"
                ),
                "text": pl.Series(PHRASES[rng.integers(0, len(PHRASES), n_msgs)]),
                "auto": pl.Series(auto.astype(np.int8)),
            }
        )
        df.write_csv(chats)
        del df
    if not orders.exists():
        created = start + rng.integers(0, span, n_orders).astype("timedelta64[s]")
        paid_gap = rng.integers(10, 3 * 3600, n_orders)
        is_paid = rng.random(n_orders) < 0.9
        refunded = is_paid & (rng.random(n_orders) < 0.05)
        amount = rng.integers(990, 99900, n_orders)
        o = pl.DataFrame(
            {
                "order_id": pl.Series(np.arange(n_orders)).cast(pl.String).str.replace("^", "O"),
                "buyer": pl.Series(rng.integers(0, n_cust, n_orders))
                .cast(pl.String)
                .str.replace("^", "B"),
                "amount": pl.Series(amount // 100).cast(pl.String)
                + "."
                + pl.Series(amount % 100).cast(pl.String).str.zfill(2),
                "created": pl.Series(created.astype("datetime64[ms]")).dt.strftime(
                    "%Y-%m-%d %H:%M:%S"
                ),
                "paid": pl.Series(
                    np.where(
                        is_paid, created + paid_gap.astype("timedelta64[s]"), np.datetime64("NaT")
                    ).astype("datetime64[ms]")
                ).dt.strftime("%Y-%m-%d %H:%M:%S"),
                "refunded": pl.Series(
                    np.where(
                        refunded, created + np.timedelta64(5, "D"), np.datetime64("NaT")
                    ).astype("datetime64[ms]")
                ).dt.strftime("%Y-%m-%d %H:%M:%S"),
            }
        ).with_columns(
            refund_amount=pl.when(pl.col("refunded").is_not_null()).then(pl.col("amount"))
        )
        o.write_csv(orders)
    return chats, orders, mapping


def by_time(chats: Path) -> Path:
    """The same messages ordered by time across conversations (a raw message log rather than
    a per-conversation export): jixiao must sort them."""
    out = chats.with_name(chats.stem + "_bytime.csv")
    if not out.exists():
        pl.scan_csv(chats, infer_schema=False).sort("timestamp", maintain_order=True).sink_csv(out)
    return out


def generate_xlsx(rows: int) -> Path:
    path = _cache() / f"cs_report_{rows}.xlsx"
    if path.exists():
        return path
    import xlsxwriter

    rng = np.random.default_rng(3)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("客服绩效")
    ws.write_row(0, 0, ["客服绩效报表（按子账号、按日）"])
    ws.write_row(1, 0, ["数据来源：千牛·赤兔，单位见表头"])
    ws.write_row(
        3,
        0,
        [
            "日期",
            "店铺",
            "旺旺",
            "接待人数",
            "询单人数",
            "最终付款人数",
            "询单转化率",
            "销售额",
            "客单价",
            "首次响应时间",
            "平均响应时间",
            "回复率",
        ],
    )
    served = rng.integers(20, 300, rows)
    inq = served * 6 // 10
    paid = inq // 3
    for i in range(rows):
        ws.write_row(
            4 + i,
            0,
            [
                f"2026-10-{1 + i % 31:02d}",
                "旗舰店",
                f"客服{i % AGENTS:02d}",
                int(served[i]),
                int(inq[i]),
                int(paid[i]),
                f"{paid[i] / max(inq[i], 1) * 100:.2f}%",
                f"{paid[i] * 123.45:,.2f}",
                "123.45",
                f"00:00:{10 + i % 40:02d}",
                f"{i % 3}分{i % 60}秒",
                "98.50%",
            ],
        )
    wb.close()
    return path


# --------------------------------------------------------------------------- pandas baseline


def pandas_kpis(chats: Path, orders: Path) -> object:
    """The same definitions as docs/import.md, written the obvious pandas way."""
    import pandas as pd

    m = pd.read_csv(chats, dtype=str, keep_default_na=False)
    o = pd.read_csv(orders, dtype=str, keep_default_na=False)
    m["ts"] = pd.to_datetime(m["timestamp"])
    m = m[(m["role"] != "system") & ~((m["role"] == "agent") & (m["auto"] == "1"))].copy()
    m["row"] = range(len(m))
    m = m.sort_values(["conversation", "ts", "row"])
    m["cust"] = m["role"] == "customer"
    same = m["conversation"].eq(m["conversation"].shift())
    m["start"] = m["cust"] & ~(same & m["cust"].shift(fill_value=False))
    m["a_ts"] = m["ts"].where(~m["cust"])
    m["a_ag"] = m["agent"].where(~m["cust"])
    g = m.groupby("conversation", sort=False)
    m["reply_ts"] = g["a_ts"].bfill()
    m["reply_agent"] = g["a_ag"].bfill()
    b = m[m["start"]].copy()
    b["owner"] = b["reply_agent"].fillna(b["agent"])
    b["first"] = ~b["conversation"].duplicated()
    start, end = pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01")
    bp = b[(b["ts"] >= start) & (b["ts"] < end)].copy()
    secs = (bp["reply_ts"] - bp["ts"]).dt.total_seconds().clip(upper=600)
    ok = bp["reply_ts"].notna() & (bp["reply_ts"].dt.date == bp["ts"].dt.date)
    bp["secs"] = secs.where(ok)
    served = bp.groupby("owner")["customer"].nunique()
    replied = bp[bp["reply_ts"].notna()].groupby("owner")["customer"].nunique()
    avg = bp.groupby("owner")["secs"].mean()
    first = bp[bp["first"]].groupby("owner")["secs"].mean()
    cons = (
        b.assign(day=b["ts"].dt.date)
        .groupby(["owner", "customer", "day"], as_index=False)["ts"]
        .min()
    )
    o["created"] = pd.to_datetime(o["created"])
    o["paid"] = pd.to_datetime(o["paid"].replace("", None))
    o["refunded"] = pd.to_datetime(o["refunded"].replace("", None))
    o["amount"] = o["amount"].astype(float)
    po = o[o["paid"].notna()]
    lp = (
        po[["buyer", "paid"]]
        .rename(columns={"buyer": "customer", "paid": "last_paid"})
        .sort_values("last_paid")
    )
    cons = pd.merge_asof(
        cons.sort_values("ts"),
        lp,
        left_on="ts",
        right_on="last_paid",
        by="customer",
        allow_exact_matches=False,
    )
    pre = cons[~((cons["ts"] - cons["last_paid"]) <= pd.Timedelta(days=15))]
    inq = pre[(pre["ts"] >= start) & (pre["ts"] < end)].groupby("owner")["customer"].nunique()
    att = pd.merge_asof(
        po.sort_values("created"),
        pre[["owner", "customer", "ts"]].rename(columns={"customer": "buyer"}).sort_values("ts"),
        left_on="created",
        right_on="ts",
        by="buyer",
    )
    att = att[
        att["ts"].notna()
        & (att["ts"] >= start)
        & (att["ts"] < end)
        & (att["paid"] - att["ts"] <= pd.Timedelta(hours=72))
    ]
    sales = att.groupby("owner").agg(paid_buyers=("buyer", "nunique"), sales=("amount", "sum"))
    ag = m[~m["cust"] & (m["ts"] >= start) & (m["ts"] < end)]
    viol = (
        ag["text"].str.count("哦|恩|噢|喔|啊|喂|哎|不知道|我要下班了|你").groupby(ag["agent"]).sum()
    )
    return pd.concat(
        {
            "served": served,
            "replied": replied,
            "avg": avg,
            "first": first,
            "inq": inq,
            "viol": viol,
        },
        axis=1,
    ).join(sales)


def pandas_xlsx(path: Path) -> object:
    import pandas as pd

    return pd.read_excel(path, header=3, dtype=str)


# --------------------------------------------------------------------------- children


def _child(args: list[str]) -> None:
    what = args[0]
    t0 = time.perf_counter()
    if what == "jixiao-logs":
        from jixiao.ingest import ChatKpiConfig, import_chatlogs, load_mapping

        res = import_chatlogs(
            Path(args[1]), Path(args[2]), ChatKpiConfig(PERIOD), mapping=load_mapping(args[3])
        )
        info = f"{res.kpis.table.height} employees, {res.chat_rows:,} messages"
    elif what == "pandas-logs":
        out = pandas_kpis(Path(args[1]), Path(args[2]))
        info = f"{len(out)} agents"  # type: ignore[arg-type]
    elif what == "jixiao-xlsx":
        from jixiao.ingest import load_mapping, plan_import

        p = plan_import(Path(args[1]), mapping=load_mapping(args[2]))
        info = (
            f"{p.rows_read:,} rows, {p.rows_used:,} used, {len(p.rejected)} rejected, {p.profile}"
        )
    elif what == "pandas-xlsx":
        info = f"{len(pandas_xlsx(Path(args[1])))} rows"  # type: ignore[arg-type]
    else:
        raise SystemExit(f"unknown child {what}")
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - t0,
                "cpu": ru.ru_utime + ru.ru_stime,
                "peak_mb": _peak_mb(),
                "info": info,
            }
        )
    )


def _run(*args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["src", os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.ingest_bench", "--child", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _line(label: str, r: dict[str, object]) -> str:
    return (
        f"  {label:<36} {r['seconds']:7.2f} s wall  {r['cpu']:7.2f} s CPU  "
        f"peak {r['peak_mb']:6.0f} MiB  ({r['info']})"
    )


def main() -> None:
    n_msgs = _env("JIXIAO_BENCH_MESSAGES", 10_000_000)
    n_orders = _env("JIXIAO_BENCH_ORDERS", 1_000_000)
    # pandas runs at full size by default (about 25 s and 4 GB here); a smaller sample is scaled.
    n_sample = min(_env("JIXIAO_BENCH_SAMPLE_MESSAGES", n_msgs), n_msgs)
    x_rows = _env("JIXIAO_BENCH_XLSX_ROWS", 200_000)
    x_sample = min(_env("JIXIAO_BENCH_XLSX_SAMPLE", 20_000), x_rows)

    print(
        f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other jobs share them)"
    )
    t0 = time.perf_counter()
    chats, orders, mapping = generate_logs(n_msgs, n_orders)
    s_chats, s_orders = chats, orders
    if n_sample < n_msgs:
        s_chats, s_orders, _ = generate_logs(n_sample, max(n_orders * n_sample // n_msgs, 1))
    print(f"logs ready in {time.perf_counter() - t0:.1f} s (cache {_cache()})", flush=True)
    full = _run("jixiao-logs", str(chats), str(orders), str(mapping))
    print(
        f"chat logs → per-agent KPIs, {n_msgs:,} messages + {n_orders:,} orders (target ≤ 8 s, ≤ 3072 MiB):"
    )
    print(_line("jixiao (Polars), full size", full))
    if os.environ.get("JIXIAO_BENCH_BY_TIME", "1") == "1":
        t0 = time.perf_counter()
        timed_chats = by_time(chats)
        print(f"  (time-ordered copy ready in {time.perf_counter() - t0:.1f} s)", flush=True)
        print(
            _line(
                "jixiao, same messages ordered by time",
                _run("jixiao-logs", str(timed_chats), str(orders), str(mapping)),
            )
        )
    if n_sample >= n_msgs:
        ps = _run("pandas-logs", str(chats), str(orders))
        print(_line("pandas baseline, full size", ps))
        ratio = float(ps["seconds"]) / float(full["seconds"])  # type: ignore[arg-type]
        print(f"  ratio pandas / jixiao (same data, same run): {ratio:.1f}×")
    else:
        js = _run("jixiao-logs", str(s_chats), str(s_orders), str(mapping))
        ps = _run("pandas-logs", str(s_chats), str(s_orders))
        print(_line(f"jixiao, sample {n_sample:,}", js))
        print(_line(f"pandas baseline, sample {n_sample:,}", ps))
        scale = n_msgs / n_sample
        est = float(ps["seconds"]) * scale  # type: ignore[arg-type]
        print(
            f"  pandas at full size (sample time × {scale:g}, linear scaling; NOT run): ~{est:.1f} s"
        )
        same = float(ps["seconds"]) / float(js["seconds"])  # type: ignore[arg-type]
        print(f"  ratio pandas / jixiao on the same sample: {same:.1f}×")
        print(f"  ratio pandas (scaled) / jixiao at full size: {est / float(full['seconds']):.1f}×")  # type: ignore[arg-type]

    t0 = time.perf_counter()
    xlsx = generate_xlsx(x_rows)
    x_small = generate_xlsx(x_sample)
    print(f"xlsx ready in {time.perf_counter() - t0:.1f} s", flush=True)
    jx = _run("jixiao-xlsx", str(xlsx), str(mapping))
    px = _run("pandas-xlsx", str(x_small))
    print(f"XLSX report read + validated, {x_rows:,} rows (target ≤ 3 s):")
    print(_line("jixiao plan_import", jx))
    print(_line(f"pandas.read_excel, sample {x_sample:,}", px))
    xest = float(px["seconds"]) * x_rows / x_sample  # type: ignore[arg-type]
    jsec = float(jx["seconds"])  # type: ignore[arg-type]
    print(
        f"  pandas.read_excel at full size (scaled ×{x_rows / x_sample:g}, not run): ~{xest:.1f} s; ratio {xest / jsec:.1f}×"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
    else:
        main()
