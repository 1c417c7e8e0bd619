"""Browser building blocks for app.py: answers, source cards, contacts, workshop, forms.

Corpus text is always escaped for Markdown and never passed to `unsafe_allow_html`: a source
document must not be able to inject markup, links or formulas into the page.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from ..answer.contacts import Contact
from ..config import Settings
from ..errors import KomError
from ..i18n import pages_label, t
from ..models import Answer, Chunk, Citation
from .markdown import BULLET, escape_markdown, format_answer, format_inline, highlight, source_line
from .privacy import find_personal_data, remove_personal_data
from .scenarios import Scenario

_WORD_DELAY = 0.008  # seconds between streamed words: reads as typing, costs <2 s per answer


def stream_words(markdown: str) -> Iterator[str]:
    """The Markdown piece by piece; whitespace-separated tokens keep markers whole."""
    for token in re.split(r"(\s+)", markdown):
        if token:
            yield token
            if not token.isspace():
                time.sleep(_WORD_DELAY)


def render_answer(answer: Answer, lang: str, stream: bool = False, big: bool = False) -> None:
    """The answer text; refusals look like warnings, so nobody mistakes them for guidance."""
    if answer.refused:
        st.warning(format_answer(answer.text), icon="⚠️")
    elif big:
        for line in answer.text.split("\n"):
            if line.strip():
                bullet = BULLET.match(line)
                st.markdown("### " + format_inline(bullet.group(2) if bullet else line))
    elif stream:
        st.write_stream(stream_words(format_answer(answer.text)))
    else:
        st.markdown(format_answer(answer.text))
    if answer.note and answer.note != "declined":
        st.caption(escape_markdown(answer.note))


def user_message(error: KomError, lang: str) -> str:
    """The error's message for the user, without the words of the library that failed: "(Stream
    has ended unexpectedly)" helps nobody, and the message already says what to do."""
    text, cause = error.message(lang), error.__cause__
    if cause is None:
        return text
    # The brackets that quote the library, with whatever names it: "(PdfReadError: ...)".
    for quoted in {str(cause).strip(), type(cause).__name__} - {""}:
        text = re.sub(rf"\s*\([^()]*{re.escape(quoted)}[^()]*\)", "", text)
    return text


def render_source_card(citation: Citation, lang: str, key: str,
                       open_page: Callable[[Chunk, str], Any]) -> None:
    """One numbered source: title, edition, section, pages, the cited sentences in context,
    the full passage on request and a way to read the page itself."""
    chunk = citation.chunk
    with st.container(border=True):
        st.markdown(f"**\\[{citation.n}\\] {escape_markdown(chunk.document_title)}**")
        st.caption(source_line(chunk, lang))
        if chunk.status == "archived":
            st.markdown(f":orange-badge[{t('archived_edition', lang)}]")
        st.markdown(highlight(chunk.text, citation.quote, context=70))
        with st.expander(t("show_passage", lang)):
            st.markdown(highlight(chunk.text, citation.quote))
        pages = pages_label(chunk.page_start, chunk.page_end, lang)
        st.button(t("open_page", lang, pages=pages), key=f"open-{key}",
                  on_click=open_page, args=(chunk, citation.quote),
                  icon=":material/description:")


def stream_llm_answer(extractive: Answer, settings: Settings) -> Answer:
    """Show the model's words as they arrive, then return the verified answer to show instead
    (verification may drop sentences the sources do not support)."""
    from ..answer.llm import answer_with_llm

    tokens: queue.Queue[str | None] = queue.Queue()
    result: dict[str, Answer] = {}

    def work() -> None:
        try:
            result["answer"] = answer_with_llm(extractive, settings, on_token=tokens.put)
        finally:
            tokens.put(None)

    # The model streams from a worker thread, and st.* may only be called from this one.
    threading.Thread(target=work, daemon=True).start()

    def drain() -> Iterator[str]:
        while (token := tokens.get()) is not None:
            yield escape_markdown(token)

    placeholder = st.empty()
    with placeholder.container():
        st.write_stream(drain())
    placeholder.empty()
    return result.get("answer", extractive)


def render_sources_big(answer: Answer, lang: str) -> None:
    """Sources for the presentation view: one large line each, no passages."""
    for c in answer.citations:
        st.markdown(f"#### \\[{c.n}\\] {escape_markdown(c.chunk.document_title)}, "
                    f"{escape_markdown(pages_label(c.chunk.page_start, c.chunk.page_end, lang))}")


def render_contacts(contacts: Sequence[Contact], titles: dict[str, str], lang: str) -> None:
    """112 and the contact points, each with where it comes from and when it was checked."""
    for c in contacts:
        reach = " · ".join(_reach_link(x) for x in (c.phone, c.email) if x)
        st.markdown(f"**{escape_markdown(c.name(lang))}**  \n{reach}  \n"
                    f"{escape_markdown(c.what(lang))}")
        source = (t("contact_source", lang, document=titles.get(c.document, c.document),
                    page=c.page) if c.document else t("contact_general", lang))
        checked = t("contact_checked", lang, date=c.checked) if c.checked else ""
        st.caption(escape_markdown(" · ".join(p for p in (source, checked) if p)))


