"""KOM-assistenten in the browser: `streamlit run app.py`.

The conversation lives in st.session_state (one browser session, never shared, never written
to disk); the model and the index are loaded once per process. Like cli.py, this is where
KomError becomes a message on screen, in the interface language.
"""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from kom_assistant.answer.compose import ask
from kom_assistant.answer.contacts import Contact, load_contacts
from kom_assistant.config import Settings, load_settings
from kom_assistant.errors import KomError
from kom_assistant.i18n import EXAMPLES, LANGUAGES, t
from kom_assistant.models import Answer, Chunk, Citation
from kom_assistant.search.embeddings import Embedder, load_embedder
from kom_assistant.search.index import LoadedIndex, current_build_id, load_index
from kom_assistant.search.query_spelling import known_norwegian
from kom_assistant.search.retrieve import Filters
from kom_assistant.search.vocabulary import norwegian_words, word_terms
from kom_assistant.web import admin, widgets
from kom_assistant.web.export import session_markdown, session_pdf
from kom_assistant.web.feedback import record_feedback
from kom_assistant.web.markdown import escape_markdown
from kom_assistant.web.privacy import find_personal_data, remove_personal_data
from kom_assistant.web.scenarios import load_scenarios

state = st.session_state


@st.cache_resource(show_spinner=False)
def get_embedder(spec: str) -> Embedder:
    return load_embedder(spec)


@st.cache_resource(show_spinner=False, max_entries=2)
def get_index(_settings: Settings, index_dir: str, build_id: str | None, model: str) -> LoadedIndex:
    # Keyed by build id: a re-index switches builds, and the next run loads the new one.
    index = load_index(_settings, model, build_id=build_id)
    # Load the spelling and English word lists now, not in a first answer.
    known_norwegian("og")
    word_terms("trafficking")
    norwegian_words("trafficking")
    return index


@st.cache_resource(show_spinner=False, max_entries=1)
def get_pages(_settings: Settings, corpus_dir: str, build_id: str) -> dict[tuple[str, int], str]:
    from kom_assistant.ingest.read import ingest_corpus
    from kom_assistant.maintain.reindex import pipeline_fingerprint

    # The index build left every document's pages in its page cache: no parsing here.
    result = ingest_corpus(_settings.corpus_dir, int(_settings.max_file_mb * 1_000_000),
                           cache_dir=_settings.index_dir / "pages", salt=pipeline_fingerprint())
    return {(d.document.id, p.number): p.text for d in result.documents for p in d.pages}


def leave() -> None:
    """Forget everything this session showed, then land on a neutral page."""
    for key in list(state.keys()):
        del state[key]
    state["left"] = True


def new_conversation() -> None:
    for key in ("turns", "pending", "queued", "open_page"):
        state.pop(key, None)


def queue(question: str) -> None:
    state["queued"] = question


def receive(question: str) -> None:
    """Hold back a question that looks like it names a person, until the user decides."""
    if find_personal_data(question):
        state["pending"] = question
    else:
        state["queued"] = question


def resolve_pending(action: str) -> None:
    question = state.pop("pending", "")
    if action == "remove":
        state["queued"] = remove_personal_data(question)
    elif action == "send":
        state["queued"] = question


def open_page(chunk: Chunk, quote: str = "") -> None:
    state["open_page"] = (chunk, quote)


def main() -> None:
    settings = load_settings()
    if state.get("left"):
        st.set_page_config(page_title="Været", page_icon="☀️", layout="centered")
        widgets.render_neutral_page()
        return
    st.set_page_config(page_title="KOM-assistenten", page_icon="🧭", layout="centered")
    state.setdefault("lang", "nb")
    lang = state["lang"]
    contacts: list[Contact] = []
    try:
        contacts = load_contacts(settings.corpus_dir)
        embedder = get_embedder(settings.embedding_model)
        index = get_index(settings, str(settings.index_dir),
                          current_build_id(settings.index_dir), embedder.name)
    except KomError as e:
        st.title("KOM-assistenten")
        st.error(e.message(lang))
        with st.expander(t("safety_title", lang), expanded=True):  # help stays in reach
            if contacts:
                widgets.render_contacts(contacts, {}, lang)
            else:
                st.markdown(t("emergency", lang))
        return
    titles = {d["id"]: d["title"] for d in index.meta.get("documents", [])}
    render_sidebar(settings, index, contacts, titles, lang)
    lang = state["lang"]
    try:
        if settings.admin_password and state.get("page") == "admin":
            admin.render_admin(settings, embedder, index, lang)
        else:
            render_chat(settings, embedder, index, contacts, titles, lang)
    except KomError as e:
        st.error(e.message(lang))


