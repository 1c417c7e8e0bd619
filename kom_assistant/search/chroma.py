"""The Chroma store of a build's chunk vectors: embedded in the build folder, or a server
(KOM_CHROMA_URL). Telemetry is off, and Chroma is given our own embedding function so that it
never loads its default (downloaded) model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ChromaUnavailableError, KomError
from ..models import Chunk
from .embeddings import Embedder

COLLECTION = "chunks"


def store_chunks(settings: Settings, path: Path, build_id: str, chunks: list[Chunk],
                 vectors: Any) -> None:
    """A new collection for the build, holding each chunk's vector, text and metadata."""
    client = chroma_client(settings, path)
    try:
        collection = client.get_or_create_collection(
            collection_name(build_id, settings), metadata={"hnsw:space": "cosine"},
            embedding_function=chroma_embedding_function(settings.embedding_model))
        for start in range(0, len(chunks), 256):
            part = chunks[start : start + 256]
            collection.add(
                ids=[c.id for c in part],
                embeddings=vectors[start : start + len(part)].tolist(),
                documents=[c.text for c in part],
                metadatas=[chunk_metadata(c) for c in part],
            )
    except Exception as e:
        _raise_if_unreachable(settings, e)
        raise


def delete_collection(settings: Settings, build_id: str) -> None:
    """Drop a build's collection from the Chroma server (the embedded store goes with its
    folder); one that is not there is already gone."""
    client = chroma_client(settings, Path())
    try:
        client.delete_collection(collection_name(build_id, settings))
    except Exception as e:  # chroma raises NotFoundError or ValueError for a missing one
        _raise_if_unreachable(settings, e)


def chunk_vectors(settings: Settings, collection: Any, ids: list[str]) -> Any:
    """The stored vectors of `ids`, in that order; KeyError for an id the store lacks."""
    import numpy as np

    try:
        stored = collection.get(ids=ids, include=["embeddings"])
    except Exception as e:
        _raise_if_unreachable(settings, e)
        raise
    row = {cid: i for i, cid in enumerate(stored["ids"])}
    return np.asarray(stored["embeddings"], dtype=np.float32)[[row[i] for i in ids]]


def open_chunks(settings: Settings, path: Path, build_id: str) -> Any:
    """The build's collection; a missing or broken store says how to rebuild it."""
    client = chroma_client(settings, path)
    try:
        return client.get_collection(
            collection_name(build_id, settings),
            embedding_function=chroma_embedding_function(settings.embedding_model))
    except Exception as e:  # chroma raises several types for a missing or broken store
        _raise_if_unreachable(settings, e)
        raise KomError(
            f"Indeksen i {path.parent} kan ikke åpnes ({e}). "
            f"Kjør `kom-assistant index --rebuild`.",
            f"The index in {path.parent} cannot be opened ({e}). "
            f"Run `kom-assistant index --rebuild`.",
        ) from e


def chroma_client(settings: Settings, path: Path) -> Any:
    """Embedded client persisted at `path`, or a server client when KOM_CHROMA_URL is set.

    Telemetry off in both; we always pass our own embeddings, so Chroma never loads its
    default (downloaded) model.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        from urllib.parse import urlparse

        url = urlparse(settings.chroma_url)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as e:  # chromadb checks the server at once: ValueError, httpx errors
            raise unreachable_error(settings) from e
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def unreachable_error(settings: Settings) -> ChromaUnavailableError:
    from urllib.parse import urlparse

    url = urlparse(settings.chroma_url)
    start = f"chroma run --path chroma-data --host {url.hostname or 'localhost'} " \
            f"--port {url.port or 8000}"
    return ChromaUnavailableError(
        f"Chroma-serveren på {settings.chroma_url} (KOM_CHROMA_URL) svarer ikke. Start den "
        f"med `{start}` (fra venvet), eller fjern KOM_CHROMA_URL for å bruke den innebygde "
        f"lagringen i indeksmappen. Indeksen som er i bruk, er ikke endret.",
        f"The Chroma server at {settings.chroma_url} (KOM_CHROMA_URL) cannot be reached. Start "
        f"it with `{start}` (from the venv), or unset KOM_CHROMA_URL to use the embedded store "
        f"in the index folder. The serving index was not changed.",
    )


def _raise_if_unreachable(settings: Settings, error: Exception) -> None:
    """A server that went away mid-way is unreachable, whatever chromadb calls the error."""
    if not settings.chroma_url:
        return
    try:
        chroma_client(settings, Path()).heartbeat()
    except ChromaUnavailableError as e:
        raise e from error
    except Exception as e:
        raise unreachable_error(settings) from e


def chroma_embedding_function(model: str) -> Any:
    """Our embedder as a Chroma embedding function, so Chroma never falls back to its own
    (downloaded) default model. Built lazily: the index passes vectors it computed itself."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class KomEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, model: str) -> None:
            self._model = model
            self._embedder: Embedder | None = None

        def _get(self) -> Embedder:
            if self._embedder is None:
                from .embeddings import load_embedder

                self._embedder = load_embedder(self._model)
            return self._embedder

        def __call__(self, input: Documents) -> Embeddings:
            return list(self._get().embed_passages(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return list(self._get().embed_queries(list(input)))

        @staticmethod
        def name() -> str:
            return "kom-assistant"

        def get_config(self) -> dict[str, Any]:
            return {"model": self._model}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> KomEmbeddingFunction:
            return KomEmbeddingFunction(config["model"])

    return KomEmbeddingFunction(model)


def collection_name(build_id: str, settings: Settings) -> str:
    # A server holds the collections of every build; the embedded store has one per folder.
    return f"kom-{build_id}" if settings.chroma_url else COLLECTION


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "document_id": chunk.document_id,
        "kind": chunk.kind,
        "year": chunk.year or 0,
        "status": chunk.status,
        "page_start": chunk.page_start,
        "page_end": chunk.page_end,
    }
