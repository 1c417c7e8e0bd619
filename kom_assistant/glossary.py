"""English -> Norwegian domain terms, so English questions find Norwegian passages by keyword.

Longest phrases match first ("forced labour" before "labour"). Terms are the ones the sources
use; they are added to the question, never shown as a translation of the sources.
"""

from __future__ import annotations

import re

GLOSSARY: dict[str, str] = {
    "human trafficking": "menneskehandel",
    "trafficking in persons": "menneskehandel",
    "trafficking": "menneskehandel",
    "trafficked": "menneskehandel utnyttet",
    "trafficker": "bakmann bakperson gjerningsperson",
    "traffickers": "bakmenn bakpersoner gjerningspersoner",
    "victim": "offer",
    "victims": "ofre",
    "presumed victims": "antatte ofre",
    "presumed victim": "antatt offer",
    "possible victims": "mulige ofre",
    "identification": "identifisering",
    "identify": "identifisere",
    "indicators": "indikatorer tegn",
    "signs": "tegn indikatorer",
    "forced labour": "tvangsarbeid",
    "forced labor": "tvangsarbeid",
    "forced services": "tvangstjenester",
    "forced criminality": "utnyttelse til kriminalitet",
    "forced marriage": "tvangsekteskap",
    "prostitution": "prostitusjon",
    "sexual exploitation": "seksuell utnyttelse",
    "sexual purposes": "seksuelle formål",
    "buying sex": "kjøp av seksuelle tjenester",
    "buy sex": "kjøp av seksuelle tjenester",
    "sex purchase": "kjøp av seksuelle tjenester",
    "selling sex": "salg av seksuelle tjenester",
    "sexual services": "seksuelle tjenester",
    "adult": "voksen",
    "adults": "voksne",
    "exploitation": "utnyttelse utnytting",
    "exploited": "utnyttet",
    "labour exploitation": "arbeidsutnyttelse utnyttelse i arbeidslivet",
    "work-related crime": "arbeidslivskriminalitet",
    "labour market crime": "arbeidslivskriminalitet",
    "reflection period": "refleksjonsperiode",
    "residence permit": "oppholdstillatelse",
    "temporary residence permit": "begrenset oppholdstillatelse",
    "limited residence permit": "begrenset oppholdstillatelse",
    "asylum": "asyl beskyttelse",
    "asylum seeker": "asylsøker",
    "asylum reception centre": "asylmottak",
    "reception centre": "mottak asylmottak",
    "assisted return": "assistert retur",
    "return": "retur",
    "reintegration": "reintegrering",
    "child welfare": "barnevern",
    "child welfare services": "barnevernstjenesten barnevernet",
    "children": "barn mindreårige",
    "child": "barn",
    "minors": "mindreårige",
    "minor": "mindreårig",
    "unaccompanied": "enslige mindreårige",
    "age assessment": "aldersvurdering",
    "police": "politiet",
    "police districts": "politidistrikter",
    "prosecution": "straffeforfølgning påtale",
    "indictment": "tiltale tiltalebeslutning",
    "conviction": "domfellelse dom",
    "convictions": "domfellelser dommer",
    "sentence": "straff dom",
    "judgment": "dom",
    "court": "domstol retten",
    "reports": "anmeldelser",
    "reported": "anmeldt anmeldelser",
    "clearance rate": "oppklaringsprosent",
    "penalty": "strafferamme straff",
    "prison": "fengsel",
    "penal code": "straffeloven",
    "criminal law": "straffeloven",
    "hotline": "hjelpetelefon",
    "helpline": "hjelpetelefon",
    "phone number": "telefonnummer",
    "shelter": "botilbud bo- og oppfølgingstiltak",
    "accommodation": "botilbud",
    "health care": "helsehjelp helsetjenester",
    "health": "helse",
    "rights": "rettigheter",
    "strategy": "strategi",
    "national strategy": "nasjonal strategi",
    "measures": "tiltak",
    "measure": "tiltak",
    "action plan": "handlingsplan",
    "prevention": "forebygging",
    "prevent": "forebygge",
    "protection": "beskyttelse",
    "assistance": "bistand",
    "coordination": "koordinering samordning",
    "coordinate": "koordinere koordinerer",
    "coordinates": "koordinerer",
    "coordinating": "koordinere samordne",
    "directorate level": "direktoratsnivå",
    "ministry": "departement",
    "ministries": "departementer",
    "ministry of justice": "justis- og beredskapsdepartementet",
    "directorate": "direktorat",
    "directorate of immigration": "utlendingsdirektoratet udi",
    "immigration": "utlending",
    "labour inspection": "arbeidstilsynet",
    "labour inspection authority": "arbeidstilsynet",
    "municipality": "kommune kommunen",
    "municipalities": "kommuner",
    "civil society": "sivilt samfunn frivillige organisasjoner",
    "ngo": "organisasjon",
    "ngos": "organisasjoner",
    "funding": "finansiering tilskudd",
    "grants": "tilskudd",
    "annual report": "tilstandsrapport årsrapport",
    "status report": "tilstandsrapport",
    "newsletter": "nyhetsbrev",
    "guide": "veileder",
    "guidance": "veileder veiledning",
    "brochure": "brosjyre informasjonsbrosjyre",
    "information material": "informasjonsmateriell",
    "evaluation": "evaluering",
    "evaluation report": "evalueringsrapport",
    "state department": "utenriksdepartement",
    "tier": "tier nivå",
    "recommendations": "anbefalinger",
    "urged": "oppfordret",
    "urge": "oppfordrer oppfordringer",
    "urges": "oppfordrer oppfordringer",
    "focus": "fokus",
    "focused": "fokus",
    "published": "publisert",
    "launched": "lansert",
    "responsible": "ansvar ansvarlig",
    "phased out": "legges ned avvikles opphøre",
    "closed down": "legges ned",
    "employees": "ansatte",
    "staff": "ansatte",
    "industries": "bransjer",
    "sectors": "bransjer sektorer",
    "construction": "bygg byggebransjen",
    "agriculture": "landbruk",
    "restaurants": "restaurant",
    "cleaning": "renhold",
    "debt": "gjeld",
    "passport": "pass",
    "violence": "vold",
    "threats": "trusler",
    "begging": "tigging",
    "organised crime": "organisert kriminalitet",
    "organized crime": "organisert kriminalitet",
    "criminal networks": "kriminelle nettverk",
    "compensation": "erstatning",
    "legal aid": "rettshjelp",
    "interpreter": "tolk",
    "ukraine": "ukraina",
    "ukrainian refugees": "flyktninger fra ukraina",
    "refugees": "flyktninger",
    "council of europe": "europarådet",
    "convention": "konvensjon",
    "how many": "antall",
    "number of": "antall",
}

