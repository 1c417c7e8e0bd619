"""Train the query encoder on this corpus: the data, the validation, one call.

Pairs come from the question sets whose role is "train" (benchmarks/sets.toml) and from the
corpus itself (train/data.py); each query is what the search embeds for it (its spelling
mended, an English one with its Norwegian terms). The "validation" sets choose the best state
by the whole search (hybrid_search) with the model being trained; the "test" sets play no part.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from torch.nn.utils import parametrize
from transformers import BertModel

from ..ingest.language import detect_language
from ..maintain.evaluate import QuestionSet, evaluate, read_questions
from ..search.embeddings import Embedder
from ..search.index import LoadedIndex
from ..search.retrieve import dense_query, hybrid_search, mend_question
from .data import Pair, labelled_pairs, synthetic_pairs, unanswerable_queries, with_variants
from .loop import Targets, TrainResult, TrainSettings, train
from .tokenizer import Tokenizer, encode, load_tokenizer
from .torch_model import embed

# The corpus's own queries, as a share of all it can make: they teach its words, the labelled
# questions teach what people ask (half was better than all on the validation questions).
SYNTHETIC_SHARE = 0.5


def training_pairs(index: LoadedIndex, sets: Sequence[QuestionSet], seed: int = 0,
                   synthetic_share: float = SYNTHETIC_SHARE) -> list[Pair]:
    """Labelled pairs of the training sets (Norwegian ones again as typed in a hurry), and the
    corpus's synthetic ones; each query as the search embeds it."""
    rng = random.Random(seed)
    labelled: list[Pair] = []
    for qs in sets:
        if qs.role == "train" and qs.query_encoder:
            labelled += labelled_pairs(read_questions(qs.path), index, qs.name)
    pairs = with_variants(labelled, rng)
    synthetic = synthetic_pairs(index, rng)
    rng.shuffle(synthetic)
    pairs += synthetic[: int(synthetic_share * len(synthetic))]
    return [replace(p, query=searched_text(index, p.query)) for p in pairs]


def training_unanswerable(index: LoadedIndex, sets: Sequence[QuestionSet]) -> list[str]:
    """The training sets' questions the sources do not answer, as the search embeds them."""
    return [searched_text(index, q) for qs in sets if qs.role == "train" and qs.query_encoder
            for q in unanswerable_queries(read_questions(qs.path))]


def searched_text(index: LoadedIndex, question: str) -> str:
    """What hybrid_search gives the dense model for this question."""
    mended = mend_question(index, question)
    return dense_query(mended, detect_language(mended))


class TorchQueryEmbedder:
    """The model being trained as an Embedder: its questions, the index's passages."""

    def __init__(self, bert: BertModel, tok: Tokenizer, passages: Embedder) -> None:
        self.bert, self.tok, self.passages = bert, tok, passages
        self.name = passages.name

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with torch.no_grad(), parametrize.cached():
            return embed(self.bert, [encode(self.tok, t, True) for t in texts],
                         self.tok.pad).numpy()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.passages.embed_passages(texts)


def validation_score(metrics: dict[str, dict[str, float]]) -> float:
    """One number to choose by: evidence recall, hit@1 and hit@5 of the whole search, the
    English questions' recall counted too (they had the furthest to go)."""
    every = metrics["all"]
    english = metrics.get("en", every)["evidence_recall@4000"]
    return (every["evidence_recall@4000"] + english + every["hit@1"] + every["hit@5"]) / 4


def validator(index: LoadedIndex, passages: Embedder, sets: Sequence[QuestionSet],
              log: Callable[[str], object] = print) -> Callable[[BertModel], float]:
    questions = [q for qs in sets if qs.role == "validation"
                 for q in read_questions(qs.path) if q.get("quotes")]
    tok = load_tokenizer()

    def score(bert: BertModel) -> float:
        embedder = TorchQueryEmbedder(bert, tok, passages)
        metrics = evaluate(questions, lambda q: hybrid_search(index, embedder, q, k=8),
                           time.perf_counter)
        value = validation_score(metrics)
        log(f"validation: recall {metrics['all']['evidence_recall@4000']:.3f} (en "
            f"{metrics.get('en', {}).get('evidence_recall@4000', 0.0):.3f}), hit@1 "
            f"{metrics['all']['hit@1']:.3f}, hit@5 {metrics['all']['hit@5']:.3f}: {value:.4f}")
        return value

    return score


def train_query_encoder(index: LoadedIndex, passages: Embedder, sets: Sequence[QuestionSet],
                        settings: TrainSettings, out_dir: Path, checkpoint_dir: Path | None,
                        stop_after: int | None = None) -> TrainResult:
    pairs = training_pairs(index, sets, settings.seed)
    unanswerable = training_unanswerable(index, sets)
    targets = Targets(np.asarray(index.vectors), np.asarray(index.sentence_vectors))
    info = {
        "trained_on": sorted({qs.name for qs in sets if qs.role == "train" and qs.query_encoder}),
        "chosen_on": sorted({qs.name for qs in sets if qs.role == "validation"}),
        "pairs_by_origin": _count_origins(pairs), "index_build": index.build_id,
        "chunks": len(index.chunks), "sentences": len(index.sentence_vectors),
        "passage_model": passages.name,
    }
    return train(pairs, targets, settings, out_dir, checkpoint_dir=checkpoint_dir,
                 validate=validator(index, passages, sets), unanswerable=unanswerable,
                 stop_after=stop_after, info=info)


def _count_origins(pairs: Sequence[Pair]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in pairs:
        origin = p.origin.split(":")[0]
        counts[origin] = counts.get(origin, 0) + 1
    return counts
