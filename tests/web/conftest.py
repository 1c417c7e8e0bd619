"""Fixtures for the app's tests: the app as `make run` starts it (AppTest, test_app*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_env(real_index, real_settings, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """The app as `make run` starts it, with feedback going to a temporary folder."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("KOM_CORPUS_DIR", str(real_settings.corpus_dir))
    monkeypatch.setenv("KOM_INDEX_DIR", str(real_settings.index_dir))
    monkeypatch.setenv("KOM_FEEDBACK_DIR", str(tmp_path / "feedback"))
    for name in ("KOM_ADMIN_PASSWORD", "KOM_LLM"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "feedback"
