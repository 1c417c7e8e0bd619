"""Answers on a small in-memory corpus: cited, short, honest refusals, declines, follow-ups."""

import pytest

from kom_assistant.answer.compose import ask, compose_answer, resolve_follow_up
from kom_assistant.answer.contacts import Contact
from kom_assistant.maintain.reindex import build_index
from kom_assistant.search.index import load_index

from ..passages import RULES, hits, keyword_index


@pytest.fixture
def small_index(small_settings, embedder):
    build_index(small_settings, embedder)
    return load_index(small_settings, embedder.name)


CONTACTS = [Contact("ROSA", "ROSA", "Døgnåpen.", "Open all day.", phone="22 33 11 60")]


def test_norwegian_answer_cites_the_passage(rules, small_index, embedder):
    answer = ask("Hvilke tegn tyder på tvangsarbeid?", small_index, embedder)
    assert not answer.refused and answer.language == "nb"
    assert "[1]" in answer.text and answer.citations[0].n == 1
    citation = answer.citations[0]
    assert citation.chunk.document_id == "veileder-2023"
    assert "identitetspapirer" in citation.quote
    assert all(part in citation.chunk.text for part in citation.quote.split(" … "))
    assert len(answer.text.split()) <= 160


def test_a_question_typed_without_ae_oe_aa_is_answered_and_says_what_was_searched(
        rules, small_index, embedder):
    answer = ask("Hvilke tegn tyder pa tvangsarbeid?", small_index, embedder)
    assert not answer.refused and "identitetspapirer" in answer.citations[0].quote
    assert answer.note == "Søkte etter: «Hvilke tegn tyder på tvangsarbeid?»"
    assert ask("Hvilke tegn tyder på tvangsarbeid?", small_index, embedder).note == ""
    # Capitals put back on a lower-case question are no news worth a note.
    assert ask("hvilke tegn tyder på tvangsarbeid", small_index, embedder).note == ""


def test_english_question_gets_english_lead_and_marked_norwegian_quotes(rules, small_index,
                                                                        embedder):
    answer = ask("What are the signs of forced labour?", small_index, embedder)
    assert not answer.refused and answer.language == "en"
    assert answer.text.startswith("From the Norwegian sources")
    assert "«" in answer.text and "not translated" in answer.text


def test_unanswerable_question_is_refused_with_help(rules, small_index, embedder):
    answer = ask("Hvor mye koster en flybillett til Bangkok i juli?", small_index, embedder,
                 contacts=CONTACTS)
    assert answer.refused and not answer.citations
    assert answer.text.startswith("Jeg finner ikke svar på dette i kildene.")
    assert "22 33 11 60" in answer.text


def test_a_question_about_whom_to_contact_ends_with_the_contact_points(rules, small_index,
                                                                       embedder):
    contacts = [*CONTACTS, Contact("Barnevernet", "Child welfare", "Meldeplikt.", "Duty to notify.",
                                   audience="children"),
                Contact("HTSO", "HTSO", "Voksne.", "Adults.", phone="994 70 279",
                        audience="adults")]
    answer = ask("Hvem kontakter jeg hvis et barn kan være utnyttet?", small_index, embedder,
                 contacts=contacts)
    assert not answer.refused and "barnevernet og politiet" in answer.citations[0].quote
    assert answer.text.endswith(answer.contacts_text)
    assert answer.contacts_text.splitlines() == [
        "Hvem du kan kontakte:", "- Barnevernet. Meldeplikt.", "- ROSA: 22 33 11 60. Døgnåpen."]
    signs = ask("Hvilke tegn tyder på tvangsarbeid?", small_index, embedder, contacts=contacts)
    assert signs.contacts_text == "" and "22 33 11 60" not in signs.text


def test_unsafe_request_is_declined(rules, small_index, embedder):
    answer = ask("Hvordan unngår vi å bli oppdaget av Arbeidstilsynet?", small_index, embedder,
                 contacts=CONTACTS)
    assert answer.refused and answer.note == "declined"
    assert "ikke hjelpe" in answer.text


