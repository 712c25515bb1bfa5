"""Normalisation of Dutch names, organisations and addresses, and the blocking keys made from them.

Everything here is pure Python without database access, so it is shared by the
index (what a record is filed under) and the query (which keys to look up).

A key is a short string `<type>:<value>`. A record is filed under a few keys that
are exact enough to be selective in a million records; a query looks up a few more
keys (e.g. both readings of a swapped name), fetches the small candidate set and
re-ranks it with rapidfuzz (see `engine.py`).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

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


# Letters that Unicode does not decompose into a base letter and a mark.
_EXTRA_FOLD = str.maketrans({"ł": "l", "ı": "i", "đ": "d", "ð": "d", "þ": "th", "œ": "oe",
                             "ß": "ss", "ø": "o", "æ": "ae", "ĳ": "ij", "ħ": "h", "ŧ": "t"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case without diacritics: "Müller-Öztürk" → "muller-ozturk"; ß → ss, ø → o, ł → l."""
    text = (text or "").lower().translate(_EXTRA_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().translate(
        _EXTRA_FOLD)


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


def _surname_core(surname: str) -> str:
    """The part of a (double) surname used in keys: the first of "jansen-de vries"."""
    return re.split(r"[\s-]+", surname.strip("- "))[0] if surname else ""


def person_keys(person: PersonName, dob: str = "") -> list[str]:
    """The keys a person is filed under, most selective first.

    pn: phonetic surname + first name; pd: date of birth + initial; pa: the surname's
    skeleton letters in order + initial, which also covers same-sounding surnames, vowel
    slips and two letters turned round ("Dijksrta"). Three keys keep the index small.
    """
    core = _surname_core(person.surname)
    if not core:
        return []
    ph, sk = phonetic(core), skeleton(core)
    initial = person.first[:1]
    keys = []
    if len(person.first) > 1:
        keys.append(f"pn:{ph}:{phonetic(person.first)}")
    if dob:
        keys.append(f"pd:{dob}:{initial}")
    keys.append(f"pa:{''.join(sorted(sk))}:{initial}")
    return keys


def person_query_keys(person: PersonName, dob: str = "") -> list[str]:
    """Keys to look up for a query: both readings of a swapped name, with and without dob."""
    keys = person_keys(person, dob)
    other = swapped(person)
    if other is not None:
        keys += [k for k in person_keys(other, dob) if k not in keys]
    # Every given name may be the one the register calls first ("Jan Peter" / "Peter").
    for extra in person.given[1:]:
        if len(extra) > 1:
            alt = PersonName((extra,), person.prefix, person.surname)
            keys += [k for k in person_keys(alt, dob) if k not in keys]
    return keys


def person_text(person: PersonName) -> str:
    """The comparable form for re-ranking: given names, then surname, no tussenvoegsel."""
    return " ".join([*person.given, person.surname]).strip()


# ---------------------------------------------------------------- organisations


def org_tokens(name: str) -> list[str]:
    """Folded words of an organisation name without legal forms ("B.V.", "V.O.F.", Stichting)."""
    text = fold(name)
    # Dotted abbreviations first: "b.v." → "bv", "v.o.f." → "vof".
    text = re.sub(r"\b((?:[a-z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)
    return [w for w in words(text) if w not in LEGAL_FORMS]


def org_normal(name: str) -> str:
    return " ".join(org_tokens(name))


def org_keys(name: str, kvk: str = "") -> list[str]:
    tokens = org_tokens(name)
    keys = []
    kvk = normal_kvk(kvk)
    if kvk:
        keys.append(f"ok:{kvk}")
    if tokens:
        significant = [t for t in tokens if t not in ORG_STOPWORDS] or tokens
        keys.append("os:" + "".join(skeleton(t) for t in significant))
        # The first significant word catches a name with a word added or dropped.
        keys.append(f"ot:{phonetic(significant[0])}")
    return keys


def normal_kvk(kvk: str) -> str:
    digits = re.sub(r"\D", "", kvk or "")
    return digits if len(digits) == 8 else ""


# ---------------------------------------------------------------- addresses

_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s*([a-zA-Z]{2})\s*$")
_HOUSE = re.compile(r"^\s*(\d+)\s*(?:[-/ ]*)\s*(.*?)\s*$")


def normal_postcode(postcode: str) -> str:
    """"1234 ab", "1234AB", " 1234ab " → "1234AB"; anything else → ""."""
    match = _POSTCODE.match(postcode or "")
    return (match.group(1) + match.group(2).upper()) if match else ""


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


def parse_address(*, street="", house_number="", addition="", postcode="", city="") -> Address:
    # "Kerkstraat 12a" in the street field alone.
    if street and not house_number:
        match = re.match(r"^(.*?\D)\s*(\d+.*)$", street.strip())
        if match:
            street, house_number = match.group(1), match.group(2)
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
