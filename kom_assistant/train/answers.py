"""Learn the answer's decisions from labelled questions: which sentence holds the evidence,
whether the sources answer at all, and (train/frontline.py) whether a message is a frontline
case that asks what to do; written to answer/answer_model.json, with its card answer_model.md
beside it (train/answer_card.py).

All are logistic regressions over features the pipeline computes anyway (select.RANKED_FEATURES,
answerability.ANSWERABLE_FEATURES with and without the question's embedding,
frontline.frontline_features), fitted on the sets whose role is "train" (train/fit.py), with
their settings and thresholds chosen on the "validation" sets. The "test" sets play no part;
the card gives the validation figures. Needs scikit-learn (the train extra).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..answer.answerability import ANSWERABLE_FEATURES, answerable_features
from ..answer.lines import choose_lines
from ..answer.model import MODEL_FILE, LinearModel, model_to_json
from ..answer.select import RANKED_FEATURES, Scored, candidates
from ..maintain.atomic import write_atomic
from ..maintain.evaluate import QuestionSet, read_questions, tokens
from ..models import Hit
from ..search.embeddings import Embedder, query_encoder
from ..search.index import LoadedIndex
from ..search.keyword import KeywordIndex
from ..search.retrieve import hybrid_search, mend_question
from .answer_card import card_markdown
from .data import is_case_row
from .fit import choose_answerable, embed_texts, fit
from .frontline import train_frontline


@dataclass(frozen=True)
class Seen:
    """One question through retrieval: its candidates and answerability features."""

    set_name: str
    answerable: bool
    candidates: tuple[Scored, ...]
    labels: tuple[bool, ...]  # per candidate: holds at least half of a quote's words
    features: tuple[float, ...]
    query: str = ""
    hits: tuple[Hit, ...] = ()
    quotes: tuple[str, ...] = ()


def holds_evidence(text: str, quotes: Sequence[str]) -> bool:
    words = tokens(text)
    return any(len(tokens(q) & words) >= 0.5 * len(tokens(q)) for q in quotes if tokens(q))


def see(questions: Sequence[dict[str, Any]], set_name: str, index: LoadedIndex,
        embedder: Embedder) -> list[Seen]:
    # Candidates unscored: the model is what is being trained (rescore fills the scores in).
    unscored = LinearModel(RANKED_FEATURES, (0.0,) * len(RANKED_FEATURES))
    seen = []
    for q in questions:
        if is_case_row(q):
            continue  # "what do I do" cases (and messages like them) are the frontline model's
        query = mend_question(index, q["question"])
        hits = hybrid_search(index, embedder, query, k=8)
        scored = tuple(candidates(query, hits, index.keyword, unscored))
        quotes = q.get("quotes") or []
        labels = tuple(holds_evidence(c.text, quotes) for c in scored)
        features = answerable_features(query, hits, index.keyword, [c.score for c in scored])
        seen.append(Seen(set_name, q.get("source") is not None, scored, labels, features,
                         query, tuple(hits), tuple(quotes)))
    return seen


def fit_pairwise(seen: Sequence[Seen], x: np.ndarray, y: np.ndarray, c: float,
                 negatives: int = 20, seed: int = 0) -> LinearModel:
    """A sentence model learned from pairs within a question (a sentence holding the evidence
    against one that does not): what makes the first line is how a sentence compares with the
    others of its question, not how likely it is among all sentences. The pairwise score then
    becomes a probability on the pointwise labels (`x`, `y`: every candidate), so the composer's
    thresholds keep their meaning."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    rng = np.random.default_rng(seed)
    diffs = []
    for s in seen:
        if not s.answerable or not s.candidates:
            continue
        f = (np.array([cand.features for cand in s.candidates]) - mean) / scale
        good = [i for i, label in enumerate(s.labels) if label]
        bad = [i for i, label in enumerate(s.labels) if not label]
        for i in good:
            for j in rng.choice(bad, size=min(negatives, len(bad)), replace=False) if bad else []:
                diffs.append(f[i] - f[j])
    d = np.array(diffs)
    ranker = LogisticRegression(C=c, fit_intercept=False, max_iter=3000)
    ranker.fit(np.vstack([d, -d]), np.r_[np.ones(len(d)), np.zeros(len(d))])
    w = ranker.coef_[0]
    calibration = LogisticRegression(max_iter=1000).fit((((x - mean) / scale) @ w)[:, None], y)
    a, b = float(calibration.coef_[0][0]), float(calibration.intercept_[0])
    return LinearModel((), tuple(float(a * v) for v in w), b, tuple(float(m) for m in mean),
                       tuple(float(v) for v in scale))


