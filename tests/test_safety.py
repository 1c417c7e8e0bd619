from kom_assistant.safety import (
    find_personal_data,
    is_unsafe_request,
    load_contacts,
    remove_personal_data,
)

from .conftest import ROOT


def test_unsafe_requests_are_recognised_in_both_languages():
    assert is_unsafe_request("Hvordan unngår jeg å bli oppdaget av politiet?")
    assert is_unsafe_request("How can I avoid detection by labour inspectors?")
    assert is_unsafe_request("hvordan rekruttere jenter fra Romania")
    assert not is_unsafe_request("Hvilke tegn tyder på tvangsarbeid?")
    assert not is_unsafe_request("Hvordan kan politiet avdekke menneskehandel?")


def test_personal_data_is_found_and_removed():
    text = "Hun heter Kari Nordmann, fnr 01019012345, tlf 912 34 567, kari@example.no"
    kinds = {kind for kind, _ in find_personal_data(text)}
    assert {"fødselsnummer", "telefon", "e-post"} <= kinds
    cleaned = remove_personal_data(text)
    assert "01019012345" not in cleaned and "kari@example.no" not in cleaned


def test_public_numbers_and_years_are_not_personal_data():
    assert find_personal_data("Ring ROSA på 22 33 11 60 eller 112. I 2023 ble 27 anmeldt.") == []


def test_contacts_come_from_the_corpus_with_page_evidence(real_ingest_pages):
    contacts = load_contacts(ROOT / "corpus")
    assert any(c.phone == "112" for c in contacts)
    for contact in contacts:
        if contact.document:
            page = real_ingest_pages[(contact.document, contact.page)]
            assert " ".join(contact.evidence.split()) in " ".join(page.split()), contact.name_nb
