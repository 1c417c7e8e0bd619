"""One question and its answer on screen: the answer, its source cards, a note when a paste was
cut, and the thumbs, stored the moment one is clicked (a comment may follow, checked for personal
data before it is stored)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ..config import Settings
from ..errors import KomError
from ..i18n import count_label, t
from ..models import Answer, Chunk
from . import widgets
from .feedback import delete_feedback, record_feedback, update_feedback
from .markdown import escape_markdown
from .names import NameCheck
from .privacy import find_personal_data, remove_personal_data


def render_turn(turn: dict[str, Any], settings: Settings, lang: str, big: bool,
                open_page: Callable[[Chunk, str], Any], is_name: NameCheck | None = None,
                fresh: bool = False) -> None:
    """One question and its answer; a fresh answer is streamed as it is shown."""
    answer: Answer = turn["answer"]
    with st.chat_message("user"):
        st.markdown(("## " if big else "") + escape_markdown(answer.question))
        if turn.get("cut_from"):
            st.caption(t("question_cut", lang, length=count_label(turn["cut_from"], lang),
                         limit=count_label(settings.max_question_chars, lang)))
    with st.chat_message("assistant"):
        if fresh and settings.llm and not answer.refused:
            answer = turn["answer"] = widgets.stream_llm_answer(answer, settings)
            widgets.render_answer(answer, lang, big=big)
        else:
            widgets.render_answer(answer, lang, stream=fresh and not big, big=big)
        if big:
            widgets.render_sources_big(answer, lang)
            return
        if answer.citations:
            st.markdown(f"**{t('sources', lang)}**")
        for c in answer.citations:
            widgets.render_source_card(c, lang, f"{turn['id']}-{c.n}", open_page)
        render_feedback(turn, settings, lang, is_name)


def render_feedback(turn: dict[str, Any], settings: Settings, lang: str,
                    is_name: NameCheck | None) -> None:
    key = turn["id"]
    st.feedback("thumbs", key=f"rating-{key}", on_change=rate, args=(turn, settings))
    if error := turn.pop("feedback_error", None):
        st.error(widgets.user_message(error, lang))
    if turn.get("feedback_id") is None:
        return
    if turn.get("comment_sent"):
        st.caption(t("feedback_thanks", lang))
        if turn.get("comment_cleaned"):
            kinds = ", ".join(t(f"pii_{kind}", lang) for kind in turn["comment_cleaned"])
            st.caption(t("feedback_cleaned", lang, kinds=kinds))
        return
    st.caption(t("feedback_saved", lang))
    with st.form(f"comment-form-{key}", border=False):
        st.text_input(t("feedback_comment", lang), key=f"comment-{key}")
        st.checkbox(t("feedback_include_question", lang), key=f"include-{key}")
        st.form_submit_button(t("feedback_send", lang), on_click=send_comment,
                              args=(turn, settings, is_name))


def rate(turn: dict[str, Any], settings: Settings) -> None:
    """A thumb clicked: stored at once as a rating; the same thumb again takes it back."""
    rating = st.session_state.get(f"rating-{turn['id']}")
    row_id = turn.get("feedback_id")
    answer: Answer = turn["answer"]
    try:
        if rating is None and row_id is not None:
            delete_feedback(settings.feedback_dir, row_id)
            turn.pop("feedback_id")
            turn.pop("comment_sent", None)
        elif rating is not None and row_id is not None:
            update_feedback(settings.feedback_dir, row_id, rating=rating)
        elif rating is not None:
            turn["feedback_id"] = record_feedback(
                settings.feedback_dir, rating, "", [c.chunk.id for c in answer.citations],
                answer_language=answer.language, build_id=turn.get("build_id", ""))
    except KomError as e:  # the conversation stays on screen; only the feedback failed
        turn["feedback_error"] = e


def send_comment(turn: dict[str, Any], settings: Settings, is_name: NameCheck | None) -> None:
    """The optional comment (and question) added to the stored rating, without personal data."""
    key, answer = turn["id"], turn["answer"]
    comment = st.session_state.get(f"comment-{key}", "")
    include = st.session_state.get(f"include-{key}", False)
    found = find_personal_data(comment, is_name)
    try:
        update_feedback(settings.feedback_dir, turn["feedback_id"],
                        comment=remove_personal_data(comment, is_name),
                        question=remove_personal_data(answer.question, is_name) if include
                        else None)
    except KomError as e:
        turn["feedback_error"] = e
        return
    turn["comment_sent"] = True
    turn["comment_cleaned"] = sorted({kind for kind, _ in found})
