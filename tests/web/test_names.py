"""Names: the bokmål list's capitalised-only entries are names; the sources' words never are."""

from pathlib import Path

from kom_assistant.web.names import english_domain_words, make_name_check, proper_nouns


def test_words_the_list_has_only_capitalised_are_names(tmp_path: Path) -> None:
    wordlist = tmp_path / "bokmaal"
    wordlist.write_bytes("Ola\nKari\nnordmann\nNordmann\nper\nPer\nDrammen\nbåt\n".encode("latin-1"))
    assert proper_nouns(wordlist) == {"ola", "kari", "drammen"}
    assert proper_nouns(tmp_path / "missing") == frozenset()


def test_a_name_check_orders_its_evidence() -> None:
    is_name = make_name_check({"rosa", "lime"}, common={"nordmann", "politiet"},
                              names={"ola", "rosa", "lars"}, english={"john"})
    assert is_name("Ola") and is_name("Olas")  # a name, and its genitive
    assert is_name("Fatima")  # in no list at all
    assert is_name("Lars")  # a name, though "lar" would be a word
    assert not is_name("Rosa")  # the sources use it (ROSA, the helpline)
    assert not is_name("Nordmann") and not is_name("Politiet")  # common words
    assert not is_name("John")  # the English list stands in for the domain words here
    assert not is_name("ECtHR") and not is_name("HTSOs")  # acronyms
    assert not is_name("Romanian")  # a nationality


def test_english_domain_words_come_from_the_vocabulary_and_glossary() -> None:
    words = english_domain_words()
    assert {"trafficking", "october", "snapchat"} <= words
    assert "spain" in words or "canada" in words  # the glossary's countries