def render_sidebar(settings: Settings, index: LoadedIndex, contacts: list[Contact],
                   titles: dict[str, str], lang: str) -> None:
    documents = index.meta.get("documents", [])
    with st.sidebar:
        st.radio(t("language", lang), list(LANGUAGES), key="lang", horizontal=True,
                 format_func=LANGUAGES.get)
        lang = state["lang"]
        st.button(t("leave", lang), on_click=leave, type="primary", key="leave-side",
                  icon=":material/logout:", width="stretch")
        st.button(t("new_conversation", lang), on_click=new_conversation,
                  icon=":material/add_comment:", width="stretch")
        st.subheader(t("filters", lang))
        st.multiselect(t("filter_kind", lang), sorted({d["kind"] for d in documents}),
                       key="kinds", format_func=lambda k: t(f"kind_{k}", lang),
                       placeholder=t("filter_all", lang))
        st.multiselect(t("filter_year", lang),
                       sorted({d["year"] for d in documents if d.get("year")}, reverse=True),
                       key="years", placeholder=t("filter_all", lang))
        st.checkbox(t("include_archived", lang), key="archived")
        st.subheader(t("trainers", lang))
        st.toggle(t("workshop_mode", lang), key="workshop")
        if state.get("workshop"):
            st.toggle(t("presentation", lang), key="presentation")
        answers = [turn["answer"] for turn in state.get("turns", [])]
        if answers:
            st.download_button(t("export_md", lang), session_markdown(answers, lang),
                               file_name="kom-assistenten.md", mime="text/markdown",
                               icon=":material/download:", on_click="ignore")
            st.download_button(t("export_pdf", lang), session_pdf(answers, lang),
                               file_name="kom-assistenten.pdf", mime="application/pdf",
                               icon=":material/picture_as_pdf:", on_click="ignore")
        with st.expander(t("safety_title", lang), expanded=True, icon=":material/sos:"):
            widgets.render_contacts(contacts, titles, lang)
        if settings.admin_password:
            st.radio(t("page", lang), ["chat", "admin"], key="page",
                     format_func=lambda p: t(f"page_{p}", lang))


def render_chat(settings: Settings, embedder: Embedder, index: LoadedIndex,
                contacts: list[Contact], titles: dict[str, str], lang: str) -> None:
    typed = st.chat_input(t("ask_placeholder", lang), max_chars=2000)
    if typed:
        receive(typed)
    turns: list[dict[str, Any]] = state.setdefault("turns", [])
    queued = state.pop("queued", None)
    presentation = bool(state.get("workshop") and state.get("presentation"))

    with st.container(horizontal=True):
        with st.popover(t("get_help", lang), icon=":material/sos:"):
            widgets.render_contacts(contacts, titles, lang)
        st.button(t("leave", lang), on_click=leave, type="primary", key="leave-top",
                  icon=":material/logout:")
    st.title("KOM-assistenten")
    st.caption(t("tagline", lang))
    if state.get("workshop"):
        widgets.render_workshop(load_scenarios(settings.corpus_dir), titles, lang, queue)
    elif not turns and not queued and not state.get("pending"):
        render_first_screen(index, lang)

    shown = [] if presentation and queued else turns[-1:] if presentation else turns
    for turn in shown:
        render_turn(turn, settings, lang, big=presentation)
    if queued:
        with st.spinner(t("searching", lang)):
            # A refused question has no topic in the sources for a follow-up to borrow.
            history = [turn["answer"].question for turn in turns if not turn["answer"].refused]
            answer = ask(queued, index, embedder, history=history, filters=current_filters(),
                         contacts=contacts, k=settings.k)
        turns.append({"id": uuid.uuid4().hex, "answer": answer, "build_id": index.build_id})
        render_turn(turns[-1], settings, lang, big=presentation, fresh=True)
    if state.get("pending"):
        widgets.render_pending(state["pending"], lang, resolve_pending)
    if active := active_filters(lang):
        st.caption(t("filters_active", lang, filters=active))
    if "open_page" in state:
        chunk, quote = state.pop("open_page")
        st.dialog(t("page_dialog", lang), width="large")(show_page)(settings, index, chunk,
                                                                     quote, lang)


