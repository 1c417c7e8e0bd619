from kom_assistant.answer.contacts import (
    Contact,
    asks_for_action,
    asks_for_contact,
    audience_of,
    case_audience,
    contacts_for,
    is_unsafe_request,
    load_contacts,
)
from kom_assistant.answer.frontline import is_frontline_case

from ..conftest import ROOT


def test_unsafe_requests_are_recognised_in_both_languages():
    assert is_unsafe_request("Hvordan unngår jeg å bli oppdaget av politiet?")
    assert is_unsafe_request("How can I avoid detection by labour inspectors?")
    assert is_unsafe_request("hvordan rekruttere jenter fra Romania")
    assert not is_unsafe_request("Hvilke tegn tyder på tvangsarbeid?")
    assert not is_unsafe_request("Hvordan kan politiet avdekke menneskehandel?")


def test_asking_who_can_help_someone_asks_for_contacts():
    assert asks_for_contact("Hvem kan han få hjelp hos?")
    assert asks_for_contact("Who can help her?")


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


def test_requests_for_action_as_people_type_them():
    for message in ["Hva gjør jeg?", "hva gjor vi na??", "Hva bør vi gjøre nå", "hva nå?",
                    "Hvordan skal vi håndtere dette?", "hvor henvender jeg meg", "trenger råd",
                    "What should I do?", "what now", "any advice on next steps?",
                    "How do we handle this?", "Where do I report it?", "who should i tell"]:
        assert asks_for_action(message), message
    for message in ["Hva gjør KOM?", "What does ROSA do?", "Hvor mange ofre ble identifisert?",
                    "Hva er straffen for menneskehandel?"]:
        assert not asks_for_action(message), message


def test_ages_and_whom_a_case_is_about():
    assert audience_of("Girl, says she's 17, bruises on her arms.", "en") == "children"
    assert audience_of("ei jente som ser ut som hun er 15-16", "nb") == "children"
    assert audience_of("han er ca 45 og jobber på et bilverksted", "nb") == "adults"
    assert audience_of("hun er 12 timer på jobb hver dag", "nb") == ""  # hours, not an age
    assert audience_of("to sesongarbeidere på en gård", "nb") == "adults"
    # A teenager with two grown men: both named, so no audience, but a child's case.
    message = "jente tenåring med to voksne menn, mannen har passet hennes"
    assert audience_of(message, "nb") == ""
    assert case_audience(message, "nb") == "children"
    assert case_audience("en mann sier han ikke får lønn", "nb") == "adults"
    # A decade is an age; a kindergarten job or the child welfare service names no child.
    assert audience_of("en mann i 30-årene sier barna hans er truet", "nb") == "adults"
    assert audience_of("a remand prisoner in his early 40s, threats to his kids", "en") == "adults"
    assert case_audience("en voksen kvinne ble lovet jobb i en barnehage", "nb") == "adults"
    assert case_audience("vi har meldt det til barnevernet, en kvinne sier", "nb") == "adults"
    assert audience_of("en av dem ser ut til å være rundt 15", "nb") == "children"
    assert audience_of("my son is 14 and his mate sells pills for them", "en") == "children"
    # Ages in words, school years, and of two ages the younger (in doubt, a child).
    assert audience_of("a seventeen-year-old who sleeps at the restaurant", "en") == "children"
    assert audience_of("en fjortenåring som selger for noen", "nb") == "children"
    assert audience_of("she says she is 20, but her friend says she's actually 15", "en") == (
        "children")
    assert audience_of("eleven min går i 9. klasse og jobber hver natt", "nb") == "children"
    assert audience_of("a pupil in year 8 has to work", "en") == "children"
    assert audience_of("one of my players, twelve, says", "en") == "children"
    assert audience_of("voksne menn i 20 åra, gutta sover i en container", "nb") == "adults"
    assert audience_of("a woman in her thirties", "en") == "adults"
    # A count is no age: "about five men", "rundt ti arbeidere".
    assert audience_of("det bor ca. fem menn i en leilighet over butikken", "nb") == "adults"
    assert audience_of("about six women work there, one of them maybe 40", "en") == "adults"
    assert audience_of("a boy, about 15, works nights", "en") == "children"
    assert audience_of("two brothers, about 13 and 15, sleep at the station", "en") == "children"
    assert audience_of("says she is 18 but looks about 14 and is scared", "en") == "children"
    assert audience_of("han ser ut til å være 15 og jobber hver natt", "nb") == "children"
    # How long, not how old.
    assert audience_of("en kvinne som har jobbet der i fire år uten lønn på 3 måneder",
                       "nb") == "adults"
    assert audience_of("a man who has worked there for 2 years, about 12 hours a day",
                       "en") == "adults"


def test_frontline_cases_need_a_person_signs_and_a_request():
    cases = [
        ("Renholder på et kjøpesenter, ca 30, sier sjefen har tatt passet hennes og at hun "
         "skylder ham penger for reisen. Hva bør jeg gjøre?", "nb"),
        ("Two men at the car wash work from 6 to 22, the owner pays them almost nothing and "
         "they sleep in the back room. Who do I call?", "en"),
        ("gutt 15 leverer pakker for noen eldre typer og er livredd. hva gjor vi", "nb"),
    ]
    for message, lang in cases:
        assert is_frontline_case(message, lang), message
    for message, lang in [
        ("Naboen spiller høy musikk hver natt. Hva gjør jeg?", "nb"),  # no signs
        ("Sønnen min på 15 spiller for mye dataspill. Hva gjør jeg?", "nb"),
        ("Hva er tegn på tvangsarbeid?", "nb"),  # signs, but no request for action
        ("What should I do if I lose my passport abroad?", "en"),  # no one else's situation
    ]:
        assert not is_frontline_case(message, lang), message
