"""Answers on a small in-memory corpus: cited, short, honest refusals, declines, follow-ups."""

import pytest

from kom_assistant.answer import ask, compose_answer, resolve_follow_up
from kom_assistant.index import load_index
from kom_assistant.reindex import build_index
from kom_assistant.safety import Contact


@pytest.fixture
def small_index(small_settings, embedder):
    build_index(small_settings, embedder)
    return load_index(small_settings, embedder.name)


CONTACTS = [Contact("ROSA", "ROSA", "Døgnåpen.", "Open all day.", phone="22 33 11 60")]


def test_norwegian_answer_cites_the_passage(small_index, embedder):
    answer = ask("Hvilke tegn tyder på tvangsarbeid?", small_index, embedder)
    assert not answer.refused and answer.language == "nb"
    assert "[1]" in answer.text and answer.citations[0].n == 1
    citation = answer.citations[0]
    assert citation.chunk.document_id == "veileder-2023"
    assert "identitetspapirer" in citation.quote
    assert all(part in citation.chunk.text for part in citation.quote.split(" … "))
    assert len(answer.text.split()) <= 160


def test_a_question_typed_without_ae_oe_aa_is_answered_and_says_what_was_searched(small_index,
                                                                                  embedder):
    answer = ask("Hvilke tegn tyder pa tvangsarbeid?", small_index, embedder)
    assert not answer.refused and "identitetspapirer" in answer.citations[0].quote
    assert answer.note == "Søkte etter: «Hvilke tegn tyder på tvangsarbeid?»"
    assert ask("Hvilke tegn tyder på tvangsarbeid?", small_index, embedder).note == ""
    # Capitals put back on a lower-case question are no news worth a note.
    assert ask("hvilke tegn tyder på tvangsarbeid", small_index, embedder).note == ""


def test_english_question_gets_english_lead_and_marked_norwegian_quotes(small_index, embedder):
    answer = ask("What are the signs of forced labour?", small_index, embedder)
    assert not answer.refused and answer.language == "en"
    assert answer.text.startswith("From the Norwegian sources")
    assert "«" in answer.text and "not translated" in answer.text


def test_unanswerable_question_is_refused_with_help(small_index, embedder):
    answer = ask("Hvor mye koster en flybillett til Bangkok i juli?", small_index, embedder,
                 contacts=CONTACTS)
    assert answer.refused and not answer.citations
    assert answer.text.startswith("Jeg finner ikke svar på dette i kildene.")
    assert "22 33 11 60" in answer.text


def test_unsafe_request_is_declined(small_index, embedder):
    answer = ask("Hvordan unngår vi å bli oppdaget av Arbeidstilsynet?", small_index, embedder,
                 contacts=CONTACTS)
    assert answer.refused and answer.note == "declined"
    assert "ikke hjelpe" in answer.text


def test_follow_up_is_resolved_against_the_conversation(small_index, embedder):
    assert resolve_follow_up("hva med barn?", ["Hvem kontakter jeg ved mistanke?"]) == (
        "Hvem kontakter jeg ved mistanke? hva med barn?")
    assert resolve_follow_up("Hvilke tegn tyder på tvangsarbeid?", ["x"]) == (
        "Hvilke tegn tyder på tvangsarbeid?")
    assert resolve_follow_up("and for children?", ["Who pays?"]) == "Who pays? and for children?"
    answer = ask("og hva med barn?", small_index, embedder,
                 history=["Hvem kontakter du ved mistanke om menneskehandel?"])
    assert any("barnevernet" in c.quote for c in answer.citations)
    assert answer.question == "og hva med barn?"


def test_no_hits_means_refusal(small_index):
    answer = compose_answer("Hva er tvangsarbeid?", [], small_index.keyword)
    assert answer.refused


def test_when_and_how_long_questions_need_a_date_or_duration(small_index, embedder):
    from kom_assistant.grounding import answer_type_found
    from kom_assistant.retrieve import hybrid_search

    question = "Når arrangerer KOM seminaret om menneskehandel?"
    hits = hybrid_search(small_index, embedder, question, k=3)
    assert answer_type_found(question, hits, small_index.keyword)  # "i oktober"
    question = "Hvor lenge varer refleksjonsperioden for utenlandske ofre?"
    hits = hybrid_search(small_index, embedder, question, k=3)
    assert not answer_type_found(question, hits, small_index.keyword)  # no duration given
    answer = ask(question, small_index, embedder)
    assert answer.refused


