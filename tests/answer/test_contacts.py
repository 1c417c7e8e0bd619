from kom_assistant.answer.contacts import (
    Contact,
    asks_for_contact,
    contacts_for,
    is_unsafe_request,
    load_contacts,
)

from ..conftest import ROOT


def test_unsafe_requests_are_recognised_in_both_languages():
    assert is_unsafe_request("Hvordan unngår jeg å bli oppdaget av politiet?")
    assert is_unsafe_request("How can I avoid detection by labour inspectors?")
    assert is_unsafe_request("hvordan rekruttere jenter fra Romania")
    assert not is_unsafe_request("Hvilke tegn tyder på tvangsarbeid?")
    assert not is_unsafe_request("Hvordan kan politiet avdekke menneskehandel?")


def test_questions_about_whom_to_contact_are_recognised_in_both_languages():
    for question in ["Hvem kontakter jeg hvis et barn kan være utnyttet?",
                     "hvem skal jeg ringe til?", "Hvor kan jeg få råd i en sak?",
                     "jeg aner ikke hvem jeg skal kontakte", "Who do I contact about a victim?",
                     "Where can I get advice?", "What is the helpline number?"]:
        assert asks_for_contact(question), question
    for question in ["Hvilke tegn tyder på tvangsarbeid?", "Hvem leder kompetansegruppen?",
                     "Who coordinates the NRM?", "Hvor mange ofre ble identifisert i 2023?"]:
        assert not asks_for_contact(question), question


def test_contacts_for_a_child_or_an_adult_put_theirs_first_and_leave_out_the_others():
    police = Contact("Politi", "Police", "Akutt.", "Emergency.", phone="112")
    child = Contact("Barnevernet", "Child welfare", "Meldeplikt.", "Duty.", audience="children")
    adult = Contact("HTSO", "HTSO", "Voksne.", "Adults.", audience="adults")
    everyone = [police, child, adult]
    assert contacts_for("Hvem kontakter jeg om et barn?", "nb", everyone) == [child, police]
    assert contacts_for("Who do I call about a woman at our shelter?", "en",
                        everyone) == [adult, police]
    assert contacts_for("Hvem kontakter jeg?", "nb", everyone) == everyone
    # Norwegian "man" is "one": a question about a child still puts the child's contacts first.
    assert contacts_for("Hvem kan man kontakte om et barn?", "nb", everyone) == [child, police]
    # No phone or e-mail in the sources: the line says what the service does, no empty colon.
    assert child.line("nb") == "Barnevernet. Meldeplikt."
    assert police.line("en") == "Police: 112. Emergency."


def test_contacts_come_from_the_corpus_with_page_evidence(real_ingest_pages):
    contacts = load_contacts(ROOT / "corpus")
    assert any(c.phone == "112" for c in contacts)
    assert {c.audience for c in contacts} == {"", "children", "adults"}
    for contact in contacts:
        if contact.document:
            page = real_ingest_pages[(contact.document, contact.page)]
            assert " ".join(contact.evidence.split()) in " ".join(page.split()), contact.name_nb
