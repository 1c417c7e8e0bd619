"""Chunks -> index: Chroma for dense vectors, chunk records on disk, BM25 rebuilt on load.

A build is written beside the serving one (index/builds/<id>/) and switched over in one step
(index/CURRENT, replaced atomically) only after it passed a sanity check, so a crash or a
`kill -9` at any moment leaves the serving index intact. A lock file keeps two builds apart.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import IndexBusyError, IndexMissingError, ModelMismatchError
from ..ingest.chunking import search_units
from ..models import Chunk
from .chroma import open_chunks, store_chunks
from .embeddings import Embedder, EmbeddingCache
from .keyword import KeywordIndex
from .query_spelling import Lexicon
from .references import chunk_references, numbered_rows

CURRENT = "CURRENT"
_KEEP_BUILDS = 2  # the serving build and the one before it


@dataclass
class LoadedIndex:
    build_id: str
    meta: dict[str, Any]
    chunks: list[Chunk]
    collection: Any  # chromadb Collection
    keyword: KeywordIndex
    vectors: Any  # (chunks, dim) float32, rows in chunk order, for brute-force dense search
    # One vector per sentence (search_units), the row of the chunk it belongs to, and its
    # (start, end) in that chunk's text; rows ascending.
    sentence_vectors: Any = None
    sentence_owner: Any = None
    sentence_bounds: Any = None
    position: dict[str, int] = field(default_factory=dict)  # chunk id -> row
    # By row: the numbered parts each chunk names ("tiltak", "14"), and those it is about
    # (references.chunk_references, and the rows of a numbered table: see _table_references).
    references: list[frozenset[tuple[str, str]]] = field(default_factory=list)
    titled_references: list[frozenset[tuple[str, str]]] = field(default_factory=list)
    lexicon: Lexicon = field(init=False)  # the sources' words, to mend a question's spelling
    # |a + b| for each sentence vector a and the next one b: what turns their similarities to a
    # question into the similarity of the two sentences read as one (retrieve.pair_scores).
    pair_norms: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        if self.sentence_vectors is not None and len(self.sentence_vectors) > 1:
            self.pair_norms = np.linalg.norm(
                self.sentence_vectors[:-1] + self.sentence_vectors[1:], axis=1)
        self.lexicon = Lexicon.from_texts(c.text for c in self.chunks)
        pairs = [chunk_references(c.section, f"{c.text}\n{c.original_text}") for c in self.chunks]
        self.references = [named for named, _ in pairs]
        self.titled_references = [titled for _, titled in pairs]
        _table_references(self)


def _table_references(index: LoadedIndex) -> None:
    """A numbered table's rows ("14 Styrke politiets etterretning D") name the parts their
    document numbers most often: in the strategy, its measures ("tiltak")."""
    kinds: dict[str, Counter[str]] = {}
    for chunk, named in zip(index.chunks, index.references, strict=True):
        kinds.setdefault(chunk.document_id, Counter()).update(kind for kind, _ in named)
    for row, chunk in enumerate(index.chunks):
        counts = kinds[chunk.document_id]
        if counts and (numbers := numbered_rows(chunk.text)):
            kind = counts.most_common(1)[0][0]
            parts = {(kind, str(n)) for n in numbers}
            index.references[row] |= parts
            index.titled_references[row] |= parts


def chunk_to_record(chunk: Chunk) -> dict[str, Any]:
    record = asdict(chunk)
    record["urls"] = list(chunk.urls)
    return record


def chunk_from_record(record: dict[str, Any]) -> Chunk:
    return Chunk(**{**record, "urls": tuple(record.get("urls", ()))})


def embedding_text(chunk: Chunk) -> str:
    """What the dense model sees: title and section give a passage its context."""
    head = f"{chunk.document_title}. {chunk.section}".strip(". ")
    return f"{head}\n{chunk.text}"


def sentence_texts(chunks: list[Chunk]) -> tuple[list[str], np.ndarray]:
    """Each chunk's search units as texts, and for each (chunk row, start, end)."""
    texts, spans = [], []
    for row, chunk in enumerate(chunks):
        for start, end in search_units(chunk.text):
            texts.append(chunk.text[start:end].strip())
            spans.append((row, start, end))
    return texts, np.array(spans, dtype=np.int32).reshape(len(spans), 3)