def test_disagreeing_figures_are_shown_newest_first_each_named(small_index):
    from kom_assistant.models import Chunk, Hit

    def hit(rank, doc, title, year, published, text):
        chunk = Chunk(id=f"{doc}-1", document_id=doc, document_title=title, source=f"{doc}.txt",
                      section="", page_start=1, page_end=1, char_start=0, char_end=len(text),
                      text=text, year=year, published=published)
        return Hit(chunk, 1.0 / rank, rank)

    hits = [
        hit(1, "rapport", "Tilstandsrapport", 2024, "2024-06-01",
            "Totalt er det avsagt 54 fellende dommer for menneskehandel i Norge."),
        hit(2, "brev", "Nyhetsbrev", 2025, "2025-12-15",
            "Totalt er det avsagt 56 fellende dommer for menneskehandel i Norge."),
    ]
    answer = compose_answer("Hvor mange fellende dommer for menneskehandel er avsagt?", hits,
                            small_index.keyword)
    assert not answer.refused
    lines = [ln for ln in answer.text.splitlines() if ln.startswith("- ")]
    assert lines[0].startswith("- Nyhetsbrev (2025): ") and "56" in lines[0]
    assert lines[1].startswith("- Tilstandsrapport (2024): ") and "54" in lines[1]


def _hits(*texts: str, title: str = "Nyhetsbrev", year: int = 2023):
    from kom_assistant.models import Chunk, Hit

    return [Hit(Chunk(id=f"c{i}", document_id="d", document_title=title, source="d.txt",
                      section="", page_start=1, page_end=1, char_start=0, char_end=len(t),
                      text=t, year=year), 1.0 / i, i)
            for i, t in enumerate(texts, start=1)]


def _keyword(texts):
    from kom_assistant.keyword import KeywordIndex

    filler = ["KOM arbeider mot menneskehandel.", "Politiet etterforsker menneskehandel.",
              "Strategien har tiltak for barn.", "UDI behandler søknader om opphold."] * 10
    return KeywordIndex.build([*texts, *filler], [*texts, *filler])


def test_a_specific_ask_needs_the_detail_next_to_the_subject():
    from kom_assistant.grounding import answer_type_found

    proposal = "Regjeringen la 18. desember frem forslag til endringer i NIM-loven om overvåking."
    in_force = "Endringene i NIM-loven om overvåking trer i kraft 1. juli 2026."
    question = "Når trer endringene i NIM-loven om overvåking i kraft?"
    kw = _keyword([proposal, in_force])
    assert not answer_type_found(question, _hits(proposal), kw)  # a date, but of the proposal
    assert answer_type_found(question, _hits(proposal, in_force), kw)

    sentence = "Strafferammen for menneskehandel er fengsel inntil 6 år."
    kw = _keyword([sentence, "Kjøp av seksuelle tjenester er forbudt."])
    assert answer_type_found("Hva er strafferammen for menneskehandel?", _hits(sentence), kw)
    assert not answer_type_found("What is the maximum prison sentence for buying sex?",
                                 _hits(sentence), kw)

    # A second question after the first shares the terms: the number asked for sits in a
    # sentence about the languages, not about everything the first question names.
    chatbot = "Arbeidstilsynet har lansert en chatbot. Den nye løsningen kan svare på 12 språk."
    kw = _keyword([chatbot, "Utenlandske arbeidere trenger digitale verktøy."])
    question = ("Har Arbeidstilsynet et digitalt verktøy for utenlandske arbeidere? "
                "Hvor mange språk?")
    assert answer_type_found(question, _hits(chatbot), kw)


def test_names_and_years_the_sources_do_not_have_mean_no_answer():
    from kom_assistant.answer import compose_answer
    from kom_assistant.grounding import answer_type_found

    text = "I saken ble to menn dømt til 5 år fengsel for grov menneskehandel."
    kw = _keyword([text])
    assert answer_type_found("Hvor lang fengselsstraff fikk de domfelte i saken?",
                             _hits(text), kw)
    assert not answer_type_found("Hvor lang fengselsstraff fikk de domfelte i Lime-saken?",
                                 _hits(text), kw)  # a case the sources never name
    counted = "I 2023 ble 47 saker anmeldt som menneskehandel."
    kw = _keyword([counted])
    question = "Hvor mange saker ble anmeldt som menneskehandel i {}?"
    assert answer_type_found(question.format(2023), _hits(counted, year=2024), kw)
    assert not answer_type_found(question.format(2026), _hits(counted, year=2024), kw)
    assert compose_answer(question.format(2026), _hits(counted, year=2024), kw).refused
    # A report published in 2024 about 2023 does not answer for 2024: its title's year counts,
    # not the year it came out.
    report = _hits(counted, title="Tilstandsrapport 2023", year=2024)
    assert answer_type_found(question.format(2023), report, kw)
    assert not answer_type_found(question.format(2024), report, kw)


