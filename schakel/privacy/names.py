"""Is this name the person who asks? Dutch name matching for access requests.

Built on the register's normalisation (`schakel.subjects.normalize`: folding of case
and diacritics, tussenvoegsels, initials, the Dutch phonetic key), so an access
request finds the spellings that enrichment finds: "Z. Przybylski Ottens" and
"Przybylski-Ottens, Zofia" are Zofia Przybylski-Ottens, "Berg, J. van den" is Jan
van den Berg, "Muller" is "Müller". Every answer is a score with a band
(`schakel.subjects.bands`) and its reasons, for the officer to confirm.

Names in data are not parsed into given names and surname (a register writes
"Przybylski Ottens Z." as readily as "Z. Przybylski-Ottens"): the surname words of
the request are looked for among the candidate's words, and the words before them
must agree with the request's given names (a full name or its initial).
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from schakel.subjects import normalize as n
from schakel.subjects.bands import Band, band_for

# The bands as the officer reads them (the register's own labels, translated here too).
BAND_LABELS = {Band.CERTAIN: _("certain"), Band.PROBABLE: _("probable"),
               Band.POSSIBLE: _("possible")}

# Evidence, in points of 100 (see the README's privacy section).
SURNAME_SAME = 60  # every surname word sounds the same
SURNAME_PART = 50  # one of a double surname, or a slip of the pen
GIVEN_SAME = 25
GIVEN_INITIAL = 15
GIVEN_OTHER = 15  # another of the given names ("Peter" for "Jan Peter")
WRITTEN_SAME = 5
DOB_SAME = 15
DOB_OTHER = -40


@dataclass
class Match:
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def band(self) -> Band | None:
        return band_for(self.score)

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band]) if self.band else ""


@dataclass(frozen=True)
class Wanted:
    """The person asked for, read once."""

    surname: tuple[str, ...]  # folded surname words without tussenvoegsels
    given: tuple[str, ...]  # folded given names and initials, in order
    dob: date | None

    @classmethod
    def of(cls, name: str, dob: date | None = None) -> "Wanted":
        person = n.parse_person(name)
        surname = tuple(w for w in n.words(person.surname) if w not in n.PREFIXES)
        # "Dirk-Jan" is two given names to compare, as a register may write "D.J.".
        given = tuple(w for g in person.given for w in n.words(g))
        return cls(surname, given, dob)


def _name_words(name: str) -> list[str]:
    """A name's words in "given names, surname" order, without tussenvoegsels."""
    if "," in name:
        surname, given = name.split(",", 1)
        name = f"{given} {surname}"
    return [w for w in n.words(name) if w not in n.PREFIXES]


def _same_word(a: str, b: str) -> int:
    """2: sounds the same; 1: a slip of the pen in a long word; 0: different."""
    if len(a) < 2 or len(b) < 2:
        return 0
    if n.phonetic(a) == n.phonetic(b):
        return 2
    if min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 85:
        return 1
    return 0


def _given_agrees(wanted: str, word: str) -> int:
    """Points for one given name (or initial) of the candidate against one of the request."""
    if len(word) == 1 or len(wanted) == 1:
        return GIVEN_INITIAL if word[0] == wanted[0] else 0
    return GIVEN_SAME if _same_word(wanted, word) else 0


