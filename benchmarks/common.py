"""Helpers shared by the benchmarks: paths, question files, percentiles, Markdown tables."""

from __future__ import annotations

import json
import operator
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kom_assistant.maintain.evaluate import QuestionSet, read_sets

ROOT = Path(__file__).resolve().parents[1]
DEV_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev.jsonl"

_OPS: dict[str, Callable[[float, float], bool]] = {">=": operator.ge, "<=": operator.le}


def load_questions(path: Path = DEV_QUESTIONS) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def quick_subset(questions: Sequence[dict[str, Any]], every: int = 3) -> list[dict[str, Any]]:
    """Every `every`-th question, plus all unanswerable ones (there are few of them)."""
    return [q for i, q in enumerate(questions) if i % every == 0 or not q.get("source")]


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile, the same rule as kom_assistant.maintain.evaluate.summarise."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def verdict(value: float, op: str, target: float) -> str:
    """"PASS" when `value op target` holds (op is ">=" or "<="), else "FAIL"."""
    return "PASS" if _OPS[op](value, target) else "FAIL"


def load_note() -> str:
    """The machine's load, printed beside latencies: other processes inflate them."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; floats in [0, 1] get three decimals, other floats one."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.3f}" if 0.0 <= value <= 1.0 else f"{value:.1f}"
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, table has {len(headers)} columns")
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)



SETS_FILE = ROOT / "benchmarks" / "sets.toml"


def load_sets(roles: Sequence[str] = ("train", "validation", "test"),
              names: Sequence[str] = ()) -> list[QuestionSet]:
    """The question sets of benchmarks/sets.toml with these roles (or names) found here."""
    return read_sets(SETS_FILE, ROOT, roles, names)
