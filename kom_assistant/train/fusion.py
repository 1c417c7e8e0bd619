"""Learn how much each search signal weighs, per language (search/fusion_model.json).

Each labelled question of the "train" sets gives every chunk's standardised signals (dense,
sentence, pair, keyword: search/retrieve.py, read_question) and which chunks hold its evidence.
A linear score over the signals is fitted so that the evidence comes first: the softmax over all
chunks of a question, with its evidence chunks as the positives (the loss the query encoder is
trained with, over four numbers instead of a network). The L2 strength is chosen by the whole
search's evidence recall on the "validation" sets; the "test" sets play no part. Needs scipy
(the train extra).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..maintain.atomic import write_atomic
from ..maintain.evaluate import QuestionSet, chunk_tokens, covers, evaluate, read_questions
from ..search.embeddings import Embedder, query_encoder
from ..search.fusion import (
    FUSION_FILE,
    SIGNALS,
    Weights,
    standardised,
    weights_language,
    weights_to_json,
)
from ..search.index import LoadedIndex
from ..search.retrieve import hybrid_search, read_question

STRENGTHS = (0.0, 0.01, 0.03, 0.1)  # L2 strengths tried


@dataclass(frozen=True)
class Example:
    """One labelled question: its chunks' standardised signals and which hold evidence."""

    language: str  # fusion.weights_language: "en", or "nb" for any other
    signals: np.ndarray  # chunks x SIGNALS
    evidence: np.ndarray  # bool per chunk


def examples(questions: Sequence[dict[str, Any]], index: LoadedIndex,
             embedder: Embedder) -> list[Example]:
    """The answerable questions whose evidence some chunk holds, as the search sees them."""
    everything = np.ones(len(index.chunks), dtype=bool)
    words = [chunk_tokens(c) for c in index.chunks]
    out = []
    for q in questions:
        quotes = q.get("quotes") or []
        evidence = np.array([any(covers(w, quote) for quote in quotes) for w in words])
        if not evidence.any():
            continue
        read = read_question(index, embedder, q["question"])
        out.append(Example(weights_language(read.language),
                           np.stack([standardised(s, everything) for s in read.signals], axis=1),
                           evidence))
    return out


def fit_weights(rows: Sequence[Example], strength: float) -> np.ndarray:
    """Weights minimising the mean of -log(softmax mass on the evidence chunks) + strength *
    |w|^2, from equal weights (the fusion before it was learned)."""
    from scipy.optimize import minimize

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for r in rows:
            s = r.signals @ w
            e = np.exp(s - s.max())
            on_evidence = e * r.evidence
            total -= float(np.log(on_evidence.sum() / e.sum()))
            grad += r.signals.T @ (e / e.sum() - on_evidence / on_evidence.sum())
        n = max(1, len(rows))
        return total / n + strength * float(w @ w), grad / n + 2 * strength * w

    return np.asarray(minimize(loss, np.ones(len(SIGNALS)), jac=True, method="L-BFGS-B").x)


def validation_recall(questions: Sequence[dict[str, Any]], index: LoadedIndex,
                      embedder: Embedder, weights: Weights) -> float:
    """Evidence recall @4000 characters of the whole search with these weights."""
    table = evaluate(questions, lambda q: hybrid_search(index, embedder, q, k=10,
                                                        weights=weights), lambda: 0.0)
    return table["all"].get("evidence_recall@4000", 0.0) if "all" in table else 0.0


def train_fusion(sets: Sequence[QuestionSet], index: LoadedIndex, embedder: Embedder,
                 out: Path = FUSION_FILE, log: Callable[[str], Any] = print) -> dict[str, Any]:
    train = [s for s in sets if s.role == "train"]
    valid = [s for s in sets if s.role == "validation"]
    rows = [e for s in train for e in examples(read_questions(s.path), index, embedder)]
    held = [q for s in valid for q in read_questions(s.path)]
    equal = {"nb": (1.0,) * len(SIGNALS), "en": (1.0,) * len(SIGNALS)}
    equal_recall = validation_recall(held, index, embedder, equal)
    best: tuple[str, float, Weights] = ("equal weights", equal_recall, equal)
    log(f"{len(rows)} training questions; equal weights: validation recall {equal_recall:.3f}")
    for strength in STRENGTHS:
        weights = {lang: tuple(float(w) for w in fit_weights(
            [r for r in rows if r.language == lang], strength)) for lang in ("nb", "en")}
        recall = validation_recall(held, index, embedder, weights)
        log(f"L2 {strength}: validation recall {recall:.3f}, "
            + ", ".join(f"{lang} {np.round(ws, 2).tolist()}" for lang, ws in weights.items()))
        if recall > best[1]:
            best = (f"L2 {strength}", recall, weights)
    card = {"encoder": query_encoder(embedder), "trained_on": [s.name for s in train],
            "chosen_on": [s.name for s in valid],
            "training_questions": {lang: sum(r.language == lang for r in rows)
                                   for lang in ("nb", "en")},
            "chosen": best[0], "validation_recall@4000": round(best[1], 3),
            "validation_recall@4000_equal_weights": round(equal_recall, 3)}
    data = {"weights": weights_to_json(best[2]), "card": card}
    write_atomic(out, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())
    return card
