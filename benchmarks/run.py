"""All benchmarks in sequence (what `make bench` runs): retrieval and answers on every question
set, indexing, OCR repair, a large PDF, concurrent users.

    python benchmarks/run.py

Each runs in its own process, so one crash does not hide the others' results. The exit code is
0 only when every benchmark ran and met its targets. The cold indexing build is left out
(`python benchmarks/indexing.py --cold`).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS: tuple[tuple[str, ...], ...] = (
    ("retrieval.py", "--all"), ("answers.py", "--all"), ("indexing.py",), ("ocr_repair.py",),
    ("large_pdf.py",), ("load.py",))


def status(code: int) -> str:
    return {0: "ok, targets met", 1: "targets missed"}.get(code, f"failed (exit {code})")


def main(argv: Sequence[str] | None = None) -> int:
    del argv
    results = []
    for name, *args in BENCHMARKS:
        print(f"\n## {name} {' '.join(args)}\n", flush=True)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), *args],
                              cwd=ROOT, check=False).returncode
        results.append((name, code, time.perf_counter() - started))
    print("\n## Summary\n")
    for name, code, seconds in results:
        print(f"- {name}: {status(code)} ({seconds:.0f} s)")
    return max(code for _, code, _ in results)


if __name__ == "__main__":
    raise SystemExit(main())
