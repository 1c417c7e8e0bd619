"""Re-indexing: crash safety, removed documents, broken manifests, known questions; one bad
document never blocks the corpus; which builds are kept; what the fingerprint holds."""

import os
import signal
import subprocess
import sys
import time

import pytest

from kom_assistant.errors import KomError, ManifestError
from kom_assistant.maintain.reindex import build_index
from kom_assistant.search.builds import current_build_id
from kom_assistant.search.index import load_index
from kom_assistant.search.retrieve import hybrid_search

from ..conftest import ROOT
from ..pdfs import make_watermark_pdf


def test_kill_during_reindex_leaves_serving_index_intact(small_settings, embedder, tmp_path):
    build_index(small_settings, embedder)
    serving = current_build_id(small_settings.index_dir)
    # enough new text that embedding takes several seconds, and nothing cached for it
    (small_settings.corpus_dir / "tilstandsrapport.txt").write_bytes(
        (ROOT / "corpus" / "kom-nyhetsbrev-2022-var.txt").read_bytes())
    env = {**os.environ, "KOM_CORPUS_DIR": str(small_settings.corpus_dir),
           "KOM_INDEX_DIR": str(small_settings.index_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "kom_assistant.cli", "index"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list((small_settings.index_dir / "builds").glob("*.tmp")):
        time.sleep(0.1)
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert current_build_id(small_settings.index_dir) == serving
    index = load_index(small_settings, embedder.name)
    hits = hybrid_search(index, embedder, "Hvilke tegn tyder på tvangsarbeid?", k=3)
    assert hits[0].chunk.document_id == "veileder-2023"
    report = build_index(small_settings, embedder)  # the next run recovers
    assert not report.unchanged and current_build_id(small_settings.index_dir) != serving
    assert not list((small_settings.index_dir / "builds").glob("*.tmp"))


def test_removed_document_leaves_the_index(small_settings, embedder):
    from kom_assistant.ingest.manifest import read_manifest
    from kom_assistant.maintain.editions import write_manifest

    build_index(small_settings, embedder)
    manifest = small_settings.corpus_dir / "manifest.toml"
    write_manifest(manifest, [d for d in read_manifest(manifest) if d.id != "nyhetsbrev-test"])
    (small_settings.corpus_dir / "nyhetsbrev.txt").unlink()
    report = build_index(small_settings, embedder)
    assert report.removed == ("nyhetsbrev-test",)
    assert "Fjernet fra indeksen: nyhetsbrev-test" in report.change_report
    index = load_index(small_settings, embedder.name)
    assert {c.document_id for c in index.chunks} == {"veileder-2023"}


def test_broken_manifest_leaves_the_serving_index_untouched(small_settings, embedder):
    build_index(small_settings, embedder)
    serving = current_build_id(small_settings.index_dir)
    (small_settings.corpus_dir / "manifest.toml").write_text("[[document]\nid = ")
    with pytest.raises(ManifestError, match="syntaksfeil"):
        build_index(small_settings, embedder)
    assert current_build_id(small_settings.index_dir) == serving
    assert load_index(small_settings, embedder.name).chunks


def test_build_that_fails_a_known_question_is_not_switched_to(small_settings, embedder):
    build_index(small_settings, embedder)
    serving = current_build_id(small_settings.index_dir)
    (small_settings.corpus_dir / "regression.toml").write_text(
        '[[probe]]\nquestion = "Hvilke tegn tyder på tvangsarbeid?"\n'
        'expect_kind = "strategi"\n', encoding="utf-8")  # no strategy in this corpus
    with pytest.raises(KomError, match="kjente spørsmål"):
        build_index(small_settings, embedder)
    assert current_build_id(small_settings.index_dir) == serving


def _add_by_hand(settings, file: str, doc_id: str) -> None:  # type: ignore[no-untyped-def]
    """A document that got past `add`'s checks: its file copied, its entry typed in."""
    manifest = settings.corpus_dir / "manifest.toml"
    manifest.write_text(manifest.read_text() + f'\n[[document]]\nid = "{doc_id}"\nfile = "{file}"'
                        f'\ntitle = "{doc_id}"\nkind = "annet"\n', encoding="utf-8")


def test_one_bad_document_never_blocks_the_corpus(small_settings, embedder, tmp_path):
    """A PDF of identical pages cleans down to nothing: that build, and every later build and
    add, goes on without it, saying so."""
    from kom_assistant.maintain.attempts import read_attempt
    from kom_assistant.maintain.editions import add_document

    make_watermark_pdf(small_settings.corpus_dir / "habibi.pdf")
    _add_by_hand(small_settings, "habibi.pdf", "habibi")
    report = build_index(small_settings, embedder)
    assert [name for name, _ in report.problems] == ["habibi.pdf"]
    assert report.documents == 2 and current_build_id(small_settings.index_dir)
    skipped = read_attempt(small_settings.index_dir).skipped
    assert [s["file"] for s in skipped] == ["habibi.pdf"] and "watermark" in skipped[0]["en"]
    new = tmp_path / "ny.txt"
    new.write_text("Nyhetsbrev 2024\n\nKOM arrangerte et seminar om tvangsarbeid i mars 2024 "
                   "for politiet, Arbeidstilsynet og NAV.\n", encoding="utf-8")
    add_document(small_settings, new, title="Nyhetsbrev 2024", kind="nyhetsbrev", year=2024)
    again = build_index(small_settings, embedder)
    assert again.added == ("nyhetsbrev-2024",) and [n for n, _ in again.problems] == ["habibi.pdf"]


def test_a_failed_build_is_recorded_and_deleted(small_settings, embedder):
    from kom_assistant.maintain.attempts import read_attempt

    build_index(small_settings, embedder)
    serving = current_build_id(small_settings.index_dir)
    (small_settings.corpus_dir / "regression.toml").write_text(
        '[[probe]]\nquestion = "Hvilke tegn tyder på tvangsarbeid?"\n'
        'expect_kind = "strategi"\n', encoding="utf-8")
    with pytest.raises(KomError, match="kjente spørsmål"):
        build_index(small_settings, embedder)
    attempt = read_attempt(small_settings.index_dir)
    assert attempt.state == "failed" and "kjente spørsmål" in attempt.error
    assert "known questions" in attempt.error_en
    builds = [p.name for p in (small_settings.index_dir / "builds").iterdir()]
    assert builds == [serving]  # the failed build is gone, the serving one stays


def test_exactly_the_serving_build_and_the_one_that_served_before_are_kept(
        small_settings, embedder):
    """By what served, not by age: a build killed after it was written but before it served
    (its name the newest) is never "the one before"."""
    import shutil

    from kom_assistant.search.builds import kept_builds

    first = build_index(small_settings, embedder).build_id
    second = build_index(small_settings, embedder, rebuild=True).build_id
    builds = small_settings.index_dir / "builds"
    killed = builds / "29991231-235959-deadbeef"  # written, never switched to
    shutil.copytree(builds / second, killed)
    (builds / "29991231-235959-cafebabe.tmp").mkdir()  # killed while writing
    third = build_index(small_settings, embedder, rebuild=True).build_id
    assert kept_builds(small_settings.index_dir) == [third, second]
    assert sorted(p.name for p in builds.iterdir()) == sorted([second, third])
    assert first not in {p.name for p in builds.iterdir()}


def test_settings_that_change_what_is_indexed_change_the_fingerprint(small_settings, embedder):
    """KOM_MAX_FILE_MB=... drops a large document; raising it again brings it back without
    --rebuild."""
    from dataclasses import replace

    big, small = (small_settings.corpus_dir / name for name in ("veileder.md", "nyhetsbrev.txt"))
    limit = (big.stat().st_size + small.stat().st_size) / 2_000_000
    report = build_index(replace(small_settings, max_file_mb=limit), embedder)
    assert report.documents == 1 and "KOM_MAX_FILE_MB" in str(dict(report.problems)[big.name])
    again = build_index(small_settings, embedder)
    assert not again.unchanged and again.added == ("veileder-2023",)
    assert build_index(small_settings, embedder).unchanged
    assert not build_index(replace(small_settings, chunk_words=90), embedder).unchanged


def test_a_truncated_serving_build_is_a_message_and_index_repairs_it(small_settings, embedder):
    from kom_assistant.errors import IndexDamagedError

    build_index(small_settings, embedder)
    serving = current_build_id(small_settings.index_dir)
    chunks = small_settings.index_dir / "builds" / serving / "chunks.jsonl"
    chunks.write_bytes(chunks.read_bytes()[:200])
    with pytest.raises(IndexDamagedError, match="index --rebuild") as info:
        load_index(small_settings, embedder.name)
    assert "truncated" in info.value.english
    report = build_index(small_settings, embedder)  # no --rebuild needed
    assert not report.unchanged and load_index(small_settings, embedder.name).chunks
