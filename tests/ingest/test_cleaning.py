from kom_assistant.ingest.cleaning import (
    Block,
    clean_page_text,
    drop_furniture,
    extract_urls,
    find_repeated_lines,
    join_blocks,
    join_hyphenated,
    normalise_bullets,
    normalise_unicode,
    reflow,
    statute_boxes,
    strip_markdown,
)
from kom_assistant.ingest.contents import drop_contents


def test_join_hyphenated_joins_line_end_splits():
    assert join_hyphenated("ofre for menneske-\nhandel") == "ofre for menneskehandel"
    assert join_hyphenated("Barne- og familiedepar-\ntementet") == "Barne- og familiedepartementet"


def test_join_hyphenated_keeps_real_hyphens():
    assert join_hyphenated("Justis- og\nberedskapsdepartementet") == (
        "Justis- og\nberedskapsdepartementet"
    )
    assert join_hyphenated("Justis-\nog beredskap") == "Justis-\nog beredskap"
    assert join_hyphenated("EØS-\nborgere") == "EØS-borgere"
    assert join_hyphenated("bo- og oppfølgingstiltak") == "bo- og oppfølgingstiltak"


def test_extract_urls_moves_url_lines_out():
    text, urls = extract_urls("Se politiet.no.\nhttps://www.politiet.no/menneskehandel\nSlutt.")
    assert text == "Se politiet.no.\nSlutt."
    assert urls == ["https://www.politiet.no/menneskehandel"]


def test_drop_furniture_removes_footers_and_page_numbers():
    text = (
        "Tekst her.\n46 KOM årsrapport 2023\n47KOM årsrapport 2023\n12\n©KOM.pod@politiet.no\nMer."
    )
    assert drop_furniture(text) == "Tekst her.\nMer."


def test_repeated_lines_are_found_across_pages():
    pages = [f"Del 3 - Oppholdstillatelse\nSide {i} tekst om noe ulikt {i * 'x'}" for i in range(5)]
    repeated = find_repeated_lines(pages)
    assert "del # - oppholdstillatelse" in repeated
    assert drop_furniture(pages[0], repeated).strip() == "Side 0 tekst om noe ulikt"


def test_a_sentence_end_that_recurs_at_page_ends_is_kept():
    pages = [f"Tekst {i * 'x'} som fortsetter\nunder innsatsområde {i} og myndighetenes "
             "sektoransvar." for i in range(5)]
    assert find_repeated_lines(pages) == set()


def test_bullets_become_dash_items():
    assert normalise_bullets("\t• første\n» andre\n+ tredje\nvanlig") == (
        "- første\n- andre\n- tredje\nvanlig"
    )


def test_reflow_joins_wrapped_lines_and_keeps_lists():
    blocks = reflow(
        "Dette er en\nlang setning.\n\n- punkt en\n- punkt to som\nfortsetter\n\nSlutt."
    )
    assert blocks == [
        Block("paragraph", "Dette er en lang setning."),
        Block("item", "- punkt en"),
        Block("item", "- punkt to som fortsetter"),
        Block("paragraph", "Slutt."),
    ]
    text, _ = join_blocks(blocks)
    assert text == "Dette er en lang setning.\n\n- punkt en\n- punkt to som fortsetter\n\nSlutt."


def test_reflow_detects_headings():
    blocks = reflow("\nAssistert retur\n\nUDI tilbyr retur.\n\n# Markdown tittel\nTekst.")
    assert blocks[0] == Block("heading", "Assistert retur", 2)
    assert Block("heading", "Markdown tittel", 1) in blocks
    assert not any(b.kind == "heading" and b.text.startswith("UDI") for b in blocks)


def test_sentence_broken_at_page_end_is_not_a_heading():
    blocks = reflow("\nI tråd med forpliktelsene i konvensjonen, kan ofre søke\n\nom opphold.")
    assert all(b.kind != "heading" for b in blocks)


def test_join_blocks_records_heading_offsets():
    text, headings = join_blocks([Block("heading", "Del 1", 1), Block("paragraph", "Tekst.")])
    assert headings == [(0, 1, "Del 1")]
    assert text[7:] == "Tekst."


def test_strip_markdown_links_and_bold():
    assert strip_markdown("Se [rapporten](#) og **takk**") == "Se rapporten og takk"


def test_clean_page_text_end_to_end():
    raw = "Ofre for menneske-\nhandel får hjelp.\nhttps://lovdata.no/x\n\n46 KOM årsrapport 2023\n"
    blocks, urls = clean_page_text(raw)
    assert [b.text for b in blocks] == ["Ofre for menneskehandel får hjelp."]
    assert urls == ["https://lovdata.no/x"]


def test_reflow_joins_a_sentence_broken_by_a_blank_line():
    blocks = reflow("Prostitusjonen skjer på innemarkedet, som\n\ni utleieleiligheter.\n\nNy del.")
    assert [b.text for b in blocks] == [
        "Prostitusjonen skjer på innemarkedet, som i utleieleiligheter.",
        "Ny del.",
    ]


