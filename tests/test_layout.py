"""The package's layout is its pipeline: imports only point down it, every stage documented."""

from __future__ import annotations

import ast
from pathlib import Path

import kom_assistant

PACKAGE = Path(kom_assistant.__file__).parent
# Lower stages first. A module may import from its own stage and from stages ranked lower;
# stages of the same rank (answer, maintain) do not import each other.
RANKS = {"": 0, "ingest": 1, "search": 2, "answer": 3, "maintain": 3, "train": 4, "web": 5,
         "cli": 5}


def stage_of(module: str, root: Path) -> str:
    """'kom_assistant.search.index' -> 'search'; a root module ('kom_assistant.models') or the
    package itself -> ''."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (root / parts[1]).is_dir() else ""


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import of the package in the file, lazy ones too."""
    rel = path.relative_to(root.parent).with_suffix("").parts
    package = rel[:-1]  # the package a relative import starts from
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            # "from .. import search" names a module, not a name in one.
            targets = [f"{target}.{a.name}" for a in node.names] if not node.module else [target]
            found += [(node.lineno, t) for t in targets if t.split(".")[0] == root.name]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name.split(".")[0] == root.name]
    return found


def violations(root: Path) -> list[str]:
    wrong = []
    for path in sorted(root.rglob("*.py")):
        stage = path.relative_to(root).parts[0] if path.parent != root else ""
        for line, target in imported_modules(path, root):
            to = stage_of(target, root)
            if to != stage and RANKS[to] >= RANKS[stage]:
                wrong.append(f"{path.relative_to(root.parent)}:{line} ({stage or 'root'}) "
                             f"imports {target} ({to or 'root'})")
    return wrong


def test_imports_only_point_down_the_pipeline():
    wrong = violations(PACKAGE)
    assert not wrong, "imports that point up the pipeline:\n" + "\n".join(wrong)


def test_an_arrow_that_points_back_up_is_found(tmp_path):
    root = tmp_path / "kom_assistant"
    for stage in ("ingest", "search", "answer", "maintain"):
        (root / stage).mkdir(parents=True)
        (root / stage / "__init__.py").write_text("")
    (root / "models.py").write_text("")
    (root / "search" / "index.py").write_text("from ..ingest.chunking import split\n"
                                              "from ..models import Chunk\n")
    (root / "ingest" / "chunking.py").write_text(
        "from . import paging\n\ndef split():\n    from ..search.index import load\n")
    (root / "answer" / "compose.py").write_text("from kom_assistant.maintain import report\n")
    assert violations(root) == [
        "kom_assistant/answer/compose.py:1 (answer) imports kom_assistant.maintain (maintain)",
        "kom_assistant/ingest/chunking.py:4 (ingest) imports kom_assistant.search.index (search)",
    ]


def test_every_stage_is_ranked_and_says_what_goes_in_and_out():
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert stages <= set(RANKS), f"rank the new stage in RANKS: {stages - set(RANKS)}"
    for name in stages:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text()))
        assert doc, f"{name}/__init__.py says what goes in and what comes out"
        assert len(doc.split("\n\n")[0].splitlines()) <= 3, name
