"""The fusion weights are learned from labelled questions and chosen on validation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("scipy")

from kom_assistant.maintain.evaluate import QuestionSet  # noqa: E402
from kom_assistant.search.fusion import SIGNALS, weights_from_json  # noqa: E402
from kom_assistant.search.retrieve import (  # noqa: E402
    hybrid_search,
    keyword_query,
    keyword_ranking,
)
from kom_assistant.train.fusion import STRENGTHS, Example, fit_weights, train_fusion  # noqa: E402


def test_fit_weights_learns_which_signal_finds_the_evidence() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(40):
        evidence = np.zeros(50, dtype=bool)
        evidence[rng.integers(50)] = True
        signals = rng.normal(size=(50, len(SIGNALS)))
        signals[:, 3] += 3.0 * evidence  # only the keyword signal knows
        rows.append(Example("nb", signals, evidence))
    w = fit_weights(rows, 0.0)
    assert w[3] > 2 * np.abs(w[:3]).max()
    # A stronger penalty pulls the weights towards zero.
    assert np.abs(fit_weights(rows, 1.0)).sum() < np.abs(w).sum()


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


@pytest.mark.slow
def test_train_fusion_writes_weights_chosen_on_validation(tmp_path: Path, real_index,
                                                          embedder) -> None:
    def row(i: int, question: str, quote: str, lang: str = "no") -> dict[str, object]:
        return {"id": f"Q{i}", "question": question, "lang": lang, "source": "x",
                "quotes": [quote]}

    period = "Refleksjonsperiode er en 6 måneders midlertidig oppholdstillatelse"
    train = [row(1, "Hva er refleksjonsperiode?", period),
             row(2, "What is the reflection period?", period, "en"),
             row(3, "Hvor lenge varer refleksjonsperioden?", period),
             row(4, "How long is the reflection period?", period, "en")]
    valid = [row(5, "hvor lang er refleksjonsperioden for ofre", period),
             row(6, "reflection period how many months", period, "en"),
             {"id": "U1", "question": "Hva er straffen for promillekjøring?", "source": None}]
    sets = [QuestionSet("t", _write(tmp_path / "t.jsonl", train), "train", ""),
            QuestionSet("v", _write(tmp_path / "v.jsonl", valid), "validation", "")]
    out = tmp_path / "fusion_model.json"
    card = train_fusion(sets, real_index, embedder, out, log=lambda _: None)
    data = json.loads(out.read_text(encoding="utf-8"))
    weights = weights_from_json(data["weights"])
    assert set(weights) == {"nb", "en"}
    assert card["trained_on"] == ["t"] and card["chosen_on"] == ["v"]
    assert card["training_questions"] == {"nb": 2, "en": 2}
    assert card["chosen"] in ["equal weights", *(f"L2 {s}" for s in STRENGTHS)]
    assert card["validation_recall@4000"] >= card["validation_recall@4000_equal_weights"]
    assert data["card"] == card


@pytest.mark.slow
def test_hybrid_search_weighs_the_signals_as_told(real_index, embedder) -> None:
    question = "Hvem driver ROSA?"
    only_keyword = {"nb": (0.0, 0.0, 0.0, 1.0), "en": (0.0, 0.0, 0.0, 1.0)}
    hits = hybrid_search(real_index, embedder, question, k=3, weights=only_keyword)
    allowed = np.ones(len(real_index.chunks), dtype=bool)
    by_keyword = keyword_ranking(real_index, keyword_query(question, "nb"), allowed, 3)
    assert [h.chunk.id for h in hits] == [c for c, _ in by_keyword]
