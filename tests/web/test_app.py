"""The Streamlit app through streamlit.testing (no browser), on the real bundled index."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kom_assistant.answer.compose import ask
from kom_assistant.answer.contacts import load_contacts
from kom_assistant.i18n import EXAMPLES, t
from kom_assistant.search.retrieve import Filters
from kom_assistant.web.feedback import FEEDBACK_FILE, read_feedback
from kom_assistant.web.markdown import escape_markdown

ROOT = Path(__file__).resolve().parents[2]
TVANGSARBEID = "Hvilke tegn på tvangsarbeid beskriver politiet?"
UNANSWERABLE = "Hvor lang fengselsstraff fikk de domfelte i Lime-saken?"
BROCHURE = "Hva står det i KOMs informasjonsbrosjyre til antatte ofre?"
PERSONAL = "Kari Nordmann, fnr 01019012345, tlf 91234567"

pytestmark = pytest.mark.slow


@pytest.fixture
def app_env(real_index, real_settings, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """The app as `make run` starts it, with feedback going to a temporary folder."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("KOM_CORPUS_DIR", str(real_settings.corpus_dir))
    monkeypatch.setenv("KOM_INDEX_DIR", str(real_settings.index_dir))
    monkeypatch.setenv("KOM_FEEDBACK_DIR", str(tmp_path / "feedback"))
    for name in ("KOM_ADMIN_PASSWORD", "KOM_LLM"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "feedback"


def start() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception, app.exception
    return app


def send(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [w.value for w in app.warning]
    parts += [b.label for b in app.button] + [e.value for e in app.error]
    return "\n".join(parts)


def test_first_screen_shows_purpose_examples_and_sources(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start()
    assert "ikke juridiske råd" in texts(app)
    labels = [b.label for b in app.button]
    assert all(example in labels for example in EXAMPLES["nb"])
    assert any("KOM Tilstandsrapport 2023" in m.value and "utgave 2023" in m.value
               for m in app.markdown)
    assert any(b.label == t("leave", "nb") for b in app.button)
    assert "22 33 11 60" in texts(app)  # the safety panel is always there


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


def test_leave_quickly_clears_the_conversation(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), TVANGSARBEID)
    app.button(key="leave-top").click().run()
    assert not app.exception
    assert "turns" not in app.session_state
    assert not app.chat_message and not app.sidebar.button
    assert app.title[0].value == t("neutral_title", "nb")
    assert "tvangsarbeid" not in texts(app).lower()
    assert "https://www.yr.no" in str(app.get("link_button")[0].proto)


def test_feedback_is_stored_without_the_question(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), TVANGSARBEID)
    answer = app.session_state["turns"][0]["answer"]
    app.get("feedback")[0].set_value(0).run()
    app.text_input[0].set_value("Savner veilederen").run()
    next(b for b in app.button if b.label == t("feedback_send", "nb")).click().run()
    assert not app.exception

    rows = read_feedback(app_env)
    assert len(rows) == 1
    assert rows[0]["rating"] == 0 and rows[0]["comment"] == "Savner veilederen"
    assert rows[0]["question"] is None
    assert rows[0]["citation_ids"] == [c.chunk.id for c in answer.citations]
    with sqlite3.connect(app_env / FEEDBACK_FILE) as db:
        dump = "\n".join(db.iterdump())
    assert "beskriver politiet" not in dump
    assert any(c.value == t("feedback_thanks", "nb") for c in app.caption)


def test_feedback_includes_the_question_only_when_ticked(app_env) -> None:  # type: ignore[no-untyped-def]
    app = send(start(), TVANGSARBEID)
    app.get("feedback")[0].set_value(1).run()
    app.checkbox(key=f"include-{app.session_state['turns'][0]['id']}").check().run()
    next(b for b in app.button if b.label == t("feedback_send", "nb")).click().run()
    assert read_feedback(app_env)[0]["question"] == TVANGSARBEID


def test_language_switch_shows_english(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start()
    app.radio(key="lang").set_value("en").run()
    labels = [b.label for b in app.button]
    assert t("leave", "en") in labels and t("new_conversation", "en") in labels
    assert all(example in labels for example in EXAMPLES["en"])
    assert "legal advice" in texts(app)
    send(app, "What is the reflection period?")
    assert app.session_state["turns"][0]["answer"].text.startswith("From the Norwegian sources")
    assert any(b.label.startswith("Open the source") for b in app.button)


def test_unavailable_llm_falls_back_to_the_extractive_answer(app_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # No LLM package is installed here, so this runs the streaming path up to its fallback.
    monkeypatch.setenv("KOM_LLM", "ollama:finnes-ikke")
    app = send(start(), TVANGSARBEID)
    answer = app.session_state["turns"][0]["answer"]
    assert answer.citations and answer.note
    assert any(escape_markdown(answer.note) == c.value for c in app.caption)


def test_admin_page_hidden_without_password(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start()
    assert not [r for r in app.radio if r.key == "page"]
    assert t("page_admin", "nb") not in texts(app)


def test_admin_page_needs_the_password(app_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KOM_ADMIN_PASSWORD", "hemmelig")
    app = start()
    app.radio(key="page").set_value("admin").run()
    for password in ("feil", "hemmelig"):
        app.text_input[0].set_value(password)
        next(b for b in app.button if b.label == t("login", "nb")).click().run()
        if password == "feil":
            assert t("wrong_password", "nb") in [e.value for e in app.error]
    assert not app.exception
    supersedes = next(s for s in app.selectbox if s.label == t("doc_supersedes", "nb"))
    assert "tilstandsrapport-2023" in supersedes.options


def test_workshop_presentation_shows_only_the_last_answer(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start()
    app.toggle(key="workshop").set_value(True).run()
    app.button(key="scenario-bilvask-0").click().run()
    app.toggle(key="presentation").set_value(True).run()
    send(app, "Hva er refleksjonsperiode?")
    assert len(app.chat_message) == 2
    assert any(m.value == "## Hva er refleksjonsperiode?" for m in app.markdown)
    assert not any(m.value == f"## {escape_markdown(TVANGSARBEID)}" for m in app.markdown)
    assert any(m.value.startswith("### ") for m in app.markdown)


def test_missing_index_shows_the_command_not_a_traceback(app_env, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KOM_INDEX_DIR", str(tmp_path / "empty-index"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert "kom-assistant index" in app.error[0].value
    assert "22 33 11 60" in texts(app)  # help stays in reach


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
    for path in (ROOT / "app.py", web / "widgets.py", web / "markdown.py", web / "admin.py"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"unsafe_allow_html\s*=", code), path
        assert "st.html(" not in code and "components.html" not in code, path


def test_examples_are_answered_from_the_sources(real_index, embedder) -> None:  # type: ignore[no-untyped-def]
    contacts = load_contacts(ROOT / "corpus")
    for lang, questions in EXAMPLES.items():
        for question in questions:
            answer = ask(question, real_index, embedder, contacts=contacts,
                         filters=Filters())
            assert not answer.refused and answer.citations, (lang, question)
