"""Fitting the answer's logistic models and choosing their settings on validation questions
(scikit-learn, the train extra): what train/answers.py and train/frontline.py share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..answer.model import LinearModel
from ..search.embeddings import Embedder

# Refuse at least this share of the validation's unanswerable questions (the target is 0.80;
# the margin is for questions not seen), and otherwise as little as possible: where a model
# could refuse more, refusing as much as 7% false refusals allowed on validation refused twice
# that on the test sets, among them the plainest questions ("Hva er refleksjonsperiode?").
TARGET_REFUSED = 0.85
# Never more false refusals on validation than this.
MAX_FALSE_REFUSALS = 0.07
# A threshold held back by a known question stays this far below its probability: at the
# boundary itself, the threshold's rounding in the file or another machine's arithmetic would
# refuse it.
KNOWN_MARGIN = 0.01
# How much a known question weighs in training against one labelled question, chosen on
# validation with C: weighed as one, "What is the maximum penalty for human trafficking in
# Norway?" read like the penalties for other offences and held the threshold down (validation
# refused 0.67 of its unanswerable questions at C 0.01, against 0.79 weighed 5); weighed more,
# the model learns that such plain questions are answered, and the threshold can stay where
# validation puts it.
KNOWN_WEIGHTS = (1.0, 5.0, 20.0)


def fit(x: np.ndarray, y: np.ndarray, c: float = 1.0,
        weights: np.ndarray | None = None) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit((x - mean) / scale, y, sample_weight=weights)
    return LinearModel((), tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]),
                       tuple(float(m) for m in mean), tuple(float(s) for s in scale))


def choose_threshold(probabilities: np.ndarray, answerable: np.ndarray) -> float:
    """The lowest refusal threshold that refuses TARGET_REFUSED of the unanswerable questions;
    if that costs more than MAX_FALSE_REFUSALS of the answerable, the highest that does not."""
    answered = np.sort(probabilities[answerable])
    k = int(np.floor(MAX_FALSE_REFUSALS * len(answered)))
    ceiling = float(answered[k]) if len(answered) else 0.5
    unanswered = np.sort(probabilities[~answerable])
    if not len(unanswered):
        return ceiling
    # Refusing below t refuses every unanswerable question under t: t just above the
    # TARGET_REFUSED quantile of their probabilities.
    i = min(len(unanswered) - 1, int(np.ceil(TARGET_REFUSED * len(unanswered))) - 1)
    return min(float(np.nextafter(unanswered[i], 1.0)), ceiling)


@dataclass(frozen=True)
class Chosen:
    model: LinearModel
    c: float
    threshold: float
    refused: float  # of the validation's unanswerable questions
    false: float  # of its answerable ones
    known_weight: float = 0.0  # of each known question in training (0: not trained on)


def choose_answerable(tr_x: np.ndarray, tr_y: np.ndarray, va_x: np.ndarray, va_y: np.ndarray,
                      names: tuple[str, ...], cs: Sequence[float], what: str,
                      log: Callable[[str], Any], known_x: np.ndarray | None = None,
                      known_weights: Sequence[float] = KNOWN_WEIGHTS) -> Chosen | None:
    """An answerability model for each C (and, with known questions, each weight they get as
    answerable training questions), its threshold by choose_threshold on validation but never
    above the probability of a known question (`known_x`: those are always answered); of
    those, the most refused, then the fewest false refusals. None without any C."""
    known = known_x if known_x is not None and len(known_x) else None
    x, y = tr_x, tr_y
    if known is not None:
        x, y = np.vstack([tr_x, known]), np.r_[tr_y, np.ones(len(known), bool)]
    chosen: Chosen | None = None
    for c in cs:
        for weight in known_weights if known is not None else (0.0,):
            w = None if known is None else np.r_[np.ones(len(tr_y)), np.full(len(known), weight)]
            model = fit(x, y, c, w)
            model = LinearModel(names, model.weights, model.bias, model.mean, model.scale)
            p = np.array([model.probability(r) for r in va_x])
            threshold = choose_threshold(p, va_y)
            if known is not None:
                threshold = min(threshold,
                                min(model.probability(r) for r in known) - KNOWN_MARGIN)
            refused = float(np.mean(p[~va_y] < threshold)) if (~va_y).any() else 0.0
            false = float(np.mean(p[va_y] < threshold)) if va_y.any() else 0.0
            log(f"{what}, C={c}" + (f", known questions weigh {weight:g}" if weight else "")
                + f": validation refuses {refused:.3f} of unanswerable, {false:.3f} of "
                f"answerable at threshold {threshold:.3f}")
            if chosen is None or (-refused, false) < (-chosen.refused, chosen.false):
                chosen = Chosen(model, c, threshold, refused, false, weight)
    return chosen


def embed_texts(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """The query encoder's embeddings of the texts, in batches."""
    if not texts:
        return np.zeros((0, 0))
    return np.concatenate([embedder.embed_queries(texts[i : i + 64])
                           for i in range(0, len(texts), 64)]).astype(np.float64)
