"""Normalisation of Dutch names, organisations and addresses, and the blocking keys made from them.

Everything here is pure Python without database access, so it is shared by the
index (what a record is filed under) and the query (which keys to look up).

A key is a short string `<type>:<value>`. A record is filed under a few keys that
are exact enough to be selective in a million records; a query looks up a few more
keys (every reading of a name), fetches the small candidate set and weighs it field by
field (see `engine.py` and `evidence.py`).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii
from stdnum.nl import postcode as nl_postcode

# Tussenvoegsels (surname prefixes), longest first where they overlap.
PREFIXES = {
    "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "la", "le", "du",
    "von", "vander", "vanden", "vd", "dos", "da", "di", "del", "des", "uit", "aan",
    "bij", "onder", "over", "voor", "thoe", "tot", "zum", "zur", "el", "al",
}
# Legal forms and their abbreviations, ignored in organisation names.
LEGAL_FORMS = {
    "bv", "nv", "vof", "cv", "ua", "wa", "ba", "stichting", "vereniging", "cooperatie",
    "eenmanszaak", "maatschap", "holding", "besloten", "vennootschap", "naamloze", "beperkte",
    "aansprakelijkheid", "commanditaire", "ltd", "gmbh", "inc", "llc", "sarl", "bvba", "sro",
    "spzoo", "srl", "co",
}
ORG_STOPWORDS = {"de", "het", "en", "van", "der", "den", "in", "op", "the", "and", "t", "a"}
# Street-name abbreviations as written on letters and in municipal extracts.
STREET_ABBREVIATIONS = {
    "str": "straat", "ln": "laan", "pln": "plein", "wg": "weg", "gr": "gracht", "kd": "kade",
    "sngl": "singel", "dk": "dijk", "dijk": "dijk", "pd": "pad", "stg": "steeg", "mkt": "markt",
    "burg": "burgemeester", "pr": "prins", "kon": "koning", "kon.": "koning", "st": "sint",
    "dr": "dokter", "prof": "professor", "mr": "meester", "ds": "dominee", "gen": "generaal",
    "jhr": "jonkheer", "v": "van", "wstr": "weg", "hof": "hof", "pl": "plein",
}
STREET_SUFFIXES = ("straat", "laan", "plein", "weg", "gracht", "kade", "singel", "dijk", "pad",
                   "steeg", "markt", "hof", "dreef", "park", "plantsoen", "kanaal", "wal")

_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII: "Müller-Öztürk" → "muller-ozturk", ß → ss, ł → l; other scripts are
    transliterated (anyascii): "Микола" → "mikola", "Идрис" → "idris"."""
    return anyascii(text or "").lower()


def words(text: str) -> list[str]:
    """Folded words; apostrophes vanish ("'t Hart" → ["t", "hart"])."""
    return [w for w in _NON_WORD.split(fold(text).replace("'", " ").replace("’", " ")) if w]


