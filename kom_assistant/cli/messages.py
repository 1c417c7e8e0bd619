"""The command line's own texts in Norwegian bokmål and English, and which of the two a user
gets: `--lang`, else KOM_LANGUAGE, else English for an English locale (LC_ALL, LC_MESSAGES,
LANG: en_*), else Norwegian. The library's errors carry both languages themselves."""

from __future__ import annotations

from ..config import Settings

TEXTS: dict[str, tuple[str, str]] = {
    "error": ("Feil", "Error"),
    "no_hits": ("Ingen treff.", "No hits."),
    "copied": ("Kopierte {name} til {folder}/", "Copied {name} to {folder}/"),
    "index_exists": ("Indeksen finnes allerede.", "The index exists already."),
    "seed_saved": ("Lagret {count} embeddinger i {path}.", "Saved {count} embeddings in {path}."),
    "unchanged": ("Uendret korpus: indeksen {build} er i bruk ({chunks} biter, {seconds} s).",
                  "Unchanged corpus: index {build} is serving ({chunks} chunks, {seconds} s)."),
    "built": ("Indeks {build}: {documents} dokumenter, {chunks} biter, {embedded} nye "
              "embeddinger, {seconds} s.",
              "Index {build}: {documents} documents, {chunks} chunks, {embedded} new "
              "embeddings, {seconds} s."),
    "added_ids": ("Nye", "Added"),
    "removed_ids": ("Fjernet", "Removed"),
    "changed_ids": ("Endret", "Changed"),
    "skipped": ("Hoppet over {count} dokument(er); resten er indeksert. Rett eller fjern "
                "filene, og kjør `kom-assistant index` igjen.",
                "Skipped {count} document(s); the rest is indexed. Fix or remove the files "
                "and run `kom-assistant index` again."),
    "strict": ("--strict: avslutter med feilkode fordi dokumenter ble hoppet over.",
               "--strict: exiting with an error code because documents were skipped."),
    "problem": ("Problem med {name}: {message}", "Problem with {name}: {message}"),
    "warning": ("Advarsel: {message}", "Warning: {message}"),
    "added": ("La til {id} ({file})", "Added {id} ({file})"),
    "supersedes": (", erstatter {id}", ", superseding {id}"),
    "change_report": ("Endringsrapport ({path}):", "Change report ({path}):"),
    "no_index": ("Ingen indeks i {folder}/. Kjør `kom-assistant index`.",
                 "No index in {folder}/. Run `kom-assistant index`."),
    "status_index": ("Indeks {build}, bygget {built}, modell {model}, {chunks} biter",
                     "Index {build}, built {built}, model {model}, {chunks} chunks"),
    "status_header": ("{id:28} {kind:16} {edition:8} {status:9} {pages:>5} {chunks:>5}  tittel",
                      "{id:28} {kind:16} {edition:8} {status:9} {pages:>5} {chunks:>5}  title"),
    "last_failed": ("Siste forsøk på å bygge indeksen ({started}) feilet: {error}",
                    "The last attempt to build the index ({started}) failed: {error}"),
    "last_killed": ("Siste forsøk på å bygge indeksen ({started}) ble aldri ferdig (avbrutt "
                    "eller krasjet). Kjør `kom-assistant index` igjen.",
                    "The last attempt to build the index ({started}) never finished "
                    "(interrupted or crashed). Run `kom-assistant index` again."),
    "last_skipped": ("Siste bygging ({started}) hoppet over: {name}: {message}",
                     "The last build ({started}) skipped: {name}: {message}"),
    "reading": ("Leser {name}: side {done} av {total}", "Reading {name}: page {done} of {total}"),
    "embedding": ("Embedding: {done} av {total} tekster ({share:.0%})",
                  "Embedding: {done} of {total} texts ({share:.0%})"),
}


def say(key: str, lang: str, **values: object) -> str:
    nb, en = TEXTS[key]
    return (en if lang == "en" else nb).format(**values)


def user_language(flag: str | None, settings: Settings) -> str:
    """ "en" or "nb" for this user's messages."""
    for choice in (flag, settings.language):
        if choice:
            return "en" if choice.lower().startswith("en") else "nb"
    locale = settings.locale_all or settings.locale_messages or settings.locale_lang
    return "en" if locale.lower().startswith("en") else "nb"
