"""Interface strings: every one in both languages, every kind labelled."""

import re

from kom_assistant.i18n import EXAMPLES, TEXTS, count_label, pages_label, t
from kom_assistant.web.interface import STREAMLIT_TEXTS


def test_every_string_exists_in_both_languages() -> None:
    assert set(TEXTS["nb"]) == set(TEXTS["en"])
    for lang, strings in TEXTS.items():
        for key, value in strings.items():
            assert value.strip(), f"{lang}.{key} is empty"
            assert set(re.findall(r"{(\w+)}", value)) == set(
                re.findall(r"{(\w+)}", TEXTS["nb"][key])), f"{lang}.{key} placeholders differ"
    assert len(EXAMPLES["nb"]) == len(EXAMPLES["en"]) and 4 <= len(EXAMPLES["nb"]) <= 6


def test_every_kind_and_personal_data_kind_has_a_label() -> None:
    from kom_assistant.ingest.manifest import KINDS
    from kom_assistant.web.privacy import _PERSONAL

    for lang in TEXTS:
        for kind in KINDS:
            assert t(f"kind_{kind}", lang)
        for kind in [*_PERSONAL, "navn"]:
            assert t(f"pii_{kind}", lang)


def test_streamlit_texts_have_norwegian_replacements() -> None:
    for english, norwegian in STREAMLIT_TEXTS.items():
        assert norwegian.strip() and norwegian != english, english
    assert "Skip to main content" in STREAMLIT_TEXTS and "Upload" in STREAMLIT_TEXTS


def test_pages_label_in_both_languages() -> None:
    assert pages_label(4, 4) == "s. 4" and pages_label(4, 5) == "s. 4–5"
    assert pages_label(4, 4, "en") == "p. 4" and pages_label(4, 5, "en") == "pp. 4–5"


def test_counts_in_both_languages() -> None:
    assert count_label(5000) == "5 000" and count_label(5000, "en") == "5,000"
    assert count_label(999, "en") == "999"
