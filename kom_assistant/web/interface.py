"""The page around the app's own content: its styles, Streamlit's texts in the interface
language, and presentation view.

Streamlit's chrome is in English and partly faint: app.css hides what frontline users do not
need (the developer menu, the "Running" indicator, Streamlit's own skip link, which safety.py
replaces), lifts grey captions to WCAG AA contrast and styles the safety bar;
presentation.css hides the sidebar and enlarges the text for a projector. interface.js puts
Norwegian in place of Streamlit's English words (STREAMLIT_TEXTS below).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import streamlit as st

from .safety import STATIC

KEY = "kom-interface"  # the component's element is hidden (app.css)

# Streamlit's own English texts (button labels, hints, names read by screen readers) and what
# the Norwegian interface shows instead: Streamlit cannot be told its language, so the page
# puts these in place as it renders (interface.js). The English interface keeps Streamlit's.
STREAMLIT_TEXTS: dict[str, str] = {
    "Skip to main content": "Gå til hovedinnholdet",
    "Upload": "Velg fil",
    "Browse files": "Velg fil",
    "Drag and drop file here": "Dra filen hit",
    "Remove file": "Fjern filen",
    "Delete": "Slett",
    "Close": "Lukk",
    "Dismiss": "Lukk",
    "Open": "Åpne",
    "Expand sidebar": "Vis sidepanelet",
    "Collapse sidebar": "Skjul sidepanelet",
    "Sidebar": "Sidepanel",
    "Main menu": "Meny",
    "Send message": "Send spørsmålet",
    "Chat message from user": "Spørsmålet ditt",
    "Chat message from assistant": "Svar fra assistenten",
    "Feedback rating": "Vurder svaret",
    "Thumbs up": "Nyttig",
    "Thumbs down": "Ikke nyttig",
    "Link to heading": "Lenke til overskriften",
    "Show password": "Vis passordet",
    "Hide password": "Skjul passordet",
    "file upload": "filopplasting",
    "Decrement": "Mindre",
    "Increment": "Større",
    "Choose an option": "Velg",
    "Choose options": "Velg",
    "No results": "Ingen treff",
    "Clear all": "Fjern alle",
    "Clear value": "Fjern",
    "Select all": "Velg alle",
    "Running...": "Arbeider …",
    "Stop": "Stopp",
    "Press Enter to apply": "Trykk Enter for å bruke",
    "Press Enter to submit form": "Trykk Enter for å sende skjemaet",
    "Press ⌘+Enter to apply": "Trykk ⌘+Enter for å bruke",
    "Press Ctrl+Enter to apply": "Trykk Ctrl+Enter for å bruke",
}


@cache
def _component() -> Any:
    return st.components.v2.component(
        "kom_interface", js=(STATIC / "interface.js").read_text(encoding="utf-8"))


def apply_interface(lang: str, presentation: bool = False) -> None:
    st.html(STATIC / "app.css")
    if presentation:
        st.html(STATIC / "presentation.css")
    _component()(key=KEY, data={"lang": lang, "texts": STREAMLIT_TEXTS if lang == "nb" else {}})
