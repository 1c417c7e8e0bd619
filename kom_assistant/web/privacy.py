"""Personal data a frontline worker might paste by mistake: found and removed before a question
is sent or a comment stored."""

from __future__ import annotations

import re

# Personal data a frontline worker might paste by mistake.
_PERSONAL = {
    "fødselsnummer": re.compile(r"\b(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}\s?\d{5}\b"),
    "telefon": re.compile(r"(?<![\d-])(?:\+47\s?)?(?:[2-9]\d{7}|[2-9]\d(?:\s\d{2}){3}|"
                          r"[49]\d{2}\s\d{2}\s\d{3})(?![\d-])"),
    "e-post": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    "adresse": re.compile(r"\b[A-ZÆØÅ][a-zæøå]+(?:\s[A-ZÆØÅ][a-zæøå]+)+,?\s+(?:bor\s+i\s+|i\s+)?"
                          r"[A-ZÆØÅ][a-zæøå]+(?:veien|vegen|gata|gaten|gate|vei|veg|plass)"
                          r"\s\d+\w?\b"),
}
# Known public numbers are not personal data.
_PUBLIC = {"22331160", "112", "02800", "99470279"}


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, match) for each piece of likely personal data in `text`."""
    found = []
    for kind, pattern in _PERSONAL.items():
        for m in pattern.finditer(text):
            if re.sub(r"\D", "", m.group(0)) in _PUBLIC:
                continue
            found.append((kind, m.group(0)))
    return found


def remove_personal_data(text: str) -> str:
    for _, match in find_personal_data(text):
        text = text.replace(match, "[fjernet]")
    return text
