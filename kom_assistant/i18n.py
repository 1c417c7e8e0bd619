"""Every string the browser app shows, in Norwegian bokmål and English.

The sources stay in Norwegian whatever the interface language; answers say so. A test checks
that both languages have the same keys and no empty strings.
"""

from __future__ import annotations

LANGUAGES = {"nb": "Norsk", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "tagline": "Veiledning om menneskehandel fra offentlige kilder, med kildehenvisninger.",
        "intro": (
            "Assistenten hjelper deg å kjenne igjen og hjelpe mulige ofre for menneskehandel, "
            "og svarer bare med det som står i offentlige kilder. Den tar ingen beslutninger "
            "og gir ikke juridiske råd. Skriv ikke navn eller andre personopplysninger. "
            "Ved akutt fare: ring **112**."
        ),
        "examples": "Prøv for eksempel:",
        "known_sources": "Kildene assistenten kjenner",
        "index_built": "Indeksen ble bygget {date}.",
        "ask_placeholder": "Spørsmålet ditt (uten navn)",
        "question_cut": "Spørsmålet var {length} tegn langt. Bare de første {limit} tegnene ble "
                        "brukt i søket.",
        "searching": "Leter i kildene …",
        "sources": "Kilder",
        "show_passage": "Vis hele avsnittet",
        "open_page": "Åpne kilden ({pages})",
        "page_dialog": "Kildetekst",
        "page_heading": "Side {page}",
        "page_missing": "Teksten til denne siden er ikke tilgjengelig.",
        "loading_page": "Henter siden …",
        "download_pdf": "Last ned PDF-en (se side {page})",
        "open_link": "Åpne lenken i kilden",
        "page_one": "s. {page}",
        "page_range": "s. {first}–{last}",
        "edition": "utgave {edition}",
        "published": "publisert {date}",
        "archived_edition": "Eldre utgave – erstattet av en nyere",
        "kind_veileder": "Veileder",
        "kind_strategi": "Strategi",
        "kind_tilstandsrapport": "Tilstandsrapport",
        "kind_nyhetsbrev": "Nyhetsbrev",
        "kind_annet": "Annet",
        "language": "Språk / Language",
        "leave": "Forlat siden raskt",
        "leave_title": "Åpner yr.no i stedet for assistenten og glemmer samtalen. "
                       "Tilbake-knappen fører ikke hit.",
        "skip_to_question": "Gå til spørsmålsfeltet",
        "safety_region": "Hurtigvalg: forlat siden eller få hjelp",
        "close": "Lukk",
        "new_conversation": "Ny samtale",
        "filters": "Avgrens kildene",
        "filter_kind": "Dokumenttype",
        "filter_year": "År",
        "filter_all": "Alle",
        "include_archived": "Ta med eldre utgaver",
        "filters_active": "Svarene er avgrenset til: {filters}",
        "trainers": "For kursholdere",
        "workshop_mode": "Kursmodus",
        "presentation": "Presentasjonsvisning (stor tekst, uten historikk)",
        "presentation_off": "Avslutt presentasjonsvisning",
        "export_md": "Last ned samtalen (Markdown)",
        "export_pdf": "Last ned samtalen (PDF)",
        "safety_title": "Få hjelp nå",
        "get_help": "Få hjelp nå",
        "emergency": "Ved akutt fare: ring **112**.",
        "help_intro": "Ved akutt fare: ring 112. ROSA svarer døgnet rundt.",
        "contact_source": "Kilde: {document}, s. {page}",
        "contact_general": "Generelt nødnummer",
        "contact_checked": "sjekket {date}",
        "admin_disabled": "Administrasjonssiden er slått av. Sett KOM_ADMIN_PASSWORD og start "
                          "appen på nytt for å slå den på.",
        "admin_back": "Tilbake til samtalen",
        "scenario": "Case",
        "no_scenarios": "Ingen case er lagt inn (corpus/scenarios.toml).",
        "expected_sources": "Forventede kilder (for kursholderen)",
        "expected_line": "Forventet kilde: {document}, s. {page} – «{evidence}»",
        "feedback_saved": "Takk! Vurderingen er lagret. Du kan legge til en kommentar.",
        "feedback_comment": "Kommentar (valgfritt, ikke skriv personopplysninger)",
        "feedback_include_question": "Ta med spørsmålet mitt i tilbakemeldingen",
        "feedback_send": "Send kommentaren",
        "feedback_cleaned": "Kommentaren ble lagret uten personopplysningene ({kinds}).",
        "feedback_thanks": "Takk for tilbakemeldingen!",
        "pii_warning": (
            "Spørsmålet ser ut til å inneholde personopplysninger ({kinds}). Det er ikke sendt. "
            "Assistenten trenger dem ikke for å svare."
        ),
        "pii_without": "Uten personopplysningene:",
        "pii_remove": "Fjern og send",
        "pii_send": "Send likevel",
        "pii_cancel": "Avbryt",
        "pii_navn": "navn",
        "pii_fødselsnummer": "11-sifret nummer (som fødselsnummer)",
        "pii_telefon": "telefonnummer",
        "pii_e-post": "e-postadresse",
        "pii_adresse": "gateadresse",
        "neutral_title": "Været i dag",
        "neutral_text": "Sjekk været der du er, og se varselet for de neste dagene.",
        "neutral_link": "Gå til yr.no",
        "admin_title": "Administrasjon: legg til et dokument",
        "password": "Passord",
        "login": "Logg inn",
        "wrong_password": "Feil passord. Neste forsøk kan gjøres om {seconds} s.",
        "login_wait": "For mange feil passord. Vent {seconds} s og prøv igjen.",
        "choose_file": "Velg fil",
        "upload": "Fil (PDF, .txt eller .md, høyst {mb} MB)",
        "doc_title": "Tittel",
        "doc_kind": "Dokumenttype",
        "doc_year": "År",
        "doc_edition": "Utgave (for eksempel 2025 eller 2025-2)",
        "doc_published": "Publisert (dd.mm.åååå, valgfritt)",
        "bad_date": "«{value}» er ingen dato. Skriv den som dd.mm.åååå, for eksempel 28.05.2025.",
        "doc_supersedes": "Erstatter dokument",
        "doc_supersedes_none": "Ingen (nytt dokument)",
        "choose": "Velg",
        "add_and_reindex": "Legg til og indekser på nytt",
        "upload_incomplete": "Velg en fil og skriv inn en tittel.",
        "upload_too_large": "Filen er {size} MB, over grensen på {mb} MB. Del opp dokumentet.",
        "document_added": "Dokumentet er lagt til som «{id}».",
        "reindexing": "Indekserer …",
        "reindex_done": "Ferdig: {documents} dokumenter, {chunks} tekstbiter, {seconds} s.",
        "export_title": "Samtale med KOM-assistenten",
        "export_exported": "Eksportert {date}. Svarene er hentet fra offentlige kilder og er "
                           "ikke juridiske råd.",
        "export_question": "Spørsmål",
        "export_answer": "Svar",
        "export_sources": "Kilder",
        "export_refused": "Ikke besvart fra kildene",
    },
    "en": {
        "tagline": "Guidance on human trafficking from official Norwegian sources, with citations.",
        "intro": (
            "The assistant helps you recognise and help possible victims of human trafficking, "
            "answering only with what official sources say. It makes no decisions and gives no "
            "legal advice. Do not type names or other personal data. In immediate danger: "
            "call **112**."
        ),
        "examples": "Try for example:",
        "known_sources": "Sources the assistant knows",
        "index_built": "The index was built on {date}.",
        "ask_placeholder": "Your question (no names)",
        "question_cut": "Your question was {length} characters long. Only the first {limit} "
                        "characters were searched.",
        "searching": "Searching the sources …",
        "sources": "Sources",
        "show_passage": "Show the whole passage",
        "open_page": "Open the source ({pages})",
        "page_dialog": "Source text",
        "page_heading": "Page {page}",
        "page_missing": "The text of this page is not available.",
        "loading_page": "Fetching the page …",
        "download_pdf": "Download the PDF (see page {page})",
        "open_link": "Open the link in the source",
        "page_one": "p. {page}",
        "page_range": "pp. {first}–{last}",
        "edition": "edition {edition}",
        "published": "published {date}",
        "archived_edition": "Older edition – replaced by a newer one",
        "kind_veileder": "Guide",
        "kind_strategi": "Strategy",
        "kind_tilstandsrapport": "Status report",
        "kind_nyhetsbrev": "Newsletter",
        "kind_annet": "Other",
        "language": "Språk / Language",
        "leave": "Quick exit",
        "leave_title": "Opens yr.no instead of the assistant and forgets the conversation. "
                       "The Back button does not lead here.",
        "skip_to_question": "Skip to the question box",
        "safety_region": "Quick exit and help",
        "close": "Close",
        "new_conversation": "New conversation",
        "filters": "Narrow the sources",
        "filter_kind": "Document type",
        "filter_year": "Year",
        "filter_all": "All",
        "include_archived": "Include older editions",
        "filters_active": "Answers are limited to: {filters}",
        "trainers": "For trainers",
        "workshop_mode": "Workshop mode",
        "presentation": "Presentation view (large text, no history)",
        "presentation_off": "Leave presentation view",
        "export_md": "Download the conversation (Markdown)",
        "export_pdf": "Download the conversation (PDF)",
        "safety_title": "Get help now",
        "get_help": "Get help now",
        "emergency": "In immediate danger: call **112**.",
        "help_intro": "In immediate danger: call 112. ROSA answers day and night.",
        "contact_source": "Source: {document}, p. {page}",
        "contact_general": "General emergency number",
        "contact_checked": "checked {date}",
        "admin_disabled": "The admin page is switched off. Set KOM_ADMIN_PASSWORD and restart the "
                          "app to switch it on.",
        "admin_back": "Back to the conversation",
        "scenario": "Case",
        "no_scenarios": "No cases have been added (corpus/scenarios.toml).",
        "expected_sources": "Expected sources (for the trainer)",
        "expected_line": "Expected source: {document}, p. {page} – “{evidence}”",
        "feedback_saved": "Thank you! Your rating is stored. You can add a comment.",
        "feedback_comment": "Comment (optional, no personal data)",
        "feedback_include_question": "Include my question with the feedback",
        "feedback_send": "Send the comment",
        "feedback_cleaned": "The comment was stored without the personal data ({kinds}).",
        "feedback_thanks": "Thank you for the feedback!",
        "pii_warning": (
            "The question seems to contain personal data ({kinds}). It has not been sent. "
            "The assistant does not need it to answer."
        ),
        "pii_without": "Without the personal data:",
        "pii_remove": "Remove and send",
        "pii_send": "Send anyway",
        "pii_cancel": "Cancel",
        "pii_navn": "name",
        "pii_fødselsnummer": "11-digit number (such as a national identity number)",
        "pii_telefon": "phone number",
        "pii_e-post": "e-mail address",
        "pii_adresse": "street address",
        "neutral_title": "Today's weather",
        "neutral_text": "Check the weather where you are and the forecast for the coming days.",
        "neutral_link": "Go to yr.no",
        "admin_title": "Administration: add a document",
        "password": "Password",
        "login": "Log in",
        "wrong_password": "Wrong password. The next attempt can be made in {seconds} s.",
        "login_wait": "Too many wrong passwords. Wait {seconds} s and try again.",
        "choose_file": "Choose file",
        "upload": "File (PDF, .txt or .md, at most {mb} MB)",
        "doc_title": "Title",
        "doc_kind": "Document type",
        "doc_year": "Year",
        "doc_edition": "Edition (for example 2025 or 2025-2)",
        "doc_published": "Published (dd.mm.yyyy, optional)",
        "bad_date": "'{value}' is not a date. Write it as dd.mm.yyyy, for example 28.05.2025.",
        "doc_supersedes": "Replaces document",
        "doc_supersedes_none": "None (new document)",
        "choose": "Choose",
        "add_and_reindex": "Add and re-index",
        "upload_incomplete": "Choose a file and enter a title.",
        "upload_too_large": "The file is {size} MB, over the {mb} MB limit. Split the document.",
        "document_added": "The document was added as '{id}'.",
        "reindexing": "Re-indexing …",
        "reindex_done": "Done: {documents} documents, {chunks} chunks, {seconds} s.",
        "export_title": "Conversation with KOM-assistenten",
        "export_exported": "Exported {date}. The answers come from official sources and are "
                           "not legal advice.",
        "export_question": "Question",
        "export_answer": "Answer",
        "export_sources": "Sources",
        "export_refused": "Not answered from the sources",
    },
}