def _reach_link(value: str) -> str:
    if "@" in value:
        return f"[{escape_markdown(value)}](mailto:{value})"
    digits = re.sub(r"[^\d+]", "", value)
    return f"[{escape_markdown(value)}](tel:{digits})"


def render_documents(documents: Sequence[dict[str, Any]], lang: str) -> None:
    """The sources the assistant knows, from the index meta."""
    for d in documents:
        kind = t(f"kind_{d.get('kind') or 'annet'}", lang)
        details = [kind]
        if d.get("edition"):
            details.append(t("edition", lang, edition=d["edition"]))
        when = d.get("published") or d.get("year")
        if when:
            details.append(t("published", lang, date=when))
        line = f"- **{escape_markdown(d['title'])}** — {escape_markdown(', '.join(details))}"
        if d.get("status") == "archived":
            line += f" :orange-badge[{t('archived_edition', lang)}]"
        st.markdown(line)


def render_neutral_page(lang: str = "nb") -> None:
    """Where "leave quickly" lands: nothing on it hints at what was open before."""
    st.title(t("neutral_title", lang))
    st.write(t("neutral_text", lang))
    st.link_button(t("neutral_link", lang), "https://www.yr.no")


def render_workshop(scenarios: Sequence[Scenario], titles: dict[str, str], lang: str,
                    ask_question: Callable[[str], Any], trainer: bool = True) -> None:
    """A case vignette to discuss; for the trainer (not in presentation view) also the case
    to choose, its questions as buttons, and the expected sources."""
    if not scenarios:
        st.info(t("no_scenarios", lang))
        return
    by_id = {s.id: s for s in scenarios}
    state = st.session_state
    # The choice outlives the selectbox, which presentation view does not show.
    chosen_id = state.get("scenario_chosen") if state.get("scenario_chosen") in by_id else None
    chosen = by_id[chosen_id or next(iter(by_id))]
    if trainer:
        ids = list(by_id)
        chosen = by_id[st.selectbox(
            t("scenario", lang), ids, index=ids.index(chosen.id), key="scenario",
            format_func=lambda i: by_id[i].title(lang),
            on_change=lambda: state.update(scenario_chosen=state["scenario"]))]
    st.info(escape_markdown(chosen.case(lang)), icon=":material/cases:")
    if not trainer:
        return
    for i, q in enumerate(chosen.questions):
        st.button(q.text, key=f"scenario-{chosen.id}-{i}", on_click=ask_question, args=(q.text,),
                  icon=":material/help:")
    with st.expander(t("expected_sources", lang)):
        for q in chosen.questions:
            expected = t("expected_line", lang, page=q.page, evidence=q.evidence,
                         document=titles.get(q.document, q.document))
            st.markdown(f"- {escape_markdown(q.text)}  \n{escape_markdown(expected)}")


def render_pending(question: str, lang: str, resolve: Callable[[str], Any],
                   is_name: Callable[[str], bool] | None = None) -> None:
    """The warning shown instead of sending a question that seems to contain personal data."""
    kinds = dict.fromkeys(t(f"pii_{kind}", lang) for kind, _ in
                          find_personal_data(question, is_name))
    with st.container(border=True):
        st.warning(t("pii_warning", lang, kinds=", ".join(kinds)), icon=":material/badge:")
        st.markdown(f"**{t('pii_without', lang)}**  \n"
                    + escape_markdown(remove_personal_data(question, is_name)))
        with st.container(horizontal=True):
            st.button(t("pii_remove", lang), key="pii-remove", on_click=resolve,
                      args=("remove",), type="primary")
            st.button(t("pii_send", lang), key="pii-send", on_click=resolve, args=("send",))
            st.button(t("pii_cancel", lang), key="pii-cancel", on_click=resolve,
                      args=("cancel",))


def render_page(chunk: Chunk, quote: str, pages: dict[tuple[str, int], str], source: Path,
                lang: str) -> None:
    """The page(s) a citation comes from, as the corpus has them, cited sentences marked."""
    st.markdown(f"**{escape_markdown(chunk.document_title)}**  \n" + source_line(chunk, lang))
    for number in range(chunk.page_start, chunk.page_end + 1):
        st.markdown(f"#### {t('page_heading', lang, page=number)}")
        text = pages.get((chunk.document_id, number))
        st.markdown(highlight(text, quote) if text else t("page_missing", lang))
    if source.suffix.lower() == ".pdf" and source.exists():
        st.download_button(t("download_pdf", lang, page=chunk.page_start), source.read_bytes(),
                           file_name=source.name, mime="application/pdf",
                           icon=":material/picture_as_pdf:")
    for url in chunk.urls[:3]:
        st.link_button(t("open_link", lang), url, icon=":material/open_in_new:")