def test_follow_up_is_resolved_against_the_conversation(rules, small_index, embedder):
    assert resolve_follow_up("hva med barn?", ["Hvem kontakter jeg ved mistanke?"]) == (
        "Hvem kontakter jeg ved mistanke? hva med barn?")
    assert resolve_follow_up("Hvilke tegn tyder på tvangsarbeid?", ["x"]) == (
        "Hvilke tegn tyder på tvangsarbeid?")
    assert resolve_follow_up("and for children?", ["Who pays?"]) == "Who pays? and for children?"
    answer = ask("og hva med barn?", small_index, embedder,
                 history=["Hvem kontakter du ved mistanke om menneskehandel?"])
    assert any("barnevernet" in c.quote for c in answer.citations)
    assert answer.question == "og hva med barn?"


def test_no_hits_means_refusal(rules, small_index):
    answer = compose_answer("Hva er tvangsarbeid?", [], small_index.keyword)
    assert answer.refused


def test_when_and_how_long_questions_need_a_date_or_duration(rules, small_index, embedder):
    from kom_assistant.answer.answerability import answer_type_found
    from kom_assistant.search.retrieve import hybrid_search

    question = "Når arrangerer KOM seminaret om menneskehandel?"
    hits = hybrid_search(small_index, embedder, question, k=3)
    assert answer_type_found(question, hits, small_index.keyword)  # "i oktober"
    question = "Hvor lenge varer refleksjonsperioden for utenlandske ofre?"
    hits = hybrid_search(small_index, embedder, question, k=3)
    assert not answer_type_found(question, hits, small_index.keyword)  # no duration given
    answer = ask(question, small_index, embedder)
    assert answer.refused


def test_disagreeing_figures_are_shown_newest_first_each_named(rules, small_index):
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


def test_the_section_about_a_named_part_answers_before_passing_mentions(rules):
    from dataclasses import replace

    from kom_assistant.answer.lines import select_sentences

    mention, measure = hits(
        "Tiltaket skal ses i sammenheng med tiltak 12 om koordinering av bistand.",
        "Mekanismen skal samle aktørene som gir bistand og beskyttelse til antatte ofre.")
    measure = replace(measure, chunk=replace(measure.chunk, section="Tiltak 12: Koordinering"),
                      parts=frozenset({("tiltak", "12")}))
    kw = keyword_index([mention.chunk.text, measure.chunk.text])
    chosen = select_sentences("Hva går tiltak 12 ut på?", [mention, measure], kw)
    assert chosen and max(chosen, key=lambda c: c.score).hit is measure


def test_sentences_close_in_meaning_to_the_question_are_preferred(rules):
    from dataclasses import replace

    from kom_assistant.answer.lines import select_sentences

    text = ("Arbeidstilsynet kontrollerer arbeidsplasser i utsatte bransjer. "
            "Arbeidstilsynet samarbeider med politiet og Skatteetaten i a-krimsentrene.")
    question = "Hva gjør Arbeidstilsynet?"
    kw = keyword_index([text])
    (plain,) = hits(text)
    second = text.index("Arbeidstilsynet samarbeider")
    # The same words of the question in both sentences: closeness in meaning decides.
    for close in (second, 0):
        sims = ((0, second - 1, 0.80 if close == 0 else 0.70),
                (second, len(text), 0.80 if close == second else 0.70))
        chosen = select_sentences(question, [replace(plain, sentences=sims)], kw)
        assert max(chosen, key=lambda c: c.score).start == close


def test_a_question_asking_for_a_list_prefers_the_sentence_that_enumerates(rules):
    from kom_assistant.answer.lines import select_sentences

    topic = "Menneskehandel til tvangsarbeid er den mest alvorlige formen for arbeidskriminalitet."
    signs = ("Utnyttelse til tvangsarbeid skjer gjennom gjeld, trusler, vold, fratatte "
             "ID-dokumenter og uverdige boforhold.")
    kw = keyword_index([topic, signs])
    best = {q: max(select_sentences(q, hits(topic, signs), kw), key=lambda c: c.score).text
            for q in ("Hvilke tegn tyder på tvangsarbeid?", "Hva er tvangsarbeid?")}
    assert best["Hvilke tegn tyder på tvangsarbeid?"] == signs
    assert best["Hva er tvangsarbeid?"] == topic


