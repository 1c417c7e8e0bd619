"""Answer quality and speed of kom_assistant.answer.compose.ask on the development questions.

    python benchmarks/answers.py [--questions PATH] [--quick]

Answerable questions (source not null): do the citations contain the evidence (a cited chunk
covering a reference quote, by kom_assistant.maintain.evaluate.covers), and how often does the
assistant refuse wrongly. Unanswerable questions (source null): how often it refuses, as it should.
A calibration table shows the same two rates for other values of answerability.SUPPORT_THRESHOLD.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    DEV_QUESTIONS,
    load_note,
    load_questions,
    markdown_table,
    percentile,
    quick_subset,
    verdict,
)
from kom_assistant.maintain.evaluate import chunk_tokens, covers  # noqa: E402
from kom_assistant.models import Answer  # noqa: E402

THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(11))  # 0.30 .. 0.80
TARGET_REFUSE, TARGET_FALSE_REFUSE, TARGET_P95_MS = 0.80, 0.10, 250.0


@dataclass(frozen=True)
class Outcome:
    """One question's answer, reduced to what the benchmark measures."""

    answerable: bool
    refused: bool
    cites_evidence: bool
    words: int
    support: float  # answerability.support on the hits the answer was composed from
    seconds: float


def cites_evidence(answer: Answer, quotes: Sequence[str]) -> bool:
    """Whether a cited chunk covers at least one reference quote."""
    return any(covers(chunk_tokens(c.chunk), q) for c in answer.citations for q in quotes)


def rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def summary(outcomes: Sequence[Outcome]) -> dict[str, float]:
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    answered = [o for o in outcomes if not o.refused]
    times = [o.seconds * 1000 for o in outcomes]
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "cites_evidence": rate([o.cites_evidence for o in answerable]),
        "refused_unanswerable": rate([o.refused for o in unanswerable]),
        "false_refusals": rate([o.refused for o in answerable]),
        "mean_words": statistics.mean(o.words for o in answered) if answered else 0.0,
        "median_ms": statistics.median(times) if times else 0.0,
        "p95_ms": percentile(times, 0.95),
    }


def calibration(outcomes: Sequence[Outcome],
                thresholds: Sequence[float] = THRESHOLDS) -> list[tuple[float, float, float]]:
    """(threshold, refusal rate on unanswerable, false-refusal rate on answerable): a question
    is refused when its support is below the threshold."""
    answerable = [o.support for o in outcomes if o.answerable]
    unanswerable = [o.support for o in outcomes if not o.answerable]
    return [(t, rate([s < t for s in unanswerable]), rate([s < t for s in answerable]))
            for t in thresholds]


def results_table(m: dict[str, float]) -> str:
    rows = [
        ["answerable: citations contain the evidence", f"{m['cites_evidence']:.3f}", "–", "–"],
        ["unanswerable: refused", f"{m['refused_unanswerable']:.3f}", f">= {TARGET_REFUSE}",
         verdict(m["refused_unanswerable"], ">=", TARGET_REFUSE)],
        ["answerable: false refusals", f"{m['false_refusals']:.3f}", f"<= {TARGET_FALSE_REFUSE}",
         verdict(m["false_refusals"], "<=", TARGET_FALSE_REFUSE)],
        ["mean answer length (words, answered)", f"{m['mean_words']:.1f}", "–", "–"],
        ["latency median (ms, warm)", f"{m['median_ms']:.1f}", "–", "–"],
        ["latency p95 (ms, warm)", f"{m['p95_ms']:.1f}", f"<= {TARGET_P95_MS:g}",
         verdict(m["p95_ms"], "<=", TARGET_P95_MS)],
    ]
    return markdown_table(("measure", "value", "target", "PASS/FAIL"), rows)


def calibration_table(rows: Sequence[tuple[float, float, float]], current: float) -> str:
    return markdown_table(
        ("support threshold", "refused (unanswerable)", "false refusals (answerable)"),
        [(f"{t:.2f}" + (" (current)" if abs(t - current) < 1e-9 else ""), f"{r:.3f}", f"{f:.3f}")
         for t, r, f in rows])


def run(questions: Sequence[dict[str, Any]]) -> list[Outcome]:
    from kom_assistant.answer.answerability import support
    from kom_assistant.answer.compose import ask
    from kom_assistant.config import load_settings
    from kom_assistant.search.embeddings import load_embedder
    from kom_assistant.search.index import load_index

    settings = load_settings(corpus_dir=ROOT / "corpus", index_dir=ROOT / "index")
    embedder = load_embedder(settings.embedding_model)
    index = load_index(settings, embedder.name)
    ask("Hva er menneskehandel?", index, embedder)  # warm-up
    outcomes = []
    for q in questions:
        start = time.perf_counter()
        answer = ask(q["question"], index, embedder)
        seconds = time.perf_counter() - start
        # With no history, ask composes from exactly these hits for exactly this question.
        score = support(q["question"], answer.hits, index.keyword)
        outcomes.append(Outcome(q.get("source") is not None, answer.refused,
                                cites_evidence(answer, q.get("quotes") or []),
                                len(answer.text.split()), score, seconds))
    return outcomes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=DEV_QUESTIONS)
    parser.add_argument("--quick", action="store_true", help="every third question only")
    args = parser.parse_args(argv)
    from kom_assistant.answer.answerability import SUPPORT_THRESHOLD

    questions = load_questions(args.questions)
    if args.quick:
        questions = quick_subset(questions)
    outcomes = run(questions)
    m = summary(outcomes)
    print(f"Answers (kom_assistant.answer.compose.ask, extractive) on {args.questions.name}: "
          f"{m['answerable']:.0f} answerable, {m['unanswerable']:.0f} unanswerable questions; "
          f"{load_note()}.\n")
    print(results_table(m))
    print(f"\nCalibration of answerability.SUPPORT_THRESHOLD (now {SUPPORT_THRESHOLD}): a "
          f"question is refused when support(question, hits) < threshold.\n")
    print(calibration_table(calibration(outcomes), SUPPORT_THRESHOLD))
    if m["unanswerable"] < 10:
        print(f"\nNote: only {m['unanswerable']:.0f} unanswerable questions; the refusal rate "
              f"moves in steps of {1 / max(1, m['unanswerable']):.2f}.")
    ok = (m["refused_unanswerable"] >= TARGET_REFUSE and m["false_refusals"] <= TARGET_FALSE_REFUSE
          and m["p95_ms"] <= TARGET_P95_MS)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
