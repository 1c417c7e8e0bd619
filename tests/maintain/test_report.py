"""Change reports: what changed between editions, section by section."""



from kom_assistant.maintain.report import compare_editions


def test_compare_editions_lists_added_removed_changed():
    def sections(**texts):
        return {name: {"pages": "s. 1", "hash": text} for name, text in texts.items()}

    old = sections(A="same", B="old text", C="gone")
    new = sections(A="same", B="new text", D="fresh")
    kinds = {(c.kind, c.section) for c in compare_editions(old, new)}
    assert kinds == {("changed", "B"), ("added", "D"), ("removed", "C")}


def test_document_sections_follow_headings_across_pages():
    from kom_assistant.maintain.report import document_sections
    from kom_assistant.models import Page

    pages = [Page("d", 1, "Del 1\n\nTekst en.", headings=((0, 1, "Del 1"),)),
             Page("d", 2, "Mer tekst.\n\nTiltak\n\nTo.", headings=((12, 2, "Tiltak"),))]
    found = document_sections(pages)
    assert set(found) == {"Del 1", "Del 1 > Tiltak"}
    assert found["Del 1"]["pages"] == "s. 1–2"