def render_first_screen(index: LoadedIndex, lang: str) -> None:
    st.markdown(t("intro", lang))
    st.markdown(f"**{t('examples', lang)}**")
    for i, example in enumerate(EXAMPLES[lang]):
        st.button(example, key=f"example-{i}", on_click=queue, args=(example,),
                  icon=":material/chat:")
    with st.expander(t("known_sources", lang), icon=":material/menu_book:"):
        widgets.render_documents(index.meta.get("documents", []), lang)
        built = index.meta.get("built_at", "")[:10]
        if built:
            st.caption(t("index_built", lang, date=built))


def render_turn(turn: dict[str, Any], settings: Settings, lang: str, big: bool,
                fresh: bool = False) -> None:
    """One question and its answer; a fresh answer is streamed as it is shown."""
    answer: Answer = turn["answer"]
    with st.chat_message("user"):
        st.markdown(("## " if big else "") + escape_markdown(answer.question))
    with st.chat_message("assistant"):
        if fresh and settings.llm and not answer.refused:
            answer = turn["answer"] = widgets.stream_llm_answer(answer, settings)
            widgets.render_answer(answer, lang, big=big)
        else:
            widgets.render_answer(answer, lang, stream=fresh and not big, big=big)
        render_sources(turn, settings, lang, big)


def render_sources(turn: dict[str, Any], settings: Settings, lang: str, big: bool) -> None:
    answer: Answer = turn["answer"]
    if big:
        widgets.render_sources_big(answer, lang)
        return
    if answer.citations:
        st.markdown(f"**{t('sources', lang)}**")
    for c in answer.citations:
        widgets.render_source_card(c, lang, f"{turn['id']}-{c.n}", open_page)
    render_feedback(turn, answer.citations, settings, lang)


def render_feedback(turn: dict[str, Any], citations: tuple[Citation, ...], settings: Settings,
                    lang: str) -> None:
    if turn.get("feedback_sent"):
        st.caption(t("feedback_thanks", lang))
        return
    key = turn["id"]
    rating = st.feedback("thumbs", key=f"rating-{key}")
    if rating is None:
        return
    comment = st.text_input(t("feedback_comment", lang), key=f"comment-{key}")
    include = st.checkbox(t("feedback_include_question", lang), key=f"include-{key}")
    if st.button(t("feedback_send", lang), key=f"send-{key}"):
        answer: Answer = turn["answer"]
        try:
            record_feedback(settings.feedback_dir, rating, comment,
                            [c.chunk.id for c in citations],
                            question=answer.question if include else None,
                            answer_language=answer.language, build_id=turn.get("build_id", ""))
        except KomError as e:  # the conversation stays on screen; only the feedback failed
            st.error(e.message(lang))
            return
        turn["feedback_sent"] = True
        st.caption(t("feedback_thanks", lang))


def current_filters() -> Filters:
    return Filters(kinds=tuple(state.get("kinds") or ()), years=tuple(state.get("years") or ()),
                   include_archived=bool(state.get("archived")))


def active_filters(lang: str) -> str:
    parts = [t(f"kind_{k}", lang) for k in state.get("kinds") or ()]
    parts += [str(y) for y in state.get("years") or ()]
    return ", ".join(parts)


def show_page(settings: Settings, index: LoadedIndex, chunk: Chunk, quote: str,
              lang: str) -> None:
    with st.spinner(t("loading_page", lang)):
        pages = get_pages(settings, str(settings.corpus_dir), index.build_id)
    widgets.render_page(chunk, quote, pages, settings.corpus_dir / chunk.source, lang)


main()
