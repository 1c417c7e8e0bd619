"""Re-indexing: crash safety, removed documents, broken manifests, known questions."""

import os
import signal
import subprocess
import sys
import time

import pytest

from kom_assistant.errors import KomError, ManifestError
from kom_assistant.maintain.reindex import build_index
from kom_assistant.search.index import current_build_id, load_index
from kom_assistant.search.retrieve import hybrid_search

from ..conftest import ROOT


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
