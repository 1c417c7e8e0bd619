"""The other embedding backend and the Chroma server mode."""

import shutil
import socket
import subprocess
import time

import pytest

from kom_assistant.config import load_settings
from kom_assistant.errors import KomError
from kom_assistant.maintain.reindex import build_index
from kom_assistant.search.embeddings import load_embedder
from kom_assistant.search.index import load_index
from kom_assistant.search.retrieve import hybrid_search


def test_sentence_transformers_backend_from_packaged_model(small_settings):
    pytest.importorskip("sentence_transformers")
    embedder = load_embedder("sentence-transformers:all-minilm-l6-v2")
    vectors = embedder.embed_passages(["Ofre for menneskehandel", "Forced labour"])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-3
    settings = load_settings({}, corpus_dir=small_settings.corpus_dir,
                             index_dir=small_settings.index_dir,
                             embedding_model="sentence-transformers:all-minilm-l6-v2")
    build_index(settings, embedder)
    index = load_index(settings, embedder.name)
    assert index.meta["model"].startswith("sentence-transformers:")
    assert hybrid_search(index, embedder, "tvangsarbeid identitetspapirer", k=2)


def test_unknown_embedding_model_is_explained():
    with pytest.raises(KomError, match="KOM_EMBEDDING_MODEL"):
        load_embedder("word2vec")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma")
    if exe is None:
        import sys
        from pathlib import Path

        candidate = Path(sys.executable).parent / "chroma"
        exe = str(candidate) if candidate.exists() else None
    if exe is None:
        pytest.skip("the chroma command (from the chromadb package) is not installed")
    port = _free_port()
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "server"), "--host",
                             "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"})
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_chroma_server_mode(small_settings, embedder, chroma_server):
    settings = load_settings({}, corpus_dir=small_settings.corpus_dir,
                             index_dir=small_settings.index_dir, chroma_url=chroma_server)
    report = build_index(settings, embedder)
    index = load_index(settings, embedder.name)
    assert index.collection.count() == report.chunks
    hits = hybrid_search(index, embedder, "Hvilke tegn tyder på tvangsarbeid?", k=2)
    assert hits[0].chunk.document_id == "veileder-2023"


def test_embedding_cache_embeds_each_new_text_once():
    import numpy as np

    from kom_assistant.search.embeddings import EmbeddingCache

    class Counting:
        name = "counting"
        seen: list[str] = []

        def embed_passages(self, texts):
            self.seen.extend(texts)
            return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    embedder, cache = Counting(), EmbeddingCache(None)
    vectors, computed = cache.embed(embedder, ["a", "bb", "a"])
    assert computed == 2 and sorted(embedder.seen) == ["a", "bb"]
    assert vectors[:, 0].tolist() == [1.0, 2.0, 1.0]
    vectors, computed = cache.embed(embedder, ["bb", "ccc"])
    assert computed == 1 and embedder.seen[-1] == "ccc" and vectors[0, 0] == 2.0
