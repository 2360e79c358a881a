"""Pay benchmark: the path the product runs against the per-employee ``Decimal`` oracle.

The product path is ``jixiao pay --plan P --results R --inputs I --out payroll.json`` as the CLI
runs it: :func:`jixiao.pay.run_files` reads the results JSON and the inputs CSV, computes every
amount and every trace in one vectorised pass, and :func:`jixiao.pay.write_payroll` writes the
JSON with the traces. The baseline is the test oracle (``tests/pay/oracle.py``): the same
amounts and traces computed one employee at a time with Python ``Decimal``, on rows already
read. Both run in the same process; every employee's amounts and traces must agree.

Goal (issue 8): 100,000 employees × 15 components, the product path ≥ 20× faster than the
oracle loop. ``JIXIAO_PAY_BENCH_N`` changes the number of employees (e.g. 300 for a smoke test).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._measure import timed
from jixiao.engine import ResultRecord
from jixiao.pay import (
    build_plan,
    compile_plan,
    parse_params,
    prepare,
    read_results,
    run_files,
    write_payroll,
)
from jixiao.pay import run as pay_run
from tests.pay.oracle import explain, rows_of

PLAN: dict[str, Any] = {
    "code": "bench",
    "name": "基准方案",
    "version": "1",
    "parameters": {"底薪": 1800, "公共池": 500000, "餐补标准": 15},
    "inputs": [
        {"name": n}
        for n in (
            "基本工资",
            "应出勤",
            "实际出勤",
            "迟到",
            "旷工",
            "中评",
            "差评",
            "销售额",
            "合作家数",
            "加班小时",
            "工龄",
            "奖惩",
        )
    ],
    "components": [
        {
            "code": "c01",
            "name": "基本工资",
            "kind": "prorate",
            "base": "基本工资",
            "due_days": "应出勤",
            "actual_days": "实际出勤",
        },
        {
            "code": "c02",
            "name": "全勤奖",
            "kind": "attendance_bonus",
            "base": "基本工资",
            "rate": "10%",
            "forfeit": [
                {"when": "迟到 >= 3", "reason": "迟到 3 次"},
                {"when": "旷工 >= 1", "reason": "旷工"},
            ],
        },
        {"code": "c03", "name": "迟到扣款", "kind": "per_count", "count": "迟到", "rate": -20},
        {
            "code": "c04",
            "name": "绩效工资",
            "kind": "tiers",
            "times": "底薪",
            "bands": [
                {"lt": 65, "value": 0.5},
                {"gte": 65, "lt": 80, "value": 1.0},
                {"gte": 80, "lt": 95, "value": 1.2},
                {"gte": 95, "value": 1.5},
            ],
        },
        {
            "code": "c05",
            "name": "绩效奖金",
            "kind": "tiers",
            "times": "300",
            "percent": True,
            "bands": [
                {"gte": 80, "value": "100%"},
                {"gte": 70, "lt": 80, "value": "60%"},
                {"gte": 60, "lt": 70, "value": "40%"},
                {"lt": 60, "value": 0},
            ],
        },
        {
            "code": "c06",
            "name": "提成",
            "kind": "commission",
            "tier_on": "合作家数",
            "lines": [
                {
                    "name": "销售额",
                    "sales": "销售额",
                    "rates": [
                        {"lte": 3, "value": "1%"},
                        {"gt": 3, "lte": 5, "value": "1.5%"},
                        {"gt": 5, "value": "2%"},
                    ],
                }
            ],
        },
        {"code": "c07", "name": "中评修改", "kind": "per_count", "count": "中评", "rate": 10},
        {"code": "c08", "name": "差评修改", "kind": "per_count", "count": "差评", "rate": 20},
        {"code": "c09", "name": "餐补", "kind": "formula", "amount": "餐补标准 * 实际出勤"},
        {
            "code": "c10",
            "name": "加班费",
            "kind": "formula",
            "amount": "基本工资 / 应出勤 / 8 * 1.5 * 加班小时",
        },
        {"code": "c11", "name": "工龄工资", "kind": "formula", "amount": "min(工龄, 10) * 50"},
        {
            "code": "c12",
            "name": "绩效调整",
            "kind": "piecewise",
            "bands": [
                {"lt": 70, "amount": "-c04 * (100 - score) / 100"},
                {"gte": 70, "lte": 90, "amount": "0"},
                {"gt": 90, "amount": "c04 * (score - 90) / 100"},
            ],
        },
        {
            "code": "c13",
            "name": "公共提成",
            "kind": "pool",
            "amount": "公共池 * 0.5%",
            "when": "score >= 60",
        },
        {"code": "c14", "name": "奖惩", "kind": "adjustment", "amount": "奖惩"},
        {
            "code": "c15",
            "name": "活动基金",
            "kind": "formula",
            "memo": True,
            "amount": "c04 * (100 - score) / 100",
        },
    ],
}

HEADER = ["工号", *(i["name"] for i in PLAN["inputs"])]


def write_month(n: int, folder: Path) -> tuple[Path, Path, Path]:
    """The plan, an inputs CSV and a results JSON (as `jixiao score -f json` writes it)."""
    rnd = random.Random(20261123)
    lines = [",".join(HEADER)]
    results = []
    for i in range(n):
        emp = f"E{i:06d}"
        due = rnd.choice([21, 22, 23])
        row = [
            emp,
            f"{rnd.randint(2500, 6000)}.00",
            due,
            due - rnd.choice([0, 0, 0, 1, 2]),
            rnd.choice([0, 0, 1, 3]),
            rnd.choice([0, 0, 0, 1]),
            rnd.randint(0, 5),
            rnd.randint(0, 3),
            f"{rnd.randint(0, 20000000) / 100:.2f}",
            rnd.randint(0, 8),
            rnd.randint(0, 20),
            rnd.randint(0, 15),
            rnd.choice(["0", "0", "100", "-50"]),
        ]
        lines.append(",".join(str(x) for x in row))
        score = rnd.randint(4000, 10000) / 100
        record = ResultRecord(emp, "", "G", True, None, score, "良好", i + 1, None)
        results.append(record.to_json())
    plan = folder / "bench.json"
    plan.write_text(json.dumps(PLAN, ensure_ascii=False), encoding="utf-8")
    inputs = folder / "inputs.csv"
    inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = folder / "results.json"
    res.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return plan, inputs, res


def product(plan_file: Path, inputs: Path, results: Path, out: Path) -> Any:
    """What `jixiao pay --plan … --results … --inputs … --out payroll.json` runs."""
    from jixiao.pay import find_plan

    payroll = run_files(find_plan(str(plan_file)), inputs, results)
    write_payroll(payroll, out)
    return payroll


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _product_only(folder: str) -> None:
    """Child process: the product path alone, so that its peak memory is its own."""
    d = Path(folder)
    product(d / "bench.json", d / "inputs.csv", d / "results.json", d / "payroll.json")
    print(f"{_peak_mb():.0f}")


def _phases(plan_file: Path, inputs: Path, results: Path, out: Path) -> str:
    from jixiao.pay import find_plan

    t: list[float] = [time.perf_counter()]
    compiled = find_plan(str(plan_file))
    res = read_results(results)
    t.append(time.perf_counter())
    data = prepare(compiled, inputs, res, parse_params(compiled))
    t.append(time.perf_counter())
    payroll = pay_run(compiled, data)
    t.append(time.perf_counter())
    write_payroll(payroll, out)
    t.append(time.perf_counter())
    names = ["read results", "read inputs", "compute + traces", "write JSON"]
    return ", ".join(f"{k} {b - a:.2f} s" for k, a, b in zip(names, t, t[1:], strict=False))


def main() -> None:
    n = int(os.environ.get("JIXIAO_PAY_BENCH_N", "100000"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan_file, inputs, results = write_month(n, folder)
        out = folder / "payroll.json"
        product_time, payroll = timed(lambda: product(plan_file, inputs, results, out), repeat=3)
        phases = _phases(plan_file, inputs, results, out)
        child = subprocess.run(
            [sys.executable, "-m", "bench.pay_bench", "--product-only", tmp],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        product_mb = float(child.stdout.split()[-1])

        plan = compile_plan(build_plan(PLAN))
        data = prepare(plan, inputs, read_results(results), parse_params(plan))
        rows = rows_of(data)
        before = _peak_mb()
        oracle_time, traced = timed(lambda: explain(plan, rows, data.params))
        oracle_mb = _peak_mb()
        _same(payroll, traced)
    print(f"employees: {n:,}  components: {len(plan.components)}")
    print(
        f"product path (jixiao pay: read results JSON + inputs CSV, compute, traces, "
        f"write JSON): {product_time:.3f} s (best of 3); peak RSS {product_mb:.0f} MiB"
    )
    print(f"  phases: {phases}")
    print(
        f"per-employee Decimal loop (oracle, amounts + traces, rows already read): "
        f"{oracle_time:.3f} s (one run); peak RSS of the process {oracle_mb:.0f} MiB "
        f"(before: {before:.0f} MiB)"
    )
    print(f"speed-up: {oracle_time / product_time:.1f}×   (goal ≥ 20×)")
    print("results identical for every employee: yes (amounts, net and both traces)")


def _same(payroll: Any, traced: list[Any]) -> None:
    for slip, (lines, net) in zip(payroll.slips, traced, strict=True):
        want = [(x.code, x.amount, x.text, x.text_en) for x in lines]
        got = [(x.code, x.amount, x.text, x.text_en) for x in slip.lines]
        if got != want or slip.net != net:
            raise SystemExit(f"results differ for {slip.employee}: {got} vs {want}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--product-only"]:
        _product_only(sys.argv[2])
    else:
        main()
