"""The losses the query encoder learns from (loop.py): each question against the whole corpus,
over chunks and over sentences, and the questions the sources do not answer against a learned
"no answer" cosine."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from kom_assistant.train.data import Pair

NULL = "kom_no_answer"  # the "no answer" cosine's parameter on the model
NULL_START = 0.8  # about where the stock model's best cosines sit


def contrastive_loss(q: torch.Tensor, batch: Sequence[Pair], chunks: torch.Tensor,
                     sentences: torch.Tensor, temperature: float, sentence_weight: float,
                     null: torch.Tensor | None = None) -> torch.Tensor:
    """InfoNCE of the questions' vectors `q` against every chunk (and, weighted, every
    sentence), each positive against the negatives alone; with `null`, the "no answer" cosine
    is one more negative."""
    logits = q @ chunks.T
    if null is not None:
        logits = torch.cat([logits, null.expand(len(q), 1)], dim=1)
    loss = each_positive(logits / temperature, [p.chunks for p in batch])
    rows = [i for i, p in enumerate(batch) if p.sentences]
    if rows and sentence_weight:
        logits = q[rows] @ sentences.T / temperature
        loss = loss + sentence_weight * each_positive(logits, [batch[i].sentences for i in rows])
    return loss


def no_answer_loss(q: torch.Tensor, chunks: torch.Tensor, null: torch.Tensor,
                   temperature: float) -> torch.Tensor:
    """-log p("no answer") against every chunk, for questions the sources do not answer."""
    logits = torch.cat([null.expand(len(q), 1), q @ chunks.T], dim=1) / temperature
    return (torch.logsumexp(logits, dim=1) - logits[:, 0]).mean()


def each_positive(logits: torch.Tensor, positives: Sequence[Sequence[int]]) -> torch.Tensor:
    """Mean over queries of the mean over their positives of -log p(positive), each positive
    against the negatives alone: the other evidence of the same question is no competitor."""
    mask = torch.zeros_like(logits, dtype=torch.bool)
    for row, cols in enumerate(positives):
        mask[row, list(cols)] = True
    negatives = torch.logsumexp(logits.masked_fill(mask, float("-inf")), dim=1, keepdim=True)
    per = torch.logaddexp(negatives, logits) - logits
    return ((per * mask).sum(dim=1) / mask.sum(dim=1)).mean()
