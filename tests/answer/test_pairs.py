"""The pair reader re-reads the sentence model's best few, and only those."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from kom_assistant.answer.pairs import (
    PAIR_HEAD,
    PairReader,
    pair_reader,
    pair_scores,
    pair_text,
    read_pair_reader,
    reread,
)
from kom_assistant.answer.select import Scored
from kom_assistant.models import Chunk, Hit

TEXT = ("Refleksjonsperioden varer i seks måneder. Kirkens Bymisjon driver tiltak i Oslo. "
        "ROSA tilbyr trygge boliger. KOM koordinerer innsatsen mot menneskehandel.")


def _scored(probabilities: Sequence[float]) -> list[Scored]:
    chunk = Chunk(id="a", document_id="v", document_title="Veileder", source="v.md",
                  section="", page_start=1, page_end=1, char_start=0, char_end=len(TEXT),
                  text=TEXT)
    hit = Hit(chunk, 1.0, 1)
    starts = [0, 42, 82, 110]
    ends = [*starts[1:], len(TEXT)]
    return [Scored(hit, s, e, p) for s, e, p in zip(starts, ends, probabilities, strict=False)]


def _fixed(values: Sequence[float]):  # type: ignore[no-untyped-def]
    def scores(reader: PairReader, question: str, sentences: Sequence[str]) -> np.ndarray:
        assert len(sentences) == reader.rerank
        return np.array(values[: len(sentences)])
    return scores


def test_pair_text_cuts_both_sides_and_drops_a_list_dash() -> None:
    text = pair_text(" ".join(["ord"] * 40), "- " + " ".join(["setning"] * 80))
    question, sentence = text.split(" passage: ")
    assert len(question.split()) == 24 and len(sentence.split()) == 40
    assert not sentence.startswith("-")


def test_reread_reorders_only_the_first_few_and_keeps_probabilities() -> None:
    scored = _scored([0.9, 0.8, 0.7, 0.6])
    reader = PairReader((0.0,), rerank=3, weight=1.0)
    # The third is read as far likelier; the fourth would be too, but is not read at all.
    out = reread("Hvor lenge varer refleksjonsperioden?", scored, reader,
                 _fixed([0.0, 0.0, 5.0, 9.0]))
    assert [round(s.score, 1) for s in out] == [0.7, 0.9, 0.8, 0.6]
    # A small pair score does not overturn a clear lead of the sentence model.
    out = reread("Hvor lenge varer refleksjonsperioden?", scored, reader,
                 _fixed([0.0, 0.5, 0.0]))
    assert [round(s.score, 1) for s in out] == [0.9, 0.8, 0.7, 0.6]


def test_without_a_reader_the_sentence_model_alone_ranks() -> None:
    scored = _scored([0.2, 0.9, 0.5])
    assert [s.score for s in reread("q", scored, None)] == [0.9, 0.5, 0.2]
    assert read_pair_reader(Path("/nonexistent/pair_model.json")) is None


@pytest.mark.skipif(not PAIR_HEAD.exists(), reason="no pair reader shipped")
def test_the_shipped_reader_prefers_the_sentence_that_answers() -> None:
    reader = pair_reader()
    assert reader is not None and reader.layers < 12 and len(reader.weights) == 384
    good, bad = pair_scores(reader, "Hvor lenge varer refleksjonsperioden?", [
        "Refleksjonsperioden er en midlertidig oppholdstillatelse som varer i seks måneder.",
        "Kirkens Bymisjon har drevet tiltak for utsatte grupper i Oslo i mange år."])
    assert good > bad
