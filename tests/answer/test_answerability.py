"""Grounding: whether the top passages answer what a question asks."""

from ..passages import RULES, hits, keyword_index


def test_a_specific_ask_needs_the_detail_next_to_the_subject():
    from kom_assistant.answer.answerability import answer_type_found

    proposal = "Regjeringen la 18. desember frem forslag til endringer i NIM-loven om overvåking."
    in_force = "Endringene i NIM-loven om overvåking trer i kraft 1. juli 2026."
    question = "Når trer endringene i NIM-loven om overvåking i kraft?"
    kw = keyword_index([proposal, in_force])
    assert not answer_type_found(question, hits(proposal), kw)  # a date, but of the proposal
    assert answer_type_found(question, hits(proposal, in_force), kw)

    sentence = "Strafferammen for menneskehandel er fengsel inntil 6 år."
    kw = keyword_index([sentence, "Kjøp av seksuelle tjenester er forbudt."])
    assert answer_type_found("Hva er strafferammen for menneskehandel?", hits(sentence), kw)
    assert not answer_type_found("What is the maximum prison sentence for buying sex?",
                                 hits(sentence), kw)

    # A second question after the first shares the terms: the number asked for sits in a
    # sentence about the languages, not about everything the first question names.
    chatbot = "Arbeidstilsynet har lansert en chatbot. Den nye løsningen kan svare på 12 språk."
    kw = keyword_index([chatbot, "Utenlandske arbeidere trenger digitale verktøy."])
    question = ("Har Arbeidstilsynet et digitalt verktøy for utenlandske arbeidere? "
                "Hvor mange språk?")
    assert answer_type_found(question, hits(chatbot), kw)


def test_names_and_years_the_sources_do_not_have_mean_no_answer():
    from kom_assistant.answer.answerability import answer_type_found
    from kom_assistant.answer.compose import compose_answer

    text = "I saken ble to menn dømt til 5 år fengsel for grov menneskehandel."
    kw = keyword_index([text])
    assert answer_type_found("Hvor lang fengselsstraff fikk de domfelte i saken?",
                             hits(text), kw)
    assert not answer_type_found("Hvor lang fengselsstraff fikk de domfelte i Lime-saken?",
                                 hits(text), kw)  # a case the sources never name
    counted = "I 2023 ble 47 saker anmeldt som menneskehandel."
    kw = keyword_index([counted])
    question = "Hvor mange saker ble anmeldt som menneskehandel i {}?"
    assert answer_type_found(question.format(2023), hits(counted, year=2024), kw)
    assert not answer_type_found(question.format(2026), hits(counted, year=2024), kw)
    assert compose_answer(question.format(2026), hits(counted, year=2024), kw,
                          models=RULES).refused
    # A report published in 2024 about 2023 does not answer for 2024: its title's year counts,
    # not the year it came out.
    report = hits(counted, title="Tilstandsrapport 2023", year=2024)
    assert answer_type_found(question.format(2023), report, kw)
    assert not answer_type_found(question.format(2024), report, kw)


def test_a_situation_told_before_the_question_counts_half_and_everyday_words_not_at_all():
    from kom_assistant.answer.answerability import question_terms, support

    text = "Tegn på tvangsarbeid er at arbeidsgiveren holder tilbake identitetspapirer."
    kw = keyword_index([text, "Renholdsbransjen har mange underleverandører og mottak."])
    chatty = ("Hei, jeg er på et mottak og en underleverandør virker veldig rar. "
              "Hvilke tegn på tvangsarbeid finnes?")
    terms = question_terms(chatty, kw)
    assert terms["mottak"] == 0.5 * kw.idf("mottak")  # the writer's situation
    assert terms["tvangsarbeid"] == kw.idf("tvangsarbeid")  # what is asked
    assert not {"veld", "hei"} & set(terms)  # "veldig", "hei": everyday words
    assert support(chatty, hits(text), kw) >= 0.5  # the passage holds most of what is asked
    # Asked in one breath, the same words all count in full: no passage holds them all.
    one = "Hvilke tegn på tvangsarbeid finnes på et mottak med en underleverandør?"
    assert question_terms(one, kw)["mottak"] == kw.idf("mottak")


