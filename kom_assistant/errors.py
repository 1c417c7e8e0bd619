"""Errors meant for people: each message says what happened and what to do next.

The library raises these and never prints; cli.py and app.py show them. Messages are in
Norwegian bokmål with an English version, since users work in either language.
"""

from __future__ import annotations


class KomError(Exception):
    """Base class; `str(e)` is the Norwegian message, `e.english` the English one."""

    def __init__(self, message: str, english: str | None = None) -> None:
        super().__init__(message)
        self.english = english or message

    def message(self, lang: str = "nb") -> str:
        return self.english if lang == "en" else str(self)


class IngestError(KomError):
    """A source file could not be read; the rest of the corpus still ingests."""


class ManifestError(KomError):
    """corpus/manifest.toml is malformed or points at something missing."""


class IndexMissingError(KomError):
    """No usable index yet."""


class ModelMismatchError(KomError):
    """The index was built with another embedding model."""


class IndexBusyError(KomError):
    """Another re-index holds the lock."""


class IndexDamagedError(KomError):
    """The serving build's files are unreadable (truncated, edited by hand)."""


class CorpusBusyError(KomError):
    """Another process is writing to the corpus and did not finish in time."""


class ChromaUnavailableError(KomError):
    """The Chroma server at KOM_CHROMA_URL cannot be reached."""


class KomNotice(KomError):
    """Not raised: something a maintainer should know that stopped nothing (a file without a
    manifest entry, a passage a new build could not find), in both languages like the rest."""
