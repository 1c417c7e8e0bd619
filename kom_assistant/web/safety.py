"""Quick exit and help, one tap away on every page: a bar fixed at the top of the window.

A person in danger may be watched. "Leave quickly" replaces the page in the browser's history
with a neutral site (KOM_EXIT_URL), so Back does not return to the assistant, and tells the
server to forget the conversation. "Get help now" opens 112, ROSA and the other contact points
of corpus/contacts.toml over the page. The bar is the first thing the keyboard reaches, followed
by a link to the question box. It is a Streamlit component (static/safety.js) because only the
browser can replace a history entry; its texts come from here and are never parsed as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from ..answer.contacts import Contact
from ..config import Settings
from ..i18n import t

STATIC = Path(__file__).with_name("static")
KEY = "kom-safety"  # the component's element is hidden (app.css); the bar lives in <body>


@cache
def _component() -> Any:
    return st.components.v2.component(
        "kom_safety", js=(STATIC / "safety.js").read_text(encoding="utf-8"))


def contact_data(contacts: Sequence[Contact], titles: dict[str, str], lang: str) -> list[dict]:
    """The help panel's entries: plain strings, and a dialable number for tel: links. 112 at
    least, even when contacts.toml could not be read."""
    entries = []
    for c in contacts or [Contact("Nødnummer", "Emergency number", "Ved akutt fare.",
                                  "In immediate danger.", phone="112")]:
        source = (t("contact_source", lang, document=titles.get(c.document, c.document),
                    page=c.page) if c.document else t("contact_general", lang))
        checked = t("contact_checked", lang, date=c.checked) if c.checked else ""
        entries.append({
            "name": c.name(lang), "what": c.what(lang), "phone": c.phone or "",
            "tel": re.sub(r"[^\d+]", "", c.phone or ""),
            "email": c.email if c.email and re.fullmatch(r"[\w.+-]+@[\w.-]+", c.email) else "",
            "source": " · ".join(p for p in (source, checked) if p),
        })
    return entries


def exit_address(configured: str) -> str:
    """KOM_EXIT_URL when it is a web address; else the default, since an empty or relative
    address would reload the assistant itself."""
    return configured if re.match(r"https?://[^/\s]+", configured) else Settings().exit_url


def render_safety_bar(contacts: Sequence[Contact], titles: dict[str, str], lang: str,
                      exit_url: str, on_exit: Callable[[], Any]) -> None:
    labels = {"leave": t("leave", lang), "leave_title": t("leave_title", lang),
              "help": t("get_help", lang), "skip": t("skip_to_question", lang),
              "intro": t("help_intro", lang), "close": t("close", lang),
              "region": t("safety_region", lang)}
    _component()(key=KEY, data={"labels": labels, "exit_url": exit_address(exit_url),
                                "contacts": contact_data(contacts, titles, lang)},
                 on_exit_change=on_exit)
