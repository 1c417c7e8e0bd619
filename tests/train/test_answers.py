"""The frontline model learns cases from messages; its card is written from the run's figures."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

from kom_assistant.answer.frontline import FRONTLINE_RULES  # noqa: E402
from kom_assistant.maintain.evaluate import QuestionSet  # noqa: E402
from kom_assistant.train.answers import card_markdown, train_frontline  # noqa: E402

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
        "sentence": {"training_rows": 1, "C": 1.0, "support_line": 0.9,
                     "validation_first_line_holds_evidence": 0.6,
                     "validation_lines_holding_evidence": 0.5},
        "answerable": {"training_questions": 2, "C": 0.1, "validation_unanswerable_refused": 0.7,
                       "validation_false_refusals": 0.05},
    })
    assert "cases caught 1.0" in page and "Chosen on: v" in page
