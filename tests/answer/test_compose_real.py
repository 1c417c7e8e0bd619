"""Answers on the real bundled index: the guide's examples, the known questions, the issue's
frontline cases."""

from kom_assistant.answer.compose import ask
from kom_assistant.answer.contacts import load_contacts

from ..conftest import ROOT


def test_the_guides_example_questions_get_answers_to_act_on(real_index, embedder):
    signs = ask("Hvilke tegn tyder på tvangsarbeid?", real_index, embedder)
    assert not signs.refused
    assert any("fratatte ID-dokumenter" in c.quote for c in signs.citations)
    child = ask("Hvem kontakter jeg hvis et barn kan være utnyttet?", real_index, embedder,
                contacts=load_contacts(ROOT / "corpus"))
    assert not child.refused
    lines = child.contacts_text.splitlines()
    assert lines[1].startswith("- Barnevernstjenesten") and "Bufdir" in lines[2]
    assert not any("HTSO" in line for line in lines)  # an adults' service


def test_known_questions_are_answered_and_the_issues_near_miss_refused(real_index, embedder):
    import tomllib

    probes = tomllib.loads((ROOT / "corpus" / "regression.toml").read_text(encoding="utf-8"))
    # The probes (the answer models are chosen among the settings answering them all), and
    # plain questions like them that played no part in any choice.
    plain = [p["question"] for p in probes["probe"]] + [
        "Hvor lang straff kan man få for grov menneskehandel?",
        "What is the penalty for aggravated human trafficking?",
        "Hvor mange fellende dommer for menneskehandel var det i 2023?"]
    refused = [q for q in plain if ask(q, real_index, embedder).refused]
    assert not refused
    # The issue's two near misses: the penalty for another offence, and a year the sources
    # give no count of (the strategy's title has it: 2025-2030).
    for question in ("Hva er straffen for promillekjøring?",
                     "Hvor mange ofre ble identifisert i 2025?"):
        assert ask(question, real_index, embedder).refused, question


def test_the_issues_frontline_cases_get_the_right_contacts(real_index, embedder):
    contacts = load_contacts(ROOT / "corpus")
    child = ask("Jeg jobber på et asylmottak og en jente på 16 sier hun må jobbe for en mann for "
                "å betale ned reisen. Hva gjør jeg?", real_index, embedder, contacts=contacts)
    assert not child.refused
    assert child.contacts_text.splitlines()[1].startswith("- Barnevernstjenesten")
    adult = ask("En kvinne på legevakten sier at hun ikke fikk beholde passet sitt og må jobbe "
                "uten lønn. Hva gjør jeg?", real_index, embedder, contacts=contacts)
    assert not adult.refused and adult.contacts_text
    assert not any("Barnevern" in line or "Bufdir" in line
                   for line in adult.contacts_text.splitlines())