def test_the_section_about_a_named_part_answers_before_passing_mentions():
    from dataclasses import replace

    from kom_assistant.answer import select_sentences

    mention, measure = _hits(
        "Tiltaket skal ses i sammenheng med tiltak 12 om koordinering av bistand.",
        "Mekanismen skal samle aktørene som gir bistand og beskyttelse til antatte ofre.")
    measure = replace(measure, chunk=replace(measure.chunk, section="Tiltak 12: Koordinering"),
                      parts=frozenset({("tiltak", "12")}))
    kw = _keyword([mention.chunk.text, measure.chunk.text])
    chosen = select_sentences("Hva går tiltak 12 ut på?", [mention, measure], kw)
    assert chosen and max(chosen, key=lambda c: c.score).hit is measure


def test_sentences_close_in_meaning_to_the_question_are_preferred():
    from dataclasses import replace

    from kom_assistant.answer import select_sentences

    text = ("Arbeidstilsynet kontrollerer arbeidsplasser i utsatte bransjer. "
            "Arbeidstilsynet samarbeider med politiet og Skatteetaten i a-krimsentrene.")
    question = "Hva gjør Arbeidstilsynet?"
    kw = _keyword([text])
    (plain,) = _hits(text)
    second = text.index("Arbeidstilsynet samarbeider")
    # The same words of the question in both sentences: closeness in meaning decides.
    for close in (second, 0):
        sims = ((0, second - 1, 0.80 if close == 0 else 0.70),
                (second, len(text), 0.80 if close == second else 0.70))
        chosen = select_sentences(question, [replace(plain, sentences=sims)], kw)
        assert max(chosen, key=lambda c: c.score).start == close


def test_a_question_naming_numbered_parts_gets_their_table_rows():
    from dataclasses import replace

    from kom_assistant.answer import select_sentences
    from kom_assistant.references import chunk_references

    table = ("Innsatsområde 3 - Bistand og beskyttelse\n\n10 Sikre antatte ofres rettigheter JD\n\n"
             "11 Gjennomgå finansieringen JD\n\n12 Etablere en koordineringsmekanisme JD "
             "Innsatsområde 4 - Straffeforfølgning\n\n13 Gjennomgå lovbestemmelser JD\n\n"
             "14 Styrke politiets etterretning JD\n\n15 Styrke politiets forebygging JD")
    prose = "Politiet skal styrke etterretningen om menneskehandel i hele landet, jf. tiltak 14."
    hits = _hits(table, prose, title="Nasjonal strategi")
    parts = chunk_references("", table)[1] | {("tiltak", str(n)) for n in range(10, 16)}
    hits[0] = replace(hits[0], parts=parts)
    kw = _keyword([table, prose])

    def rows(question, hits=hits):
        return [c.text for c in select_sentences(question, hits, kw) if c.hit.rank == 1]

    area_4 = rows("Hvilke tiltak hører til innsatsområde 4?")
    assert {"13 Gjennomgå lovbestemmelser JD", "14 Styrke politiets etterretning JD",
            "15 Styrke politiets forebygging JD"} <= set(area_4)
    assert not {"10 Sikre antatte ofres rettigheter JD", "11 Gjennomgå finansieringen JD"} & set(
        area_4)
    assert rows("What are measures 14 and 15?") == [
        "14 Styrke politiets etterretning JD", "15 Styrke politiets forebygging JD"]
    # Row 4 is a measure, not area 4: only the rows under area 4's name are its measures.
    areas = ("Innsatsområde 1 - Samordning\n\n3 Utvikle informasjon JD\n\n4 Opprette en "
             "ordning JD\n\nInnsatsområde 4 - Straffeforfølgning\n\n5 Gjennomgå lover JD\n\n"
             "6 Styrke politiet JD")
    area_hits = [replace(_hits(areas, title="Nasjonal strategi")[0], parts=chunk_references(
        "", areas)[1] | {("tiltak", str(n)) for n in range(3, 7)})]
    assert rows("Hvilke tiltak hører til innsatsområde 4?", area_hits) == [
        "5 Gjennomgå lover JD", "6 Styrke politiet JD"]
    # Rows of a chunk that is not about the parts asked for are fragments, left out.
    assert "13 Gjennomgå lovbestemmelser JD" not in rows("Hvilke tiltak hører til "
                                                         "innsatsområde 4?", _hits(table, prose))