@contextmanager
def index_lock(index_dir: Path, wait: bool = False) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "LOCK", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as e:
            raise IndexBusyError(
                "En annen indeksering kjører allerede. Vent til den er ferdig, og prøv igjen.",
                "Another re-index is already running. Wait for it to finish and try again.",
            ) from e
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_build_id(index_dir: Path) -> str | None:
    try:
        build_id = (index_dir / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None
    return build_id if (index_dir / "builds" / build_id / "meta.json").exists() else None


def read_meta(index_dir: Path, build_id: str | None = None) -> dict[str, Any] | None:
    build_id = build_id or current_build_id(index_dir)
    if build_id is None:
        return None
    return dict(json.loads((index_dir / "builds" / build_id / "meta.json").read_text()))


def write_build(
    settings: Settings,
    chunks: list[Chunk],
    embedder: Embedder,
    cache: EmbeddingCache,
    meta: dict[str, Any],
    progress: Callable[[int, int], Any] | None = None,
) -> tuple[str, int]:
    """Write a complete new build (not yet serving); returns (build id, texts embedded).
    `progress(n, total)` counts the passages and sentences embedded."""
    builds = settings.index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    # Unique even for two builds of the same chunks within one second: Chroma keeps one
    # client per path, so a folder name must never be reused.
    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(4)
    tmp = builds / f"{build_id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    texts, spans = sentence_texts(chunks)
    step = (lambda n: progress(n, len(chunks) + len(texts))) if progress else None
    vectors, embedded = cache.embed(embedder, [embedding_text(c) for c in chunks], step)
    sentence_vectors, embedded_sentences = cache.embed(embedder, texts, step)
    embedded += embedded_sentences
    np.save(tmp / "sentences.npy", sentence_vectors.astype(np.float32))
    np.save(tmp / "sentence_spans.npy", spans)
    store_chunks(settings, tmp / "chroma", build_id, chunks, vectors)
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(json.dumps(chunk_to_record(chunk), ensure_ascii=False) + "\n")
    meta = {**meta, "build_id": build_id, "model": embedder.name, "chunks": len(chunks),
            "dim": int(vectors.shape[1]) if len(chunks) else 0,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    _fsync_tree(tmp)
    tmp.rename(builds / build_id)
    return build_id, embedded


def switch_to(index_dir: Path, build_id: str) -> None:
    """Make `build_id` the serving build in one atomic step, then tidy old builds."""
    pointer = index_dir / f"{CURRENT}.tmp"
    pointer.write_text(build_id + "\n")
    with open(pointer) as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / CURRENT)
    builds = sorted(p for p in (index_dir / "builds").iterdir() if p.is_dir())
    finished = [p.name for p in builds if not p.name.endswith(".tmp")]
    keep = {build_id, *finished[-_KEEP_BUILDS:]}
    for path in builds:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def load_index(
    settings: Settings, embedder_name: str | None = None, build_id: str | None = None
) -> LoadedIndex:
    """The serving build (or `build_id`); refuses one built with another model than
    `embedder_name`."""
    build_id = build_id or current_build_id(settings.index_dir)
    if build_id is None:
        raise IndexMissingError(
            f"Fant ingen indeks i {settings.index_dir}/. Kjør `kom-assistant index` først.",
            f"No index found in {settings.index_dir}/. Run `kom-assistant index` first.",
        )
    folder = settings.index_dir / "builds" / build_id
    meta = json.loads((folder / "meta.json").read_text())
    if embedder_name and meta["model"] != embedder_name:
        raise ModelMismatchError(
            f"Indeksen er bygget med {meta['model']}, men innstillingen er {embedder_name}. "
            f"Kjør `kom-assistant index --rebuild` for å indeksere på nytt med den nye modellen.",
            f"The index was built with {meta['model']} but the setting is {embedder_name}. "
            f"Run `kom-assistant index --rebuild` to re-index with the new model.",
        )
    chunks = read_chunks(settings.index_dir, build_id)
    collection = open_chunks(settings, folder / "chroma", build_id)
    keyword = KeywordIndex.build([c.text for c in chunks], [c.original_text for c in chunks])
    # A few thousand vectors: exact search in memory beats an ANN round trip (~1 ms vs ~30 ms).
    stored = collection.get(ids=[c.id for c in chunks], include=["embeddings"])
    row = {cid: i for i, cid in enumerate(stored["ids"])}
    vectors = np.asarray(stored["embeddings"], dtype=np.float32)[[row[c.id] for c in chunks]]
    if (folder / "sentence_spans.npy").exists():
        sentence_vectors = np.load(folder / "sentences.npy")
        spans = np.load(folder / "sentence_spans.npy")
    else:  # a build from before sentence vectors: searched by chunk vectors alone
        sentence_vectors = np.zeros((0, int(meta.get("dim", 0))), dtype=np.float32)
        spans = np.zeros((0, 3), dtype=np.int32)
    return LoadedIndex(build_id, meta, chunks, collection, keyword, vectors,
                       sentence_vectors, spans[:, 0], spans[:, 1:])


def read_chunks(index_dir: Path, build_id: str) -> list[Chunk]:
    path = index_dir / "builds" / build_id / "chunks.jsonl"
    with open(path, encoding="utf-8") as lines:
        return [chunk_from_record(json.loads(line)) for line in lines]


def _fsync_tree(folder: Path) -> None:
    """Flush a build to disk before it can become the serving one."""
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
