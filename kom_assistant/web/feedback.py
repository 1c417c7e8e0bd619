"""Thumbs up/down on answers, kept in SQLite so maintainers can see which sources help.

A thumb is stored when it is clicked; a comment, added later, updates that row. Privacy by
default: a row holds the rating, the optional comment and the ids of the cited chunks, never the
question, unless the user ticked the box to include it. The day is stored, not the time, so a row
cannot be matched to a conversation by its timestamp. The app removes personal data from the
comment and the question before they reach this module (privacy.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import KomError

FEEDBACK_FILE = "feedback.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    day TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '',
    citation_ids TEXT NOT NULL DEFAULT '[]',
    question TEXT,
    answer_language TEXT NOT NULL DEFAULT 'nb',
    build_id TEXT NOT NULL DEFAULT ''
)
"""


def _connect(db_dir: Path) -> sqlite3.Connection:
    try:
        db_dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(db_dir / FEEDBACK_FILE)
        db.execute(_SCHEMA)
    except (OSError, sqlite3.Error) as e:
        raise KomError(
            f"Tilbakemeldingen kunne ikke lagres i {db_dir}/ ({e}). Sjekk KOM_FEEDBACK_DIR.",
            f"The feedback could not be stored in {db_dir}/ ({e}). Check KOM_FEEDBACK_DIR.",
        ) from e
    return db


def record_feedback(
    db_dir: Path,
    rating: int,
    comment: str = "",
    citation_ids: Sequence[str] = (),
    question: str | None = None,
    answer_language: str = "nb",
    build_id: str = "",
) -> int:
    """Store one rating (1 = helpful, 0 = not helpful); returns the row id."""
    if rating not in (0, 1):
        raise ValueError(f"rating must be 0 or 1, not {rating!r}")
    db = _connect(db_dir)
    try:
        with db:
            cursor = db.execute(
                "INSERT INTO feedback (day, rating, comment, citation_ids, question, "
                "answer_language, build_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (datetime.now(UTC).date().isoformat(), int(rating), comment.strip(),
                 json.dumps(list(citation_ids)), question or None, answer_language, build_id),
            )
        return int(cursor.lastrowid or 0)
    except sqlite3.Error as e:
        raise KomError(
            f"Tilbakemeldingen kunne ikke lagres ({e}). Prøv igjen senere.",
            f"The feedback could not be stored ({e}). Try again later.",
        ) from e
    finally:
        db.close()


def update_feedback(db_dir: Path, row_id: int, *, rating: int | None = None,
                    comment: str | None = None, question: str | None = None) -> None:
    """Change a stored row: another thumb, or the comment (and question) added after it."""
    if rating not in (None, 0, 1):
        raise ValueError(f"rating must be 0 or 1, not {rating!r}")
    changes = {"rating": rating, "comment": comment.strip() if comment is not None else None,
               "question": question or None}
    changes = {k: v for k, v in changes.items() if v is not None}
    if changes:
        _execute(db_dir, f"UPDATE feedback SET {', '.join(f'{k} = ?' for k in changes)} "
                         "WHERE id = ?", (*changes.values(), row_id))


def delete_feedback(db_dir: Path, row_id: int) -> None:
    """Forget a rating the user took back (clicked the same thumb again)."""
    _execute(db_dir, "DELETE FROM feedback WHERE id = ?", (row_id,))


def _execute(db_dir: Path, sql: str, values: tuple[object, ...]) -> None:
    db = _connect(db_dir)
    try:
        with db:
            db.execute(sql, values)
    except sqlite3.Error as e:
        raise KomError(
            f"Tilbakemeldingen kunne ikke lagres ({e}). Prøv igjen senere.",
            f"The feedback could not be stored ({e}). Try again later.",
        ) from e
    finally:
        db.close()


def read_feedback(db_dir: Path) -> list[dict[str, Any]]:
    """Every stored row, oldest first; an empty list when nothing was stored yet."""
    if not (db_dir / FEEDBACK_FILE).exists():
        return []
    db = _connect(db_dir)
    try:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT * FROM feedback ORDER BY id").fetchall()
    finally:
        db.close()
    return [{**dict(r), "citation_ids": json.loads(r["citation_ids"])} for r in rows]