def test_a_question_naming_numbered_parts_gets_their_table_rows(rules):
    from dataclasses import replace

    from kom_assistant.answer.lines import select_sentences
    from kom_assistant.search.references import chunk_references

    table = ("Innsatsområde 3 - Bistand og beskyttelse\n\n10 Sikre antatte ofres rettigheter JD\n\n"
             "11 Gjennomgå finansieringen JD\n\n12 Etablere en koordineringsmekanisme JD "
             "Innsatsområde 4 - Straffeforfølgning\n\n13 Gjennomgå lovbestemmelser JD\n\n"
             "14 Styrke politiets etterretning JD\n\n15 Styrke politiets forebygging JD")
    prose = "Politiet skal styrke etterretningen om menneskehandel i hele landet, jf. tiltak 14."
    table_hits = hits(table, prose, title="Nasjonal strategi")
    parts = chunk_references("", table)[1] | {("tiltak", str(n)) for n in range(10, 16)}
    table_hits[0] = replace(table_hits[0], parts=parts)
    kw = keyword_index([table, prose])

    def rows(question, found=table_hits):
        return [c.text for c in select_sentences(question, found, kw) if c.hit.rank == 1]

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
    area_hits = [replace(hits(areas, title="Nasjonal strategi")[0], parts=chunk_references(
        "", areas)[1] | {("tiltak", str(n)) for n in range(3, 7)})]
    assert rows("Hvilke tiltak hører til innsatsområde 4?", area_hits) == [
        "5 Gjennomgå lover JD", "6 Styrke politiet JD"]
    # Rows of a chunk that is not about the parts asked for are fragments, left out.
    assert "13 Gjennomgå lovbestemmelser JD" not in rows("Hvilke tiltak hører til "
                                                         "innsatsområde 4?", hits(table, prose))


def test_the_frontline_model_decides_only_when_it_reads_the_encoder_in_use(small_index,
                                                                           embedder):
    from dataclasses import replace

    from kom_assistant.answer.frontline import FRONTLINE_RULES
    from kom_assistant.answer.model import LinearModel
    from kom_assistant.search.embeddings import query_encoder

    dim = embedder.embed_queries(["x"]).shape[1]
    always = LinearModel(("e5",) * dim + FRONTLINE_RULES, (0.0,) * (dim + len(FRONTLINE_RULES)),
                         50.0)
    question = "Hvor mye koster en flybillett til Bangkok i juli?"
    learned = replace(RULES, frontline=always, encoder=query_encoder(embedder))
    answer = ask(question, small_index, embedder, contacts=CONTACTS, models=learned)
    assert not answer.refused and "22 33 11 60" in answer.contacts_text  # a case: steps
    other = replace(learned, encoder="another encoder")
    assert ask(question, small_index, embedder, contacts=CONTACTS, models=other).refused


def test_the_answerable_model_with_the_embedding_decides_only_under_its_encoder(small_index,
                                                                               embedder):
    from dataclasses import replace

    from kom_assistant.answer.answerability import ANSWERABLE_FEATURES
    from kom_assistant.answer.model import LinearModel
    from kom_assistant.search.embeddings import query_encoder

    dim = embedder.embed_queries(["x"]).shape[1]
    never = LinearModel(ANSWERABLE_FEATURES + ("e5",) * dim,
                        (0.0,) * (len(ANSWERABLE_FEATURES) + dim), -50.0)
    question = "Hva er refleksjonsperiode?"
    assert not ask(question, small_index, embedder, models=RULES).refused
    learned = replace(RULES, answerable_embedded=never, encoder=query_encoder(embedder))
    assert ask(question, small_index, embedder, models=learned).refused
    other = replace(learned, encoder="another encoder")
    assert not ask(question, small_index, embedder, models=other).refused
    # A follow-up joined to the turn before is not a question as that model learned them.
    follow_up = ask("og refleksjonsperiode?", small_index, embedder, models=learned,
                    history=["Hva er menneskehandel?"])
    assert not follow_up.refused
