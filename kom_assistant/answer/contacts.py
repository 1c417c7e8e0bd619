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
from .number_words import with_digits

CONTACTS_FILE = "contacts.toml"
FOLD_AEOEAA = str.maketrans("æøå", "aoa")


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
    r"hjelp\w*)\b"
    r"|\bhvor\b.{0,30}\b(få|fa|finne|søke|soke)\b.{0,20}\b(hjelp|råd|rad|veiledning)\b"
    r"|\b(kontaktinformasjon|telefonnummer|hjelpetelefon)\w*"
    r"|\bwho\b.{0,40}\b(contact|call|report|notify|phone|ring|turn to|ask|tell|help)\b"
    r"|\bwhere\b.{0,30}\b(get|find|seek)\b.{0,20}\b(help|advice|support)\b"
    r"|\b(contact details|phone number|helpline|hotline)\b",
    re.IGNORECASE,
)
# Not "barnehage" or "barnevern": a kindergarten job offer or the child welfare service named
# in a message says nothing of whom it is about.
CHILD_WORDS = re.compile(
    r"\b(barn(?!ehage|evern)\w*|mindreårig\w*|mindrearig\w*|ungdom\w*|tenåring\w*|tenaring\w*|"
    r"jente\w*|gutt\w*|elev\w*|child\w*|minors?|kids?|teen\w*|girls?|boys?|under 18)\b",
    re.IGNORECASE)
# "man" and "men" only in English: in Norwegian they are "one" and "but".
ADULT_WORDS = {
    "nb": re.compile(r"\b(voksne?|kvinne\w*|mann|menn|dama|\w*arbeidere|\w*arbeiderne)\b",
                     re.IGNORECASE),
    "en": re.compile(r"\b(adults?|wom[ae]n|man|men|workers)\b", re.IGNORECASE)}
# Not "i 3 år", "for 2 år", "etter 5 år": how long, not how old.
_AGE = re.compile(r"(?<!\bi )(?<!\bfor )(?<!\better )(?<!\bsiden )"
                  r"\b(\d{1,2})\s*(?:år\b|-?åring|-?years?[- ]old|yo\b)|\((\d{1,2})\)|"
                  r"\b(?:på|aged?|looks?(?: like)?(?: about| around)?|"
                  r"ser ut(?: til å være| som)?(?: rundt| ca\.?)?)"
                  # not "på 3 måneder"
                  r"\s+(\d{1,2})\b(?!\s*(?:måned|uke|dag|døgn|time|minutt|month|week|day|hour|kr\b|%|"
                  r"prosent|percent))|"
                  # "rundt 15", "about 16 years": an age only where no other word counts ("ca. 5
                  # menn", "about 12 hours", "over ti arbeidere")
                  r"\b(?:maybe|about|around|ca\.?|rundt|omtrent|cirka|more than|over)\s+(\d{1,2})\b"
                  r"(?=\s*(?:år\b|åring|years?\b|-year|yo\b|gammel|old\b|[.,;:!?)]|$)|"
                  r"\s*(?:and|og|or|eller|to|til|-)\s*\d)|"
                  r"\bunder\s+(?P<under>\d{1,2})\b|"
                  # A decade: "en mann i 30-årene", "in his early 30s".
                  r"\bi\s+(\d0)[- ]?(?:årene|åra)\b|"
                  r"\bin\s+(?:his|her|their)\s+(?:early\s+|late\s+|mid-?)?(\d0)s\b|"
                  r"\b(?:jente|gutt|girl|boy|elev|pupil|student|player|spiller)\w*,?\s+(\d{1,2})\b|"
                  # "she's 17", "hun er 15-16", "han er ca 16", "my son is 14"
                  r"\b(?:she|he|hun|han|son|daughter|sønnen|datteren|sonnen|dattera)"
                  r"(?:'s|\s+is|\s+er)\s+(?:ca\.?\s+|about\s+|around\s+|maybe\s+|kanskje\s+|"
                  r"bare\s+|only\s+|just\s+|actually\s+|really\s+|egentlig\s+)?(\d{1,2})\b"
                  r"(?!\s*(?:kr|%|prosent|timer|hours|dager|days))", re.IGNORECASE)
