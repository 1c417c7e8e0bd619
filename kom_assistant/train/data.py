"""Training data for the query encoder, from the project itself: labelled questions and
synthetic queries made from the corpus, each pointing at the chunks (and sentences) of the
index that answer it.

The passages stay as the built index embeds them, so a pair is a query and index rows, not
two texts: the encoder learns to put a question next to the vectors that answer it.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..maintain.evaluate import chunk_tokens, covers, tokens
from ..search.index import LoadedIndex
from ..search.keyword import STOPWORDS, fold
from ..search.vocabulary import VOCABULARY_FILE


@dataclass(frozen=True)
class Pair:
    query: str
    chunks: tuple[int, ...]  # rows of index.chunks that answer it
    sentences: tuple[int, ...] = ()  # rows of index.sentence_vectors that answer it
    origin: str = ""  # "labelled:<set>", "title", "terms", "terms-en", "variant"
    lang: str = "no"


def read_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def sentence_rows_of(index: LoadedIndex, chunk_row: int) -> range:
    lo, hi = np.searchsorted(index.sentence_owner, [chunk_row, chunk_row + 1])
    return range(int(lo), int(hi))


def sentence_text(index: LoadedIndex, row: int) -> str:
    start, end = index.sentence_bounds[row]
    return str(index.chunks[int(index.sentence_owner[row])].text[start:end])


def labelled_pairs(questions: Iterable[dict[str, Any]], index: LoadedIndex,
                   origin: str) -> list[Pair]:
    """Answerable questions -> the chunks covering any of their quotes (the evaluation's own
    measure) and the sentences of those chunks that carry most of a quote's words."""
    all_tokens = [chunk_tokens(c) for c in index.chunks]
    pairs = []
    for q in questions:
        if not q.get("source") or not q.get("quotes"):
            continue
        rows = tuple(r for r, toks in enumerate(all_tokens)
                     if any(covers(toks, quote) for quote in q["quotes"]))
        if not rows:
            continue
        quote_tokens = set().union(*(tokens(quote) for quote in q["quotes"]))
        sentences = []
        for row in rows:
            for s in sentence_rows_of(index, row):
                words = tokens(sentence_text(index, s))
                if len(words & quote_tokens) >= 4 and len(words & quote_tokens) >= 0.6 * len(words):
                    sentences.append(s)
        pairs.append(Pair(q["question"], rows, tuple(sentences), f"labelled:{origin}",
                          q.get("lang", "no")))
    return pairs


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]{3,}", text) if fold(w) not in STOPWORDS]


def _document_frequency(index: LoadedIndex) -> Counter[str]:
    df: Counter[str] = Counter()
    for chunk in index.chunks:
        df.update({fold(w) for w in _content_words(chunk.text)})
    return df


def _english_senses(path: Path = VOCABULARY_FILE) -> dict[str, str]:
    """Norwegian form (folded) -> its first English sense, from vocabulary.tsv."""
    senses: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        forms, english = line.split("\t")
        first = english.split(";")[0].strip()
        if first:
            for form in forms.split():
                senses.setdefault(fold(form), first)
    return senses


def synthetic_pairs(index: LoadedIndex, rng: random.Random, per_chunk: int = 3) -> list[Pair]:
    """Queries a corpus can make of itself, for every chunk: its section's title, and terse
    queries of a sentence's rarest words, in Norwegian and through vocabulary.tsv in English
    (what a user who does not know the sources' words would type)."""
    df = _document_frequency(index)
    senses = _english_senses()
    n = len(index.chunks)
    pairs: list[Pair] = []
    by_title: dict[str, list[int]] = {}
    for row, chunk in enumerate(index.chunks):
        title = chunk.section.split(" > ")[-1].strip()
        if len(_content_words(title)) >= 2:
            by_title.setdefault(title, []).append(row)
    for title, rows in by_title.items():
        if len(rows) <= 4:  # a title shared by many chunks names no one passage
            pairs.append(Pair(title, tuple(rows), (), "title"))
    for row in range(n):
        units = list(sentence_rows_of(index, row))
        rng.shuffle(units)
        for s in units[:per_chunk]:
            words = list(dict.fromkeys(_content_words(sentence_text(index, s))))
            if len(words) < 4:
                continue
            # The rarest words say what a sentence is about; a few of them are a terse query.
            ranked = sorted(words, key=lambda w: df[fold(w)] or n)[: rng.randint(2, 5)]
            rng.shuffle(ranked)
            pairs.append(Pair(" ".join(ranked), (row,), (s,), "terms"))
            english = [senses[fold(w)] for w in words if fold(w) in senses][: rng.randint(2, 5)]
            if len(english) >= 2:
                pairs.append(Pair(" ".join(english), (row,), (s,), "terms-en", "en"))
    return pairs


_KEYBOARD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def typed_variant(query: str, rng: random.Random) -> str:
    """The question as typed in a hurry: no æøå, lower case, a letter dropped or swapped."""
    text = query.translate(_KEYBOARD) if rng.random() < 0.7 else query
    if rng.random() < 0.6:
        text = text.lower()
    words = text.split()
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1:] if rng.random() < 0.5 else (
                w[:j - 1] + w[j] + w[j - 1] + w[j + 1:])
    return " ".join(words)


def with_variants(pairs: Sequence[Pair], rng: random.Random) -> list[Pair]:
    """Each Norwegian labelled question once more as typed in a hurry."""
    extra = [Pair(typed_variant(p.query, rng), p.chunks, p.sentences, "variant", p.lang)
             for p in pairs if p.origin.startswith("labelled") and p.lang == "no"]
    return [*pairs, *extra]


def unanswerable_queries(questions: Iterable[dict[str, Any]]) -> list[str]:
    """Questions the sources do not answer; a "what do I do" case (it has an audience) is no
    such question: it is answered with the steps to take."""
    return [q["question"] for q in questions if not q.get("source") and not is_case_row(q)]


# The frontline sets' kinds: a "what do I do" case, and a message like one that is none. Neither
# is a question the sources do or do not answer.
CASE_KINDS = ("action", "not-action")


def is_case_row(q: dict[str, Any]) -> bool:
    return q.get("kind") in CASE_KINDS or bool(q.get("audience"))
