"""The page around the app's own content: its styles, Streamlit's texts in the interface
language, and presentation view.

Streamlit's chrome is in English and partly faint: app.css hides what frontline users do not
need (the developer menu, the "Running" indicator, Streamlit's own skip link, which safety.py
replaces), lifts grey captions to WCAG AA contrast and styles the safety bar;
presentation.css hides the sidebar and enlarges the text for a projector. interface.js puts
Norwegian in place of Streamlit's English words (i18n.STREAMLIT_TEXTS).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import streamlit as st

from ..i18n import STREAMLIT_TEXTS
from .safety import STATIC

KEY = "kom-interface"  # the component's element is hidden (app.css)


@cache
def _component() -> Any:
    return st.components.v2.component(
        "kom_interface", js=(STATIC / "interface.js").read_text(encoding="utf-8"))


def apply_interface(lang: str, presentation: bool = False) -> None:
    st.html(STATIC / "app.css")
    if presentation:
        st.html(STATIC / "presentation.css")
    _component()(key=KEY, data={"lang": lang, "texts": STREAMLIT_TEXTS if lang == "nb" else {}})
