"""Answer quality and speed of kom_assistant.answer.compose.ask, per question set and language.

    python benchmarks/answers.py [--questions PATH ...] [--sets NAME ...] [--all] [--quick]

Without arguments: the development questions. `--all`: every set of benchmarks/sets.toml, each
with its role (train, validation, test: what it may be used for). Measured per set, Norwegian
and English apart:
- answered questions: the first line holds the evidence (at least half of an evidence quote's
  words), the share of lines that hold evidence, the citations contain the evidence, the median
  answer length in words;
- lines that are not clean sentences (an independent check: see clean_line_problem);
- unanswerable questions refused, answerable questions wrongly refused;
- "what do I do" cases (sets with an audience): answered, with a child's contacts first for a
  child and an adult's for an adult.
"""

from __future__ import annotations

import argparse
import re
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
    QuestionSet,
    load_note,
    load_questions,
    load_sets,
    markdown_table,
    percentile,
    quick_subset,
    verdict,
)
from kom_assistant.maintain.evaluate import chunk_tokens, covers, tokens  # noqa: E402
from kom_assistant.models import Answer  # noqa: E402

TARGET_FIRST_LINE, TARGET_LINES, TARGET_MEDIAN_WORDS = 0.80, 0.70, 90.0
TARGET_REFUSE, TARGET_FALSE_REFUSE, TARGET_P95_MS = 0.80, 0.10, 250.0
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Outcome:
    """One question's answer, reduced to what the benchmark measures."""

    answerable: bool
    refused: bool
    cites_evidence: bool
    words: int
    seconds: float
    lang: str = "no"
    first_line_evidence: bool = False
    lines: int = 0
    lines_with_evidence: int = 0
    unclean_lines: int = 0
    audience: str = ""  # "child" or "adult" for a "what do I do" case
    kind: str = ""  # "not-action": a message like a case that is none (training only)
    right_contacts: bool = False


def cites_evidence(answer: Answer, quotes: Sequence[str]) -> bool:
    """Whether a cited chunk covers at least one reference quote."""
    return any(covers(chunk_tokens(c.chunk), q) for c in answer.citations for q in quotes)


def holds_evidence(line: str, quotes: Sequence[str]) -> bool:
    """At least half of some quote's words are in the line."""
    return any(covers(tokens(line), q, threshold=0.5) for q in quotes)


def answer_lines(answer: Answer) -> list[str]:
    return list(answer.lines)


# Finite verbs a Norwegian clause almost always carries one of, or a verb ending.
_VERBS = frozenset(
    "er var har hadde kan kunne skal skulle vil ville må måtte bør burde blir ble får fikk gir "
    "ga gjør gjorde går gikk kommer kom tar tok ser så sier sa viser viste finnes fantes gjelder "
    "gjaldt omfatter innebærer handler består ligger står sto mener meldte utgjør utgjorde "
    "inneholder trenger bidrar jobber arbeider bor lever tilbyr tilbød mottar mottok hjelper "
    "is are was were has have had can will shall must may should does did".split())
_VERB_ENDING = re.compile(r"^[^\W\d_]{4,}(er|te|de|et|es|ert|ene)$")


def clean_line_problem(line: str) -> str:
    """Why a line is not a clean answer line ("" when it is): a sentence that says something has
    a verb, mostly letters, several words, and is not a caption in English or page debris."""
    text = line.removeprefix("- ").strip()
    words = text.split()
    letters = len(_LETTER.findall(text))
    if len(words) < 4:
        return "fragment"
    if letters < 0.7 * len(text.replace(" ", "")):
        return "not mostly letters"
    lowered = [w.strip(".,;:()«»\"'!?").lower() for w in words]
    if not any(w in _VERBS or _VERB_ENDING.match(w) for w in lowered):
        return "no verb"
    short = [w for w in lowered if len(w) == 1 and w.isalpha() and w not in "iåaog"]
    if len(short) >= 2:
        return "debris"
    return ""


def rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def right_contacts(answer: Answer, audience: str) -> bool:
    """Answered, and the first contact listed is for the person's group: the child welfare
    service (or another children's contact) for a child, an adults' contact or the police for
    an adult."""
    if answer.refused or not answer.contacts_text:
        return False
    first = next((ln for ln in answer.contacts_text.splitlines() if ln.startswith("- ")), "")
    child = re.search(r"barnevern|child welfare|bufdir|minors", first, re.I)
    return bool(child) if audience == "child" else bool(first) and not child


def measure(answer: Answer, q: dict[str, Any], seconds: float) -> Outcome:
    quotes = q.get("quotes") or []
    lines = answer_lines(answer) if not answer.refused else []
    evidence = [holds_evidence(line, quotes) for line in lines]
    audience = q.get("audience", "")
    return Outcome(
        answerable=q.get("source") is not None, refused=answer.refused,
        cites_evidence=cites_evidence(answer, quotes), words=len(answer.text.split()),
        seconds=seconds, lang=q.get("lang", "no"),
        first_line_evidence=bool(evidence) and evidence[0], lines=len(lines),
        lines_with_evidence=sum(evidence),
        unclean_lines=sum(bool(clean_line_problem(line)) for line in lines),
        audience=audience, right_contacts=bool(audience) and right_contacts(answer, audience),
        kind=q.get("kind", ""))


def summary(outcomes: Sequence[Outcome]) -> dict[str, float]:
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes
                    if not o.answerable and not o.audience and o.kind != "not-action"]
    answered = [o for o in answerable if not o.refused]
    cases = [o for o in outcomes if o.audience]
    times = [o.seconds * 1000 for o in outcomes]
    all_answered = [o for o in outcomes if not o.refused]
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "cases": len(cases),
        "cites_evidence": rate([o.cites_evidence for o in answerable]),
        "first_line": rate([o.first_line_evidence for o in answered]),
        "lines_evidence": (sum(o.lines_with_evidence for o in answered)
                           / max(1, sum(o.lines for o in answered))),
        "median_words": statistics.median(o.words for o in answered) if answered else 0.0,
        "unclean": (sum(o.unclean_lines for o in all_answered)
                    / max(1, sum(o.lines for o in all_answered))),
        "refused_unanswerable": rate([o.refused for o in unanswerable]),
        "false_refusals": rate([o.refused for o in answerable]),
        "right_contacts": rate([o.right_contacts for o in cases]),
        "median_ms": statistics.median(times) if times else 0.0,
        "p95_ms": percentile(times, 0.95),
    }


def _cell(m: dict[str, float], key: str, count: str) -> str:
    return f"{m[key]:.2f}" if m[count] else "–"


SET_COLUMNS = ("set", "role", "lang", "answerable", "first line holds evidence",
               "lines holding evidence", "citations hold evidence", "median words",
               "unclean lines", "wrongly refused", "unanswerable", "refused",
               "'what do I do': right contacts")


def set_rows(name: str, role: str, outcomes: Sequence[Outcome]) -> list[list[str]]:
    rows = []
    for lang in ("all", "no", "en"):
        part = [o for o in outcomes if lang == "all" or o.lang == lang]
        if not part or (lang != "all" and len(part) == len(outcomes)):
            continue
        m = summary(part)
        rows.append([name, role, lang, f"{m['answerable']:.0f}",
                     _cell(m, "first_line", "answerable"),
                     _cell(m, "lines_evidence", "answerable"),
                     _cell(m, "cites_evidence", "answerable"),
                     f"{m['median_words']:.0f}" if m["answerable"] else "–",
                     f"{m['unclean']:.3f}", _cell(m, "false_refusals", "answerable"),
                     f"{m['unanswerable']:.0f}", _cell(m, "refused_unanswerable", "unanswerable"),
                     _cell(m, "right_contacts", "cases")])
    return rows


