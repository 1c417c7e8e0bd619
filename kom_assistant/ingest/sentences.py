"""Text -> sentences: where a chunk's sentences start and end (a full stop after an
abbreviation or a day's number does not end one), and the spans embedded on their own."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

_SENTENCE_END = re.compile(r"(?<=[.!?:])[\"»”')\]]?\s+(?=[«\"(]?[A-ZÆØÅ0-9§])")


@cache
def _abbreviations() -> frozenset[str]:
    data = tomllib.loads(Path(__file__).with_name("abbreviations.toml").read_text("utf-8"))
    return frozenset(data["abbreviations"]) | frozenset(data["before_a_name_or_number"])


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in `text`."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start()].rstrip("\"»”')]")
        last_word = before.rsplit(None, 1)[-1].lower().rstrip(".:") if before.split() else ""
        if before.endswith(".") and (
            last_word in _abbreviations() or re.fullmatch(r"\d{1,2}", last_word)
        ):
            continue  # "pr. 1. tertial", "f.eks. barn"
        spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a chunk's text, with each line (a list item, a heading) on its own."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        for s, e in split_sentences(line):
            spans.append((offset + s, offset + e))
        offset += len(line) + 1
    return spans


SEARCH_UNIT_WORDS = 6


def search_units(text: str) -> list[tuple[int, int]]:
    """Spans of a chunk's text embedded on their own, so that a question matching one sentence
    of a long passage still finds it: sentences, with fragments shorter than
    SEARCH_UNIT_WORDS words (headings, short list items) joined to what follows."""
    units: list[tuple[int, int]] = []
    start: int | None = None
    for s, e in sentence_spans(text):
        start = s if start is None else start
        if len(text[start:e].split()) >= SEARCH_UNIT_WORDS:
            units.append((start, e))
            start = None
    if start is not None:
        end = len(text.rstrip())
        if units and len(text[start:end].split()) < SEARCH_UNIT_WORDS:
            units[-1] = (units[-1][0], end)  # a trailing fragment joins the sentence before
        else:
            units.append((start, end))
    return units