def compare(wanted: Wanted, name: str, dob: date | None = None) -> Match | None:
    """Score a name (and date of birth) against the person asked for; None if not them.

    1. Each surname word of the request is looked for among the candidate's words;
       none found means another person.
    2. The candidate's words before the first surname word are given names: each must
       agree with one of the request's (same sound, or an initial), else another person.
    3. A date of birth on both sides adds or takes points.
    """
    words = _name_words(name)
    if not words or not wanted.surname:
        return None
    reasons: list[str] = []
    used: set[int] = set()
    exact = True
    for part in wanted.surname:
        best = max(((_same_word(part, w), i) for i, w in enumerate(words) if i not in used),
                   default=(0, -1))
        if best[0]:
            used.add(best[1])
            exact = exact and best[0] == 2
        else:
            exact = False
    if not used:
        return None
    all_parts = len(used) == len(wanted.surname)
    score = SURNAME_SAME if all_parts and exact else SURNAME_PART
    reasons.append("achternaam gelijk" if all_parts and exact else "achternaam lijkt erop")
    given_words = [w for i, w in enumerate(words) if i < min(used) and i not in used]
    if given_words and wanted.given:
        points = []
        for word in given_words:
            best = max(_given_agrees(g, word) for g in wanted.given)
            if not best:
                return None  # a given name of someone else
            points.append(best)
        first = _given_agrees(wanted.given[0], given_words[0])
        score += first if first else GIVEN_OTHER
        reasons.append("voornaam gelijk" if first == GIVEN_SAME else
                       "voorletter gelijk" if first == GIVEN_INITIAL else "andere voornaam gelijk")
    elif wanted.given:
        reasons.append("voornaam ontbreekt")
    if (all_parts and exact and given_words
            and tuple(given_words) == wanted.given[:len(given_words)]
            and len(given_words) == len(wanted.given)):
        score += WRITTEN_SAME
    if wanted.dob and dob:
        if wanted.dob == dob:
            score += DOB_SAME
            reasons.append("zelfde geboortedatum")
        else:
            score += DOB_OTHER
            reasons.append("andere geboortedatum")
    return Match(min(score, 100), reasons)


# ---------------------------------------------------------------- free text

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*\.?")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    match: Match


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _name_like(token: str) -> bool:
    """Capitalised, an initial ("Z.") or a tussenvoegsel: could be part of a name."""
    word = n.fold(token.rstrip("."))
    return token[:1].isupper() or word in n.PREFIXES


def find_mentions(text: str, wanted: Wanted) -> list[Mention]:
    """Where the text names the person: the best reading around each surname word.

    Around every word that sounds like one of the request's surname words, the
    name-like words before it (given names, initials, tussenvoegsels) and after it
    (the rest of a double surname) are tried in every width; the best score wins.
    """
    tokens = _tokens(text)
    folded = [n.fold(t.group().rstrip(".")) for t in tokens]
    found: list[Mention] = []
    for i, word in enumerate(folded):
        if not any(_same_word(part, word) for part in wanted.surname):
            continue
        left = i
        while left > 0 and i - left < 4 and _name_like(tokens[left - 1].group()):
            left -= 1
        right = i
        while (right + 1 < len(tokens) and right - i < 2
               and _name_like(tokens[right + 1].group())
               and text[tokens[right].end():tokens[right + 1].start()] in (" ", "-")):
            right += 1
        best = None
        for start in range(left, i + 1):
            for end in range(i, right + 1):
                span = text[tokens[start].start():tokens[end].end()]
                match = compare(wanted, span)
                if match and match.band and (best is None or match.score > best.match.score):
                    best = Mention(tokens[start].start(), tokens[end].end(), match)
        if best and not any(m.start < best.end and best.start < m.end for m in found):
            found.append(best)
    return found


def name_spans(text: str, name: str) -> list[tuple[int, int]]:
    """Every place the text may name this (other) person, for removal.

    Wider than `find_mentions`: any word that sounds like one of the name's
    surname words or its given names (three letters or more), with the initials and
    tussenvoegsels right before it. Removing too much is safer than too little.
    """
    wanted = Wanted.of(name)
    parts = [p for p in wanted.surname + wanted.given if len(p) >= 3]
    if not parts:
        return []
    tokens = _tokens(text)
    spans = []
    for i, token in enumerate(tokens):
        word = n.fold(token.group().rstrip("."))
        if not any(_same_word(part, word) for part in parts):
            continue
        start = i
        while start > 0 and i - start < 3 and _name_like(tokens[start - 1].group()) and (
                len(n.fold(tokens[start - 1].group().rstrip("."))) == 1
                or n.fold(tokens[start - 1].group()) in n.PREFIXES):
            start -= 1
        spans.append((tokens[start].start(), token.end()))
    return spans


def merge(spans) -> list[tuple[int, int]]:
    """Overlapping or touching spans as one, in order."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]