def rescore(seen: Sequence[Seen], model: LinearModel) -> list[list[float]]:
    """Each question's candidate probabilities under `model`, best first."""
    return [sorted((model.probability(c.features) for c in s.candidates), reverse=True)
            for s in seen]


def answerable_rows(seen: Sequence[Seen], scores: Sequence[Sequence[float]]) -> np.ndarray:
    """The answerability features with the sentence scores of the model being trained (the
    features were computed with the old one)."""
    rows = []
    for s, sc in zip(seen, scores, strict=True):
        f = list(s.features)
        f[3] = sc[0] if sc else 0.0
        f[4] = sc[1] if len(sc) > 1 else 0.0
        rows.append(f)
    return np.array(rows, dtype=np.float64).reshape(len(seen), len(ANSWERABLE_FEATURES))


def line_share(seen: Sequence[Seen], model: LinearModel, floor: float,
               keyword: KeywordIndex) -> tuple[float, float]:
    """(first lines holding evidence, share of lines holding evidence) of answerable questions
    when the composer (lines.choose_lines) picks the lines with `model` and `floor`."""
    first, good, total = [], 0, 0
    for s in seen:
        if not s.answerable or not s.candidates:
            continue
        rescored = sorted((replace(c, score=model.probability(c.features)) for c in s.candidates),
                          key=lambda c: -c.score)
        lines = choose_lines(s.query, rescored, s.hits, keyword, floor)
        held = [holds_evidence(ln.first.text, s.quotes) for ln in lines]
        first.append(bool(held) and held[0])
        good += sum(held)
        total += len(held)
    return (sum(first) / len(first) if first else 0.0), good / max(1, total)


def train_answer_models(sets: Sequence[QuestionSet], index: LoadedIndex, embedder: Embedder,
                        out: Path = MODEL_FILE,
                        log: Callable[[str], Any] = print,
                        known_questions: Sequence[str] = ()) -> dict[str, Any]:
    started = time.perf_counter()
    train = [s for s in sets if s.role == "train"]
    valid = [s for s in sets if s.role == "validation"]
    seen = {qs.name: see(read_questions(qs.path), qs.name, index, embedder)
            for qs in [*train, *valid]}
    log(f"{sum(len(v) for v in seen.values())} questions through retrieval, "
        f"{time.perf_counter() - started:.0f} s")
    tr = [s for qs in train for s in seen[qs.name]]
    va = [s for qs in valid for s in seen[qs.name]]

    # Which sentence holds the evidence: candidates of answerable training questions.
    rows = [(c.features, label) for s in tr if s.answerable
            for c, label in zip(s.candidates, s.labels, strict=True)]
    x = np.array([r[0] for r in rows], dtype=np.float64)
    y = np.array([r[1] for r in rows])
    best: tuple[tuple[float, float], str, LinearModel] | None = None
    for how, c in [*(("pointwise", c) for c in (0.01, 0.1, 1.0, 10.0)),
                   *(("pairwise", c) for c in (0.01, 0.1))]:
        model = fit(x, y, c) if how == "pointwise" else fit_pairwise(tr, x, y, c)
        model = LinearModel(RANKED_FEATURES, model.weights, model.bias, model.mean, model.scale)
        first, share = line_share(va, model, 0.5, index.keyword)
        log(f"sentence model, {how} C={c}: validation first line holds evidence {first:.3f}, "
            f"lines {share:.3f}")
        # The first line decides; where it ties (the first lines are often the same
        # sentences), the lines that follow it.
        if best is None or (first, share) > best[0]:
            best = ((first, share), f"{how}, C = {c}", model)
    assert best is not None
    sentence = best[2]
    floors = {f: line_share(va, sentence, f, index.keyword)
              for f in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)}
    # The lowest floor whose lines hold evidence three times in four: more lines say more,
    # as long as they hold evidence.
    good = [f for f, (_, share) in floors.items() if share >= 0.75]
    support_line = min(good) if good else max(floors, key=lambda f: floors[f][1])

    # Whether the sources answer: every training question, answerable or not.
    tr_x = answerable_rows(tr, rescore(tr, sentence))
    tr_y = np.array([s.answerable for s in tr])
    va_x = answerable_rows(va, rescore(va, sentence))
    va_y = np.array([s.answerable for s in va])
    plain = choose_answerable(tr_x, tr_y, va_x, va_y, ANSWERABLE_FEATURES,
                              (0.01, 0.1, 1.0, 10.0), "answerable model", log)
    assert plain is not None
    known = see([{"question": q, "source": "known"} for q in known_questions], "known", index,
                embedder)
    known_x = np.hstack([answerable_rows(known, rescore(known, sentence)),
                         question_vectors(known, embedder)]) if known else None
    # The known questions are answerable questions too: learned from, besides held to.
    embedded = train_embedded(np.hstack([tr_x, question_vectors(tr, embedder)]), tr_y,
                              np.hstack([va_x, question_vectors(va, embedder)]), va_y, log,
                              known_x, to_beat=plain.refused)
    embedded[2]["known_questions"] = len(known)
    first, share = floors[support_line]
    card: dict[str, Any] = {
        "trained_on": [s.name for s in train], "chosen_on": [s.name for s in valid],
        "sentence": {"model": best[1], "training_rows": len(rows),
                     "validation_first_line_holds_evidence": round(first, 3),
                     "validation_lines_holding_evidence": round(share, 3),
                     "support_line": support_line},
        "answerable": {"C": plain.c, "training_questions": len(tr),
                       "validation_unanswerable_refused": round(plain.refused, 3),
                       "validation_false_refusals": round(plain.false, 3)},
        "answerable_embedded": embedded[2],
    }
    frontline, frontline_threshold, card["frontline"] = train_frontline(train, valid, embedder,
                                                                         log)
    card["seconds"] = round(time.perf_counter() - started, 1)
    data = {"card": card, "sentence": model_to_json(sentence),
            "answerable": model_to_json(plain.model), "threshold": round(plain.threshold, 6),
            "answerable_embedded": model_to_json(embedded[0]) if embedded[0] else None,
            "embedded_threshold": round(embedded[1], 6),
            "support_line": support_line, "frontline": model_to_json(frontline),
            "frontline_threshold": round(frontline_threshold, 6),
            "encoder": query_encoder(embedder)}
    write_atomic(out, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())
    out.with_suffix(".md").write_text(card_markdown(card), encoding="utf-8")
    return card


