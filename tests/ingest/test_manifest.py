import pytest

from kom_assistant.errors import ManifestError
from kom_assistant.ingest.manifest import load_corpus

from ..conftest import ROOT, write_small_corpus


def test_bundled_manifest_describes_all_five_documents():
    corpus = load_corpus(ROOT / "corpus")
    assert len(corpus.documents) == 5
    assert not corpus.warnings
    kinds = {d.kind for d in corpus.documents}
    assert kinds == {"tilstandsrapport", "strategi", "nyhetsbrev"}
    assert all(d.original_file.endswith(".txt") and d.publisher for d in corpus.documents)


def test_file_without_entry_is_guessed_with_warning(tmp_path):
    folder = write_small_corpus(tmp_path)
    (folder / "tilstandsrapport-2024.txt").write_text("KOM tilstandsrapport 2024\n\nTekst.")
    corpus = load_corpus(folder)
    guessed = corpus.get("tilstandsrapport-2024")
    assert guessed is not None and guessed.guessed
    assert guessed.kind == "tilstandsrapport" and guessed.year == 2024
    assert any("tilstandsrapport-2024.txt" in str(w) for w in corpus.warnings)
    assert "Add a [[document]] entry" in corpus.warnings[0].english


def test_manifest_syntax_error_names_file_and_fix(tmp_path):
    folder = write_small_corpus(tmp_path)
    (folder / "manifest.toml").write_text("[[document]\nid = ")
    with pytest.raises(ManifestError, match="manifest.toml har en syntaksfeil"):
        load_corpus(folder)


def test_manifest_entry_pointing_to_missing_file_stays_in(tmp_path):
    """Reading it is that document's problem (test_read), not the whole corpus's."""
    folder = write_small_corpus(tmp_path)
    (folder / "veileder.md").unlink()
    assert load_corpus(folder).get("veileder-2023") is not None


def test_unknown_kind_and_duplicate_id_are_refused(tmp_path):
    folder = write_small_corpus(tmp_path)
    text = (folder / "manifest.toml").read_text()
    (folder / "manifest.toml").write_text(text.replace('kind = "veileder"', 'kind = "bok"'))
    with pytest.raises(ManifestError, match="ukjent type"):
        load_corpus(folder)
    (folder / "manifest.toml").write_text(text.replace("nyhetsbrev-test", "veileder-2023"))
    with pytest.raises(ManifestError, match="står to ganger"):
        load_corpus(folder)
