"""The safety bar's data, and the page chrome it relies on."""

from kom_assistant.answer.contacts import Contact
from kom_assistant.web.interface import KEY as INTERFACE_KEY
from kom_assistant.web.safety import KEY, STATIC, contact_data, exit_address


def test_contacts_become_plain_entries_with_dialable_numbers() -> None:
    contacts = [
        Contact("ROSA", "ROSA", "Døgnåpen.", "Open day and night.", phone="22 33 11 60",
                document="tilstandsrapport-2023", page=76, checked="2026-11-23"),
        Contact("KOM", "KOM", "Rapporter.", "Reports.", email="KOM.pod@politiet.no"),
        Contact("X", "<b>X</b>", "x", "x", email="not an address"),
    ]
    rosa, kom, odd = contact_data(contacts, {"tilstandsrapport-2023": "KOM Tilstandsrapport"}, "en")
    assert rosa["tel"] == "22331160" and rosa["phone"] == "22 33 11 60"
    assert rosa["what"] == "Open day and night."
    assert rosa["source"] == "Source: KOM Tilstandsrapport, p. 76 · checked 2026-11-23"
    assert kom["email"] == "KOM.pod@politiet.no" and kom["tel"] == ""
    assert odd["email"] == "" and odd["name"] == "<b>X</b>"  # shown as text (safety.js)
    [fallback] = contact_data([], {}, "nb")  # contacts.toml unreadable: 112 all the same
    assert fallback["tel"] == "112"


def test_the_style_sheet_hides_the_mounts_and_replaces_streamlits_skip_link() -> None:
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    for hidden in (f".st-key-{KEY}", f".st-key-{INTERFACE_KEY}", "stSkipToContent",
                   "stStatusWidget"):
        assert hidden in css.split("display: none")[0], hidden
    assert "position: fixed" in css.split("#kom-safety {")[1].split("}")[0]


def test_quick_exit_always_leaves_for_a_web_address() -> None:
    assert exit_address("https://www.nrk.no/") == "https://www.nrk.no/"
    for wrong in ("", "/", "yr.no", "javascript:alert(1)"):
        assert exit_address(wrong) == "https://www.yr.no", wrong