# Phonetic rules, applied in order to a folded word. They make spellings that a
# Dutch clerk would hear as the same name equal: IJ/Y/EI, dt/d/t at the end, ch/g,
# ph/f, c/k, z/s, doubled letters.
_PHONETIC_RULES = [
    (re.compile(r"[^a-z]"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"eij|ij|ei|ey|yj|y"), "y"),
    (re.compile(r"[aeo]+y"), "y"),
    (re.compile(r"yj"), "y"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    # Cees = Kees, Claessen = Klaassen; "ch" becomes "kh" here and "g" below.
    (re.compile(r"ck|qu|c|q"), "k"),
    (re.compile(r"skh|sg"), "s"),
    (re.compile(r"kh"), "g"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
    (re.compile(r"v"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"dt|d(?=[st]|$)"), "t"),
    (re.compile(r"au|ou"), "o"),
    (re.compile(r"uy|ui"), "u"),
    (re.compile(r"ae"), "a"),
    (re.compile(r"oe"), "u"),
    (re.compile(r"(.)\1+"), r"\1"),
]


@lru_cache(maxsize=200_000)
def phonetic(word: str) -> str:
    """A Dutch phonetic key: Jansen = Janssen, IJzerman = Ijzerman = Yzerman, Smit = Smid."""
    key = fold(word)
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    return key


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """The phonetic key without vowels: survives swapped or dropped vowels (Vermeulen/Vermuelen)."""
    key = phonetic(word)
    return re.sub(r"(.)\1+", r"\1", key[:1] + re.sub(r"[aeiouyj]", "", key[1:])) if key else ""


# ---------------------------------------------------------------- persons


@dataclass(frozen=True)
class PersonName:
    given: tuple[str, ...] = ()  # folded given names; a lone letter is an initial
    prefix: str = ""  # folded tussenvoegsel(s), e.g. "van den"
    surname: str = ""  # folded surname without tussenvoegsel, e.g. "berg" or "jansen de vries"

    @property
    def first(self) -> str:
        return self.given[0] if self.given else ""

    @property
    def initials(self) -> str:
        return "".join(g[0] for g in self.given)


def _split_prefix(tokens: list[str]) -> tuple[str, list[str]]:
    """Leading tussenvoegsels of a surname part, and the rest."""
    i = 0
    while i < len(tokens) - 1 and tokens[i] in PREFIXES:
        i += 1
    return " ".join(tokens[:i]), tokens[i:]


def _initial_tokens(part: str) -> list[str]:
    """Given names with initials split: "J.P." → ["j", "p"], "Jan-Peter" stays one name."""
    out = []
    for raw in re.split(r"\s+", fold(part).strip()):
        raw = raw.strip(".,")
        if not raw:
            continue
        if "." in raw and all(len(p) <= 2 for p in raw.split(".") if p):
            out.extend(p for p in raw.split(".") if p)
        else:
            out.append(re.sub(r"[^a-z'-]", "", raw.replace("’", "'")).strip("'") if not
                       raw.startswith("'t") else "'t")
    return [t for t in out if t]


def parse_person(name: str) -> PersonName:
    """Read a Dutch name in the usual notations.

    "Jan van den Berg", "J. van den Berg", "Berg, Jan van den", "Berg, J. van den",
    "van den Berg, Jan", "Berg van den, J." all give given=("jan"|"j"), prefix="van den",
    surname="berg". Without a comma the last words after any tussenvoegsel are the
    surname; a swapped name ("Jansen Piet") is read as written, the query tries both.
    """
    if "," in name:
        surname_part, given_part = name.split(",", 1)
        sur_tokens = _initial_tokens(surname_part)
        prefix, sur = _split_prefix(sur_tokens)
        # "Berg van den, Jan": tussenvoegsel after the surname.
        trailing = []
        while len(sur) > 1 and sur[-1] in PREFIXES:
            trailing.insert(0, sur.pop())
        given_tokens = _initial_tokens(given_part)
        # "Berg, J. van den": tussenvoegsel after the given names.
        while given_tokens and given_tokens[-1].replace("-", "") in PREFIXES and len(
                given_tokens[-1]) > 1:
            trailing.insert(0, given_tokens.pop())
        prefix = " ".join(p for p in [prefix, *trailing] if p)
        return PersonName(tuple(given_tokens), prefix, " ".join(sur))
    tokens = _initial_tokens(name)
    tokens = [t for t in tokens if t.strip("-")]
    if not tokens:
        return PersonName()
    if len(tokens) == 1:
        return PersonName((), "", tokens[0])
    if tokens[0] in PREFIXES:
        # "van den Berg" or, swapped, "van den Berg Jan".
        prefix, sur = _split_prefix(tokens)
        return PersonName(tuple(sur[1:]), prefix, sur[0])
    # The surname starts at the first tussenvoegsel after the first word, or is the last word.
    start = len(tokens) - 1
    for i in range(1, len(tokens) - 1):
        if tokens[i] in PREFIXES:
            start = i
            break
    given = tokens[:start]
    prefix, sur = _split_prefix(tokens[start:])
    return PersonName(tuple(given), prefix, " ".join(sur))


def swapped(person: PersonName) -> PersonName | None:
    """The other reading of a two-part name ("Jansen Piet" → given "piet", surname "jansen")."""
    if len(person.given) == 1 and len(person.first) > 1 and not person.prefix and person.surname:
        if " " not in person.surname:
            return PersonName((person.surname,), "", person.first)
    return None


def readings(name: str) -> list[PersonName]:
    """Every way a query's name may be meant, the written reading first.

    Besides a swapped two-part name, "Dijk van Yara" (surname first, tussenvoegsel after
    it, no comma) is also read as Yara van Dijk.
    """
    first = parse_person(name)
    out = [first]
    other = swapped(first)
    if other is not None:
        out.append(other)
    if "," not in name:
        tokens = [t for t in _initial_tokens(name) if t.strip("-")]
        i = 1
        while i < len(tokens) and tokens[i] in PREFIXES:
            i += 1
        if 1 < i < len(tokens) and tokens[0] not in PREFIXES:
            out.append(PersonName(tuple(tokens[i:]), " ".join(tokens[1:i]), tokens[0]))
    return list(dict.fromkeys(out))


def _surname_core(surname: str) -> str:
    """The part of a (double) surname used in keys: the first of "jansen-de vries"."""
    return re.split(r"[\s-]+", surname.strip("- "))[0] if surname else ""


@lru_cache(maxsize=100_000)
def given_key(given: str) -> str:
    """A given name's consonants, phonetically, without vowels: the same for spellings
    and transliterations that differ in their vowels ("Idriss" = "Driss" = "drs",
    "Mohammed" = "Muhammad" = "Mohamed" = "mhmt", "Youssef" = "Yusuf")."""
    key = re.sub(r"[aeiouyj]", "", phonetic(given))
    return re.sub(r"(.)\1+", r"\1", key) or phonetic(given)[:2]


def person_keys(person: PersonName, dob: str = "") -> list[str]:
    """The keys a person is filed under, most selective first.

    pg: phonetic surname + the given name's consonants (spelling and transliteration of
    the given name do not matter); pd: date of birth + the surname's first sound (any
    given name); pa: the surname's skeleton letters sorted + initial (vowel slips, two
    letters turned round: "Dijksrta"); ps: the phonetic surname alone, which finds a
    rare surname whatever the given name is written like (Mykola / Nikolaj).
    """
    core = _surname_core(person.surname)
    if not core:
        return []
    ph, sk = phonetic(core), skeleton(core)
    initial = person.first[:1]
    keys = []
    if len(person.first) > 1:
        keys.append(f"pg:{ph}:{given_key(person.first)}")
    if dob:
        keys.append(f"pd:{dob}:{ph[:1]}")
    keys.append(f"pa:{''.join(sorted(sk))}:{initial}")
    keys.append(f"ps:{ph}")
    return keys


def person_query_keys(person: PersonName, dob: str = "", others=()) -> list[str]:
    """Keys to look up for a query: every reading of the name, with and without dob."""
    keys = person_keys(person, dob)
    alternatives = list(others)
    if not alternatives:
        other = swapped(person)
        if other is not None:
            alternatives.append(other)
    # Every given name may be the one the register calls first ("Jan Peter" / "Peter").
    for extra in person.given[1:]:
        if len(extra) > 1:
            alternatives.append(PersonName((extra,), person.prefix, person.surname))
    for alt in alternatives:
        keys += [k for k in person_keys(alt, dob) if k not in keys]
    return keys


def person_text(person: PersonName) -> str:
    """The comparable form for re-ranking: given names, then surname, no tussenvoegsel."""
    return " ".join([*person.given, person.surname]).strip()


# ---------------------------------------------------------------- organisations


# Abbreviations in organisation names, written out ("Verhuisbedr." → verhuisbedrijf).
ORG_ABBREVIATIONS = {
    "ned": "nederland", "nederlandse": "nederland", "nl": "nederland", "int": "internationaal",
    "intl": "internationaal", "international": "internationaal",
    "internationale": "internationaal", "gebr": "gebroeders", "mij": "maatschappij",
    "mij.": "maatschappij", "adm": "administratie", "hdl": "handel", "transp": "transport",
    "bedr": "bedrijf", "alg": "algemene", "zn": "zonen", "zns": "zonen", "inst": "installatie",
    "techn": "techniek", "serv": "service", "ondern": "onderneming",
}
# Shortened endings glued to a word ("Verhuisbedr.", "Schoonmaakbedr", "Uitzendbur.").
ORG_SUFFIXES = (("bedr", "bedrijf"), ("bur", "bureau"), ("mij", "maatschappij"),
                ("hdl", "handel"), ("techn", "techniek"))


def _org_word(word: str) -> str:
    if word in ORG_ABBREVIATIONS:
        return ORG_ABBREVIATIONS[word]
    for short, full in ORG_SUFFIXES:
        if word.endswith(short) and len(word) > len(short) + 2:
            return word[: -len(short)] + full
    return word


@lru_cache(maxsize=100_000)
def org_legal_form(name: str) -> str:
    """The legal form written in an organisation name, normalised ("B.V." → "bv"), or ""."""
    text = re.sub(r"\b((?:[a-z]\.){2,})", lambda m: m.group(1).replace(".", ""), fold(name))
    found = [w for w in words(text) if w in LEGAL_FORMS and w not in {"holding", "co"}]
    if "besloten" in found:
        return "bv"
    if "naamloze" in found:
        return "nv"
    return found[0] if found else ""


def org_tokens(name: str) -> list[str]:
    """Folded words of an organisation name without legal forms, abbreviations written out."""
    text = fold(name)
    # Dotted abbreviations first: "b.v." → "bv", "v.o.f." → "vof".
    text = re.sub(r"\b((?:[a-z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)
    return [_org_word(w) for w in words(text) if w not in LEGAL_FORMS]


def org_normal(name: str) -> str:
    return " ".join(org_tokens(name))


def org_significant(tokens) -> list[str]:
    return [t for t in tokens if t not in ORG_STOPWORDS] or list(tokens)


def org_keys(name: str, kvk: str = "") -> list[str]:
    """os: the significant words' skeletons, sorted (word order does not matter);
    ot: each of the first three significant words, its skeleton's letters sorted (a word
    added or dropped, a vowel slip or two letters turned round)."""
    tokens = org_tokens(name)
    keys = []
    kvk = normal_kvk(kvk)
    if kvk:
        keys.append(f"ok:{kvk}")
    if tokens:
        significant = org_significant(tokens)
        keys.append("os:" + ".".join(sorted(skeleton(t) for t in significant))[:70])
        for word in sorted(set(significant[:3])):
            keys.append(f"ot:{''.join(sorted(skeleton(word)))[:70]}")
    return keys


def normal_kvk(kvk: str) -> str:
    digits = re.sub(r"\D", "", kvk or "")
    return digits if len(digits) == 8 else ""


# ---------------------------------------------------------------- addresses

_POSTCODE = re.compile(r"^([1-9]\d{3})([A-Z]{2})$")
_HOUSE = re.compile(r"^\s*(\d+)\s*(?:[-/ ]*)\s*(.*?)\s*$")
# A postcode inside a one-line address: "3441 SN", "3441SN", "3991-ZM".
_POSTCODE_IN_LINE = re.compile(r"(?<!\d)([1-9]\d{3})\s*-?\s*([a-zA-Z]{2})(?![a-zA-Z])")


def normal_postcode(postcode: str) -> str:
    """"1234 ab", "1234AB", "1234-AB", "NL-1234 AB" → "1234AB"; anything else → ""."""
    match = _POSTCODE.match(nl_postcode.compact(postcode or ""))
    return (match.group(1) + match.group(2)) if match else ""


def split_house_number(number: str, addition: str = "") -> tuple[str, str]:
    """"12a", "12-A", "12 A", "12 bis", "12/2", "12-hs" → ("12", "a"|"bis"|"2"|"hs")."""
    match = _HOUSE.match(fold(number))
    if not match:
        return "", ""
    num, rest = match.group(1).lstrip("0") or "0", match.group(2)
    extra = _NON_WORD.sub("", f"{rest}{fold(addition)}")
    return num, extra


@lru_cache(maxsize=100_000)
def normal_street(street: str) -> str:
    """Folded street name, abbreviations written out.

    "Burg. de Withstr." → "burgemeester de withstraat".
    """
    out = []
    text = fold(street)
    for raw in re.split(r"\s+", text.strip()):
        bare = raw.rstrip(".").replace("'", "")
        if not bare:
            continue
        if bare in STREET_ABBREVIATIONS and (raw.endswith(".") or bare in {"str", "ln", "pln"}):
            out.append(STREET_ABBREVIATIONS[bare])
            continue
        # "Kerkstr." / "Stationsln": an abbreviated suffix glued to the name.
        for abbr in ("str", "pln", "ln", "wg", "gr", "kd", "sngl"):
            if raw.endswith(abbr + ".") or (bare.endswith(abbr) and abbr in {"str", "ln", "pln"}
                                              and len(bare) > len(abbr) + 2):
                bare = bare[: -len(abbr)] + STREET_ABBREVIATIONS[abbr]
                break
        out.append(_NON_WORD.sub("", bare))
    return " ".join(w for w in out if w)


@lru_cache(maxsize=100_000)
def street_key(street: str) -> str:
    """One phonetic word for a street: spaces do not matter ("Van Goghstraat" = "Vangoghstraat")."""
    return phonetic(normal_street(street).replace(" ", ""))


@dataclass(frozen=True)
class Address:
    street: str = ""
    number: str = ""
    addition: str = ""
    postcode: str = ""
    city: str = ""
    extra: dict = field(default_factory=dict, compare=False)


def split_address_line(line: str) -> dict:
    """A whole address on one line, as a signal or a list gives it.

    "Molenweg 5, 3441 SN Woerden", "Molenweg 5a Woerden", "173, 3441SN Woerden",
    "3991-ZM 12" → {street, house_number, postcode, city} (parts it lacks are "").
    """
    out = {"street": "", "house_number": "", "postcode": "", "city": ""}
    text = " ".join((line or "").split())
    match = _POSTCODE_IN_LINE.search(text)
    after = ""
    if match:
        out["postcode"] = match.group(1) + match.group(2).upper()
        before, after = text[:match.start()], text[match.end():]
        text = before
        if not before.strip(" ,") and after:
            # "3441 SN 12" / "3441SN Woerden": a number right after the postcode is the house.
            number = re.match(r"^[\s,]*(\d+\s*[a-zA-Z]{0,3}(?:[-/]\w+)?)\b(.*)$", after)
            if number:
                out["house_number"], after = number.group(1), number.group(2)
    elif "," in text:
        text, after = text.split(",", 1)
    out["city"] = after.strip(" ,")
    text = text.strip(" ,")
    # "Kerkstraat 12a" / "173" / "Kerkstraat 12 a Woerden" without a comma.
    number = re.match(r"^(.*?)[\s,]*(\d+(?:\s*[-/]?\s*[a-zA-Z0-9]{1,3})?)(?:[\s,]+(\D*))?$",
                      text)
    if number and not out["house_number"] and (number.group(1).strip(" ,") or out["postcode"]):
        out["street"], out["house_number"] = number.group(1).strip(" ,"), number.group(2)
        if number.group(3) and not out["city"]:
            out["city"] = number.group(3).strip(" ,")
    elif text:
        out["street"] = text  # "2e Oosterparkstraat": a number that is part of the name
    return out


def parse_address(*, street="", house_number="", addition="", postcode="", city="") -> Address:
    if street and not house_number:
        # "Kerkstraat 12a", or a whole one-line address, in the street field.
        parts = split_address_line(street)
        street, house_number = parts["street"], parts["house_number"]
        postcode, city = postcode or parts["postcode"], city or parts["city"]
    number, add = split_house_number(house_number, addition)
    return Address(normal_street(street), number, add, normal_postcode(postcode),
                   fold(city).strip())


def address_keys(address: Address) -> list[str]:
    keys = []
    if address.postcode and address.number:
        keys.append(f"ap:{address.postcode}:{address.number}")
    if address.street and address.number:
        keys.append(f"ak:{skeleton(address.street.replace(' ', ''))}:{address.number}")
    if address.city and address.number and address.street:
        # A street misspelt beyond its skeleton: same place, number and first letter.
        keys.append(f"ac:{address.city}:{address.number}:{address.street[0]}")
    elif address.postcode:
        keys.append(f"ap:{address.postcode}:")
    return keys


def address_text(address: Address) -> str:
    return " ".join(p for p in [address.street, address.number + address.addition,
                                address.postcode.lower(), address.city] if p)