def test_ocr_debris_after_a_title_is_left_out_of_it():
    text = ("\nBarnevernstiltak Q fm\nBarnevernstjenesten kan iverksette tiltak.\n\n"
            "Mer informasjon om omfang O m\nKOM har utarbeidet rapporter.\n\n"
            "Innst. 77 L\nStortinget vedtok loven.\n\nKonferansen satte fokus pa\n\nTemaet.\n")
    headings = [b.text for b in reflow(text) if b.kind == "heading"]
    assert headings[:3] == ["Barnevernstiltak", "Mer informasjon om omfang", "Innst. 77 L"]
    assert headings[3:] == ["Konferansen satte fokus pa"]  # a word (OCR's "på"), not debris
    numbered = [b.text for b in reflow("\n8.4 Straffesaksbehandling Q fm\n\nTekst.\n")
                if b.kind == "heading"]
    assert numbered == ["8.4 Straffesaksbehandling"]


def test_ocr_noise_and_running_sentences_are_not_headings():
    text = (
        "\n# poumer APEN\n\nV. trondsiag flkeskomresne; s\n\n"
        "United Nations Office on Drugs and\n\nFinnmark politidistrikt 1 - - - - 1\n\nTekst."
    )
    assert all(b.kind != "heading" for b in reflow(text))
    assert reflow("\n# KOMs hovedaktiviteter\n\nTekst.")[0] == Block(
        "heading", "KOMs hovedaktiviteter", 1
    )


def test_numbered_section_titles_are_headings_even_when_wrapped():
    text = ("Tekst før.\n\n8.4 Straffesaksbehandling\n\nTabell 5 viser lovbrudd.\n\n"
            "9.2 Tiltak fra Integrerings- og\nmangfoldsdirektoratet\n\nIMDi bosetter.")
    headings = [b.text for b in reflow(text) if b.kind == "heading"]
    assert headings == ["8.4 Straffesaksbehandling",
                        "9.2 Tiltak fra Integrerings- og mangfoldsdirektoratet"]
    # Years, counts and footnotes are no section numbers.
    assert all(b.kind != "heading" for b in reflow("\n2023 Totalt\n\n1 Opplysningene her.\n"))


def test_a_numbered_title_that_ends_the_page_opens_it():
    blocks, _ = clean_page_text(
        "fortsatt setning fra forrige side.\n\nArbeidstilsynet fører tilsyn.\n\n"
        "9.1 Tiltak fra Arbeidstilsynet\n\n9.2 Tiltak fra IMDi\n\nhttps://www.arbeidstilsynet.no/\n")
    assert [b.text for b in blocks] == [
        "fortsatt setning fra forrige side.", "9.1 Tiltak fra Arbeidstilsynet",
        "Arbeidstilsynet fører tilsyn.", "9.2 Tiltak fra IMDi"]
    # A title in the middle of a page stays where it is.
    middle, _ = clean_page_text("Slutt på 8.3.\n\n8.4 Straffesaksbehandling\n\nTabell 5 viser.")
    assert [b.kind for b in middle] == ["paragraph", "heading", "paragraph"]


def test_column_heads_of_a_flattened_table_are_not_headings():
    text = ("\nTvangsarbeid\n\nTilrettelegging*\n\nAnmeldelser, i alt 27 (4) 17 (3) 8 (1) - - 2\n\n"
            "Oslo politidistrikt 9 (3) 4 (2) 5 (1) - - -\n")
    assert all(b.kind != "heading" for b in reflow(text))


def test_a_long_measure_title_is_a_chapter_heading_even_when_it_wraps_after_a_blank():
    text = ("\nTiltak 12: Etablere og videreutvikle en koordineringsmekanisme for bistands-\n\n"
            "og beskyttelsestiltak\n\nTeksten om tiltaket.\n\n"
            "Tiltak 11: Gjennomga finansieringen for prosjekter og tiltak i sivilt samfunn\n\n"
            "Mange organisasjoner er avhengige av prosjektmidler.")
    headings = [(b.text, b.level) for b in reflow(text) if b.kind == "heading"]
    assert headings == [
        ("Tiltak 12: Etablere og videreutvikle en koordineringsmekanisme for bistands- og "
         "beskyttelsestiltak", 1),
        ("Tiltak 11: Gjennomga finansieringen for prosjekter og tiltak i sivilt samfunn", 1)]
    # A row of the table of measures is no heading.
    table = "\nInnsatsomrade 2 - Forebygging\n\n6 Utvikle kunnskapsgrunnlag JD, AID, BFD, HOD, UD\n"
    assert all(b.kind != "heading" for b in reflow(table))


