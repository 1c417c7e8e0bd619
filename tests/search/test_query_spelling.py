"""Mending a question's spelling against the sources' words."""

from kom_assistant.search.query_spelling import Lexicon

TEXTS = ["Hjelpetelefonen er åpen hele døgnet.", "Hjelpetelefonen er åpen.",
         "Menneskehandel og menneskehandel rammes.",
         "Tiltak på skolen, på nett, på huset og på jobb; pa skolen.",
         "Østersjørådet møtes.", "Tvangsarbeid, tvangsarbeid og tvangsarbeidere."]


def test_missing_ae_oe_aa_are_put_back_as_the_sources_write_them():
    lex = Lexicon.from_texts(TEXTS)
    assert lex.mend_text("er den apen hele dognet?") == "er den åpen hele døgnet?"
    assert lex.mend("Ostersjoradet") == "Østersjørådet"  # keeps the capital
    # "aa" and "oe" for the letters they spell, as typed on a keyboard without them
    assert lex.mend_text("er den aapen hele doegnet?") == "er den åpen hele døgnet?"
    assert lex.mend("Oestersjoeraadet") == "Østersjørådet"
    assert Lexicon.from_texts(["poeng poeng"]).mend("poeng") == "poeng"  # a real "oe" stays
    # OCR left a few "pa" among many "på": the typed "pa" is still "på" ...
    assert lex.mend("pa") == "på"
    # ... but a spelling the sources use about as often as the other is left as typed.
    both = Lexicon.from_texts(["apen apen åpen"])
    assert both.mend("apen") == "apen"
    # Letters typed are never taken away: "før" stays, though the sources write "for" more.
    assert Lexicon.from_texts(["for for for for før"]).mend("før") == "før"


def test_a_word_one_edit_from_a_source_word_is_mended():
    lex = Lexicon.from_texts(TEXTS)
    assert lex.mend("menneskehandl") == "menneskehandel"  # a letter dropped
    assert lex.mend("tvangsrabeid") == "tvangsarbeid"  # two swapped
    assert lex.mend("Tvangsarbeud") == "Tvangsarbeid"  # one changed


def test_known_words_acronyms_short_and_rare_matches_are_left_alone():
    lex = Lexicon.from_texts([*TEXTS, "Rammes rammes."])
    assert lex.mend("rammer", known=lambda w: w == "rammer") == "rammer"  # a real word
    assert lex.mend("rammer") == "rammes"
    assert lex.mend("KOMM") == "KOMM"  # acronyms as typed
    assert lex.mend("tak") == "tak"  # too short to guess
    assert Lexicon.from_texts(["Caritas"]).mend("caritaz") == "caritaz"  # seen only once
    assert lex.mend("a") == "a"  # "a-krimsenter" is no "å"
    # Past any real compound's length, a word is pasted noise: not worth the edits.
    long = Lexicon.from_texts(["ab" * 23, "ab" * 23])
    assert long.mend("ab" * 22 + "a") == "ab" * 22 + "a"


def test_a_question_typed_all_in_lower_case_gets_the_sources_names_and_acronyms_back():
    lex = Lexicon.from_texts(["Saken ble meldt til UDI og NAV i Oslo, og UDI svarte.",
                              "Han kom til NAV. Det kom brev fra UDI i Oslo.",
                              "Kom igjen. Oslo er stor."])
    assert lex.restore_case("hva gjør udi og nav i oslo?") == "Hva gjør UDI og NAV i Oslo?"
    # Mid-sentence the sources use "kom" only as the verb ("came"): left as typed.
    assert lex.restore_case("han kom til udi") == "Han kom til UDI"
    # Any capital means the writer chose the case: nothing is changed.
    assert lex.restore_case("Hva gjør udi?") == "Hva gjør udi?"
    # A capital seen only at a sentence start ("Kom igjen.") is no name.
    assert "kom" not in lex.cased
