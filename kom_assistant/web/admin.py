"""The password-protected admin page: upload a document or a new edition, fill its manifest
fields, re-index with a progress bar, and read the change report.

Disabled unless KOM_ADMIN_PASSWORD is set. A bad upload is refused before it reaches the corpus,
and the serving index stays in use until the new build passed its check.
"""

from __future__ import annotations

import hmac
import math
import re
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from ..config import Settings
from ..i18n import t
from ..search.embeddings import Embedder
from ..search.index import LoadedIndex
from . import widgets
from .markdown import escape_markdown


def render_admin(settings: Settings, embedder: Embedder, index: LoadedIndex, lang: str) -> None:
    from ..ingest.manifest import KINDS

    st.title(t("admin_title", lang))
    if not st.session_state.get("admin_ok"):
        password = login_form(lang)
        if password is not None:
            if hmac.compare_digest(password.encode(), settings.admin_password.encode()):
                st.session_state["admin_ok"] = True
                st.rerun()
            st.error(t("wrong_password", lang))
        return
    documents = index.meta.get("documents", [])
    submitted = document_form(documents, KINDS, settings.max_upload_mb, lang)
    if submitted:
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
        st.warning(escape_markdown(f"{name}: {problem.message(lang)}"))
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
    with st.form("add-document"):
        upload = st.file_uploader(t("upload", lang, mb=f"{limit_mb:g}"),
                                  type=["pdf", "txt", "md"],
                                  max_upload_size=max(1, math.ceil(limit_mb)))
        title = st.text_input(t("doc_title", lang))
        kind = st.selectbox(t("doc_kind", lang), kinds, format_func=lambda k: t(f"kind_{k}", lang))
        year = st.number_input(t("doc_year", lang), 1990, 2100, date.today().year)
        edition = st.text_input(t("doc_edition", lang))
        published = st.date_input(t("doc_published", lang), value=None)
        supersedes = st.selectbox(t("doc_supersedes", lang), ["", *(d["id"] for d in documents)],
                                  format_func=lambda i: i or t("doc_supersedes_none", lang))
        if not st.form_submit_button(t("add_and_reindex", lang), type="primary"):
            return None
    return {"upload": upload, "title": title.strip(), "kind": kind, "year": int(year),
            "edition": edition.strip(), "published": published.isoformat() if published else "",
            "supersedes": supersedes}
