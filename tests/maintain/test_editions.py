"""New editions and archived ones; bad uploads never reach the corpus."""


import pytest

from kom_assistant.answer.compose import ask
from kom_assistant.errors import IngestError, ManifestError
from kom_assistant.ingest.manifest import load_corpus
from kom_assistant.maintain.editions import add_document
from kom_assistant.maintain.reindex import build_index
from kom_assistant.search.index import load_index, sentence_texts
from kom_assistant.search.retrieve import Filters, hybrid_search

from ..pdfs import make_encrypted_pdf, make_pdf

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