def question_vectors(seen: Sequence[Seen], embedder: Embedder) -> np.ndarray:
    """Each question's embedding by the query encoder, as searched."""
    return embed_texts([s.query for s in seen], embedder)


def train_embedded(tr_x: np.ndarray, tr_y: np.ndarray, va_x: np.ndarray, va_y: np.ndarray,
                   log: Callable[[str], Any], known_x: np.ndarray | None = None,
                   to_beat: float = -1.0) -> tuple[LinearModel | None, float, dict[str, Any]]:
    """Whether the sources answer, from the features and the question's embedding: what kinds
    of question the sources do not cover ("the penalty for drink-driving", another country's
    figures) is learned from the questions' meaning, beside how well the passages match. C and
    the threshold are chosen on validation as for the model without the embedding, the
    threshold never above a known question's probability (`known_x`: the app's examples and
    the probes of corpus/regression.toml): what a question is about weighs so much at some
    settings that "What is the penalty for human trafficking?" reads like the penalties for
    other offences the sources do not give. None when, so held back, it refuses no more of the
    validation's unanswerable questions than `to_beat` (the model without the embedding)."""
    dim = tr_x.shape[1] - len(ANSWERABLE_FEATURES)
    names = (*ANSWERABLE_FEATURES, *(f"e5_{i}" for i in range(dim)))
    chosen = choose_answerable(tr_x, tr_y, va_x, va_y, names, (0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
                               "answerable model with the embedding", log, known_x)
    if chosen is None or chosen.refused <= to_beat:
        return None, 0.5, {"C": None, "training_questions": len(tr_y),
                           "validation_unanswerable_refused": round(chosen.refused, 3)
                           if chosen else None}
    return chosen.model, chosen.threshold, {
        "C": chosen.c, "training_questions": len(tr_y), "known_weight": chosen.known_weight,
        "validation_unanswerable_refused": round(chosen.refused, 3),
        "validation_false_refusals": round(chosen.false, 3)}