# A school year: "går i 9. klasse", "på 8. trinn", "in year 10", "8th grade"; the first year is
# the year one turns six.
_GRADE = re.compile(r"\b(\d{1,2})\.?\s*(?:klasse|trinn)\b|"
                    r"\b(?:year|grade)\s+(\d{1,2})\b(?!\s*old)|"
                    r"\b(\d{1,2})(?:st|nd|rd|th)\s+grade\b", re.IGNORECASE)
_GRADE_TO_AGE = 5


# "Hva gjør jeg?", "Hva bør vi gjøre?", "hva gjor vi na", "What should I do?", "next steps?": a
# request for the steps to take, from a message that tells a situation. Matched on the message
# in lower case with æøå folded, as people type on a phone.
_ASKS_ACTION = re.compile(
    r"\bhva\s+(?:gjor|gjer|bor|skal|kan|ma)\s+(?:jeg|vi|man|eg|me)\b|\bhva er riktig a gjore\b|"
    r"\bhva (?:na|gjor (?:jeg|vi) na)\b|\bneste (?:steg|skritt)\b|"
    r"\bhvordan\s+(?:bor|skal|kan)\s+(?:jeg|vi)\s+(?:ga fram|ga frem|handtere|reagere|hjelpe|"
    r"folge opp|gripe inn)\b|"
    r"\bhvor\s+(?:henvender|melder|ringer|varsler|skal|bor|kan)\s+(?:jeg|vi)\b.{0,20}"
    r"\b(?:meg|oss|melde|ringe|henvende|varsle|sende|ga)\b|"
    r"\b(?:trenger|vil ha|gi meg|onsker)\s+(?:noen\s+)?rad\b|"
    r"\bwhat\s+(?:should|do|can|must|shall|would)\s+(?:i|we|you)\s+do\b|\bwhat to do\b|"
    r"\bwhat now\b|\bnext steps?\b|\b(?:any|some|need|want)\s+advice\b|"
    r"\bhow (?:should|do|can|would) (?:i|we) (?:respond|react|handle|help|deal with|proceed|"
    r"follow up|intervene)\b|"
    r"\bwhere (?:should|do|can|would) (?:i|we) (?:report|go|turn)\b")


def audience_of(question: str, lang: str) -> str:
    """"children", "adults" or "" (both, or not said) for whom a question is about; an age
    under 18 makes a child whatever the words ("a girl of 16" is a child); of two ages, the
    younger ("says she is 19, but is really 16"): in doubt, a child."""
    question = with_digits(question, lang)
    # "under 18" is younger than 18.
    ages = [int(next(g for g in m.groups() if g)) - (1 if m.group("under") else 0)
            for m in _AGE.finditer(question)]
    ages += [int(next(g for g in m.groups() if g)) + _GRADE_TO_AGE
             for m in _GRADE.finditer(question)]
    if ages:
        return "children" if min(ages) < 18 else "adults"
    child = bool(CHILD_WORDS.search(question))
    adult = bool(ADULT_WORDS["en" if lang == "en" else "nb"].search(question))
    return "" if child == adult else "children" if child else "adults"


def asks_for_action(question: str) -> bool:
    """A message that asks what to do, or whom to turn to."""
    return bool(_ASKS_ACTION.search(_folded(question))) or asks_for_contact(question)


def _folded(text: str) -> str:
    return text.lower().translate(FOLD_AEOEAA)


def asks_for_contact(question: str) -> bool:
    return bool(_ASKS_CONTACT.search(question) or _ASKS_CONTACT.search(_folded(question)))


def case_audience(message: str, lang: str) -> str:
    """Whom a frontline case is about: as audience_of, but a child named beside adults ("a
    teenage girl with two grown men") makes it a child's case, since the duty to report to
    the child welfare service comes first."""
    return audience_of(message, lang) or ("children" if CHILD_WORDS.search(message) else "")


def contacts_for(question: str, lang: str, contacts: Sequence[Contact],
                 audience: str | None = None) -> list[Contact]:
    """The contact points for whom the question (in `lang`) is about (or `audience`): a child's
    first and an adults-only one left out, and the other way round; all of them when it does not
    say."""
    audience = audience_of(question, lang) if audience is None else audience
    if not audience:
        return list(contacts)
    wanted, other = ("children", "adults") if audience == "children" else ("adults", "children")
    return ([c for c in contacts if c.audience == wanted]
            + [c for c in contacts if c.audience not in (wanted, other)])
