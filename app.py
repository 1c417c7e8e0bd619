"""KOM-assistenten in the browser: `streamlit run app.py`.

The conversation lives in st.session_state (one browser session, never shared, never written
to disk); the model and the index are loaded once per process. Like cli.py, this is where
KomError becomes a message on screen, in the interface language. The admin page is at ?admin,
and only when KOM_ADMIN_PASSWORD is set.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial

import streamlit as st

from kom_assistant.answer.compose import ask
from kom_assistant.answer.contacts import Contact, load_contacts
from kom_assistant.config import Settings, load_settings
from kom_assistant.errors import KomError
from kom_assistant.i18n import EXAMPLES, LANGUAGES, t
from kom_assistant.models import Answer, Chunk
from kom_assistant.search.embeddings import Embedder, load_embedder
from kom_assistant.search.index import LoadedIndex, current_build_id, load_index
from kom_assistant.search.query_spelling import known_norwegian
from kom_assistant.search.retrieve import Filters
from kom_assistant.search.vocabulary import norwegian_words, word_terms
from kom_assistant.web import admin, conversation, interface, safety, widgets
from kom_assistant.web.export import session_markdown, session_pdf
from kom_assistant.web.names import NameCheck, make_name_check
from kom_assistant.web.scenarios import load_scenarios
from kom_assistant.web.turns import render_turn

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


@st.cache_resource(show_spinner=False, max_entries=2)
def get_name_check(_index: LoadedIndex, build_id: str) -> NameCheck:
    # The sources' own words are no person's names; the word lists load once per process.
    return make_name_check(frozenset(_index.lexicon.counts))


@st.cache_resource(show_spinner=False, max_entries=1)
def get_pages(_settings: Settings, corpus_dir: str, build_id: str) -> dict[tuple[str, int], str]:
    from kom_assistant.ingest.read import ingest_corpus
    from kom_assistant.maintain.reindex import pipeline_fingerprint

    # The index build left every document's pages in its page cache: no parsing here.
    result = ingest_corpus(_settings.corpus_dir, int(_settings.max_file_mb * 1_000_000),
                           cache_dir=_settings.index_dir / "pages", salt=pipeline_fingerprint())
    return {(d.document.id, p.number): p.text for d in result.documents for p in d.pages}


def manifest_titles(settings: Settings) -> dict[str, str]:
    """Document titles for the contact points, before (or without) the index."""
    from kom_assistant.ingest.manifest import MANIFEST_NAME, read_manifest

    try:
        return {d.id: d.title for d in read_manifest(settings.corpus_dir / MANIFEST_NAME)}
    except (KomError, OSError):
        return {}


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
    admin_page = "admin" in st.query_params
    presentation = bool(state.get("workshop") and state.get("presentation")) and not admin_page
    interface.apply_interface(lang, presentation)
    contacts: list[Contact] = []
    problem: KomError | None = None
    try:
        contacts = load_contacts(settings.corpus_dir)
    except KomError as e:
        problem = e
    # Quick exit and help come first, before the index loads (or fails to).
    safety.render_safety_bar(contacts, manifest_titles(settings), lang, settings.exit_url,
                             partial(conversation.leave, state))
    try:
        if problem:
            raise problem
        embedder = get_embedder(settings.embedding_model)
        index = get_index(settings, str(settings.index_dir),
                          current_build_id(settings.index_dir), embedder.name)
    except KomError as e:
        st.title("KOM-assistenten", anchor=False)
        st.error(widgets.user_message(e, lang))
        with st.expander(t("safety_title", lang), expanded=True):  # help stays in reach
            if contacts:
                widgets.render_contacts(contacts, {}, lang)
            else:
                st.markdown(t("emergency", lang))
        return
    if admin_page:
        render_admin_page(settings, embedder, index, lang)
        return
    export = render_sidebar(index, lang)
    try:
        render_chat(settings, embedder, index, contacts, get_name_check(index, index.build_id),
                    lang, presentation)
    except KomError as e:
        st.error(widgets.user_message(e, lang))
    render_export(export, lang)


def render_admin_page(settings: Settings, embedder: Embedder, index: LoadedIndex,
                      lang: str) -> None:
    with st.sidebar:
        render_language(lang)
        st.button(t("admin_back", lang), on_click=st.query_params.clear,
                  icon=":material/arrow_back:")
    if not settings.admin_password:
        st.info(t("admin_disabled", lang))
        return
    try:
        admin.render_admin(settings, embedder, index, lang)
    except KomError as e:
        st.error(widgets.user_message(e, lang))


def render_language(lang: str) -> None:
    st.radio(t("language", lang), list(LANGUAGES), key="lang", horizontal=True,
             format_func=LANGUAGES.get)


def render_sidebar(index: LoadedIndex, lang: str) -> st.delta_generator.DeltaGenerator:
    """The sidebar; returns its place for the export, filled once this run's answer is in."""
    documents = index.meta.get("documents", [])
    with st.sidebar:
        render_language(lang)
        st.button(t("new_conversation", lang), on_click=conversation.new_conversation,
                  args=(state,), icon=":material/add_comment:", width="stretch")
        st.subheader(t("filters", lang), anchor=False)
        st.multiselect(t("filter_kind", lang), sorted({d["kind"] for d in documents}),
                       key="kinds", format_func=lambda k: t(f"kind_{k}", lang),
                       placeholder=t("filter_all", lang))
        st.multiselect(t("filter_year", lang),
                       sorted({d["year"] for d in documents if d.get("year")}, reverse=True),
                       key="years", placeholder=t("filter_all", lang))
        st.checkbox(t("include_archived", lang), key="archived")
        st.subheader(t("trainers", lang), anchor=False)
        st.toggle(t("workshop_mode", lang), key="workshop")
        if state.get("workshop"):
            st.toggle(t("presentation", lang), key="presentation")
        return st.container()


