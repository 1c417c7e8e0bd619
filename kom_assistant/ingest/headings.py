"""Which lines of a page are headings, and how deep: one predicate per kind of title.

Works on the clean-up's lines (stripped, in page order), so every rule is testable on a few
lines of inline text; `cleaning.reflow` calls them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADING_MAX_WORDS = 9
_DANGLING = frozenset("og i på for om til av med som mot fra et en ble la and of the to in on for "
                      "by with".split())
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
# "# Title"; OCR of a logo ("# poumer APEN") starts in lower case and is no heading.
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+[A-ZÆØÅ0-9«\"]")
# "8.4 Straffesaksbehandling": a numbered section title (x.y, so "2023 Totalt" or a footnote
# "1 Opplysningene ..." never matches).
_NUMBERED_HEADING = re.compile(r"\d{1,2}(?:\.\d{1,2})+\.?\s+[A-ZÆØÅ]")
# "1. Innledning": a chapter title numbered once, short and without end punctuation. A numbered
# list's items ("1. Ring 112" over "2. Kontakt barnevernet") follow each other directly.
_CHAPTER_NUMBER = re.compile(r"\d{1,2}\.\s+[A-ZÆØÅ][\w-]*(?: [\w()-]+){0,7}")
_LIST_NUMBER = re.compile(r"\d{1,2}[.)]\s")
# "Tiltak 12: Etablere ...": a named, numbered part. ("Del 3 - Oppholdstillatelse" is left to
# the general rule: the status report prints it on a few pages only, and as a chapter it would
# outlive its pages.)
_PART_HEADING = re.compile(r"(?:Tiltak|Innsatsomr[åa]de|Kapittel)\s+\d{1,2}\s*[:\-–]\s*[A-ZÆØÅ]")
# "Innledning" opens a chapter: in the strategy, each area of effort after the last measure of
# the area before (whose title the text layer lost).
_CHAPTER = re.compile(r"Innledning|Introduksjon|Introduction")
# "Mål for innsatsområdet": a short title, capitalised, without digits or punctuation.
_TITLE = re.compile(r"[A-ZÆØÅ][a-zæøå]+(?: [a-zæøåA-ZÆØÅ-]+){0,4}")


# "257. Menneskehandel" or "§ 258. Grov menneskehandel": the title of a statute's section.
_STATUTE_TITLE = re.compile(r"(?:§\s*)?(\d{1,3}[a-z]?)\.\s+([A-ZÆØÅ][\w-]*(?: [\w-]+){0,5})")
# The text of a penal provision ("Den som ... straffes med fengsel inntil 6 år").
_PENAL = re.compile(r"\bstraffes\b")


def statute_title(line: str) -> str | None:
    """ "§ 257. Menneskehandel" for a line that is a statute section's title, with the "§"
    the text layer may have lost."""
    m = _STATUTE_TITLE.fullmatch(line)
    return f"§ {m[1]}. {m[2]}" if m else None


def is_penal_text(text: str) -> bool:
    return bool(_PENAL.search(text))


def is_markdown_heading(line: str) -> bool:
    return bool(_MARKDOWN_HEADING.match(line))


def is_numbered_title(text: str) -> bool:
    return bool(_NUMBERED_HEADING.match(text) or _PART_HEADING.match(text))


def _chapter_number(lines: Sequence[str], i: int) -> bool:
    """ "1. Innledning", not an item of a numbered list: items follow each other directly, or
    the list is announced ("... delt inn i fire innsatsområder:" over "1. Helhetlig ...",
    "2. Forebygging", each with a line or two of its own)."""
    if not _CHAPTER_NUMBER.fullmatch(lines[i]):
        return False
    before = next((ln for ln in reversed(lines[:i]) if ln), "")
    after = next((ln for ln in lines[i + 1:] if ln), "")
    if _LIST_NUMBER.match(before) or _LIST_NUMBER.match(after):
        return False
    first = next((j for j in range(i, max(-1, i - 60), -1) if re.match(r"1\.\s", lines[j])), None)
    announced = first is not None and next(
        (ln for ln in reversed(lines[:first]) if ln), "").endswith(":")
    return not announced


def _stands_alone(lines: Sequence[str], j: int) -> bool:
    """A short capitalised line without end punctuation that opens the page or follows a
    finished sentence: a document's title over its first numbered chapter."""
    line = lines[j] if j >= 0 else ""
    before = lines[j - 1] if j > 0 else ""
    return (bool(line) and line[0].isupper() and len(line.split()) <= _HEADING_MAX_WORDS
            and not line.endswith((".", ",", ";", ":", "-")) and not is_table_row(line)
            and (not before or before.endswith((".", "!", "?"))))


def heading_depth(title: str) -> int | None:
    """A numbered title's level: 2 for "1. Innledning" and "2.3 Tegn på ...", 3 deeper. A
    single number is no chapter (level 1): numbered goals in a list ("2. Forebygging") would
    then hold every later title under them."""
    m = re.match(r"(\d{1,2}(?:\.\d{1,2})*)\.?\s", title)
    return (2 if m.group(1).count(".") < 2 else 3) if m else None


def is_title(line: str) -> bool:
    return bool(_TITLE.fullmatch(line))


