"""Learn whether a message is a frontline case that asks what to do (model.py's "frontline"):
its embedding and the rules of answer/frontline.py, C and threshold chosen on validation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..answer.frontline import FRONTLINE_RULES, frontline_features
from ..answer.model import LinearModel
from ..ingest.language import detect_language
from ..maintain.evaluate import QuestionSet, read_questions
from ..search.embeddings import Embedder
from .fit import fit


def case_rows(sets: Sequence[QuestionSet], embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    """Every message of the sets as frontline features, labelled: a "what do I do" case (kind
    "action") or not (every other question, and the messages like cases that are none)."""
    questions = [q for qs in sets for q in read_questions(qs.path)]
    texts = [q["question"] for q in questions]
    vectors = np.concatenate([embedder.embed_queries(texts[i : i + 64])
                              for i in range(0, len(texts), 64)]) if texts else np.zeros((0, 0))
    x = np.array([frontline_features(t, detect_language(t), v)
                  for t, v in zip(texts, vectors, strict=True)], dtype=np.float64)
    y = np.array([q.get("kind") == "action" for q in questions])
    return x, y


def train_frontline(train: Sequence[QuestionSet], valid: Sequence[QuestionSet],
                    embedder: Embedder, log: Callable[[str], Any]
                    ) -> tuple[LinearModel, float, dict[str, Any]]:
    """The frontline model, its C and threshold chosen on the validation messages: catch every
    case it can (a case refused is the costly mistake), then flag as few other questions."""
    tr_x, tr_y = case_rows(train, embedder)
    va_x, va_y = case_rows(valid, embedder)
    dim = tr_x.shape[1] - len(FRONTLINE_RULES)
    names = (*(f"e5_{i}" for i in range(dim)), *FRONTLINE_RULES)
    best: tuple[tuple[float, float], float, float, LinearModel] | None = None
    for c in (0.01, 0.1, 1.0):
        model = fit(tr_x, tr_y, c)
        model = LinearModel(names, model.weights, model.bias, model.mean, model.scale)
        p = np.array([model.probability(r) for r in va_x])
        # The threshold that catches the most cases, and of those the fewest others.
        for t in sorted({0.5, *(float(v) for v in p[va_y])}, reverse=True):
            caught, flagged = float(np.mean(p[va_y] >= t)), float(np.mean(p[~va_y] >= t))
            key = (caught, -flagged)
            if best is None or key > best[0]:
                best = (key, c, t, model)
        log(f"frontline model C={c}: best so far catches {best[0][0]:.3f} of validation cases, "
            f"flags {-best[0][1]:.3f} of other questions" if best else "")
    assert best is not None
    (caught, flagged), c, threshold, model = best
    # Halfway to the likeliest other question below it: the lowest case seen is no bound for
    # the cases not seen.
    p = np.array([model.probability(r) for r in va_x])
    below = p[~va_y][p[~va_y] < threshold]
    threshold = (threshold + float(below.max())) / 2 if below.size else threshold / 2
    return model, threshold, {"C": c, "training_messages": len(tr_y),
                              "training_cases": int(tr_y.sum()),
                              "validation_cases_caught": round(caught, 3),
                              "validation_others_flagged": round(-flagged, 3)}
