"""Which builds exist, which one serves, and which are kept: index/builds/<id>/, index/CURRENT
(the serving build's id, replaced atomically), index/SERVED (the builds that served, in order)
and index/LOCK, which keeps two builds apart.

Exactly the serving build and the one that served before it are kept, by what served, not by
age: a build that failed its check, or was killed before it could serve, is deleted, on disk
and on a Chroma server. An app process still holding the previous build keeps working.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import IndexBusyError, IndexDamagedError, KomError
from .chroma import delete_collection

CURRENT = "CURRENT"
SERVED = "SERVED"  # build ids in the order they became the serving build


@contextmanager
def index_lock(index_dir: Path, wait: bool = False) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "LOCK", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as e:
            raise IndexBusyError(
                "En annen indeksering kjører allerede. Vent til den er ferdig, og prøv igjen.",
                "Another re-index is already running. Wait for it to finish and try again.",
            ) from e
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_build_id(index_dir: Path) -> str | None:
    try:
        build_id = (index_dir / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None
    return build_id if (index_dir / "builds" / build_id / "meta.json").exists() else None


def read_meta(index_dir: Path, build_id: str | None = None) -> dict[str, Any] | None:
    build_id = build_id or current_build_id(index_dir)
    if build_id is None:
        return None
    path = index_dir / "builds" / build_id / "meta.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as e:
        raise damaged_error(index_dir, build_id, path.name) from e


def switch_to(settings: Settings, build_id: str) -> None:
    """Make `build_id` the serving build in one atomic step, then tidy old builds."""
    index_dir = settings.index_dir
    pointer = index_dir / f"{CURRENT}.tmp"
    pointer.write_text(build_id + "\n")
    with open(pointer) as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / CURRENT)
    with open(index_dir / SERVED, "a", encoding="utf-8") as served:
        served.write(build_id + "\n")
        served.flush()
        os.fsync(served.fileno())
    tidy_builds(settings)


def kept_builds(index_dir: Path) -> list[str]:
    """The serving build and the one that served before it (by index/SERVED, not by age: a
    build killed before it served is never "the one before")."""
    current = current_build_id(index_dir)
    if current is None:
        return []
    try:
        served = (index_dir / SERVED).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        served = []
    builds = index_dir / "builds"
    before = [b for b in reversed(served) if b != current and (builds / b / "meta.json").exists()]
    return [current, *before[:1]]


def tidy_builds(settings: Settings) -> list[str]:
    """Delete every build but the kept ones (folders and their Chroma collections), failed
    and killed ones included; call it holding the index lock. Returns the deleted ids."""
    builds = settings.index_dir / "builds"
    if not builds.is_dir():
        return []
    keep = set(kept_builds(settings.index_dir))
    deleted = []
    for path in sorted(builds.iterdir()):
        build_id = path.name.removesuffix(".tmp")
        if path.name in keep or not path.is_dir():
            continue
        try:
            discard_build(settings, build_id)
        except KomError:
            continue  # the Chroma server is away: the folder stays, and the next tidy-up retries
        deleted.append(build_id)
    served = settings.index_dir / SERVED
    if served.exists():  # SERVED stays as short as what it describes
        lines = [b for b in served.read_text(encoding="utf-8").split() if b in keep]
        served.write_text("".join(f"{b}\n" for b in dict.fromkeys(lines)), encoding="utf-8")
    return deleted


def discard_build(settings: Settings, build_id: str) -> None:
    """Remove a build that will never serve: its collection on a Chroma server first, so a
    crash in between leaves a folder that the next tidy-up finds again."""
    builds = settings.index_dir / "builds"
    if settings.chroma_url:
        delete_collection(settings, build_id)
    for path in (builds / build_id, builds / f"{build_id}.tmp"):
        shutil.rmtree(path, ignore_errors=True)


def damaged_error(index_dir: Path, build_id: str, name: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"Indeksen i {index_dir}/builds/{build_id} er skadet ({name} kan ikke leses, for "
        f"eksempel avkortet). Kjør `kom-assistant index --rebuild` for å bygge den på nytt.",
        f"The index in {index_dir}/builds/{build_id} is damaged ({name} cannot be read, for "
        f"example truncated). Run `kom-assistant index --rebuild` to build it again.",
    )
