"""Numbered parts of the sources, as questions and passages name them: "tiltak 14",
"innsatsområde 2", "§§ 257 og 258", "measures 14-17", "focus area 3", and the rows of a
numbered table ("14 Styrke politiets etterretning D"). Parts are named in Norwegian whatever
the language, so an English question and a Norwegian passage meet on ("tiltak", "14").
"""

from __future__ import annotations

import re

from .keyword import fold

# "tiltak 14", "innsatsområde 2", "§ 257", "measures 14, 15 and 17": references to numbered parts.
_REFERENCE = re.compile(
    r"(?:\b(tiltak|innsatsomr[åa]de|kapittel|tabell|figur|measure|action|chapter|table|figure"
    r"|(?:focus |priority )?area)(?:s|ene|er|ne)?|(§{1,2}))"
    r"\s*(\d{1,3}(?:(?:\s*(?:,|og|and|or|eller|-|–)\s*|\s+)\d{1,3}\b)*)\b", re.IGNORECASE)
_TITLE_AFTER = re.compile(r"\s*[:\-–]\s*[A-ZÆØÅ]")  # "Tiltak 14: Styrke", "... 4 - Straffe"
# "14 Styrke politiets etterretning JD": a short line opening with a number and a title.
_NUMBERED_ROW = re.compile(r"^\s*(\d{1,2})\s+([A-ZÆØÅ][^\n]*)$", re.MULTILINE)
_REFERENCE_NAMES = {"measure": "tiltak", "action": "tiltak", "chapter": "kapittel",
                    "table": "tabell", "figure": "figur", "area": "innsatsomrade",
                    "focus area": "innsatsomrade", "priority area": "innsatsomrade", "§§": "§"}


def references(text: str) -> frozenset[tuple[str, str]]:
    """The numbered parts a text names, as ("tiltak", "14"), in Norwegian whatever the
    language: a question naming "innsatsområde 2" asks for exactly that part."""
    return frozenset(part for m in _REFERENCE.finditer(text) for part in _parts(m))


def reference_spans(text: str) -> list[tuple[int, tuple[str, str]]]:
    """(offset, part) of each part `text` names, in text order."""
    return [(m.start(), part) for m in _REFERENCE.finditer(text) for part in sorted(_parts(m))]


def chunk_references(section: str, text: str) -> tuple[frozenset[tuple[str, str]],
                                                       frozenset[tuple[str, str]]]:
    """(named, titled): the numbered parts a chunk names, and those it is about rather than
    mentions: its section's, and those its text gives with their title ("Tiltak 14: Styrke
    ...", "Innsatsomrade 4 - Straffe...") rather than in passing ("jf. tiltak 14")."""
    named = set(references(section))
    titled = set(named)
    for m in _REFERENCE.finditer(text):
        parts = _parts(m)
        named |= parts
        if _TITLE_AFTER.match(text, m.end()):
            titled |= parts
    return frozenset(named), frozenset(titled)


def numbered_rows(text: str) -> frozenset[int]:
    """The numbers of a numbered table's rows in `text` (see numbered_row_spans)."""
    return frozenset(n for n, _, _ in numbered_row_spans(text))


def numbered_row_spans(text: str) -> list[tuple[int, int, int]]:
    """(number, start, end) of a numbered table's rows in `text` ("13 Gjennomgå
    lovbestemmelser D", "14 Styrke politiets etterretning D"): runs of three or more short
    rows with rising numbers. A flattened table of measures names each measure by its row,
    without the word "tiltak"; footnotes (full sentences) and single numbered lines are not
    rows."""
    runs: list[list[tuple[int, int, int]]] = [[]]
    for m in _NUMBERED_ROW.finditer(text):
        number, rest = int(m.group(1)), m.group(2).strip()
        if len(rest.split()) > 14 or rest.endswith("."):
            continue
        if runs[-1] and number <= runs[-1][-1][0]:
            runs.append([])
        runs[-1].append((number, m.start(1), m.end(2)))
    return [row for run in runs if len(run) >= 3 for row in run]


def _parts(m: re.Match[str]) -> set[tuple[str, str]]:
    """("tiltak", "14"), ... for one reference; "14-17" is a range."""
    name = fold(m.group(1) or m.group(2))
    part = _REFERENCE_NAMES.get(name, name)
    found = set()
    for first, last in re.findall(r"(\d+)(?:\s*[-–]\s*(\d+))?", m.group(3)):
        end = int(last) if last and 0 < int(last) - int(first) <= 30 else int(first)
        found |= {(part, str(n)) for n in range(int(first), end + 1)}
    return found