def test_a_situation_told_before_the_question_counts_half_and_everyday_words_not_at_all():
    from kom_assistant.grounding import SUPPORT_THRESHOLD, question_terms, support

    text = "Tegn på tvangsarbeid er at arbeidsgiveren holder tilbake identitetspapirer."
    kw = _keyword([text, "Renholdsbransjen har mange underleverandører og mottak."])
    chatty = ("Hei, jeg er på et mottak og en underleverandør virker veldig rar. "
              "Hvilke tegn på tvangsarbeid finnes?")
    terms = question_terms(chatty, kw)
    assert terms["mottak"] == 0.5 * kw.idf("mottak")  # the writer's situation
    assert terms["tvangsarbeid"] == kw.idf("tvangsarbeid")  # what is asked
    assert not {"veld", "hei"} & set(terms)  # "veldig", "hei": everyday words
    assert support(chatty, _hits(text), kw) >= SUPPORT_THRESHOLD
    # Asked in one breath, the same words all count in full: no passage holds them all.
    one = "Hvilke tegn på tvangsarbeid finnes på et mottak med en underleverandør?"
    assert question_terms(one, kw)["mottak"] == kw.idf("mottak")


def test_an_english_question_counts_the_norwegian_names_it_carries():
    from kom_assistant.grounding import question_terms

    text = "Lauras hus har ni plasser for kvinner."
    kw = _keyword([text])
    assert set(question_terms("Who can stay at Lauras hus?", kw)) >= {"hus"}


def test_questions_for_a_sentence_or_contact_details_need_them_in_the_passage():
    from kom_assistant.grounding import answer_type_found

    named = "I saken ble to menn tiltalt for grov menneskehandel ved tingretten."
    sentenced = "I saken ble to menn dømt til 5 år fengsel for grov menneskehandel ved tingretten."
    kw = _keyword([named, sentenced])
    question = "Hvilken straff fikk de tiltalte i saken om grov menneskehandel?"
    assert not answer_type_found(question, _hits(named), kw)
    assert answer_type_found(question, _hits(sentenced), kw)

    open_ = "Hjelpetelefonen til ROSA er døgnåpen på 22 33 11 60, og ROSA kan kontaktes."
    kw = _keyword([open_, "ROSA har et nettsted med informasjon om tilbudet."])
    assert answer_type_found("Hva er nummeret til hjelpetelefonen til ROSA?", _hits(open_), kw)
    assert not answer_type_found("What is ROSA's email address?", _hits(open_), kw)
    assert answer_type_found("Hva er åpningstidene til hjelpetelefonen til ROSA?",
                             _hits(open_), kw)
    site = "ROSA har et nettsted med informasjon om tilbudet."
    assert not answer_type_found("Hva er nummeret til ROSA?", _hits(site), kw)


def test_an_english_question_about_another_country_needs_that_country_in_the_passage():
    from kom_assistant.grounding import answer_type_found

    norway = "I 2023 ble 27 saker om menneskehandel anmeldt til politiet i Norge."
    kw = _keyword([norway, "Sverige har en egen nasjonal koordinator.", "Sverige."])
    asked = "How many human trafficking cases were reported to the police in {} in 2023?"
    assert answer_type_found(asked.format("Norway"), _hits(norway), kw)
    assert not answer_type_found(asked.format("Sweden"), _hits(norway), kw)


def test_how_big_and_how_much_questions_need_a_figure():
    from kom_assistant.grounding import answer_type_found

    vague = "Tilskuddsordningen mot menneskehandel er viktig for organisasjonene."
    figure = "Tilskuddsordningen mot menneskehandel var på 37,5 millioner for organisasjonene."
    kw = _keyword([vague, figure])
    for question in ("Hvor stor er tilskuddsordningen mot menneskehandel?",
                     "How much is the grant scheme against trafficking (tilskuddsordningen)?"):
        assert not answer_type_found(question, _hits(vague), kw), question
        assert answer_type_found(question, _hits(figure), kw), question
