"""The learned parts of the answer, as data: logistic models in answer_model.json (written by
`kom-assistant train-answers`, with the sets they were trained and chosen on and their figures
in answer_model.md beside it).

- sentence: the probability that a candidate sentence holds the evidence (select.py);
- answerable: the probability that the hits answer the question at all (answerability.py),
  refused below `threshold`, chosen on validation questions; `answerable_embedded` reads the
  question's embedding too (by the query encoder named in `encoder`), and decides instead
  whenever that encoder is in use, refusing below `embedded_threshold`;
- frontline: the probability that a message tells of someone in a situation of possible
  trafficking and asks what to do (frontline.frontline_features: the message's embedding by
  the query encoder named in `encoder`, and the rules); such a message gets the steps and
  contacts, never a refusal. With another query encoder the rules decide alone.

Plain numpy at run time: scikit-learn is needed only to train them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ..search.embeddings import Embedder, query_encoder

MODEL_FILE = Path(__file__).with_name("answer_model.json")


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]  # on standardised features: (x - mean) / scale
    bias: float = 0.0
    mean: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()

    def logit(self, x: Sequence[float]) -> float:
        if len(x) != len(self.weights):
            raise ValueError(f"{len(x)} features for a model of {len(self.weights)}")
        mean = self.mean or (0.0,) * len(x)
        scale = self.scale or (1.0,) * len(x)
        return self.bias + sum(w * (v - m) / (s or 1.0)
                               for w, v, m, s in zip(self.weights, x, mean, scale, strict=True))

    def probability(self, x: Sequence[float]) -> float:
        z = self.logit(x)
        return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0


@dataclass(frozen=True)
class AnswerModels:
    sentence: LinearModel
    answerable: LinearModel
    threshold: float  # refuse below this probability of being answerable
    # A supporting line follows the first only when this likely to hold evidence too.
    support_line: float = 0.5
    card: dict[str, Any] = field(default_factory=dict)
    frontline: LinearModel | None = None
    frontline_threshold: float = 0.5
    encoder: str = ""  # the query encoder whose embeddings `frontline` and the next read
    answerable_embedded: LinearModel | None = None
    embedded_threshold: float = 0.5


def model_from_json(data: dict[str, Any]) -> LinearModel:
    return LinearModel(tuple(data["features"]), tuple(data["weights"]), data.get("bias", 0.0),
                       tuple(data.get("mean", ())), tuple(data.get("scale", ())))


def model_to_json(model: LinearModel) -> dict[str, Any]:
    return {"features": list(model.features), "weights": [round(w, 6) for w in model.weights],
            "bias": round(model.bias, 6), "mean": [round(m, 6) for m in model.mean],
            "scale": [round(s, 6) for s in model.scale]}


def read_answer_models(path: Path = MODEL_FILE) -> AnswerModels:
    data = json.loads(path.read_text(encoding="utf-8"))
    frontline, embedded = data.get("frontline"), data.get("answerable_embedded")
    return AnswerModels(model_from_json(data["sentence"]), model_from_json(data["answerable"]),
                        data["threshold"], data.get("support_line", 0.5), data.get("card", {}),
                        model_from_json(frontline) if frontline else None,
                        data.get("frontline_threshold", 0.5), data.get("encoder", ""),
                        model_from_json(embedded) if embedded else None,
                        data.get("embedded_threshold", 0.5))


@cache
def answer_models() -> AnswerModels:
    return read_answer_models()


def encoder_reader(embedder: Embedder, models: AnswerModels
                   ) -> Callable[[str], list[float]] | None:
    """The query encoder's embedding of a text, for the models that read it; None when the
    models were trained on another encoder's (they then decide without: rules, features)."""
    if not models.encoder or query_encoder(embedder) != models.encoder:
        return None

    @lru_cache(maxsize=8)
    def embed(text: str) -> list[float]:
        return [float(v) for v in embedder.embed_queries([text])[0]]

    return embed
