"""Which question sets the query encoder learns from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")

from kom_assistant.maintain.evaluate import QuestionSet  # noqa: E402
from kom_assistant.maintain.reindex import build_index  # noqa: E402
from kom_assistant.search.index import load_index  # noqa: E402
from kom_assistant.train.retrieval import training_pairs  # noqa: E402


def test_a_set_marked_for_the_answer_models_only_gives_the_encoder_no_pairs(
        small_settings, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_index(small_settings, embedder)
    index = load_index(small_settings, embedder.name)
    quote = next(c.text for c in index.chunks if len(c.text.split()) > 8).split("\n")[0]
    rows = [{"question": "Hva står det her?", "source": "x.txt", "quotes": [quote]}]
    path = tmp_path / "q.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    sets = [QuestionSet("both", path, "train", ""),
            QuestionSet("answers-only", path, "train", "", query_encoder=False)]
    pairs = training_pairs(index, sets, synthetic_share=0.0)
    # The one question, and its typed-in-a-hurry variant: from the first set only.
    assert {p.origin for p in pairs} == {"labelled:both", "variant"}
    assert len([p for p in pairs if p.origin == "labelled:both"]) == 1
