"""What the last attempted build did, for `kom-assistant status`: index/last-build.json.

A build writes it when it starts ("running"), and again when it switched ("ok", with the
documents it skipped) or failed ("failed", with the message in both languages). A record
still "running" while no build holds the index lock means the build was killed or crashed.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import KomError

LAST_BUILD = "last-build.json"


@dataclass(frozen=True)
class Attempt:
    state: str  # running | ok | failed
    started: str  # ISO time
    finished: str = ""
    build_id: str = ""
    error: str = ""  # the failure, in Norwegian
    error_en: str = ""
    # The documents skipped: {"file", "nb", "en"}.
    skipped: tuple[dict[str, str], ...] = field(default_factory=tuple)
    pid: int = 0


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def record_attempt(index_dir: Path, attempt: Attempt) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LAST_BUILD
    tmp = path.with_name(f".{LAST_BUILD}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({**asdict(attempt), "skipped": list(attempt.skipped)},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read_attempt(index_dir: Path) -> Attempt | None:
    try:
        data: dict[str, Any] = json.loads((index_dir / LAST_BUILD).read_text(encoding="utf-8"))
        return Attempt(**{**data, "skipped": tuple(data.get("skipped", ()))})
    except (OSError, ValueError, TypeError):
        return None  # no record yet, or an unreadable one: nothing to say


def failed(started: str, error: BaseException) -> Attempt:
    if isinstance(error, KomError):
        nb, en = str(error), error.english
    else:  # a bug: its type and message, so that it can be reported
        nb = en = f"{type(error).__name__}: {error}"
    return Attempt("failed", started, now(), error=nb, error_en=en, pid=os.getpid())
