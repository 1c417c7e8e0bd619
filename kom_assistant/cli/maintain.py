"""The maintainers' commands: `index` (build or update, with a progress bar and a change
report), `add` (a document or a new edition, then index) and `status`."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence

from ..config import Settings, load_settings
from ..errors import KomError


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from ..maintain.reindex import build_index, save_seed
    from ..search.embeddings import load_embedder
    from ..search.index import current_build_id

    for path in args.paths:
        if path.is_dir():
            settings = load_settings(corpus_dir=path)
        elif path.resolve().parent != settings.corpus_dir.resolve():
            shutil.copy2(path, settings.corpus_dir / path.name)
            print(f"Kopierte {path.name} til {settings.corpus_dir}/", file=sys.stderr)
    if args.if_missing and current_build_id(settings.index_dir):
        print("Indeksen finnes allerede.", file=sys.stderr)
        return 0
    embedder = load_embedder(settings.embedding_model, settings.embed_threads)
    bar = tqdm(total=0, unit="chunk", desc="Embedding", file=sys.stderr, disable=None)

    def progress(n: int, total: int) -> None:
        bar.total = total
        bar.update(n)

    report = build_index(settings, embedder, progress, rebuild=args.rebuild, wait=args.wait)
    bar.close()
    if args.save_seed:
        path, count = save_seed(settings, embedder.name)
        print(f"Lagret {count} embeddinger i {path}.", file=sys.stderr)
    if report.unchanged:
        print(f"Uendret korpus: indeksen {report.build_id} er i bruk ({report.chunks} biter, "
              f"{report.seconds:.1f} s).")
        return 0
    print(f"Indeks {report.build_id}: {report.documents} dokumenter, {report.chunks} biter, "
          f"{report.embedded} nye embeddinger, {report.seconds:.1f} s.")
    for label, ids in (("Nye", report.added), ("Fjernet", report.removed),
                       ("Endret", report.changed)):
        if ids:
            print(f"{label}: {', '.join(ids)}")
    print_problems(report.problems, report.warnings)
    return 0


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from ..maintain.editions import add_document

    doc = add_document(settings, args.file, title=args.title, kind=args.kind, year=args.year,
                       edition=args.edition, published=args.published,
                       supersedes=args.supersedes, document_id=args.id)
    print(f"La til {doc.id} ({doc.file})" + (f", erstatter {doc.supersedes}"
                                             if doc.supersedes else "") + ".")
    if args.no_index:
        return 0
    code = cmd_index(argparse.Namespace(paths=[], rebuild=False, if_missing=False, wait=True,
                                        save_seed=False), settings)
    report = settings.index_dir / "reports"
    latest = max(report.glob("*.md"), default=None, key=lambda p: p.stat().st_mtime)
    if latest is not None:
        print(f"\nEndringsrapport ({latest}):\n")
        print(latest.read_text(encoding="utf-8"))
    return code


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from ..search.index import read_meta

    meta = read_meta(settings.index_dir)
    if meta is None:
        print(f"Ingen indeks i {settings.index_dir}/. Kjør `kom-assistant index`.")
        return 1
    print(f"Indeks {meta['build_id']}, bygget {meta['built_at']}, modell {meta['model']}, "
          f"{meta['chunks']} biter")
    print(f"{'id':28} {'type':16} {'utgave':8} {'status':9} {'sider':>5} {'biter':>5}  tittel")
    for d in meta["documents"]:
        print(f"{d['id']:28} {d['kind']:16} {d['edition']:8} {d['status']:9} {d['pages']:5} "
              f"{d['chunks']:5}  {d['title']}")
    for problem in meta.get("problems", []):
        print(f"Problem: {problem}")
    return 0


def print_problems(problems: Sequence[tuple[str, KomError]], warnings: Sequence[str]) -> None:
    for name, error in problems:
        print(f"Problem med {name}: {error}", file=sys.stderr)
    for warning in warnings:
        print(f"Advarsel: {warning}", file=sys.stderr)
