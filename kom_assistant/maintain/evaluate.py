"""Retrieval quality on question files like ../shared/eval/dev.jsonl.

Evidence measure (../shared/eval/README.md): a chunk covers a quote when at least 80% of the
quote's distinct lowercased word tokens (letters/digits, 2+ characters) occur in the chunk.
A chunk's words are those of the text users see and of its text before OCR repair.
"""

from __future__ import annotations

import json
import re
import statistics
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Chunk, Hit

_TOKEN = re.compile(r"[^\W_]{2,}", re.UNICODE)
EVIDENCE_BUDGET = 4000  # characters of top chunks read for evidence recall


def tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower()))


def covers(chunk_tokens: set[str], quote: str, threshold: float = 0.8) -> bool:
    wanted = tokens(quote)
    return bool(wanted) and len(wanted & chunk_tokens) / len(wanted) >= threshold


def chunk_tokens(chunk: Chunk) -> set[str]:
    return tokens(chunk.text) | tokens(chunk.original_text)


@dataclass(frozen=True)
class QuestionResult:
    id: str
    lang: str
    first_hit_rank: int | None  # rank of the first chunk covering any quote
    evidence_recall: float
    seconds: float


def score_question(question: dict[str, Any], hits: Sequence[Hit], seconds: float) -> QuestionResult:
    quotes = question.get("quotes") or []
    first = None
    covered: set[int] = set()
    used = 0
    for hit in hits:
        toks = chunk_tokens(hit.chunk)
        hit_quotes = {i for i, q in enumerate(quotes) if covers(toks, q)}
        if hit_quotes and first is None:
            first = hit.rank
        used += len(hit.chunk.text)
        # Strict reading of "top chunks until 4000 characters": a chunk that would cross the
        # budget is not read (the first one always is).
        if used <= EVIDENCE_BUDGET or hit.rank == hits[0].rank:
            covered |= hit_quotes
    recall = len(covered) / len(quotes) if quotes else 0.0
    return QuestionResult(question["id"], question.get("lang", ""), first, recall, seconds)


def summarise(results: Sequence[QuestionResult]) -> dict[str, float]:
    if not results:
        return {}
    n = len(results)
    ranks = [r.first_hit_rank for r in results]
    times = sorted(r.seconds for r in results)
    return {
        "questions": n,
        "hit@1": sum(r == 1 for r in ranks) / n,
        "hit@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr@10": sum(1 / r for r in ranks if r is not None and r <= 10) / n,
        "evidence_recall@4000": sum(r.evidence_recall for r in results) / n,
        "latency_median_ms": statistics.median(times) * 1000,
        "latency_p95_ms": times[min(n - 1, int(round(0.95 * (n - 1))))] * 1000,
    }


def evaluate(
    questions: Sequence[dict[str, Any]],
    search: Callable[[str], Sequence[Hit]],
    clock: Callable[[], float],
) -> dict[str, dict[str, float]]:
    """Metrics overall and per language, over answerable questions (those with quotes)."""
    results = []
    for q in questions:
        if not q.get("quotes"):
            continue
        start = clock()
        hits = search(q["question"])
        results.append(score_question(q, hits, clock() - start))
    table = {"all": summarise(results)}
    for lang in sorted({r.lang for r in results}):
        table[lang] = summarise([r for r in results if r.lang == lang])
    return table


def format_table(rows: dict[str, dict[str, float]]) -> str:
    columns = ["questions", "hit@1", "hit@5", "mrr@10", "evidence_recall@4000",
               "latency_median_ms", "latency_p95_ms"]
    lines = ["| set | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, m in rows.items():
        cells = [f"{m.get(c, 0):.0f}" if c == "questions" or c.startswith("latency")
                 else f"{m.get(c, 0):.3f}" for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class QuestionSet:
    name: str
    path: Path
    role: str  # train | validation | test: what it may be used for (benchmarks/sets.toml)
    about: str
    # A training set the query encoder does not learn from (only the answer models do).
    query_encoder: bool = True


def read_sets(sets_file: Path, root: Path, roles: Sequence[str] = ("train", "validation", "test"),
              names: Sequence[str] = ()) -> list[QuestionSet]:
    """The question sets a sets file lists (paths from `root`) with these roles, or these
    names, whose files exist (the development questions live outside the repository)."""
    entries = tomllib.loads(sets_file.read_text(encoding="utf-8"))["set"]
    sets = [QuestionSet(e["name"], (root / e["file"]).resolve(), e["role"], e.get("about", ""),
                        e.get("query_encoder", True)) for e in entries]
    return [s for s in sets if (s.name in names if names else s.role in roles) and s.path.exists()]


def read_questions(path: Path) -> list[dict[str, Any]]:
    """One question a line, as in ../shared/eval/dev.jsonl."""
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]
