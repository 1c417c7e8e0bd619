"""The resumable state of a training run: checkpoints written atomically, the best state kept
apart, and a refusal to resume a checkpoint whose fingerprint (loop.py) says it is another
run's."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import BertModel

from kom_assistant.errors import KomError

CHECKPOINT, BEST = "checkpoint.pt", "best.pt"


class CheckpointError(KomError):
    """A checkpoint folder holds a run with other settings or other data."""


def keep_best(bert: BertModel, validate: Callable[[BertModel], float],
              best: tuple[float, dict[str, torch.Tensor]] | None, checkpoint_dir: Path | None
              ) -> tuple[float, dict[str, torch.Tensor]]:
    """The better of `best` and the current state (scored in eval mode), saved as best.pt."""
    bert.eval()
    with torch.no_grad():
        score = float(validate(bert))
    bert.train()
    if best is not None and score <= best[0]:
        return best
    state = trainable_state(bert)
    if checkpoint_dir:
        atomic_save({"score": score, "model": state}, Path(checkpoint_dir) / BEST)
    return score, state


def trainable_state(bert: BertModel) -> dict[str, torch.Tensor]:
    # Only what trains: the frozen word embeddings (384 MB) come back from the model file.
    return {n: p.detach().clone() for n, p in bert.named_parameters() if p.requires_grad}


def save_checkpoint(folder: Path, bert: BertModel, optimizer: torch.optim.Optimizer, step: int,
                     best: tuple[float, Any] | None, fingerprint: str) -> None:
    state = {
        "step": step, "best_score": best[0] if best else None, "fingerprint": fingerprint,
        "model": trainable_state(bert), "optimizer": optimizer.state_dict(),
        "rng": {"torch": torch.get_rng_state(), "numpy": np.random.get_state(),
                "python": random.getstate()},
    }
    atomic_save(state, folder / CHECKPOINT)


def atomic_save(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def load_checkpoint(folder: Path, bert: BertModel, optimizer: torch.optim.Optimizer,
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
