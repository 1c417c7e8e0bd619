"""Workshop scenarios: short case vignettes with the questions a trainer asks about them.

Each question names the passage that should answer it (document id, page and a phrase that
stands on that page), so trainers can check the assistant and a test can check the corpus.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ManifestError

SCENARIOS_FILE = "scenarios.toml"


@dataclass(frozen=True)
class ScenarioQuestion:
    text: str
    document: str  # document id of the expected source
    page: int
    evidence: str  # a short phrase that stands on that page


@dataclass(frozen=True)
class Scenario:
    id: str
    title_nb: str
    title_en: str
    case_nb: str
    case_en: str
    questions: tuple[ScenarioQuestion, ...]

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_nb

    def case(self, lang: str) -> str:
        return self.case_en if lang == "en" else self.case_nb


def load_scenarios(corpus_dir: Path) -> list[Scenario]:
    """The scenarios in corpus/scenarios.toml; none when the file is missing."""
    path = corpus_dir / SCENARIOS_FILE
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return [
            Scenario(
                id=entry["id"],
                title_nb=entry["title_nb"],
                title_en=entry.get("title_en") or entry["title_nb"],
                case_nb=entry["case_nb"].strip(),
                case_en=(entry.get("case_en") or entry["case_nb"]).strip(),
                questions=tuple(ScenarioQuestion(**q) for q in entry.get("question", [])),
            )
            for entry in data.get("scenario", [])
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as e:
        raise ManifestError(
            f"{SCENARIOS_FILE} kan ikke leses: {e}. Rett filen.",
            f"{SCENARIOS_FILE} cannot be read: {e}. Fix the file.",
        ) from e
