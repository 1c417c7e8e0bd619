from kom_assistant.ingest.chunking import split_into_chunks
from kom_assistant.ingest.sentences import split_sentences
from kom_assistant.models import Document, Page

DOC = Document(id="d", title="Dok", kind="veileder", file="d.txt", edition="1")


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_split_sentences_respects_abbreviations_and_dates():
    text = "I 2024 pr. 1. tertial kom to dommer. Se f.eks. UDI. Neste setning her!"
    assert _sentences(text) == ["I 2024 pr. 1. tertial kom to dommer.", "Se f.eks. UDI.",
                                "Neste setning her!"]


def _page(number: int, text: str, headings=()) -> Page:
    return Page(document_id="d", number=number, text=text, headings=tuple(headings))


def test_chunks_follow_headings_and_carry_metadata():
    body = " ".join(f"Setning nummer {i} om menneskehandel." for i in range(20))
    text = f"Del 1 - Innledning\n\n{body}\n\nTiltak\n\n{body}"
    heading2 = text.index("Tiltak")
    chunks = split_into_chunks(DOC, [_page(4, text, [(0, 1, "Del 1 - Innledning"),
                                                     (heading2, 2, "Tiltak")])])
    assert len(chunks) == 2
    assert chunks[0].section == "Del 1 - Innledning"
    assert chunks[1].section == "Del 1 - Innledning > Tiltak"
    assert chunks[1].text.startswith("Tiltak")
    assert chunks[0].page_start == chunks[0].page_end == 4
    assert text[chunks[1].char_start : chunks[1].char_end] == chunks[1].text


def test_innledning_ends_the_chapter_before_it():
    body = " ".join(f"Setning nummer {i} om menneskehandel." for i in range(20))
    text = f"Tiltak 9: Forbedre\n\n{body}\n\nInnledning\n\nBarnevernstiltak\n\n{body}"
    heads = [(0, 1, "Tiltak 9: Forbedre"), (text.index("Innledning"), 2, "Innledning"),
             (text.index("Barnevernstiltak"), 2, "Barnevernstiltak")]
    chunks = split_into_chunks(DOC, [_page(35, text, heads)])
    assert [c.section for c in chunks] == ["Tiltak 9: Forbedre", "Barnevernstiltak"]


def test_long_text_is_split_within_limits_never_mid_sentence():
    sentences = [f"Dette er setning {i} med noen ekstra ord for lengde." for i in range(120)]
    pages = [_page(1, " ".join(sentences[:60])), _page(2, " ".join(sentences[60:]))]
    chunks = split_into_chunks(DOC, pages, target_words=150, max_words=250, overlap_words=30)
    assert len(chunks) >= 4
    for chunk in chunks:
        assert chunk.word_count <= 250
        assert chunk.text.rstrip().endswith(".")
        assert chunk.text[0].isupper()
    # overlap: each chunk after the first repeats the previous chunk's last sentence
    assert chunks[1].text.startswith(_sentences(chunks[0].text)[-1])
    assert chunks[-1].page_end == 2


def test_chunk_ids_are_stable_and_depend_on_edition():
    pages = [_page(1, "Kort tekst om ofre for menneskehandel.")]
    a = split_into_chunks(DOC, pages)
    b = split_into_chunks(DOC, pages)
    c = split_into_chunks(Document(**{**DOC.__dict__, "edition": "2"}), pages)
    assert [x.id for x in a] == [x.id for x in b]
    assert a[0].id != c[0].id


def test_original_text_kept_where_repair_changed_it():
    page = Page(document_id="d", number=1, text="Ofre for menneskehandel på flukt.",
                original_text="Ofre for menneskehandel pa flukt.")
    (chunk,) = split_into_chunks(DOC, [page])
    assert chunk.text == "Ofre for menneskehandel på flukt."
    assert chunk.original_text == "Ofre for menneskehandel pa flukt."


def test_chunks_carry_the_urls_of_their_pages():
    page = Page(document_id="d", number=3, text="Se retningslinjene.",
                urls=("https://www.udiregelverk.no/x",))
    (chunk,) = split_into_chunks(DOC, [page])
    assert chunk.urls == ("https://www.udiregelverk.no/x",)


def test_search_units_are_sentences_with_fragments_joined():
    from kom_assistant.ingest.sentences import search_units

    text = ("Tegn på tvangsarbeid\nArbeidsgiver holder på passet. Arbeideren får ikke lønn som "
            "avtalt og bor på arbeidsplassen.\n- gjeld\n- trusler mot familien hjemme")
    units = [text[s:e] for s, e in search_units(text)]
    assert units[0] == "Tegn på tvangsarbeid\nArbeidsgiver holder på passet."  # heading joined
    assert units[1].startswith("Arbeideren får ikke lønn")
    assert units[2] == "- gjeld\n- trusler mot familien hjemme"  # short items joined
    assert all(len(u.split()) >= 4 for u in units)
    assert search_units("") == [] and search_units("Kort.") == [(0, 5)]


def test_norwegian_abbreviations_do_not_end_sentences():
    text = ("Møtet starter kl. 14.00 i Oslo. Se Innst. 7 S om saken. Politiet m.fl. Deltok. "
            "Dette gjelder f.o.m. 1. januar og pga. Covid. Ny setning her.")
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Møtet starter kl. 14.00 i Oslo.", "Se Innst. 7 S om saken.", "Politiet m.fl. Deltok.",
        "Dette gjelder f.o.m. 1. januar og pga. Covid.", "Ny setning her."]