def test_asking_for_signs_counts_what_they_are_signs_of():
    from kom_assistant.answer.answerability import question_terms, support

    text = "Barn som er utnyttet kan være tilbakeholdne med å gi opplysninger."
    kw = keyword_index([text, "Tegn på utmattelse er vanlige.", "Ingenting tyder på det."])
    question = "Hvilke tegn kan tyde på at et barn er utnyttet?"
    assert set(question_terms(question, kw)) == {"utnytt"}
    assert support(question, hits(text), kw) >= 0.5  # the passage holds most of what is asked


def test_an_english_question_counts_the_norwegian_names_it_carries():
    from kom_assistant.answer.answerability import question_terms

    text = "Lauras hus har ni plasser for kvinner."
    kw = keyword_index([text])
    assert set(question_terms("Who can stay at Lauras hus?", kw)) >= {"hus"}


def test_questions_for_a_sentence_or_contact_details_need_them_in_the_passage():
    from kom_assistant.answer.answerability import answer_type_found

    named = "I saken ble to menn tiltalt for grov menneskehandel ved tingretten."
    sentenced = "I saken ble to menn dømt til 5 år fengsel for grov menneskehandel ved tingretten."
    kw = keyword_index([named, sentenced])
    question = "Hvilken straff fikk de tiltalte i saken om grov menneskehandel?"
    assert not answer_type_found(question, hits(named), kw)
    assert answer_type_found(question, hits(sentenced), kw)

    open_ = "Hjelpetelefonen til ROSA er døgnåpen på 22 33 11 60, og ROSA kan kontaktes."
    kw = keyword_index([open_, "ROSA har et nettsted med informasjon om tilbudet."])
    assert answer_type_found("Hva er nummeret til hjelpetelefonen til ROSA?", hits(open_), kw)
    assert not answer_type_found("What is ROSA's email address?", hits(open_), kw)
    assert answer_type_found("Hva er åpningstidene til hjelpetelefonen til ROSA?",
                             hits(open_), kw)
    site = "ROSA har et nettsted med informasjon om tilbudet."
    assert not answer_type_found("Hva er nummeret til ROSA?", hits(site), kw)


def test_an_english_question_about_another_country_needs_that_country_in_the_passage():
    from kom_assistant.answer.answerability import answer_type_found

    norway = "I 2023 ble 27 saker om menneskehandel anmeldt til politiet i Norge."
    kw = keyword_index([norway, "Sverige har en egen nasjonal koordinator.", "Sverige."])
    asked = "How many human trafficking cases were reported to the police in {} in 2023?"
    assert answer_type_found(asked.format("Norway"), hits(norway), kw)
    assert not answer_type_found(asked.format("Sweden"), hits(norway), kw)


def test_how_big_and_how_much_questions_need_a_figure():
    from kom_assistant.answer.answerability import answer_type_found

    vague = "Tilskuddsordningen mot menneskehandel er viktig for organisasjonene."
    figure = "Tilskuddsordningen mot menneskehandel var på 37,5 millioner for organisasjonene."
    kw = keyword_index([vague, figure])
    for question in ("Hvor stor er tilskuddsordningen mot menneskehandel?",
                     "How much is the grant scheme against trafficking (tilskuddsordningen)?"):
        assert not answer_type_found(question, hits(vague), kw), question
        assert answer_type_found(question, hits(figure), kw), question


def test_a_number_or_duration_written_in_words_answers_too():
    from kom_assistant.answer.answerability import answer_type_found

    # Read from number_words.toml, as the ages are: "femten" and "sytten" count here too, and
    # so does "to", which no age takes.
    for text, question in (
        ("Refleksjonsperioden varer i seks måneder for antatte ofre.",
         "Hvor lenge varer refleksjonsperioden for antatte ofre?"),
        ("Botiltaket for antatte ofre har femten plasser.",
         "Hvor mange plasser har botiltaket for antatte ofre?"),
        ("Botiltaket for antatte ofre hadde sytten beboere i 2023.",
         "Hvor mange beboere hadde botiltaket for antatte ofre i 2023?"),
        ("Botiltaket for antatte ofre har to plasser.",
         "Hvor mange plasser har botiltaket for antatte ofre?"),
    ):
        kw = keyword_index([text, "Politiet etterforsker saker om menneskehandel."])
        assert answer_type_found(question, hits(text), kw), text
    text = "Botiltaket for antatte ofre har mange plasser."
    kw = keyword_index([text, "Politiet etterforsker saker om menneskehandel."])
    assert not answer_type_found("Hvor mange plasser har botiltaket for antatte ofre?",
                                 hits(text), kw)
