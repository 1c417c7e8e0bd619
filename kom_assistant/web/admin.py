"""The password-protected admin page (at ?admin): upload a document or a new edition, fill its
manifest fields, re-index with a progress bar, and read the change report.

Disabled unless KOM_ADMIN_PASSWORD is set. Wrong passwords slow the next attempt down (1, 2, 4 …
60 seconds), for every session of the server process, so a new tab does not start afresh. A bad
upload is refused before it reaches the corpus, and the serving index stays in use until the new
build passed its check.
"""

from __future__ import annotations

import hmac
import re
import tempfile
import threading
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from time import monotonic
from typing import Any

import streamlit as st

from ..config import Settings
from ..i18n import t
from ..search.embeddings import Embedder
from ..search.index import LoadedIndex
from . import widgets
from .markdown import escape_markdown

MAX_WAIT = 60.0  # seconds: slow enough against guessing, short enough for a maintainer's typo
# Wrong passwords in a row and when the next attempt is allowed, shared by every session.
_login = {"failures": 0, "until": 0.0}
_login_lock = threading.Lock()


def login_delay(failures: int) -> float:
    """Seconds to wait after `failures` wrong passwords in a row."""
    return 0.0 if failures <= 0 else min(MAX_WAIT, 2.0 ** (failures - 1))


def check_password(typed: str, expected: str) -> tuple[bool | None, float]:
    """(right password, seconds until the next attempt); None instead of True or False while a
    wait runs: then no attempt is checked, right or wrong, so a guess must wait its turn."""
    now = monotonic()
    with _login_lock:
        if now < _login["until"]:
            return None, _login["until"] - now
        if hmac.compare_digest(typed.encode(), expected.encode()):
            _login.update(failures=0, until=0.0)
            return True, 0.0
        _login["failures"] += 1
        _login["until"] = now + login_delay(int(_login["failures"]))
        return False, _login["until"] - now


def render_admin(settings: Settings, embedder: Embedder, index: LoadedIndex, lang: str) -> None:
    from ..ingest.manifest import KINDS

    st.title(t("admin_title", lang), anchor=False)
    if not st.session_state.get("admin_ok"):
        password = login_form(lang)
        if password is not None:
            ok, wait = check_password(password, settings.admin_password)
            if ok:
                st.session_state["admin_ok"] = True
                st.rerun()
            seconds = f"{max(1.0, wait):.0f}"
            st.error(t("login_wait", lang, seconds=seconds) if ok is None
                     else t("wrong_password", lang, seconds=seconds))
        return
    documents = index.meta.get("documents", [])
    submitted = document_form(documents, KINDS, settings.max_upload_mb, lang)
    if submitted and "bad_date" in submitted:
        st.error(t("bad_date", lang, value=submitted["bad_date"]))
    elif submitted:
        add_and_reindex(settings, embedder, submitted, lang)
    with st.expander(t("known_sources", lang)):
        widgets.render_documents(documents, lang)


def add_and_reindex(settings: Settings, embedder: Embedder, submitted: dict[str, Any],
                    lang: str) -> None:
    """Check and add the upload, then re-index beside the serving index (which stays in use
    until the new one passed its check); KomError from either step is shown by main()."""
    from ..maintain.editions import add_document
    from ..maintain.reindex import build_index

    upload, limit = submitted.pop("upload"), settings.max_upload_mb
    if upload is None or not submitted["title"]:
        st.error(t("upload_incomplete", lang))
        return
    if upload.size > limit * 1_000_000:
        st.error(t("upload_too_large", lang, size=f"{upload.size / 1e6:.1f}", mb=f"{limit:g}"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name  # add_document names errors after the file
        path.write_bytes(upload.getvalue())
        document = add_document(settings, path, **submitted)
    st.success(t("document_added", lang, id=document.id))
    bar = st.progress(0.0, text=t("reindexing", lang))
    done = 0

    def progress(n: int, total: int) -> None:
        nonlocal done
        done += n  # build_index reports each finished batch, not a running total
        bar.progress(min(1.0, done / max(1, total)), text=t("reindexing", lang))

    report = build_index(settings, embedder, progress=progress)
    bar.progress(1.0, text=t("reindex_done", lang, documents=report.documents,
                             chunks=report.chunks, seconds=f"{report.seconds:.0f}"))
    for name, problem in report.problems:
        st.warning(escape_markdown(f"{name}: {widgets.user_message(problem, lang)}"))
    with st.container(border=True):
        # The report's own headings start at "#"; smaller ones fit inside the page.
        st.markdown(re.sub(r"^#", "###", report.change_report, flags=re.MULTILINE))


def login_form(lang: str) -> str | None:
    """The password typed, once submitted."""
    with st.form("login"):
        password = st.text_input(t("password", lang), type="password")
        return password if st.form_submit_button(t("login", lang)) else None


def document_form(documents: Sequence[dict[str, Any]], kinds: Sequence[str], limit_mb: float,
                  lang: str) -> dict[str, Any] | None:
    """The upload and its manifest fields, as add_document's keyword arguments plus "upload"."""
    # No file types or size limit for the uploader itself: Streamlit would refuse a file in
    # English; add_and_reindex and add_document refuse it in the user's language.
    with st.form("add-document"):
        upload = st.file_uploader(t("upload", lang, mb=f"{limit_mb:g}"))
        title = st.text_input(t("doc_title", lang))
        kind = st.selectbox(t("doc_kind", lang), kinds, format_func=lambda k: t(f"kind_{k}", lang),
                            placeholder=t("choose", lang))
        year = st.number_input(t("doc_year", lang), 1990, 2100, date.today().year)
        edition = st.text_input(t("doc_edition", lang))
        # A text field, not st.date_input, whose "yyyy/mm/dd" cannot be translated.
        published = st.text_input(t("doc_published", lang))
        supersedes = st.selectbox(t("doc_supersedes", lang), ["", *(d["id"] for d in documents)],
                                  format_func=lambda i: i or t("doc_supersedes_none", lang),
                                  placeholder=t("choose", lang))
        if not st.form_submit_button(t("add_and_reindex", lang), type="primary"):
            return None
    try:
        day = parse_date(published)
    except ValueError:
        return {"bad_date": published.strip()}
    return {"upload": upload, "title": title.strip(), "kind": kind, "year": int(year),
            "edition": edition.strip(), "published": day.isoformat() if day else "",
            "supersedes": supersedes}


def parse_date(text: str) -> date | None:
    """28.05.2025, 28.5.2025 or 2025-05-28; None when empty; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    for layout in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError(text)
