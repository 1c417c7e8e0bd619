"""The Streamlit app through streamlit.testing (no browser), on the real bundled index."""

from __future__ import annotations

import re
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from kom_assistant.answer.compose import ask
from kom_assistant.answer.contacts import load_contacts
from kom_assistant.i18n import EXAMPLES, t
from kom_assistant.search.retrieve import Filters
from kom_assistant.web.feedback import FEEDBACK_FILE, read_feedback
from kom_assistant.web.interface import STREAMLIT_TEXTS
from kom_assistant.web.markdown import escape_markdown

from .apptest import ROOT, click, component_data, send, start, texts

PRESENTATION_CSS = (ROOT / "kom_assistant/web/static/presentation.css").read_text(encoding="utf-8")
TVANGSARBEID = "Hvilke tegn på tvangsarbeid beskriver politiet?"
UNANSWERABLE = "Hvor lang fengselsstraff fikk de domfelte i Lime-saken?"
BROCHURE = "Hva står det i KOMs informasjonsbrosjyre til antatte ofre?"
PERSONAL = "Kari Nordmann, fnr 01019012345, tlf 91234567"
ISSUE_EXAMPLE = "Ola Nordmann 12345678901 tlf 91234567 er kanskje utnyttet"

pytestmark = pytest.mark.slow


def test_first_screen_shows_purpose_examples_and_sources(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start()
    assert "ikke juridiske råd" in texts(app)
    labels = [b.label for b in app.button]
    assert all(example in labels for example in EXAMPLES["nb"])
    assert any("KOM Tilstandsrapport 2023" in m.value and "utgave 2023" in m.value
               for m in app.markdown)
    # Quick exit and help are the first thing on the page, before the title.
    assert [e.key for e in app.main.children.values()][:2] == ["kom-interface", "kom-safety"]
    bar = component_data(app, "kom-safety")
    assert bar["labels"]["leave"] == t("leave", "nb") and bar["exit_url"] == "https://www.yr.no"
    tel = {c["tel"] for c in bar["contacts"]}
    assert {"112", "22331160"} <= tel
    assert any(c["source"].startswith("Kilde: KOM Tilstandsrapport 2023, s. 76")
               for c in bar["contacts"])
    # Streamlit's English is replaced in the Norwegian interface, and kept in the English one.
    assert component_data(app, "kom-interface") == {"lang": "nb", "texts": STREAMLIT_TEXTS}
    app.radio(key="lang").set_value("en").run()
    assert component_data(app, "kom-interface") == {"lang": "en", "texts": {}}
    assert component_data(app, "kom-safety")["labels"]["help"] == t("get_help", "en")


def test_question_gets_answer_with_numbered_source_cards(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), TVANGSARBEID)
    answer = app.session_state["turns"][0]["answer"]
    assert not answer.refused and answer.citations
    assert len(app.chat_message) == 2
    body = "\n".join(m.value for m in app.chat_message[1].markdown)
    assert "**\\[1\\]**" in body
    for c in answer.citations:
        assert f"**\\[{c.n}\\] {escape_markdown(c.chunk.document_title)}**" in body
    assert ":orange-background[" in body
    passages = [e for e in app.expander if e.label == t("show_passage", "nb")]
    assert len(passages) == len(answer.citations)
    opens = [b for b in app.button if b.label.startswith("Åpne kilden")]
    assert len(opens) == len(answer.citations)

    opens[0].click().run()  # the page the passage comes from, in a dialog
    assert not app.exception
    first = answer.citations[0].chunk
    assert any(m.value == f"#### Side {first.page_start}" for m in app.markdown)


def test_unanswerable_question_is_refused_with_help(app_env, real_index, embedder) -> None:  # type: ignore[no-untyped-def]
    assert ask(UNANSWERABLE, real_index, embedder).refused
    app = send(start(), UNANSWERABLE)
    warning = "\n".join(w.value for w in app.warning)
    assert "Jeg finner ikke svar" in warning
    assert "22 33 11 60" in warning  # where to get help
    assert not [b for b in app.button if b.label.startswith("Åpne kilden")]


def test_kind_filter_limits_cited_documents(app_env, real_index, embedder) -> None:  # type: ignore[no-untyped-def]
    unfiltered = ask(BROCHURE, real_index, embedder)
    assert {c.chunk.kind for c in unfiltered.citations} - {"nyhetsbrev"}  # the filter matters
    app = start()
    app.multiselect(key="kinds").set_value(["nyhetsbrev"]).run()
    send(app, BROCHURE)
    answer = app.session_state["turns"][0]["answer"]
    assert answer.citations
    assert {c.chunk.kind for c in answer.citations} == {"nyhetsbrev"}
    assert any("Nyhetsbrev" in c.value for c in app.caption)  # the active filter is shown