def test_a_title_that_opens_a_few_chapters_at_a_page_edge_is_kept():
    pages = [f"Innledning\n\nMål for innsatsområdet\n\nTekst {i * 'x'} om område {i}."
             for i in range(4)]
    pages += [f"Mer tekst {i * 'y'} her.\n\n©KOM.pod@politiet.no" for i in range(16)]
    assert find_repeated_lines(pages) == {"©kom.pod@politiet.no"}
    # ... and a heading may follow it directly.
    blocks = reflow("\nInnledning\nMenneskehandel - en kynisk utnyttelse\n\nTekst.")
    assert [b.text for b in blocks if b.kind == "heading"] == [
        "Innledning", "Menneskehandel - en kynisk utnyttelse"]


def test_a_statute_box_titled_after_its_text_becomes_its_own_section():
    police = Block("heading", "8.1 Mål og prioriteringer for politiets arbeid", 2)
    page = [police, Block("paragraph", "Den som ved vold tvinger en person til tigging, straffes "
                          "for menneskehandel med fengsel inntil 6 år."),
            Block("paragraph", "På samme måte straffes den som medvirker."),
            Block("paragraph", "257. Menneskehandel")]
    assert [(b.kind, b.text[:21], b.level) for b in statute_boxes(page, None)] == [
        ("heading", police.text[:21], 2), ("heading", "§ 257. Menneskehandel", 3),
        ("paragraph", "Den som ved vold tvin", 0), ("paragraph", "På samme måte straffe", 0),
        ("heading", police.text[:21], 2)]  # the section it stood in goes on after it
    # A box at the end of a page whose section opened on a page before; the text before the
    # box is no penal provision and stays where it was.
    page = [Block("paragraph", "Fagsamlingen ble avholdt i Oslo."),
            Block("paragraph", "Grov menneskehandel straffes med fengsel inntil 10 år."),
            Block("paragraph", "§ 258. Grov menneskehandel")]
    assert [b.text[:14] for b in statute_boxes(page, police)] == [
        "Fagsamlingen b", "§ 258. Grov me", "Grov menneskeh", police.text[:14]]
    # A numbered line after ordinary text is left alone.
    plain = [Block("paragraph", "KOM har fire ansatte."), Block("paragraph", "2. Forebygging")]
    assert statute_boxes(plain, police) == plain


def test_ligatures_become_letters_and_footnote_marks_stay():
    """NFKC, so keyword search finds "identifisering" written with the "fi" ligature."""
    assert normalise_unicode("identiﬁsering og ﬂyktninger") == "identifisering og flyktninger"
    assert normalise_unicode("a\u030a og 24\u00a0år¹") == "å og 24 år¹"
    blocks, _ = clean_page_text("Veileder\n\nDen ﬁnnes for ﬂere etater.")
    assert blocks[-1].text == "Den finnes for flere etater."


def test_a_table_of_contents_is_dropped():
    page = ("Innhold\n1. Innledning 3\n2. Tegn på menneskehandel 5\n2.3 Tegn hos barn 9\n"
            "3 Hvem kontakter du 12")
    assert drop_contents(page).strip() == ""
    leaders = "Forord\n\nInnledning ........ 3\nTegn på tvangsarbeid .......... 7\n"
    assert drop_contents(leaders).strip() == "Forord"
    blocks, _ = clean_page_text("Innholdsfortegnelse\n\n1 Innledning . . . . . 3\n"
                                "2 Tegn . . . . . 5\n\nVeilederen er for ansatte i mottak.")
    assert [b.text for b in blocks] == ["Veilederen er for ansatte i mottak."]


def test_numbers_in_text_and_tables_are_no_table_of_contents():
    table = "Oslo politidistrikt 9\nVest politidistrikt 12\nØst politidistrikt 15"
    assert drop_contents(table) == table
    text = "Antall saker i 2023 var 45\nDet er flere enn i 2022."
    assert drop_contents(text) == text


def test_numbered_titles_in_a_pdf_text_layer_without_blank_lines():
    """pypdf gives no blank line between paragraphs: "1. Innledning" follows a sentence."""
    lines = ("Veileder for ansatte i asylmottak 2026\n1. Innledning\nVeilederen hjelper "
             "ansatte i mottak. Den bygger på erfaringer.\n2. Tegn og indikatorer\nDet finnes "
             "mange tegn.\n2.3 Tegn på menneskehandel hos barn\nBarnet virker redd.")
    headings = [(b.text, b.level) for b in reflow(lines) if b.kind == "heading"]
    assert headings == [("Veileder for ansatte i asylmottak 2026", 2), ("1. Innledning", 2),
                        ("2. Tegn og indikatorer", 2),
                        ("2.3 Tegn på menneskehandel hos barn", 2)]


def test_a_numbered_list_is_no_headings():
    lines = "Gjør slik:\n1. Ring politiet\n2. Kontakt barnevernet\n3. Skriv ned hva du så"
    assert all(b.kind != "heading" for b in reflow(lines))
    sentence = "Det viktigste er dette:\n1. Arbeideren har ikke tilgang til papirene sine."
    assert all(b.kind != "heading" for b in reflow(sentence))
