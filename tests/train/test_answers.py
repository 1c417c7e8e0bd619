"""The answer models learn from labelled questions (which sentence leads, whether the sources
answer, whether a message is a frontline case); their card is written from the run's figures."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

from kom_assistant.answer.answerability import ANSWERABLE_FEATURES  # noqa: E402
from kom_assistant.answer.frontline import FRONTLINE_RULES  # noqa: E402
from kom_assistant.answer.select import Scored  # noqa: E402
from kom_assistant.maintain.evaluate import QuestionSet  # noqa: E402
from kom_assistant.train.answer_card import card_markdown  # noqa: E402
from kom_assistant.train.answers import Seen, fit_pairwise, train_embedded  # noqa: E402
from kom_assistant.train.fit import choose_answerable  # noqa: E402
from kom_assistant.train.frontline import train_frontline  # noqa: E402

from ..passages import hits  # noqa: E402

# A toy embedding: a case is told of someone ("she", "he", an age); a question is not.
WORDS = ("she", "he", "years", "boss", "what", "penalty", "how", "many", "strategy", "pass")


class WordEmbedder:
    name = query_name = "toy"

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[float(w in t.lower().split()) for w in WORDS] for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_queries(texts)


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def cases(prefix: str, n: int) -> list[dict[str, object]]:
    people = ["she", "he"]
    return [{"id": f"{prefix}{i}", "kind": "action", "audience": "adult",
             "question": f"{people[i % 2]} is {20 + i} years and the boss keeps the pass "
                         f"message {i}. what now"} for i in range(n)]


def questions(prefix: str, n: int) -> list[dict[str, object]]:
    asks = ["how many victims", "what is the penalty", "what does the strategy say"]
    return [{"id": f"{prefix}{i}", "question": f"{asks[i % 3]} number {i}",
             "source": "x", "quotes": []} for i in range(n)]


def test_the_frontline_model_catches_held_out_cases_and_writes_its_card(tmp_path: Path) -> None:
    train = [QuestionSet("t", write(tmp_path / "t.jsonl", cases("T", 20) + questions("Q", 40)),
                         "train", "")]
    valid = [QuestionSet("v", write(tmp_path / "v.jsonl", cases("V", 6) + questions("W", 12)),
                         "validation", "")]
    model, threshold, card = train_frontline(train, valid, WordEmbedder(), log=lambda _: None)
    assert model.features[-len(FRONTLINE_RULES):] == FRONTLINE_RULES
    assert len(model.weights) == len(WORDS) + len(FRONTLINE_RULES)
    assert card["training_cases"] == 20 and card["training_messages"] == 60
    assert card["validation_cases_caught"] == 1.0
    assert card["validation_others_flagged"] == 0.0
    assert 0.0 < threshold <= 1.0
    page = card_markdown({
        "trained_on": ["t"], "chosen_on": ["v"], "frontline": card,
        "sentence": {"training_rows": 1, "model": "pairwise, C = 0.1", "support_line": 0.9,
                     "validation_first_line_holds_evidence": 0.6,
                     "validation_lines_holding_evidence": 0.5},
        "answerable": {"training_questions": 2, "C": 0.1, "validation_unanswerable_refused": 0.7,
                       "validation_false_refusals": 0.05},
        "answerable_embedded": {"training_questions": 2, "C": 0.01,
                                "validation_unanswerable_refused": 0.9,
                                "validation_false_refusals": 0.03},
    })
    assert "cases caught 1.0" in page and "Chosen on: v" in page
    assert "pairwise, C = 0.1" in page and "unanswerable refused 0.9," in page


def toy_questions(n: int, rng: np.random.Generator) -> list[Seen]:
    """Questions of five candidates each: the evidence is the one that stands out from its own
    question's others in the first feature, whatever that question's general level (the
    second feature is noise)."""
    hit = hits("Refleksjonsperiode er en tillatelse på seks måneder.")[0]
    seen = []
    for _ in range(n):
        level = rng.normal(0, 3)
        good = int(rng.integers(5))
        rows = [(level + (1.5 if i == good else 0.0) + rng.normal(0, 0.3), rng.normal())
                for i in range(5)]
        seen.append(Seen("t", True, tuple(Scored(hit, 0, 10, 0.0, r) for r in rows),
                         tuple(i == good for i in range(5)), ()))
    return seen


def test_the_pairwise_sentence_model_ranks_within_each_question() -> None:
    rng = np.random.default_rng(1)
    train, held_out = toy_questions(200, rng), toy_questions(50, rng)
    x = np.array([c.features for s in train for c in s.candidates])
    y = np.array([label for s in train for label in s.labels])
    model = fit_pairwise(train, x, y, c=1.0)
    assert model.weights[0] > 0 and abs(model.weights[1]) < 0.2 * model.weights[0]
    firsts = []
    for s in held_out:
        p = [model.probability(c.features) for c in s.candidates]
        assert all(0.0 < v < 1.0 for v in p)
        firsts.append(s.labels[int(np.argmax(p))])
    assert np.mean(firsts) >= 0.9


def test_known_questions_weighed_more_are_answered_without_lowering_the_threshold() -> None:
    rng = np.random.default_rng(3)

    def rows(n: int, plain_share: float) -> tuple[np.ndarray, np.ndarray]:
        # The first dimension says the unanswerable kind; the second marks the plain questions
        # the known ones are (a penalty asked for the offence itself), which only validation
        # holds besides them.
        y = np.arange(n) % 3 != 0
        x = np.c_[np.where(y, 0.0, 1.0) + rng.normal(0, 0.3, n), rng.normal(0, 0.1, n)]
        plain = rng.random(n) < plain_share
        x[plain] = [1.0, 1.0]
        return x, y | plain

    (tr_x, tr_y), (va_x, va_y) = rows(400, 0.0), rows(120, 0.05)
    known = np.array([[1.0, 1.0], [0.9, 1.1]])
    names = ("kind", "plain")
    once = choose_answerable(tr_x, tr_y, va_x, va_y, names, (0.1,), "t", lambda _: None, known,
                             known_weights=(1.0,))
    chosen = choose_answerable(tr_x, tr_y, va_x, va_y, names, (0.1,), "t", lambda _: None,
                               known, known_weights=(1.0, 20.0))
    assert once is not None and chosen is not None
    assert chosen.known_weight == 20.0 and chosen.refused > once.refused
    assert all(chosen.model.probability(k) >= chosen.threshold + 0.01 for k in known)
    assert chosen.false <= 0.07

def test_the_answerable_model_learns_from_the_questions_embedding_too() -> None:
    rng = np.random.default_rng(2)

    def rows(n: int) -> tuple[np.ndarray, np.ndarray]:
        # The features say little (noise); the embedding's first dimension says the kind of
        # question the sources never answer.
        y = np.arange(n) % 3 != 0
        features = rng.normal(size=(n, len(ANSWERABLE_FEATURES)))
        vectors = np.c_[np.where(y, 0.0, 1.0) + rng.normal(0, 0.2, n), rng.normal(size=(n, 3))]
        return np.hstack([features, vectors]), y

    (tr_x, tr_y), (va_x, va_y) = rows(300), rows(60)
    model, threshold, card = train_embedded(tr_x, tr_y, va_x, va_y, log=lambda _: None)
    assert model.features[:len(ANSWERABLE_FEATURES)] == ANSWERABLE_FEATURES
    assert len(model.weights) == len(ANSWERABLE_FEATURES) + 4
    assert card["validation_unanswerable_refused"] >= 0.85
    assert card["validation_false_refusals"] <= 0.07 and card["training_questions"] == 300
    refused = [model.probability(r) < threshold for r in va_x]
    assert np.mean(np.array(refused)[~va_y]) >= 0.85
    # A known question that reads like the unanswerable kind: the threshold comes down to
    # answer it, and refuses less.
    known = np.zeros((1, va_x.shape[1]))
    known[0, len(ANSWERABLE_FEATURES)] = 1.0
    held, held_threshold, held_card = train_embedded(tr_x, tr_y, va_x, va_y,
                                                     log=lambda _: None, known_x=known)
    assert held is not None and held.probability(known[0]) >= held_threshold + 0.01
    assert held_threshold < threshold
    assert held_card["validation_unanswerable_refused"] < card["validation_unanswerable_refused"]
    # Held back so far that the model without the embedding refuses more: none.
    none, _, card = train_embedded(tr_x, tr_y, va_x, va_y, log=lambda _: None, known_x=known,
                                   to_beat=held_card["validation_unanswerable_refused"])
    assert none is None and card["C"] is None
    assert "left out" in card_markdown({
        "trained_on": ["t"], "chosen_on": ["v"], "answerable_embedded": card,
        "frontline": {"training_messages": 1, "training_cases": 1, "C": 1.0,
                      "validation_cases_caught": 1.0, "validation_others_flagged": 0.0},
        "sentence": {"training_rows": 1, "model": "pointwise, C = 1.0", "support_line": 0.9,
                     "validation_first_line_holds_evidence": 0.6,
                     "validation_lines_holding_evidence": 0.5},
        "answerable": {"training_questions": 2, "C": 0.1, "validation_unanswerable_refused": 0.7,
                       "validation_false_refusals": 0.05}})