def test_personal_data_warns_before_anything_is_sent(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), PERSONAL)
    assert "personopplysninger" in "\n".join(w.value for w in app.warning)
    assert not app.session_state["turns"] and not app.chat_message

    app.button(key="pii-cancel").click().run()
    assert not app.session_state["turns"] and not app.warning

    send(app, PERSONAL)
    app.button(key="pii-remove").click().run()
    sent = app.session_state["turns"][0]["answer"].question
    assert "01019012345" not in sent and "91234567" not in sent and "[fjernet]" in sent

    send(app, PERSONAL)
    app.button(key="pii-send").click().run()
    assert app.session_state["turns"][1]["answer"].question == PERSONAL


def test_names_and_any_eleven_digits_are_held_back_and_removed(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), ISSUE_EXAMPLE)
    warning = "\n".join(w.value for w in app.warning)
    for kind in ("navn", "11-sifret nummer", "telefonnummer"):
        assert kind in warning, kind
    assert not app.session_state["turns"]
    app.button(key="pii-remove").click().run()
    sent = app.session_state["turns"][0]["answer"].question
    assert sent == "[fjernet] [fjernet] tlf [fjernet] er kanskje utnyttet"
    # A question naming no one is not held back (the sources' own names included).
    send(app, "Hva gjør ROSA og Kirkens Bymisjon for ofre fra Nigeria?")
    assert len(app.session_state["turns"]) == 2 and not app.session_state.get("pending")


def test_after_quick_exit_the_page_is_neutral(app_env) -> None:  # type: ignore[no-untyped-def]
    # The exit itself is the browser's (test_browser.py); the server then forgets the session.
    app = send(start(), TVANGSARBEID)
    app.session_state["left"] = True
    app.run()
    assert not app.exception
    assert not app.chat_message and not app.sidebar.button and not app.get("bidi_component")
    assert app.title[0].value == t("neutral_title", "nb")
    assert "tvangsarbeid" not in texts(app).lower()
    assert "https://www.yr.no" in str(app.get("link_button")[0].proto)


def test_export_holds_every_turn_right_after_each_answer(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start()
    assert not app.get("download_button")
    send(app, TVANGSARBEID)
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == [t("export_md", "nb"), t("export_pdf", "nb")]  # after the first answer
    send(app, "Hva er refleksjonsperiode?")
    assert len(app.get("download_button")) == 2


def test_a_long_paste_is_cut_and_the_user_told(app_env) -> None:  # type: ignore[no-untyped-def]
    paste = ("Jeg jobber i et asylmottak og lurer på hva refleksjonsperiode er. " * 80)[:5000]
    app = send(start(), paste)
    question = app.session_state["turns"][0]["answer"].question
    assert 1900 < len(question) <= 2000 and paste.startswith(question)
    assert "Spørsmålet var 5 000 tegn langt. Bare de første 2 000 tegnene ble brukt i søket." in [
        c.value for c in app.chat_message[0].caption]
    app.radio(key="lang").set_value("en").run()  # told in the interface language
    assert any("was 5,000 characters long. Only the first 2,000 characters were searched" in c.value
               for c in app.chat_message[0].caption)


def test_blank_input_is_not_sent(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), "   \n\t ")
    assert not app.session_state["turns"] and not app.chat_message and not app.warning


def test_a_thumb_is_stored_on_click_without_the_question(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), TVANGSARBEID)
    answer = app.session_state["turns"][0]["answer"]
    app.get("feedback")[0].set_value(0).run()  # a thumb, and nothing else
    assert not app.exception
    rows = read_feedback(app_env)
    assert [(r["rating"], r["comment"], r["question"]) for r in rows] == [(0, "", None)]
    assert rows[0]["citation_ids"] == [c.chunk.id for c in answer.citations]
    assert t("feedback_saved", "nb") in [c.value for c in app.caption]

    app.get("feedback")[0].set_value(1).run()  # changed: the same row
    assert [r["rating"] for r in read_feedback(app_env)] == [1]
    app.text_input[0].set_value("Savner veilederen")
    click(app, t("feedback_send", "nb"))
    [row] = read_feedback(app_env)
    assert row["comment"] == "Savner veilederen" and row["question"] is None
    with sqlite3.connect(app_env / FEEDBACK_FILE) as db:
        assert "beskriver politiet" not in "\n".join(db.iterdump())
    assert t("feedback_thanks", "nb") in [c.value for c in app.caption]
    app.get("feedback")[0].set_value(None).run()  # taken back
    assert read_feedback(app_env) == []


def test_feedback_comment_and_question_are_stored_without_personal_data(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), TVANGSARBEID)
    app.get("feedback")[0].set_value(1).run()
    app.text_input[0].set_value("Ring meg på 91234567, hilsen Kari Hansen")
    app.checkbox(key=f"include-{app.session_state['turns'][0]['id']}").check()
    click(app, t("feedback_send", "nb"))
    [row] = read_feedback(app_env)
    assert row["comment"] == "Ring meg på [fjernet], hilsen [fjernet]"
    assert row["question"] == TVANGSARBEID
    cleaned = t("feedback_cleaned", "nb", kinds="navn, telefonnummer")
    assert cleaned in [c.value for c in app.caption]


