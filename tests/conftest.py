"""Shared fixtures: tmp-path settings, small generated corpora, and the real bundled index."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from kom_assistant.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
DEV_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev.jsonl"

MANIFEST = """
[[document]]
id = "veileder-2023"
file = "veileder.md"
title = "Veileder for identifisering"
kind = "veileder"
year = 2023
edition = "2023"

[[document]]
id = "nyhetsbrev-test"
file = "nyhetsbrev.txt"
title = "Nyhetsbrev fra KOM, test"
kind = "nyhetsbrev"
year = 2024
edition = "1"
"""

VEILEDER = """# Identifisering av ofre

## Tegn på tvangsarbeid

Arbeideren har ikke tilgang til egne identitetspapirer. Arbeidsgiver holder tilbake lønn,
og arbeideren har stor gjeld til rekrutterer. Arbeideren bor på arbeidsplassen og kan ikke
bevege seg fritt.

## Hvem kontakter du

Ved mistanke om at et barn er utnyttet, kontakt barnevernet og politiet. Ring 112 ved akutt
fare. ROSA-prosjektet har en hjelpetelefon for ofre for menneskehandel.
"""

NYHETSBREV = """ KOM seminar

KOM arrangerer et nasjonalt seminar om menneskehandel i oktober. Seminaret handler om
utnyttelse til kriminalitet og om refleksjonsperiode for utenlandske ofre.

Nyhetsbrev fra KOM 1
"""


def write_small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "veileder.md").write_text(VEILEDER, encoding="utf-8")
    (folder / "nyhetsbrev.txt").write_text(NYHETSBREV, encoding="utf-8")
    return folder


@pytest.fixture
def rules(monkeypatch):  # type: ignore[no-untyped-def]
    """The fixed hand weights of tests/passages.py instead of the learned models, for tests about
    how an answer is put together or shaped on a small corpus no model was trained for."""
    import kom_assistant.answer.compose as compose
    import kom_assistant.answer.lines as lines
    import kom_assistant.answer.select as select

    from .passages import RULES

    for module in (compose, lines, select):
        monkeypatch.setattr(module, "answer_models", lambda: RULES)


@pytest.fixture
def small_settings(tmp_path: Path) -> Settings:
    corpus = write_small_corpus(tmp_path / "corpus")
    return load_settings({}, corpus_dir=corpus, index_dir=tmp_path / "index")


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The model that ships (Settings' default): the stock passages, our query encoder."""
    from kom_assistant.config import Settings
    from kom_assistant.search.embeddings import load_embedder

    return load_embedder(Settings().embedding_model)


@pytest.fixture(scope="session")
def real_settings() -> Settings:
    """The bundled corpus and the index the README's commands build (built here if missing)."""
    return load_settings({k: v for k, v in os.environ.items() if k.startswith("KOM_")},
                         corpus_dir=ROOT / "corpus",
                         index_dir=Path(os.environ.get("KOM_INDEX_DIR", ROOT / "index")))


@pytest.fixture(scope="session")
def real_index(real_settings, embedder):  # type: ignore[no-untyped-def]
    from kom_assistant.maintain.reindex import build_index
    from kom_assistant.search.index import load_index

    build_index(real_settings, embedder, wait=True)
    return load_index(real_settings, embedder.name)


def seed_path(name: str) -> Path:
    """A seed text by its shared file name or its prefix ("003"): from ../shared/seeds, or
    else the identical copy bundled in corpus/ (the manifest's original_file names it)."""
    shared = sorted(SEEDS.glob(f"{name}*")) if SEEDS.is_dir() else []
    if shared:
        return shared[0]
    manifest = tomllib.loads((ROOT / "corpus" / "manifest.toml").read_text(encoding="utf-8"))
    for doc in manifest["document"]:
        if doc.get("original_file", "").startswith(name):
            return ROOT / "corpus" / doc["file"]
    raise FileNotFoundError(f"no seed text {name} in {SEEDS} or corpus/")


def seed_text(name: str) -> str:
    return seed_path(name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def real_ingest_pages() -> dict[tuple[str, int], str]:
    """(document id, page number) -> page text of the bundled corpus."""
    from kom_assistant.ingest.read import ingest_corpus

    result = ingest_corpus(ROOT / "corpus", 50_000_000)
    return {(d.document.id, p.number): p.text for d in result.documents for p in d.pages}
