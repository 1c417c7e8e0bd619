"""LLM mode with LangChain's fake chat models: verified, cited, or the extractive fallback."""

from dataclasses import replace

from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage

from kom_assistant.answer.llm import answer_with_llm, build_messages, verify
from kom_assistant.config import load_settings
from kom_assistant.models import Answer, Chunk, Citation, Hit

P1 = Chunk(id="a", document_id="v", document_title="Veileder", source="v.md", section="Tegn",
           page_start=2, page_end=2, char_start=0, char_end=10,
           text="Arbeideren har ikke tilgang til egne identitetspapirer. Lønn holdes tilbake.")
P2 = Chunk(id="b", document_id="v", document_title="Veileder", source="v.md", section="Kontakt",
           page_start=3, page_end=3, char_start=0, char_end=10,
           text="Ved mistanke om at et barn er utnyttet, kontakt barnevernet og politiet.")
EXTRACTIVE = Answer("Hvilke tegn?", "Uttrekk [1]", (Citation(1, P1, "Arbeideren ..."),), False,
                    (Hit(P1, 1.0, 1), Hit(P2, 0.5, 2)), "nb")
SETTINGS = load_settings({}, llm="openai:fake", llm_timeout=5)


def test_supported_cited_sentences_are_kept_and_renumbered():
    model = FakeListChatModel(responses=[
        "Arbeideren har ikke tilgang til identitetspapirer [1]. "
        "Kontakt barnevernet og politiet ved mistanke om at et barn er utnyttet [2]."])
    streamed = []
    answer = answer_with_llm(EXTRACTIVE, SETTINGS, model=model, on_token=streamed.append)
    assert "".join(streamed).startswith("Arbeideren")
    assert answer.note == "" and not answer.refused
    assert [c.n for c in answer.citations] == [1, 2]
    assert answer.citations[1].chunk.id == "b"
    assert "barnevernet" in answer.citations[1].quote


def test_the_contact_points_still_close_an_answer_the_model_wrote():
    model = FakeListChatModel(responses=["Kontakt barnevernet og politiet [2]."])
    asked = replace(EXTRACTIVE, contacts_text="Hvem du kan kontakte:\n- ROSA: 22 33 11 60.")
    answer = answer_with_llm(asked, SETTINGS, model=model)
    assert answer.text.startswith("Kontakt barnevernet og politiet [1].")
    assert answer.text.endswith("Hvem du kan kontakte:\n- ROSA: 22 33 11 60.")


def test_invented_citation_and_unsupported_sentence_are_removed():
    model = FakeListChatModel(responses=[
        "Arbeideren har ikke tilgang til identitetspapirer [1]. "
        "Ofre får alltid 10 000 kroner i erstatning [7]. "
        "Ofre får alltid gratis advokat [2]."])
    answer = answer_with_llm(replace(EXTRACTIVE, note="Søkte etter: «x»"), SETTINGS, model=model)
    assert "erstatning" not in answer.text and "advokat" not in answer.text
    # What was searched for stays noted beside what was removed.
    assert answer.note.startswith("Søkte etter: «x» ") and "2 setning" in answer.note
    assert [c.chunk.id for c in answer.citations] == ["a"]


def test_answer_without_citations_falls_back_to_extractive():
    reply = AIMessage(content="Det er mange tegn. Spør politiet.")
    model = GenericFakeChatModel(messages=iter([reply]))
    answer = answer_with_llm(EXTRACTIVE, SETTINGS, model=model)
    assert answer.text == EXTRACTIVE.text
    assert "Språkmodellen" in answer.note


def test_model_error_falls_back_to_extractive():
    class Broken(FakeListChatModel):
        def _call(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise ConnectionError("no server")

        def _stream(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise ConnectionError("no server")

    answer = answer_with_llm(EXTRACTIVE, SETTINGS, model=Broken(responses=["x"]))
    assert answer.text == EXTRACTIVE.text and answer.note


def test_english_prompt_and_passages_are_numbered():
    messages = build_messages("What signs?", [P1, P2], "en")
    assert "English" in messages[0][1]
    assert "[1] Veileder" in messages[1][1] and "[2] Veileder" in messages[1][1]


def test_verify_counts_dropped_sentences():
    kept, dropped = verify("Lønn holdes tilbake [1]. Noe helt annet om været [1].", [P1])
    assert [k[0] for k in kept] == ["Lønn holdes tilbake."] and dropped == 1


def test_english_answers_fall_back_with_english_note():
    english = replace(EXTRACTIVE, language="en")
    model = FakeListChatModel(responses=["No citations here."])
    assert "language model" in answer_with_llm(english, SETTINGS, model=model).note
