"""What the chat does with what the user sends: one conversation's state, without Streamlit.

Each function changes the session's state (st.session_state in the app, a dict in tests):
"queued" is the question to answer in this run, "pending" one held back for personal data,
"cut_from" the length of a paste that was cut to the longest question searched.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from .privacy import find_personal_data, remove_personal_data

State = MutableMapping[Any, Any]  # st.session_state is keyed by str or int
CONVERSATION_KEYS = ("turns", "pending", "queued", "open_page", "cut_from")


def leave(state: State) -> None:
    """Forget everything this session showed (quick exit)."""
    for key in list(state.keys()):
        del state[key]
    state["left"] = True


def new_conversation(state: State) -> None:
    for key in CONVERSATION_KEYS:
        state.pop(key, None)


def queue(state: State, question: str) -> None:
    state.pop("cut_from", None)
    state["queued"] = question


def cut_question(text: str, limit: int) -> str:
    """The first `limit` characters, ending at a word's end where one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - 40)
    return (cut[:space] if space > 0 else cut).rstrip()


def receive(state: State, typed: str, limit: int,
            is_name: Callable[[str], bool] | None = None) -> None:
    """A typed or pasted question: nothing for blank input; cut when too long; held back,
    until the user decides, when it looks like it holds personal data."""
    question = typed.strip()
    if not question:
        return
    state.pop("cut_from", None)
    if len(question) > limit:
        state["cut_from"] = len(question)
        question = cut_question(question, limit)
    if find_personal_data(question, is_name):
        state["pending"] = question
    else:
        state["queued"] = question


def resolve_pending(state: State, action: str,
                    is_name: Callable[[str], bool] | None = None) -> None:
    """"remove" sends the question without its personal data, "send" as it is, "cancel"
    drops it."""
    question = state.pop("pending", "")
    if action == "remove":
        state["queued"] = remove_personal_data(question, is_name)
    elif action == "send":
        state["queued"] = question
    else:
        state.pop("cut_from", None)
