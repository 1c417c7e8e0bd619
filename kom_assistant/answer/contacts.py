"""Who to turn to, as data and rules, never generated: the contact points of
corpus/contacts.toml, which of them a question about a child or an adult needs, and the
requests we decline."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ManifestError

CONTACTS_FILE = "contacts.toml"


@dataclass(frozen=True)
class Contact:
    name_nb: str
    name_en: str
    what_nb: str
    what_en: str
    phone: str = ""
    email: str = ""
    document: str = ""  # document id the contact comes from ("" = general emergency number)
    page: int = 0
    evidence: str = ""  # text that stands on that page
    checked: str = ""  # ISO date a maintainer last checked it
    # "children" or "adults": listed first for questions about them, left out for the other
    # group; "" for everyone.
    audience: str = ""

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_nb

    def what(self, lang: str) -> str:
        return self.what_en if lang == "en" else self.what_nb

    def line(self, lang: str) -> str:
        reach = " / ".join(x for x in (self.phone, self.email) if x)
        return f"{self.name(lang)}: {reach}. {self.what(lang)}" if reach else (
            f"{self.name(lang)}. {self.what(lang)}")


def load_contacts(corpus_dir: Path) -> list[Contact]:
    path = corpus_dir / CONTACTS_FILE
    if not path.exists():
        return [Contact("Nødnummer politi", "Police emergency", "Ved akutt fare.",
                        "In immediate danger.", phone="112")]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return [Contact(**entry) for entry in data.get("contact", [])]
    except (tomllib.TOMLDecodeError, TypeError) as e:
        raise ManifestError(
            f"{CONTACTS_FILE} kan ikke leses: {e}. Rett filen.",
            f"{CONTACTS_FILE} cannot be read: {e}. Fix the file.",
        ) from e


# Requests that would help someone exploit people or escape detection.
_UNSAFE = re.compile(
    r"(unng[åa]\w*|slippe|lure|skjule\w*|gjemme)\b.{0,40}\b(oppdag\w*|politi\w*|kontroll\w*|"
    r"tilsyn\w*|avdek\w*|spor\w*)"
    r"|\b(avoid|evade|escape|hide|dodge)\b.{0,40}\b(detect\w*|police|inspect\w*|authorit\w*|"
    r"caught|found|identif\w*)"
    r"|\bhvordan\b.{0,30}\b(rekruttere|smugle|selge|kontrollere|true)\b.{0,40}"
    r"\b(ofre|jenter|kvinner|barn|arbeidere|mennesker|personer)"
    r"|\bhow\b.{0,30}\b(recruit|smuggle|sell|control|traffic|threaten)\b.{0,40}"
    r"\b(victims?|girls|women|children|workers|people|persons)",
    re.IGNORECASE,
)


def is_unsafe_request(question: str) -> bool:
    return bool(_UNSAFE.search(question))


# "Hvem kontakter jeg ...", "hvor kan jeg få hjelp", "who do I call": the answer then ends with
# the contact points, whatever the passages found say.
_ASKS_CONTACT = re.compile(
    r"\bhvem\b.{0,40}\b(kontakt\w*|ringe\w*|ringer|melde\w*|varsle\w*|henvende\w*|sp[øo]r\w*|"
    r"hjelpe\w*)\b"
    r"|\bhvor\b.{0,30}\b(få|fa|finne|søke|soke)\b.{0,20}\b(hjelp|råd|rad|veiledning)\b"
    r"|\b(kontaktinformasjon|telefonnummer|hjelpetelefon)\w*"
    r"|\bwho\b.{0,40}\b(contact|call|report|notify|phone|ring|turn to|ask|tell)\b"
    r"|\bwhere\b.{0,30}\b(get|find|seek)\b.{0,20}\b(help|advice|support)\b"
    r"|\b(contact details|phone number|helpline|hotline)\b",
    re.IGNORECASE,
)
_CHILD = re.compile(r"\b(barn\w*|mindreårig\w*|mindrearig\w*|ungdom\w*|tenåring\w*|jente\w*|"
                    r"gutt\w*|elev\w*|child\w*|minors?|teen\w*|girls?|boys?|under 18)\b",
                    re.IGNORECASE)
# "man" and "men" only in English: in Norwegian they are "one" and "but".
_ADULT = {"nb": re.compile(r"\b(voksne?|kvinne\w*|mann|menn)\b", re.IGNORECASE),
          "en": re.compile(r"\b(adults?|wom[ae]n|man|men)\b", re.IGNORECASE)}


def asks_for_contact(question: str) -> bool:
    return bool(_ASKS_CONTACT.search(question))


def contacts_for(question: str, lang: str, contacts: Sequence[Contact]) -> list[Contact]:
    """The contact points for whom the question (in `lang`) is about: a child's first and an
    adults-only one left out, and the other way round; all of them when it does not say."""
    child = bool(_CHILD.search(question))
    adult = bool(_ADULT["en" if lang == "en" else "nb"].search(question))
    if child == adult:
        return list(contacts)
    wanted, other = ("children", "adults") if child else ("adults", "children")
    return ([c for c in contacts if c.audience == wanted]
            + [c for c in contacts if c.audience not in (wanted, other)])