# Everyday Norwegian -> the words the sources use, for what frontline workers type in a hurry.
EVERYDAY_NB: dict[str, str] = {
    "jente": "barn mindreårig", "jenta": "barn mindreårig", "gutt": "barn mindreårig",
    "gutten": "barn mindreårig", "ungdom": "barn mindreårig", "tenåring": "barn mindreårig",
    "under 18": "mindreårig barn", "alder": "alder aldersvurdering",
    "jobb": "arbeid", "jobber": "arbeid arbeidstaker", "sjef": "arbeidsgiver",
    "sjefen": "arbeidsgiver", "lønn": "lønn", "bolig": "botilbud bolig",
    "lege": "helsehjelp helsetjenester", "sykehus": "helsehjelp helsetjenester",
    "papirer": "identitetspapirer pass", "sex": "prostitusjon seksuell utnyttelse",
    "tigge": "tigging", "stjele": "kriminalitet", "narko": "narkotika kriminalitet",
    "ringe": "kontakte telefon", "melde": "melde anmelde", "anmelde": "anmeldelse",
}

_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(GLOSSARY, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def norwegian_terms(question: str) -> list[str]:
    """Norwegian terms for the English domain phrases in `question`, longest match first."""
    return [GLOSSARY[m.group(1).lower()] for m in _PATTERN.finditer(question)]


_NB_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(EVERYDAY_NB, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def source_terms(question: str) -> list[str]:
    """The sources' words for everyday Norwegian words in `question`."""
    return [EVERYDAY_NB[m.group(1).lower()] for m in _NB_PATTERN.finditer(question)]


def expand_question(question: str, language: str) -> str:
    """The question plus Norwegian terms (English questions only)."""
    if language != "en":
        return question
    terms = norwegian_terms(question)
    return f"{question} ({' '.join(terms)})" if terms else question
