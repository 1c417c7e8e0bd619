import pytest

from kom_assistant.errors import IngestError
from kom_assistant.ingest.read import decode_text, ingest_corpus, read_raw_pages

from ..conftest import ROOT, write_small_corpus
from ..pdfs import make_encrypted_pdf, make_image_only_pdf, make_pdf

PAGES = [
    "Tegn på tvangsarbeid\n\nArbeideren har ikke tilgang til egne identitetspapirer og har "
    "stor gjeld til rekrutterer.",
    "Hvem kontakter du\n\nVed mistanke om at et barn er utnyttet, kontakt barnevernet og "
    "politiet. Ring 112 ved akutt fare.",
    "Rettigheter\n\nAntatte ofre har rett til refleksjonsperiode, helsehjelp og et trygt "
    "botilbud.",
]


def test_pdf_pages_keep_real_numbers_and_lose_header_and_footer(tmp_path):
    folder = write_small_corpus(tmp_path / "corpus")
    make_pdf(folder / "veileder-2024.pdf", PAGES)
    result = ingest_corpus(folder, 10_000_000)
    doc = next(d for d in result.documents if d.document.file == "veileder-2024.pdf")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert "barnevernet" in doc.pages[1].text
    for page in doc.pages:
        assert "Veileder for identifisering" not in page.text
        assert "KOM " not in page.text
    assert any("veileder-2024.pdf" in w for w in result.warnings)  # not in the manifest


def test_encrypted_pdf_gives_clear_message(tmp_path):
    plain = make_pdf(tmp_path / "plain.pdf", PAGES)
    locked = make_encrypted_pdf(tmp_path / "locked.pdf", plain)
    with pytest.raises(IngestError, match="kryptert") as info:
        read_raw_pages(locked, 10_000_000)
    assert "locked.pdf" in str(info.value) and "without a password" in info.value.english


def test_corrupt_pdf_gives_clear_message(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(make_pdf(tmp_path / "ok.pdf", PAGES).read_bytes()[:300])
    with pytest.raises(IngestError, match="skadet"):
        read_raw_pages(broken, 10_000_000)


def test_image_only_pdf_needs_ocr_first(tmp_path):
    with pytest.raises(IngestError, match="OCR") as info:
        read_raw_pages(make_image_only_pdf(tmp_path / "scan.pdf"), 10_000_000)
    assert "needs" in info.value.english or "Run OCR" in info.value.english


def test_empty_and_oversized_files(tmp_path):
    empty = tmp_path / "tom.txt"
    empty.write_text("")
    with pytest.raises(IngestError, match="tom"):
        read_raw_pages(empty, 10_000_000)
    big = tmp_path / "stor.txt"
    big.write_text("ord " * 1000)
    with pytest.raises(IngestError, match="KOM_MAX_FILE_MB"):
        read_raw_pages(big, 1000)


def test_non_utf8_text_falls_back_to_windows_encoding():
    assert decode_text("Søknad om oppholdstillatelse på grunn av".encode("cp1252"), "x.txt") == (
        "Søknad om oppholdstillatelse på grunn av")
    with pytest.raises(IngestError, match="binærfil"):
        decode_text(b"\x00\x01\x02binary", "x.bin")


def test_bad_file_does_not_stop_the_rest_of_the_corpus(tmp_path):
    folder = write_small_corpus(tmp_path / "corpus")
    (folder / "skadet.pdf").write_bytes(b"%PDF-1.4 not really")
    result = ingest_corpus(folder, 10_000_000)
    assert {d.document.id for d in result.documents} == {"veileder-2023", "nyhetsbrev-test"}
    assert [name for name, _ in result.problems] == ["skadet.pdf"]


@pytest.fixture(scope="module")
def real_corpus():
    return ingest_corpus(ROOT / "corpus", 50_000_000)


def test_real_corpus_ingests_without_problems(real_corpus):
    assert not real_corpus.problems
    assert len(real_corpus.documents) == 5
    pages = {d.document.id: len(d.pages) for d in real_corpus.documents}
    assert pages["tilstandsrapport-2023"] > 100
    assert pages["strategi-2025-2030"] > 30


def test_real_corpus_has_no_page_furniture_or_broken_hyphens(real_corpus):
    import re

    for doc in real_corpus.documents:
        for page in doc.pages:
            assert "KOM årsrapport 2023" not in page.text
            assert "©KOM.pod@politiet.no" not in page.text
            assert not re.search(r"^Nyhetsbrev fra KOM \d+$", page.text, re.M)
            if doc.document.id == "nyhetsbrev-2025-4":  # a footer there, a masthead in 000
                assert not re.search(r"^Nyhetsbrev fra KOM$", page.text, re.M)
            assert not re.search(r"[a-zæøå]-\n[a-zæøå]", page.text), (doc.document.id, page.number)
            assert not re.search(r"^https?://\S+$", page.text, re.M)


def test_ocr_damaged_documents_are_repaired_and_traceable(real_corpus):
    by_id = {d.document.id: d for d in real_corpus.documents}
    assert by_id["strategi-2025-2030"].repaired_tokens > 500
    assert by_id["nyhetsbrev-2025-4"].repaired_tokens > 100
    assert by_id["tilstandsrapport-2023"].repaired_tokens == 0
    strategy = " ".join(p.text for p in by_id["strategi-2025-2030"].pages)
    assert " på " in strategy and "økonomi" in strategy
    assert any(p.original_text for p in by_id["strategi-2025-2030"].pages)


def test_real_corpus_chunks_respect_size_and_sentence_boundaries(real_corpus):
    from kom_assistant.config import load_settings
    from kom_assistant.maintain.reindex import chunk_corpus

    chunks = chunk_corpus(real_corpus, load_settings({}))
    assert len({c.id for c in chunks}) == len(chunks)
    words = sorted(c.word_count for c in chunks)
    assert words[-1] <= 300  # max 220, plus a sentence finished across a page break
    assert 100 <= words[len(words) // 2] <= 250
    for chunk in chunks:
        assert not chunk.text[:1].islower(), (chunk.document_id, chunk.text[:60])
        assert chunk.page_start <= chunk.page_end
