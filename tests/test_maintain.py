"""Maintainers' workflow: new editions, archived ones, change reports, crash safety."""

import os
import signal
import subprocess
import sys
import time

import pytest

from kom_assistant.answer import ask
from kom_assistant.errors import IngestError, KomError, ManifestError
from kom_assistant.index import current_build_id, load_index, sentence_texts
from kom_assistant.maintain import add_document, compare_editions
from kom_assistant.manifest import load_corpus
from kom_assistant.reindex import build_index
from kom_assistant.retrieve import Filters, hybrid_search

from .conftest import ROOT
from .pdfs import make_encrypted_pdf, make_pdf

EDITION_1 = [
    "Innledning\n\nVeilederen hjelper ansatte i førstelinjen å identifisere mulige ofre for "
    "menneskehandel.",
    "Tegn på tvangsarbeid\n\nArbeideren får ikke beholde passet sitt og har gjeld til "
    "arbeidsgiveren.",
    "Kontakt\n\nVed mistanke om menneskehandel skal du kontakte politiet i ditt distrikt.",
]
EDITION_2 = [
    EDITION_1[0],
    "Tegn på tvangsarbeid\n\nArbeideren får ikke beholde passet sitt, bor på arbeidsplassen og "
    "jobber lange dager uten overtidsbetaling.",
    "Kontakt\n\nVed mistanke om menneskehandel skal du kontakte Konfliktrådet fra 2026, og "
    "politiet ved akutt fare.",
    "Barn\n\nMindreårige som kan være utnyttet, skal alltid meldes til barnevernet.",
]


@pytest.fixture
def with_first_edition(small_settings, embedder, tmp_path):
    (small_settings.corpus_dir / "regression.toml").write_text(
        '[[probe]]\nquestion = "Skal jeg kontakte politiet i mitt distrikt?"\n'
        'expect_kind = "veileder"\n', encoding="utf-8")
    pdf = make_pdf(tmp_path / "veileder-2024.pdf", EDITION_1)
    add_document(small_settings, pdf, title="Veileder om identifisering", kind="veileder",
                 year=2024, edition="2024", document_id="veileder-2024")
    build_index(small_settings, embedder)
    return small_settings


def test_new_edition_replaces_old_in_answers(with_first_edition, embedder, tmp_path):
    settings = with_first_edition
    pdf = make_pdf(tmp_path / "veileder-2025.pdf", EDITION_2)
    doc = add_document(settings, pdf, title="Veileder om identifisering", kind="veileder",
                       year=2025, edition="2025", supersedes="veileder-2024",
                       document_id="veileder-2025")
    assert load_corpus(settings.corpus_dir).get("veileder-2024").status == "archived"
    report = build_index(settings, embedder)
    assert report.added == ("veileder-2025",)
    # only the new edition's text was embedded; unchanged documents were not
    index = load_index(settings, embedder.name)
    new_chunks = [c for c in index.chunks if c.document_id == doc.id]
    new_sentences = sentence_texts(new_chunks)[0]
    assert len(new_chunks) <= report.embedded <= len(new_chunks) + len(new_sentences)
    answer = ask("Hvem skal jeg kontakte ved mistanke om menneskehandel?", index, embedder)
    cited = {c.chunk.document_id for c in answer.citations}
    assert "veileder-2025" in cited and "veileder-2024" not in cited
    archived = hybrid_search(index, embedder, "kontakte politiet i ditt distrikt", k=10,
                             filters=Filters(include_archived=True))
    assert any(h.chunk.document_id == "veileder-2024" and h.chunk.status == "archived"
               for h in archived)
    assert "Tegn på tvangsarbeid" in report.change_report
    assert "Ny: Barn" in report.change_report
    assert "erstatter veileder-2024" in report.change_report
    assert "Regresjonssjekk" in report.change_report
    # the contact question's top citation moved from the old edition to the new one
    assert "veileder-2024" in report.change_report.split("Regresjonssjekk")[1]
    reports = list((settings.index_dir / "reports").glob("*.md"))
    assert any("Endret" in p.read_text() for p in reports)


def test_compare_editions_lists_added_removed_changed():
    def sections(**texts):
        return {name: {"pages": "s. 1", "hash": text} for name, text in texts.items()}

    old = sections(A="same", B="old text", C="gone")
    new = sections(A="same", B="new text", D="fresh")
    kinds = {(c.kind, c.section) for c in compare_editions(old, new)}
    assert kinds == {("changed", "B"), ("added", "D"), ("removed", "C")}


def test_document_sections_follow_headings_across_pages():
    from kom_assistant.maintain import document_sections
    from kom_assistant.models import Page

    pages = [Page("d", 1, "Del 1\n\nTekst en.", headings=((0, 1, "Del 1"),)),
             Page("d", 2, "Mer tekst.\n\nTiltak\n\nTo.", headings=((12, 2, "Tiltak"),))]
    found = document_sections(pages)
    assert set(found) == {"Del 1", "Del 1 > Tiltak"}
    assert found["Del 1"]["pages"] == "s. 1–2"


def test_bad_uploads_never_reach_the_corpus(with_first_edition, tmp_path):
    settings = with_first_edition
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    locked = make_encrypted_pdf(tmp_path / "locked.pdf", make_pdf(tmp_path / "x.pdf", EDITION_2))
    with pytest.raises(IngestError, match="kryptert"):
        add_document(settings, locked, title="X", kind="veileder")
    with pytest.raises(IngestError, match="identisk"):
        add_document(settings, settings.corpus_dir / "veileder-2024.pdf", title="X",
                     kind="veileder")
    with pytest.raises(ManifestError, match="erstatte"):
        add_document(settings, make_pdf(tmp_path / "y.pdf", EDITION_2), title="Y",
                     kind="veileder", supersedes="finnes-ikke")
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before


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
    from kom_assistant.maintain import write_manifest
    from kom_assistant.manifest import read_manifest

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
