"""Run the benchmarks: `python -m bench [name ...]`.

Each benchmark module exposes ``main() -> None`` that measures jixiao against a baseline
in the same run and prints wall time, peak memory and the ratio. Machines are shared and
noisy, so these numbers are reported, never asserted in unit tests.
"""

from __future__ import annotations

import importlib
import sys

BENCHES = ["engine_bench", "pay_bench", "ingest_bench", "history_bench"]


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    for name in names:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{name}":
                print(f"[{name}] not present, skipped")
                continue
            raise
        print(f"=== {name} ===", flush=True)
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
