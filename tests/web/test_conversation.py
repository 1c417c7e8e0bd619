"""A conversation's state: blank input, long pastes, personal data held back, leaving."""

from typing import Any

from kom_assistant.web.conversation import (
    cut_question,
    leave,
    new_conversation,
    queue,
    receive,
    resolve_pending,
)

LIMIT = 2000


def test_blank_input_asks_nothing() -> None:
    state: dict[str, Any] = {}
    receive(state, "  \n\t  ", LIMIT)
    assert state == {}


def test_a_long_paste_is_cut_at_a_word_and_its_length_kept() -> None:
    state: dict[str, Any] = {}
    paste = "ord " * 1250  # 5,000 characters
    receive(state, paste, LIMIT)
    assert state["cut_from"] == len(paste.strip())
    assert state["queued"] == cut_question(paste.strip(), LIMIT)
    assert len(state["queued"]) <= LIMIT and state["queued"].endswith("ord")
    receive(state, "Hva er refleksjonsperiode?", LIMIT)  # the next question is whole
    assert "cut_from" not in state
    assert cut_question("x" * 2500, LIMIT) == "x" * LIMIT  # no space to cut at


def test_personal_data_waits_for_the_users_choice() -> None:
    state: dict[str, Any] = {}
    receive(state, "Hun har tlf 91234567", LIMIT)
    assert state == {"pending": "Hun har tlf 91234567"}
    resolve_pending(state, "remove")
    assert state == {"queued": "Hun har tlf [fjernet]"}
    receive(state, "Hun har tlf 91234567", LIMIT)
    resolve_pending(state, "send")
    assert state["queued"] == "Hun har tlf 91234567"
    receive(state, "Hun har tlf 91234567", LIMIT)
    state.pop("queued")
    resolve_pending(state, "cancel")
    assert state == {}
    # Names only with a name check.
    receive(state, "Jeg møtte Fatima i går", LIMIT, is_name=lambda w: w == "Fatima")
    assert "pending" in state


def test_leaving_forgets_everything_a_new_conversation_keeps_settings() -> None:
    state: dict[str, Any] = {"turns": [1], "lang": "en", "kinds": ["veileder"], "pending": "x"}
    new_conversation(state)
    assert state == {"lang": "en", "kinds": ["veileder"]}
    queue(state, "Hva er refleksjonsperiode?")
    leave(state)
    assert state == {"left": True}
