"""Corpus and answer text as Markdown: escaped, with only our own markers as formatting."""

import re

from kom_assistant.models import Chunk
from kom_assistant.web.markdown import escape_markdown, format_answer, highlight, source_line


def test_escape_markdown_keeps_corpus_text_literal() -> None:
    text = "<script>alert(1)</script> **fet** [lenke](http://x) $x^2$ :red[farge] # 1. - a"
    escaped = escape_markdown(text)
    assert not re.search(r"(?<!\\)[<>*\[\]()$:#\-.]", escaped)  # every special is escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == text  # only backslashes were added


def test_highlight_marks_the_cited_sentences() -> None:
    passage = "Første setning. Politiet har funnet <b>tegn</b> på tvang. Siste setning."
    marked = highlight(passage, "Politiet har funnet <b>tegn</b> på tvang.")
    assert ":orange-background[Politiet har funnet \\<b\\>tegn\\</b\\> på tvang\\.]" in marked
    assert marked.startswith("Første setning\\.")
    short = highlight("ord " * 100 + passage, "Siste setning.", context=20)
    assert short.startswith("… ") and ":orange-background[Siste setning\\.]" in short


def test_format_answer_keeps_list_and_markers() -> None:
    text = "Dette sier kildene (Rapport, 2024):\n\n- Tegn er *mange* [1]\n- 5 < 6 [2]"
    out = format_answer(text)
    assert out.splitlines()[2] == "- Tegn er \\*mange\\* **\\[1\\]**"
    assert out.splitlines()[3] == "- 5 \\< 6 **\\[2\\]**"


def test_source_line_names_edition_section_and_pages() -> None:
    chunk = Chunk("c1", "d", "Rapport", "r.txt", "Del 1 > Tegn", 36, 37, 0, 10, "tekst",
                  year=2024, edition="2023", status="archived")
    assert source_line(chunk, "nb") == "utgave 2023 \\(2024\\) · Del 1 \\> Tegn · s\\. 36–37"
    assert "pp\\. 36–37" in source_line(chunk, "en")