# Example questions on the first screen; each is known to be answered from the corpus.
EXAMPLES: dict[str, list[str]] = {
    "nb": [
        "Hvilke tegn på tvangsarbeid beskriver politiet?",
        "Hva bør jeg gjøre hvis jeg mistenker at et barn blir utnyttet i menneskehandel?",
        "Hva er refleksjonsperiode?",
        "Hvorfor ber ofre for menneskehandel så sjelden om hjelp selv?",
        "Kan antatte ofre for menneskehandel få assistert retur til hjemlandet?",
    ],
    "en": [
        "What are signs of forced labour described by the police?",
        "What should I do if I suspect a child is being exploited?",
        "What is the reflection period?",
        "Can presumed victims get assisted return to their home country?",
        "What is the penalty for human trafficking?",
    ],
}


def t(key: str, lang: str = "nb", **values: object) -> str:
    """The string for `key` in `lang` (bokmål for unknown languages), filled with `values`."""
    text = TEXTS.get(lang, TEXTS["nb"])[key]
    return text.format(**values) if values else text


def pages_label(first: int, last: int, lang: str = "nb") -> str:
    """"s. 4" or "s. 4–5" ("p. 4", "pp. 4–5" in English)."""
    if first == last:
        return t("page_one", lang, page=first)
    return t("page_range", lang, first=first, last=last)


def count_label(n: int, lang: str = "nb") -> str:
    """"5 000" in Norwegian, "5,000" in English."""
    return f"{n:,}".replace(",", " ") if lang != "en" else f"{n:,}"
