"""The maintainers' commands: `index` (build or update, with progress and a change report;
documents that cannot be read are skipped and named, and `--strict` makes that an error exit
for scheduled jobs), `add` (a document or a new edition, then index) and `status` (including
why the last attempted build failed)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..config import Settings, load_settings
from ..errors import KomError
from .messages import say

EXIT_SKIPPED = 1  # `index --strict` when documents were skipped (errors exit with 2)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from ..maintain.atomic import copy_atomic, corpus_lock
    from ..maintain.reindex import build_index, save_seed
    from ..search.builds import current_build_id
    from ..search.embeddings import load_embedder
    from .progress import make_progress

    lang = args.lang
    for path in args.paths:
        if path.is_dir():
            settings = load_settings(corpus_dir=path)
        elif path.resolve().parent != settings.corpus_dir.resolve():
            with corpus_lock(settings.corpus_dir):  # a newer copy of the file replaces it
                copy_atomic(path, settings.corpus_dir / path.name, overwrite=True)
            print(say("copied", lang, name=path.name, folder=settings.corpus_dir),
                  file=sys.stderr)
    if args.if_missing and current_build_id(settings.index_dir):
        print(say("index_exists", lang), file=sys.stderr)
        return 0
    embedder = load_embedder(settings.embedding_model, settings.embed_threads)
    on_step, progress, close = make_progress(sys.stderr, lang)
    try:
        report = build_index(settings, embedder, progress, rebuild=args.rebuild, wait=args.wait,
                             on_step=on_step)
    finally:
        close()
    if args.save_seed:
        path, count = save_seed(settings, embedder.name)
        print(say("seed_saved", lang, count=count, path=path), file=sys.stderr)
    if report.unchanged:
        print(say("unchanged", lang, build=report.build_id, chunks=report.chunks,
                  seconds=f"{report.seconds:.1f}"))
        return 0
    print(say("built", lang, build=report.build_id, documents=report.documents,
              chunks=report.chunks, embedded=report.embedded, seconds=f"{report.seconds:.1f}"))
    for key, ids in (("added_ids", report.added), ("removed_ids", report.removed),
                     ("changed_ids", report.changed)):
        if ids:
            print(f"{say(key, lang)}: {', '.join(ids)}")
    print_problems(report.problems, report.warnings, lang)
    if report.problems:
        print(say("skipped", lang, count=len(report.problems)), file=sys.stderr)
        if args.strict:
            print(say("strict", lang), file=sys.stderr)
            return EXIT_SKIPPED
    return 0


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from ..maintain.editions import add_document
    from .progress import make_progress

    lang = args.lang
    on_step, _, close = make_progress(sys.stderr, lang)
    try:
        doc = add_document(settings, args.file, title=args.title, kind=args.kind, year=args.year,
                           edition=args.edition, published=args.published,
                           supersedes=args.supersedes, document_id=args.id,
                           on_page=lambda n, total: on_step(args.file.name, n, total))
    finally:
        close()
    superseding = say("supersedes", lang, id=doc.supersedes) if doc.supersedes else ""
    print(say("added", lang, id=doc.id, file=doc.file) + superseding + ".")
    if args.no_index:
        return 0
    code = cmd_index(argparse.Namespace(paths=[], rebuild=False, if_missing=False, wait=True,
                                        save_seed=False, strict=args.strict, lang=lang),
                     settings)
    report = settings.index_dir / "reports"
    latest = max(report.glob("*.md"), default=None, key=lambda p: p.stat().st_mtime)
    if latest is not None:
        print("\n" + say("change_report", lang, path=latest) + "\n")
        print(latest.read_text(encoding="utf-8"))
    return code


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from ..maintain.attempts import read_attempt
    from ..search.builds import read_meta

    lang = args.lang
    attempt = read_attempt(settings.index_dir)
    meta = read_meta(settings.index_dir)
    if meta is None:
        print(say("no_index", lang, folder=settings.index_dir))
    else:
        print(say("status_index", lang, build=meta["build_id"], built=meta["built_at"],
                  model=meta["model"], chunks=meta["chunks"]))
        print(say("status_header", lang, id="id", kind="type" if lang == "nb" else "kind",
                  edition="utgave" if lang == "nb" else "edition", status="status",
                  pages="sider" if lang == "nb" else "pages",
                  chunks="biter" if lang == "nb" else "chunks"))
        for d in meta["documents"]:
            print(f"{d['id']:28} {d['kind']:16} {d['edition']:8} {d['status']:9} "
                  f"{d['pages']:5} {d['chunks']:5}  {d['title']}")
    if attempt is not None:
        if attempt.state == "failed":
            error = attempt.error_en if lang == "en" else attempt.error
            print(say("last_failed", lang, started=attempt.started, error=error))
        elif attempt.state == "running" and not _build_running(settings):
            print(say("last_killed", lang, started=attempt.started))
        for skipped in attempt.skipped if attempt.state == "ok" else ():
            print(say("last_skipped", lang, started=attempt.started, name=skipped["file"],
                      message=skipped["en" if lang == "en" else "nb"]))
    return 1 if meta is None else 0


def _build_running(settings: Settings) -> bool:
    from ..errors import IndexBusyError
    from ..search.builds import index_lock

    try:
        with index_lock(settings.index_dir):
            return False
    except IndexBusyError:
        return True


def print_problems(problems: Sequence[tuple[str, KomError]], warnings: Sequence[KomError],
                   lang: str = "nb") -> None:
    for name, error in problems:
        print(say("problem", lang, name=name, message=error.message(lang)), file=sys.stderr)
    for warning in warnings:
        print(say("warning", lang, message=warning.message(lang)), file=sys.stderr)