def target_rows(m: dict[str, float]) -> list[list[str]]:
    return [
        ["first line holds the evidence (answered)", f"{m['first_line']:.3f}",
         f">= {TARGET_FIRST_LINE}", verdict(m["first_line"], ">=", TARGET_FIRST_LINE)],
        ["lines holding evidence", f"{m['lines_evidence']:.3f}", f">= {TARGET_LINES}",
         verdict(m["lines_evidence"], ">=", TARGET_LINES)],
        ["median answer length (words)", f"{m['median_words']:.0f}",
         f"<= {TARGET_MEDIAN_WORDS:g}", verdict(m["median_words"], "<=", TARGET_MEDIAN_WORDS)],
        ["unanswerable: refused", f"{m['refused_unanswerable']:.3f}", f">= {TARGET_REFUSE}",
         verdict(m["refused_unanswerable"], ">=", TARGET_REFUSE)],
        ["answerable: false refusals", f"{m['false_refusals']:.3f}", f"<= {TARGET_FALSE_REFUSE}",
         verdict(m["false_refusals"], "<=", TARGET_FALSE_REFUSE)],
        ["'what do I do': right contacts", f"{m['right_contacts']:.3f}" if m["cases"] else "–",
         "= 1.0", verdict(m["right_contacts"], ">=", 1.0) if m["cases"] else "n/a"],
        ["latency p95 (ms, warm)", f"{m['p95_ms']:.1f}", f"<= {TARGET_P95_MS:g}",
         verdict(m["p95_ms"], "<=", TARGET_P95_MS)],
    ]


def run(questions: Sequence[dict[str, Any]]) -> list[Outcome]:
    from kom_assistant.answer.compose import ask
    from kom_assistant.answer.contacts import load_contacts
    from kom_assistant.config import load_settings
    from kom_assistant.search.embeddings import load_embedder
    from kom_assistant.search.index import load_index

    settings = load_settings(corpus_dir=ROOT / "corpus", index_dir=ROOT / "index")
    embedder = load_embedder(settings.embedding_model)
    index = load_index(settings, embedder.name)
    contacts = load_contacts(settings.corpus_dir)
    ask("Hva er menneskehandel?", index, embedder)  # warm-up
    outcomes = []
    for q in questions:
        start = time.perf_counter()
        answer = ask(q["question"], index, embedder, contacts=contacts)
        outcomes.append(measure(answer, q, time.perf_counter() - start))
    return outcomes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, nargs="*", default=[])
    parser.add_argument("--sets", nargs="*", default=[], help="sets of benchmarks/sets.toml")
    parser.add_argument("--all", action="store_true", help="every set of benchmarks/sets.toml")
    parser.add_argument("--quick", action="store_true", help="every third question only")
    args = parser.parse_args(argv)
    sets = load_sets() if args.all else load_sets(names=args.sets) if args.sets else []
    sets += [QuestionSet(p.stem, p, "–", "") for p in args.questions]
    if not sets:
        sets = [QuestionSet("dev", DEV_QUESTIONS, "train", "")]
    rows, held_out = [], []
    for qset in sets:
        questions = load_questions(qset.path)
        if args.quick:
            questions = quick_subset(questions)
        outcomes = run(questions)
        rows += set_rows(qset.name, qset.role, outcomes)
        if qset.role == "test" or len(sets) == 1:
            held_out += outcomes
    print(f"Answers (kom_assistant.answer.compose.ask, extractive); {load_note()}.\n")
    print(markdown_table(SET_COLUMNS, rows))
    name = "the test sets" if len(sets) > 1 else sets[0].name
    print(f"\nTargets, on {name} ({len(held_out)} questions):\n")
    targets = target_rows(summary(held_out))
    print(markdown_table(("measure", "value", "target", "PASS/FAIL"), targets))
    return 0 if all(row[3] != "FAIL" for row in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
