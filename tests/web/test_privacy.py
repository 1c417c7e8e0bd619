"""Personal data: numbers, e-mail, street addresses and person names found and removed."""

from kom_assistant.web.names import make_name_check
from kom_assistant.web.privacy import find_personal_data, remove_personal_data

# Small word lists in place of the bokmål list: the sources' words, common words, and the
# given names and surnames the bokmål list has only capitalised.
SOURCES = {"oslo", "lauras", "hus", "udi", "politiet", "romania"}
COMMON = {"nordmann", "hvordan", "hjelpe", "politiet", "barn", "kan", "er", "hva", "the"}
NAMES = {"ola", "kari", "hansen", "lars", "drammen"}
IS_NAME = make_name_check(SOURCES, common=COMMON, names=NAMES, english={"can", "help", "get"})


def kinds(text: str) -> set[str]:
    return {kind for kind, _ in find_personal_data(text, IS_NAME)}


def test_the_issues_example_keeps_nothing_personal() -> None:
    text = "Ola Nordmann 12345678901 tlf 91234567 er kanskje utnyttet"
    assert kinds(text) == {"navn", "fødselsnummer", "telefon"}
    assert remove_personal_data(text, IS_NAME) == (
        "[fjernet] [fjernet] tlf [fjernet] er kanskje utnyttet")


def test_any_eleven_digits_are_held_back_valid_birth_number_or_not() -> None:
    for number in ("12345678901", "010190 12345", "1234.56.78903"):
        assert kinds(f"Saken gjelder {number}.") == {"fødselsnummer"}, number
    assert kinds("Saken har nummer 123456.") == set()


def test_email_and_street_addresses() -> None:
    assert kinds("Skriv til kari@example.no") == {"e-post"}
    for address in ("Storgata 5", "Karl Johans gate 5B, 0154 Oslo", "Thereses gate 14",
                    "Kirkeveien 12", "12 Main Street"):
        text = f"Hun bor i {address} nå."
        assert "adresse" in kinds(text), address
        assert remove_personal_data(text, IS_NAME).startswith("Hun bor i [fjernet]"), address
    # Numbers and streets alone are no address.
    assert kinds("Hvordan hjelpe alle 3 barna i Storgata?") == set()


def test_names_mid_sentence_and_in_runs() -> None:
    assert find_personal_data("Jeg møtte Fatima i går.", IS_NAME) == [("navn", "Fatima")]
    assert find_personal_data("Hun sier. Kari Hansen er 15.", IS_NAME) == [("navn", "Kari Hansen")]
    assert find_personal_data("Anne-Lise Berg er saksbehandler.", IS_NAME) == [
        ("navn", "Anne-Lise Berg")]
    # The sentence's own first word is not part of the name.
    assert find_personal_data("Can Mohammed get help?", IS_NAME) == [("navn", "Mohammed")]


def test_words_that_are_no_names() -> None:
    # Sentence-initial, the sources' words, common words, acronyms, a place after "i".
    for text in ("Fatima sier at hun er 15.", "Hva gjør Politiet og UDI i Oslo?",
                 "Et barn fra Romania bor på Lauras hus.", "Kan HTSOs telefon hjelpe?",
                 "Jeg jobber i Drammen.", "Hvordan Kan Politiet Hjelpe?"):
        assert find_personal_data(text, IS_NAME) == [], text
    # Without a name check, names are not looked for at all.
    assert find_personal_data("Jeg møtte Fatima i går.") == []


def test_public_numbers_and_years_are_not_personal_data() -> None:
    assert find_personal_data("Ring ROSA på 22 33 11 60 eller 112. I 2023 ble 27 anmeldt.") == []
    assert find_personal_data("HTSOs rådgivningstelefon er 994 70 279.") == []
    assert find_personal_data("Skriv til KOM.pod@politiet.no") == []
