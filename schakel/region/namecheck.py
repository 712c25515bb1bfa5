"""Does a question for the regional meeting name someone? A warning, not a verdict.

The text is looked through for:
1. names of persons known in the register (`subjects`): every run of two to four
   words that starts and ends with a capital is read as a Dutch name and looked up
   under the register's own name keys (phonetic surname + given name), so "Jan
   Jansen" and "Jan Janssen" are both found;
2. addresses known in the register: street + house number, postcode + house number;
3. whatever the signal the question came from holds: its persons' surnames, its
   organisations' names, its streets and postcodes, and its reference;
4. anything that looks like an address or a signal reference, known or not.

A person reads the warnings and decides (`actions.question_submit`); the check
itself is in the processing log, as a search of the register is.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.subjects import normalize as n
from schakel.subjects.models import RecordKey

WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
POSTCODE = re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b")
STREET_NUMBER = re.compile(
    r"\b([A-Za-z][\w'.-]*(?:{}))\s+(\d+\s?[a-zA-Z]?)\b".format("|".join(n.STREET_SUFFIXES)),
    re.IGNORECASE)


def _name_spans(text: str) -> list[str]:
    words = [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text)]
    spans = []
    for i, (word, start, _end) in enumerate(words):
        if not word[0].isupper():
            continue
        for j in range(i + 1, min(i + 4, len(words))):
            last = words[j][0]
            # Only words, spaces and tussenvoegsels between: "Jan van den Berg".
            gap = text[words[j - 1][2]:words[j][1]]
            if gap.strip():
                break
            if last[0].isupper():
                spans.append(text[start:words[j][2]])
    return spans


def _register_hits(text: str) -> list[str]:
    keyed: dict[str, str] = {}
    for span in _name_spans(text):
        person = n.parse_person(span)
        for key in n.person_keys(person):
            if key.startswith("pg:"):
                keyed.setdefault(key, span)
    for match in STREET_NUMBER.finditer(text):
        address = n.parse_address(street=match.group(1), house_number=match.group(2))
        for key in n.address_keys(address):
            if key.startswith("ak:"):
                keyed.setdefault(key, match.group(0))
    for match in POSTCODE.finditer(text):
        number = re.match(r"\s*(\d+)", text[match.end():])
        if number:
            address = n.parse_address(postcode=match.group(0), house_number=number.group(1))
            for key in n.address_keys(address):
                if key.startswith("ap:"):
                    keyed.setdefault(key, match.group(0) + " " + number.group(1))
    if not keyed:
        return []
    found = set(RecordKey.objects.filter(key__in=list(keyed)[:500])
                .values_list("key", flat=True).distinct())
    return sorted({keyed[k] for k in found})


def _signal_hits(text: str, signal) -> list[str]:
    folded = set(n.words(text))
    joined = " ".join(n.words(text))
    hits = []
    if signal.reference and signal.reference.lower() in text.lower():
        hits.append(signal.reference)
    for subject in signal.subjects.all():
        if subject.name:
            person = n.parse_person(subject.name)
            surname = " ".join(n.words(person.surname))
            if subject.kind == "person" and len(surname) >= 3 and f" {surname} " in \
                    f" {joined} ":
                hits.append(subject.name)
            elif subject.kind != "person" and " ".join(n.words(subject.name)) in joined:
                hits.append(subject.name)
        street = " ".join(n.words(subject.street))
        if len(street) >= 3 and f" {street} " in f" {joined} ":
            hits.append(subject.street)
        postcode = n.normal_postcode(subject.postcode).lower() if subject.postcode else ""
        if postcode and (postcode in folded or postcode in joined.replace(" ", "")):
            hits.append(subject.postcode)
    return sorted(set(hits))


def check(*, actor, text: str, signal=None) -> list[str]:
    """The warnings for `text`, in the user's language; empty when nothing was found."""
    warnings = []
    for hit in _register_hits(text):
        warnings.append(_("“%(text)s” matches a name or address in the register.")
                        % {"text": hit})
    if signal is not None:
        for hit in _signal_hits(text, signal):
            warnings.append(_("“%(text)s” is in the signal this question comes from.")
                            % {"text": hit})
    known = " ".join(warnings)
    for match in [*STREET_NUMBER.finditer(text), *POSTCODE.finditer(text)]:
        if match.group(0) not in known:
            warnings.append(_("“%(text)s” looks like an address.") % {"text": match.group(0)})
    prefix = re.escape(settings.SCHAKEL.get("SIGNAL_REFERENCE_PREFIX", "MH"))
    for match in re.finditer(rf"\b{prefix}-\d{{4}}-\d+\b", text):
        if match.group(0) not in known:
            warnings.append(_("“%(text)s” looks like a signal's reference.")
                            % {"text": match.group(0)})
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.READ, obj=signal,
                   subjects=[], purpose="Naamcontrole van een vraag voor het regionaal overleg",
                   changes={"warnings": len(warnings)})
    return warnings