def numbered_heading(lines: Sequence[str], i: int) -> tuple[str, int] | None:
    """(title, lines consumed after line i) for a numbered title: "8.4 Straffesaksbehandling",
    "Tiltak 12: Etablere og videreutvikle en koordineringsmekanisme for bistands-". Such a
    title may wrap onto a short line that goes on in lower case, in OCR text after a blank."""
    line = lines[i]
    words = line.split()
    numbered = _NUMBERED_HEADING.match(line) or _chapter_number(lines, i)
    if not (numbered or _PART_HEADING.match(line)) or len(words) > 16:
        return None
    before = lines[i - 1] if i > 0 else ""
    # A PDF's text layer often has no blank line between paragraphs: a numbered title may
    # follow a finished sentence or a title directly ("... fra politiet.", "1. Innledning").
    after_sentence = bool(numbered) and (before.endswith((".", "!", "?")) or is_title(before)
                                         or bool(_NUMBERED_HEADING.match(before))
                                         or _stands_alone(lines, i - 1))
    if line.endswith((".", ":")) or (before and not after_sentence):
        return None  # a sentence, or inside a paragraph
    following = [ln for ln in lines[i + 1 : i + 6] if ln][:2]
    if _PART_HEADING.match(line) and any(is_table_row(ln) for ln in following):
        return None  # "Innsatsområde 2 - Forebygging" heading rows of a table of measures
    at = i + 1 if i + 1 < len(lines) and lines[i + 1] else i + 2
    after = lines[at] if at < len(lines) else ""
    wraps = bool(after) and len(after.split()) <= 10 and not after.endswith((".", ":", ";")) and (
        not _URL.search(after)) and (
        after[:1].islower() or line.endswith((",", "-")) or words[-1].lower() in _DANGLING)
    if wraps:
        return f"{line} {after}", at - i
    return None if line.endswith(",") else (line, 0)


def looks_like_heading(line: str, lines: Sequence[str], i: int) -> bool:
    """A short line without end punctuation, standing alone, that starts with a capital."""
    words = line.split()
    if not words or len(words) > _HEADING_MAX_WORDS or not line[0].isupper():
        return False
    if line.endswith((".", ",", ";", ":", "-", "–")) or _URL.search(line):
        return False
    if re.search(r"[;&%{}|@<>=_]", line):  # OCR noise, not a title
        return False
    if words[-1].lower() in _DANGLING:  # "Office on Drugs and": a line of a running sentence
        return False
    if sum(w[:1].isalpha() for w in words) < 0.6 * len(words):  # "Finnmark 1 - - - - 1"
        return False
    if "," in line and len(words) > 5:  # a sentence broken at a page end, not a title
        return False
    # "Sør-Amerika: 6 søkere" (a flattened table row), "områder: informasjon om" (a sentence)
    if re.search(r":\s*(\d|[a-zæøå])", line):
        return False
    before = lines[i - 1] if i > 0 else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    following = next((ln for ln in lines[i + 1 :] if ln), "")
    if following[:1].islower() and not line.endswith((".", "!", "?")):
        return False  # the sentence goes on after a blank line
    if any(is_table_row(ln) for ln in [ln for ln in lines[i + 1 :] if ln][:2]):
        return False  # "Tilrettelegging*": a column head of a flattened table
    # A heading sits after a blank line (or a chapter title: "Innledning" over "Menneskehandel -
    # en kynisk utnyttelse") and is followed by a blank or by a capitalised line.
    return (not before or bool(_CHAPTER.fullmatch(before))) and (
        not after or after[0].isupper() or after.startswith("- ")
        or numbered_heading(lines, i + 1) is not None)


# OCR of a margin mark or a figure beside a title: a lone capital or one or two lower-case
# letters ("Barnevernstiltak Q fm", "Mer informasjon om omfang O m"). Acronyms are two capitals
# or more, and after a number a letter is part of a name ("Innst. 77 L").
_TRAILING_DEBRIS = re.compile(r"(?<=[^\W\d_]{3})(?:\s+(?:[A-ZÆØÅ]|[a-zæøå]{1,2}))+$")
# A real short word among them keeps them all, also as OCR leaves it without å ("Konferansen
# satte fokus pa"): a title cut short says less than a title with a stray word.
_SHORT_WORDS = _DANGLING | {"å", "er", "se", "nå", "ut", "da", "så", "at", "de", "du", "vi", "a",
                            "pa", "na", "sa"}


def without_debris(title: str) -> str:
    """The title without OCR debris after its last word."""
    found = _TRAILING_DEBRIS.search(title)
    if found is None or set(found.group().split()) & _SHORT_WORDS:
        return title
    return title[: found.start()]


def is_table_row(line: str) -> bool:
    """A row of a flattened table: mostly numbers and dashes ("Oslo politidistrikt 9 (3) 4 (2)
    - - -"), or a list of responsible bodies ("6 Utvikle kunnskapsgrunnlag JD, AID, BFD, HOD")."""
    cells = line.split()
    numeric = sum(bool(re.fullmatch(r"\(?[\d.,%]+\)?|[-–]", c)) for c in cells)
    acronyms = len(re.findall(r"\b[A-ZÆØÅ]{2,4}\b(?=,|\s*$)", line))
    return (numeric >= 3 and numeric >= 0.4 * len(cells)) or acronyms >= 3


def opens_chapter(title: str) -> bool:
    """A title that ends every section open before it, whatever their level."""
    return bool(_CHAPTER.fullmatch(title))


def heading_level(line: str) -> int:
    """1 for chapter-like headings ("Del 3 - ...", "# ..."), the depth of a numbered title
    ("2.3.1 ..." is 3), 2 for the rest."""
    if line.startswith("#"):
        return min(len(line) - len(line.lstrip("#")), 3)
    if (depth := heading_depth(line)) is not None:
        return depth
    if re.match(r"^(Del|Kapittel|Innsatsomr[åa]de|Tiltak)\s+\d+\b", line):
        return 1
    return 2
