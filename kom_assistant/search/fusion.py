"""Fusing ranked signals into one ranking: pure functions over ids and score arrays, and the
learned weights of the signals (fusion_model.json, trained by train/fusion.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

# The signals hybrid_search fuses, in this order (search/retrieve.py, read_question).
SIGNALS = ("dense", "sentence", "pair", "keyword")
FUSION_FILE = Path(__file__).with_name("fusion_model.json")
Weights = Mapping[str, Sequence[float]]  # language ("en", or "nb" for any other) -> per signal


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], weights: Sequence[float] | None = None, k: int = 60
) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score = sum(weight / (k + rank)); best first, ties by first seen."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def standardised(scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """How many standard deviations above the allowed chunks' mean each chunk stands; a chunk
    without a score (-inf: no sentences) counts as the lowest scored. Zeros when none is."""
    scores = scores.astype(np.float64)
    scored = allowed & np.isfinite(scores)
    if not scored.any():
        return np.zeros(len(scores))
    values = scores[scored]
    scores = np.where(np.isfinite(scores), scores, values.min())
    return (scores - values.mean()) / (values.std() or 1.0)


def score_fusion(signals: Sequence[np.ndarray], allowed: np.ndarray,
                 weights: Sequence[float] | None = None) -> np.ndarray:
    """Each allowed chunk's z-scores (see standardised), weighted and summed over the signals;
    -inf for the others. Unlike rank fusion, a clear lead in one signal keeps its weight: the
    dense model sure of one passage, a rare word found in few chunks."""
    weights = weights or [1.0] * len(signals)
    total = np.zeros(len(allowed))
    for scores, weight in zip(signals, weights, strict=True):
        total += weight * standardised(scores, allowed)
    return np.where(allowed, total, -np.inf)


def weights_to_json(weights: Weights) -> dict[str, dict[str, float]]:
    return {lang: dict(zip(SIGNALS, (round(float(w), 6) for w in ws), strict=True))
            for lang, ws in weights.items()}


def weights_from_json(data: Mapping[str, Mapping[str, float]]) -> dict[str, tuple[float, ...]]:
    return {lang: tuple(float(by_signal[s]) for s in SIGNALS) for lang, by_signal in data.items()}


@cache
def fusion_weights(path: Path = FUSION_FILE) -> dict[str, tuple[float, ...]]:
    """The learned weights per language."""
    return weights_from_json(json.loads(path.read_text(encoding="utf-8"))["weights"])


def weights_language(language: str) -> str:
    """Whose weights a question's language takes: English, or Norwegian for any other."""
    return "en" if language == "en" else "nb"


def language_weights(weights: Weights, language: str) -> Sequence[float]:
    return weights[weights_language(language)]
