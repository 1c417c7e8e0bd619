"""English questions reach the sources' Norwegian words through the vocabulary list."""

from kom_assistant.search.vocabulary import (
    VOCABULARY_FILE,
    norwegian_words,
    word_terms,
    words_table,
)

LINES = [
    "# forms<TAB>English",
    "bistand bistanden\tassistance; aid; support",
    "nødhjelp\taid",
    "oppholdstillatelse\tresidence permit; permit",
    "avslag avslått\trefusal; refuse; rejection",
    "children\tchildren",
    "barn barna\tchild; children",
    "ulike\t",
]


def test_each_english_word_gets_the_norwegian_word_whose_first_sense_it_is():
    table = words_table(LINES)
    assert word_terms("Is there aid?", table) == ["nødhjelp"]  # its first sense, not bistand's
    assert word_terms("assistance", table) == ["bistand"]  # the line's first form


def test_inflections_meet_by_stem_and_the_longest_phrase_wins():
    table = words_table(LINES)
    assert word_terms("Why were the permits refused?", table) == ["oppholdstillatelse", "avslag"]
    assert word_terms("a residence permit", table) == ["oppholdstillatelse"]  # once, as phrase


def test_an_english_word_the_sources_quote_yields_to_the_norwegian_one():
    assert word_terms("children at risk", words_table(LINES)) == ["barn"]


def test_very_common_english_words_alone_add_nothing():
    table = words_table([*LINES, "vilje\twill", "nytt\tnew"])
    assert word_terms("Who will get the new assistance?", table) == ["bistand"]


def test_the_bundled_word_list_covers_words_no_curated_phrase_does():
    assert VOCABULARY_FILE.exists()
    assert word_terms("embassies") and "utenriks" in word_terms("embassies")[0]
    assert word_terms("Why were applications refused?")[-1].startswith("avsl")


def test_norwegian_words_in_an_english_question_are_kept_as_they_are():
    assert norwegian_words("Who can stay at Lauras hus in Oslo?") == ["Lauras", "hus", "Oslo"]
    # English words, and words as common in English as in Norwegian, are not.
    assert norwegian_words("What does the seminar in Norway cover for children?") == []
