"""Writes to the corpus that are never half done and never lost: under a lock on the corpus
folder, each file is written beside its place, flushed to disk, then renamed into it.

Three `add`s at once used to lose a manifest entry (each read the manifest, added its own
entry and wrote it back), and two with the same title wrote one file and the same id twice.
The lock is flock on the folder itself, so no lock file lands among the sources; a build takes
it shared while it lists the corpus, so it never sees a file without its manifest entry.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import CorpusBusyError

LOCK_TIMEOUT_S = 120.0  # an add copies one file and rewrites the manifest: seconds at most


@contextmanager
def corpus_lock(corpus_dir: Path, shared: bool = False,
                timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Exclusive for writers, shared for readers; waits up to `timeout` seconds."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(corpus_dir, os.O_RDONLY)
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError as e:
                if time.monotonic() > deadline:
                    raise CorpusBusyError(
                        f"En annen prosess skriver til {corpus_dir}/ og ble ikke ferdig på "
                        f"{timeout:.0f} s. Vent litt og prøv igjen.",
                        f"Another process is writing to {corpus_dir}/ and did not finish "
                        f"within {timeout:.0f} s. Wait a little and try again.",
                    ) from e
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step: a reader sees the old file or the new one."""
    tmp = _temporary(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_folder(path.parent)


def copy_atomic(source: Path, target: Path, overwrite: bool = False) -> None:
    """Copy `source` to `target` in one step; `target` must not exist unless `overwrite`."""
    tmp = _temporary(target)
    try:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        shutil.copystat(source, tmp)
        if target.exists() and not overwrite:
            raise FileExistsError(target)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_folder(target.parent)


def _temporary(path: Path) -> Path:
    # A hidden name without a source suffix: never read as a document while it is written.
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _fsync_folder(folder: Path) -> None:
    """The rename itself must reach the disk too."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