def test_language_switch_shows_english(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start()
    app.radio(key="lang").set_value("en").run()
    labels = [b.label for b in app.button]
    assert t("new_conversation", "en") in labels
    assert all(example in labels for example in EXAMPLES["en"])
    assert "legal advice" in texts(app)
    send(app, "What is the reflection period?")
    assert app.session_state["turns"][0]["answer"].language == "en"
    assert any(b.label.startswith("Open the source") for b in app.button)


def test_unavailable_llm_falls_back_to_the_extractive_answer(app_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # No LLM package is installed here, so this runs the streaming path up to its fallback.
    monkeypatch.setenv("KOM_LLM", "ollama:finnes-ikke")
    app = send(start(), TVANGSARBEID)
    answer = app.session_state["turns"][0]["answer"]
    assert answer.citations and answer.note
    assert any(escape_markdown(answer.note) == c.value for c in app.caption)


def test_workshop_presentation_shows_only_the_last_answer(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start()
    app.toggle(key="workshop").set_value(True).run()
    app.selectbox(key="scenario").set_value(app.selectbox(key="scenario").options[1]).run()
    chosen = app.session_state["scenario"]
    app.button(key=next(b.key for b in app.button if b.key.startswith("scenario-"))).click().run()
    app.toggle(key="presentation").set_value(True).run()
    send(app, "Hva er refleksjonsperiode?")
    assert len(app.chat_message) == 2
    assert any(m.value == "## Hva er refleksjonsperiode?" for m in app.markdown)
    assert any(m.value.startswith("### ") for m in app.markdown)
    # Trainer-only material is not on the projector: no expected sources, case buttons or
    # case picker; the sidebar is hidden by presentation.css; the case itself stays.
    assert not [e for e in app.expander if e.label == t("expected_sources", "nb")]
    assert not [b for b in app.button if (b.key or "").startswith("scenario-")]
    assert not app.selectbox and app.info
    assert any(PRESENTATION_CSS in h.proto.body for h in app.get("html"))
    assert not app.get("feedback")  # thumbs are for the user at a desk

    app.button(key="presentation-off").click().run()
    assert not app.session_state["presentation"]
    assert [e for e in app.expander if e.label == t("expected_sources", "nb")]
    assert app.session_state["scenario"] == chosen  # the case chosen before stays chosen
    assert not any(PRESENTATION_CSS in h.proto.body for h in app.get("html"))


def test_missing_index_shows_the_command_not_a_traceback(app_env, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KOM_INDEX_DIR", str(tmp_path / "empty-index"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert "kom-assistant index" in app.error[0].value
    assert "22 33 11 60" in texts(app)  # help stays in reach
    assert component_data(app, "kom-safety")["contacts"]  # and so does the safety bar


def test_a_new_index_is_picked_up_without_restart(small_settings, embedder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kom_assistant.maintain.editions import add_document
    from kom_assistant.maintain.reindex import build_index

    build_index(small_settings, embedder)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("KOM_CORPUS_DIR", str(small_settings.corpus_dir))
    monkeypatch.setenv("KOM_INDEX_DIR", str(small_settings.index_dir))
    app = start()
    assert not any("Ny rapport" in m.value for m in app.markdown)

    new = small_settings.corpus_dir.parent / "ny.md"
    new.write_text("# Ny rapport\n\nTvangsarbeid i landbruket er et nytt tema i rapporten.\n",
                   encoding="utf-8")
    add_document(small_settings, new, title="Ny rapport", kind="tilstandsrapport", year=2026)
    build_index(small_settings, embedder)
    app.run()
    assert not app.exception
    assert any("Ny rapport" in m.value for m in app.markdown)  # the sources list on screen


def test_app_never_renders_raw_html() -> None:
    web = ROOT / "kom_assistant" / "web"
    for path in [ROOT / "app.py", *web.glob("*.py")]:
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"unsafe_allow_html\s*=|unsafe_allow_javascript", code), path
        assert "components.html" not in code and "components.v1" not in code, path
        # Only the static style sheets reach st.html, as files (interface.py).
        assert all(call.startswith("STATIC / ") for call in re.findall(r"st\.html\(([^)]*)", code))
    for script in (web / "static").glob("*.js"):  # texts are set as text, never parsed
        code = script.read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|eval\(|document\.write",
                             code), script


def test_examples_are_answered_from_the_sources(real_index, embedder) -> None:  # type: ignore[no-untyped-def]
    contacts = load_contacts(ROOT / "corpus")
    for lang, questions in EXAMPLES.items():
        for question in questions:
            answer = ask(question, real_index, embedder, contacts=contacts,
                         filters=Filters())
            assert not answer.refused and answer.citations, (lang, question)
