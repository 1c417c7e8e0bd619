from kom_assistant.search.keyword import Decompounder, KeywordIndex, fold, stem, tokenize
from kom_assistant.search.references import chunk_references, numbered_rows, references


def test_fold_makes_keyboard_and_ocr_variants_meet():
    assert fold("På") == fold("pa") == "pa"
    assert fold("sårbar") == fold("sarbar")
    assert fold("økonomi") == "okonomi"
    assert fold("nære") == fold("naere")


def test_stem_then_fold_joins_inflections_and_spellings():
    assert stem("sårbare") == stem("sarbare")
    assert stem("anmeldelser") == stem("anmeldelsene")


def test_decompounder_splits_on_known_parts_with_linking_s():
    d = Decompounder.from_texts(["menneskehandel menneskehandel ofre ofre barnevern tiltak tiltak "
                                 "barnevern"])
    assert d.split("menneskehandelsofre") == ("menneskehandel", "ofre")
    assert d.split("barnevernstiltak") == ("barnevern", "tiltak")
    assert d.split("kort") == ()


def test_tokenize_drops_stopwords_and_adds_compound_parts():
    d = Decompounder.from_texts(["menneskehandel ofre menneskehandel ofre"])
    tokens = tokenize("Hva er menneskehandelsofre?", d)
    assert "hva" not in tokens and "er" not in tokens
    assert stem("ofre") in tokens and stem("menneskehandel") in tokens


def test_keyword_index_finds_compound_and_unaccented_queries():
    texts = [
        "Ofre for menneskehandel har rett til refleksjonsperiode.",
        "Arbeidstilsynet fører tilsyn med byggeplasser.",
        "Barn som er sårbare for utnyttelse trenger beskyttelse på skolen.",
        "Ofre for menneskehandel kan få hjelp.",
    ]
    index = KeywordIndex.build(texts)
    assert index.scores("menneskehandelsofre").argmax() in (0, 3)
    assert index.scores("sarbare barn pa skolen").argmax() == 2
    assert index.scores("zzzz").sum() == 0


def test_original_text_tokens_are_searchable_too():
    index = KeywordIndex.build(["Økonomisk støtte gis."], ["Gkonomisk stotte gis."])
    assert index.scores("gkonomisk").max() > 0
    assert index.scores("økonomisk").max() > 0


def test_references_name_numbered_parts_in_norwegian_whatever_the_language():
    assert references("Hvilke tiltak hører inn under innsatsområde 2?") == {("innsatsomrade", "2")}
    assert references("What are measures 14, 15 and 17?") == {
        ("tiltak", "14"), ("tiltak", "15"), ("tiltak", "17")}
    assert references("Tiltak 14-16: politiet") == {("tiltak", "14"), ("tiltak", "15"),
                                                    ("tiltak", "16")}
    assert references("measures 14 15 and 16") == {("tiltak", "14"), ("tiltak", "15"),
                                                   ("tiltak", "16")}
    assert references("straffeloven §§ 257 og 258") == {("§", "257"), ("§", "258")}
    assert references("focus area 3") == references("Innsatsomrade 3 - Bistand")
    # Years and plain counts are no references.
    assert references("tiltak i 2023, 27 anmeldelser, tiltak 2023-2025") == frozenset()


def test_titled_references_are_the_parts_a_chunk_is_about_not_those_it_mentions():
    text = ("Tiltak 14: Styrke politiets etterretning. Se også tiltak 15 og innsatsområde 1.\n"
            "12 Etablere ID, AID Innsatsomrade 4 - Straffeforfølgning 13 Gjennomga D")
    assert chunk_references("Tiltak 13: Gjennomgå lovbestemmelser", text)[1] == {
        ("tiltak", "13"), ("tiltak", "14"), ("innsatsomrade", "4")}


def test_numbered_rows_are_runs_of_short_rows_with_rising_numbers():
    table = ("NR Tiltak : departementer\n13 Gjennomgå lovbestemmelser D\n"
             "14 Styrke politiets etterretning D\n\n15 Styrke politiets forebygging D\n"
             "17 Styrke kompetanse innen påtale JD, AID, BFD, HOD, UD\n")
    assert numbered_rows(table) == {13, 14, 15, 17}
    # Footnotes are sentences; two rows are no table; numbers that fall start a new run.
    assert numbered_rows("1 Se rapporten her.\n2 Tall fra politiet.\n3 Se også UDI.") == set()
    assert numbered_rows("4 Opprette en ordning JD\n6 Utvikle kunnskap JD") == set()
    assert numbered_rows("12 Oslo\n3 Bergen\n4 Trondheim\n5 Bodø D") == {3, 4, 5}
    assert numbered_rows("2023 Oslo\n2024 Bergen\n2025 Bodø") == set()