def render_export(place: st.delta_generator.DeltaGenerator, lang: str) -> None:
    """Every turn shown, this run's answer included; the files are made when clicked."""
    answers: tuple[Answer, ...] = tuple(turn["answer"] for turn in state.get("turns", []))
    if not answers:
        return
    with place:
        st.download_button(t("export_md", lang), partial(session_markdown, answers, lang),
                           file_name="kom-assistenten.md", mime="text/markdown",
                           icon=":material/download:", on_click="ignore", key="export-md")
        st.download_button(t("export_pdf", lang), partial(session_pdf, answers, lang),
                           file_name="kom-assistenten.pdf", mime="application/pdf",
                           icon=":material/picture_as_pdf:", on_click="ignore", key="export-pdf")


def render_chat(settings: Settings, embedder: Embedder, index: LoadedIndex,
                contacts: list[Contact], is_name: NameCheck, lang: str,
                presentation: bool) -> None:
    typed = st.chat_input(t("ask_placeholder", lang))
    if typed:
        conversation.receive(state, typed, settings.max_question_chars, is_name)
    turns: list[dict] = state.setdefault("turns", [])
    queued = state.pop("queued", None)
    titles = {d["id"]: d["title"] for d in index.meta.get("documents", [])}
    ask_question = partial(conversation.queue, state)

    if presentation:  # the sidebar is hidden (interface.py): the way back is here
        st.button(t("presentation_off", lang), on_click=state.update,
                  kwargs={"presentation": False}, type="tertiary",
                  icon=":material/close_fullscreen:", key="presentation-off")
    st.title("KOM-assistenten", anchor=False)
    if not presentation:
        st.caption(t("tagline", lang))
    if state.get("workshop"):
        widgets.render_workshop(load_scenarios(settings.corpus_dir), titles, lang, ask_question,
                                trainer=not presentation)
    elif not turns and not queued and not state.get("pending"):
        render_first_screen(index, lang, ask_question)

    shown = [] if presentation and queued else turns[-1:] if presentation else turns
    for turn in shown:
        render_turn(turn, settings, lang, presentation, open_page, is_name)
    if queued:
        with st.spinner(t("searching", lang)):
            # A refused question has no topic in the sources for a follow-up to borrow.
            history = [turn["answer"].question for turn in turns if not turn["answer"].refused]
            answer = ask(queued, index, embedder, history=history, filters=current_filters(),
                         contacts=contacts, k=settings.k)
        turns.append({"id": uuid.uuid4().hex, "answer": answer, "build_id": index.build_id,
                      "cut_from": state.pop("cut_from", None)})
        render_turn(turns[-1], settings, lang, presentation, open_page, is_name, fresh=True)
    if state.get("pending"):
        widgets.render_pending(state["pending"], lang,
                               partial(conversation.resolve_pending, state, is_name=is_name),
                               is_name)
    if active := active_filters(lang):
        st.caption(t("filters_active", lang, filters=active))
    if "open_page" in state:
        chunk, quote = state.pop("open_page")
        st.dialog(t("page_dialog", lang), width="large")(show_page)(settings, index, chunk,
                                                                     quote, lang)


def render_first_screen(index: LoadedIndex, lang: str,
                        ask_question: Callable[[str], None]) -> None:
    st.markdown(t("intro", lang))
    st.markdown(f"**{t('examples', lang)}**")
    for i, example in enumerate(EXAMPLES[lang]):
        st.button(example, key=f"example-{i}", on_click=ask_question, args=(example,),
                  icon=":material/chat:")
    with st.expander(t("known_sources", lang), icon=":material/menu_book:"):
        widgets.render_documents(index.meta.get("documents", []), lang)
        built = index.meta.get("built_at", "")[:10]
        if built:
            st.caption(t("index_built", lang, date=built))


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
