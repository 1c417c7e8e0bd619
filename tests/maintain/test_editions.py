"""New editions and archived ones; bad uploads never reach the corpus; concurrent adds lose
nothing; uploaded documents get ids and sections that read well."""

import random

import pytest

from kom_assistant.answer.compose import ask
from kom_assistant.errors import IngestError, ManifestError
from kom_assistant.ingest.manifest import load_corpus
from kom_assistant.maintain.editions import add_document, document_slug
from kom_assistant.maintain.reindex import build_index
from kom_assistant.search.index import load_index, sentence_texts
from kom_assistant.search.retrieve import Filters, hybrid_search

from ..pdfs import make_encrypted_pdf, make_guide_pdf, make_pdf, make_watermark_pdf

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


def test_uploads_that_clean_to_nothing_or_are_no_language_never_reach_the_corpus(
        small_settings, tmp_path):
    before = sorted(p.name for p in small_settings.corpus_dir.iterdir())
    manifest = (small_settings.corpus_dir / "manifest.toml").read_bytes()
    watermark = make_watermark_pdf(tmp_path / "utkast.pdf")
    with pytest.raises(IngestError, match="nesten ingen tekst"):
        add_document(small_settings, watermark, title="Utkast", kind="annet")
    noise = tmp_path / "tilfeldig.txt"
    noise.write_bytes(random.Random(5).randbytes(20_000).replace(b"\x00", b"a"))
    with pytest.raises(IngestError, match="tilfeldig.txt"):
        add_document(small_settings, noise, title="Tilfeldig", kind="annet")
    with pytest.raises(ManifestError, match="tittel"):
        add_document(small_settings, make_pdf(tmp_path / "ok.pdf", EDITION_1), title="  ",
                     kind="veileder")
    assert sorted(p.name for p in small_settings.corpus_dir.iterdir()) == before
    assert (small_settings.corpus_dir / "manifest.toml").read_bytes() == manifest


def _add_in_process(args):  # type: ignore[no-untyped-def]
    settings, path, title, barrier = args
    barrier.wait()
    return add_document(settings, path, title=title, kind="veileder", year=2026).id


def test_concurrent_adds_lose_nothing_and_never_share_an_id(small_settings, tmp_path):
    """Three pairs at once, each pair with one title: six entries, six files, six ids."""
    import multiprocessing

    paths = []
    for n in range(6):
        path = tmp_path / f"upload-{n}.txt"
        path.write_text(f"Veileder {n}\n\nAnsatte i mottak skal kjenne igjen tegn på "
                        f"menneskehandel og kontakte politiet ved mistanke, sak nummer {n}.\n",
                        encoding="utf-8")
        paths.append(path)
    context = multiprocessing.get_context("fork")
    barrier = context.Manager().Barrier(6)
    jobs = [(small_settings, path, f"Veileder for mottak {n // 2}", barrier)
            for n, path in enumerate(paths)]
    with context.Pool(6) as pool:
        ids = pool.map(_add_in_process, jobs)
    assert len(set(ids)) == 6
    corpus = load_corpus(small_settings.corpus_dir)
    assert not corpus.warnings  # every file has its entry
    added = [d for d in corpus.documents if d.id in ids]
    assert len(added) == 6 and len({d.file for d in added}) == 6
    texts = {(small_settings.corpus_dir / d.file).read_text(encoding="utf-8") for d in added}
    assert texts == {p.read_text(encoding="utf-8") for p in paths}  # no file overwrote another
    assert not list(small_settings.corpus_dir.glob(".*.tmp"))


def test_an_uploaded_guide_reads_as_well_as_the_bundled_documents(small_settings, tmp_path):
    """Issue #19: the id is not «veileder-veileder-for-ansatte-i-asylmottak-2026-2026», and
    its numbered headings are its sections."""
    from kom_assistant.ingest.read import ingest_corpus
    from kom_assistant.maintain.reindex import chunk_corpus

    pdf = make_guide_pdf(tmp_path / "Veileder asylmottak.pdf")
    doc = add_document(small_settings, pdf, title="Veileder for ansatte i asylmottak 2026",
                       kind="veileder", year=2026, edition="2026")
    assert doc.id == "veileder-ansatte-asylmottak-2026" and doc.file == f"{doc.id}.pdf"
    assert document_slug("nyhetsbrev", "Nyhetsbrev fra KOM, våren 2022", "2022-1") == (
        "nyhetsbrev-kom-varen-2022-1")
    result = ingest_corpus(small_settings.corpus_dir, 10_000_000, only=doc.id)
    chunks = chunk_corpus(result, small_settings)
    # ~140-word chunks: a short section runs on into the next chunk's
    assert [c.section for c in chunks] == ["1. Innledning", "2.1 Tegn på tvangsarbeid"]
    assert "2.3 Tegn på menneskehandel hos barn" in {h[2] for p in result.documents[0].pages
                                                    for h in p.headings}
    with pytest.raises(ManifestError, match="finnes allerede"):
        add_document(small_settings, make_pdf(tmp_path / "annen.pdf", EDITION_2),
                     title="Annen", kind="veileder", document_id=doc.id)


def test_an_added_file_is_read_once_not_again_by_the_next_build(small_settings, embedder,
                                                                tmp_path, monkeypatch):
    """A 5,000-page PDF takes minutes to read: `add` leaves its pages in the page cache, and
    says how far it has come while reading."""
    import kom_assistant.ingest.read as read

    pages_read = []
    doc = add_document(small_settings, make_pdf(tmp_path / "ny.pdf", EDITION_2), title="Ny",
                       kind="veileder", on_page=lambda n, total: pages_read.append((n, total)))
    assert pages_read == [(1, 4), (2, 4), (3, 4), (4, 4)]
    parsed = []
    real = read.build_pages

    def counting(document, raw, repair=None):  # type: ignore[no-untyped-def]
        parsed.append(document.id)
        return real(document, raw, repair)

    monkeypatch.setattr(read, "build_pages", counting)
    report = build_index(small_settings, embedder)
    assert doc.id in report.added and doc.id not in parsed
    index = load_index(small_settings, embedder.name)
    assert {c.document_id for c in index.chunks} >= {doc.id}
