"""Fusing ranked signals into one ranking: pure functions over ids and score arrays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


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


def score_fusion(signals: Sequence[np.ndarray], allowed: np.ndarray) -> np.ndarray:
    """Each allowed chunk's z-scores summed over the signals (how many standard deviations
    above the allowed chunks' mean it stands in each); -inf for the others. Unlike rank
    fusion, a clear lead in one signal keeps its weight: the dense model sure of one passage,
    a rare word found in few chunks."""
    total = np.zeros(len(allowed))
    for scores in signals:
        scores = scores.astype(np.float64)
        scored = allowed & np.isfinite(scores)
        if not scored.any():
            continue
        values = scores[scored]
        scores = np.where(np.isfinite(scores), scores, values.min())
        total += (scores - values.mean()) / (values.std() or 1.0)
    return np.where(allowed, total, -np.inf)
