"""The admin page through AppTest: only at ?admin with KOM_ADMIN_PASSWORD, wrong passwords
slowed down for every session."""

from __future__ import annotations

import pytest

from kom_assistant.i18n import t

from .apptest import click, start, texts

pytestmark = pytest.mark.slow


def test_admin_is_in_nobodys_sidebar(app_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KOM_ADMIN_PASSWORD", "hemmelig")
    app = start()
    assert "Administrasjon" not in texts(app) and not app.text_input
    assert not [r for r in app.radio if r.key == "page"]


def test_admin_url_without_a_password_says_how_to_switch_it_on(app_env) -> None:  # type: ignore[no-untyped-def]
    app = start(admin="")
    assert t("admin_disabled", "nb") in [i.value for i in app.info]
    assert not app.text_input  # no password field


def test_admin_page_at_its_url_with_wrong_passwords_slowed_down(app_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kom_assistant.web import admin

    monkeypatch.setenv("KOM_ADMIN_PASSWORD", "hemmelig")
    monkeypatch.setattr(admin, "_login", {"failures": 0, "until": 0.0})
    clock = [1000.0]
    monkeypatch.setattr(admin, "monotonic", lambda: clock[0])
    app = start(admin="")

    def log_in(password: str) -> list[str]:
        app.text_input[0].set_value(password)
        click(app, t("login", "nb"))
        return [e.value for e in app.error]

    assert log_in("feil") == [t("wrong_password", "nb", seconds="1")]
    assert log_in("feil") == [t("login_wait", "nb", seconds="1")]  # too soon: not even checked
    clock[0] += 1
    assert log_in("feil") == [t("wrong_password", "nb", seconds="2")]
    clock[0] += 1
    # The right password too waits its turn, in this session and in a new one.
    assert log_in("hemmelig") == [t("login_wait", "nb", seconds="1")]
    other = start(admin="")
    other.text_input[0].set_value("hemmelig")
    click(other, t("login", "nb"))
    assert [e.value for e in other.error] == [t("login_wait", "nb", seconds="1")]
    clock[0] += 1
    assert log_in("hemmelig") == []
    supersedes = next(s for s in app.selectbox if s.label == t("doc_supersedes", "nb"))
    assert "tilstandsrapport-2023" in supersedes.options
    assert not app.get("date_input")  # its "yyyy/mm/dd" cannot be translated
    click(app, t("admin_back", "nb"))
    assert app.chat_input and "admin" not in app.query_params
