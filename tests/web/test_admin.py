"""Admin page helpers: the login throttle and the publication date."""

from datetime import date

import pytest

from kom_assistant.web import admin


def test_each_wrong_password_doubles_the_wait_up_to_a_minute() -> None:
    assert [admin.login_delay(n) for n in range(8)] == [0, 1, 2, 4, 8, 16, 32, 60]


def test_no_attempt_is_checked_while_the_wait_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [50.0]
    monkeypatch.setattr(admin, "monotonic", lambda: clock[0])
    monkeypatch.setattr(admin, "_login", {"failures": 0, "until": 0.0})
    assert admin.check_password("feil", "hemmelig") == (False, 1.0)
    assert admin.check_password("hemmelig", "hemmelig") == (None, 1.0)  # right, but too soon
    clock[0] += 1
    assert admin.check_password("feil", "hemmelig") == (False, 2.0)
    clock[0] += 2
    assert admin.check_password("hemmelig", "hemmelig") == (True, 0.0)
    assert admin.check_password("feil", "hemmelig") == (False, 1.0)  # counting starts afresh


def test_publication_dates_in_norwegian_and_iso_form() -> None:
    assert admin.parse_date("28.05.2025") == date(2025, 5, 28)
    assert admin.parse_date("2025-05-28") == admin.parse_date("28.5.2025") == date(2025, 5, 28)
    assert admin.parse_date("  ") is None
    with pytest.raises(ValueError):
        admin.parse_date("mai 2025")
