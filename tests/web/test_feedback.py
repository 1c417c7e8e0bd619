"""Feedback store: ratings with cited chunk ids, and the question only when the user agreed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kom_assistant.errors import KomError
from kom_assistant.web.feedback import (
    FEEDBACK_FILE,
    delete_feedback,
    read_feedback,
    record_feedback,
    update_feedback,
)


def test_nothing_stored_reads_as_empty(tmp_path: Path) -> None:
    assert read_feedback(tmp_path / "none") == []
    assert not (tmp_path / "none").exists()


def test_rating_is_stored_without_the_question_by_default(tmp_path: Path) -> None:
    row_id = record_feedback(tmp_path, 1, " Nyttig ", ["c1", "c2"], answer_language="en",
                             build_id="b1")
    [row] = read_feedback(tmp_path)
    assert row["id"] == row_id
    assert row["rating"] == 1 and row["comment"] == "Nyttig"
    assert row["citation_ids"] == ["c1", "c2"]
    assert row["question"] is None
    assert row["answer_language"] == "en" and row["build_id"] == "b1"
    assert len(row["day"]) == 10  # the day only, not the time


def test_question_is_stored_when_given(tmp_path: Path) -> None:
    record_feedback(tmp_path, 0, "", [], question="Hva er refleksjonsperiode?")
    record_feedback(tmp_path, 1)
    rows = read_feedback(tmp_path)
    assert [r["question"] for r in rows] == ["Hva er refleksjonsperiode?", None]
    assert [r["rating"] for r in rows] == [0, 1]


def test_file_lives_in_the_feedback_folder(tmp_path: Path) -> None:
    record_feedback(tmp_path / "nested" / "dir", 1, citation_ids=["x"])
    with sqlite3.connect(tmp_path / "nested" / "dir" / FEEDBACK_FILE) as db:
        assert db.execute("SELECT count(*) FROM feedback").fetchone() == (1,)


def test_only_thumbs_up_or_down(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        record_feedback(tmp_path, 5)


def test_unwritable_folder_gives_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(KomError) as error:
        record_feedback(blocker / "feedback", 1)
    assert "KOM_FEEDBACK_DIR" in str(error.value)
    assert "could not be stored" in error.value.message("en")


def test_a_thumb_is_a_row_a_comment_updates_it(tmp_path: Path) -> None:
    row_id = record_feedback(tmp_path, 1, citation_ids=["c1"])
    update_feedback(tmp_path, row_id, rating=0)  # the user changed their mind
    update_feedback(tmp_path, row_id, comment=" Mangler veilederen ", question="Hva er ...?")
    [row] = read_feedback(tmp_path)
    assert (row["rating"], row["comment"], row["question"]) == (0, "Mangler veilederen",
                                                                "Hva er ...?")
    update_feedback(tmp_path, row_id, comment="Bedre nå")  # the question stays
    assert read_feedback(tmp_path)[0]["question"] == "Hva er ...?"
    delete_feedback(tmp_path, row_id)
    assert read_feedback(tmp_path) == []
    with pytest.raises(ValueError):
        update_feedback(tmp_path, row_id, rating=3)
