"""Every place Schakel holds a person: the look-up of an access request.

Four kinds of place, each searched with the same Dutch name matching (`names.py`):
- the persons of signals (`Subject`),
- the reporters of signals (`ReporterIdentity`, encrypted: compared in process),
- the register's records of every imported source (`subjects.Record`): found through
  the register's own blocking keys (`RecordKey`, made by `normalize.person_keys`) for
  spelling variants, plus a plain name filter for exact spellings,
- the free texts about signals (the registry `signals.texts`: background, notes and step
  remarks, messages to and feedback from partners, the case meeting's question and
  decision…),
  most of them encrypted: read and decrypted in process, in batches of 500.

Each hit carries its band and reasons; nothing is part of a request until the
officer confirms it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schakel.signals.texts import SignalText, by_code, signal_texts
from schakel.subjects import normalize as n

from .names import Match, Mention, Wanted, compare, find_mentions

BATCH = 500


class _Places(Mapping):
    """The registry of free texts about a signal (`signals.texts`), by code.

    Read on every look-up, not copied at import: partners and plan register their
    texts when the apps are ready."""

    def __getitem__(self, code: str) -> SignalText:
        return by_code()[code]

    def __iter__(self):
        return iter(by_code())

    def __len__(self) -> int:
        return len(by_code())


PLACES = _Places()


def installed_places() -> list[SignalText]:
    return signal_texts()


@dataclass
class Hit:
    key: str  # what the officer ticks: "subject:12", "record:77", "text:event.remark:99"
    kind: str  # subject | reporter | record | text
    obj: object
    signal: object | None
    match: Match
    label: str = ""  # where: "Person in signal", a source's name, a text's place
    shown: str = ""  # what was found, for the officer (a name, or a snippet of text)
    place: str = ""  # for texts: the TextPlace code


def _snippet(text: str, mention: Mention, width: int = 60) -> str:
    start, end = max(mention.start - width, 0), min(mention.end + width, len(text))
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def find_subjects(wanted: Wanted) -> list[Hit]:
    subject = apps.get_model("signals", "Subject")
    hits = []
    rows = (subject.objects.filter(kind="person", signal__destroyed_at__isnull=True)
            .exclude(name="").select_related("signal").only(
                "id", "name", "date_of_birth", "capacity", "pseudonym", "signal__reference",
                "signal__id"))
    for s in rows.iterator(chunk_size=BATCH):
        match = compare(wanted, s.name, s.date_of_birth)
        if match and match.band:
            hits.append(Hit(f"subject:{s.pk}", "subject", s, s.signal, match,
                            str(s.get_capacity_display() or _("Person")), s.name))
    return hits


def find_reporters(wanted: Wanted) -> list[Hit]:
    reporter = apps.get_model("signals", "ReporterIdentity")
    hits = []
    rows = (reporter.objects.filter(signal__destroyed_at__isnull=True)
            .select_related("signal").only("id", "name", "pseudonym", "signal__reference",
                                            "signal__id"))
    for r in rows.iterator(chunk_size=BATCH):
        match = r.name and compare(wanted, r.name)
        if match and match.band:
            hits.append(Hit(f"reporter:{r.pk}", "reporter", r, r.signal, match,
                            str(_("Reporter of the signal")), r.name))
    return hits


def _record_keys(wanted: Wanted) -> list[str]:
    """The register's keys for every reading of the name the register may have filed.

    A register reads "Z. Przybylski Ottens" as given names "z przybylski" and surname
    "ottens", so each surname word is tried as the surname, with the first given
    name, its initial and no given name at all.
    """
    iso = wanted.dob.isoformat() if wanted.dob else ""
    first = wanted.given[0] if wanted.given else ""
    givens = {first, first[:1], ""}
    keys: list[str] = []
    for part in wanted.surname:
        for given in givens:
            person = n.PersonName((given,) if given else (), "", part)
            for dob in {iso, ""}:
                keys += n.person_keys(person, dob)
    return list(dict.fromkeys(keys))


def find_records(wanted: Wanted, limit: int = 2000) -> list[Hit]:
    """Register records of imported sources (the signals' own source is the subjects)."""
    record = apps.get_model("subjects", "Record")
    record_key = apps.get_model("subjects", "RecordKey")
    ids = set(record_key.objects.filter(key__in=_record_keys(wanted))
              .values_list("record_id", flat=True)[:limit])
    spelled = Q()
    for part in wanted.surname:
        if len(part) >= 3:
            spelled |= Q(name__icontains=part)
    if spelled:
        ids |= set(record.objects.filter(spelled, kind="person")
                   .values_list("id", flat=True)[:limit])
    hits = []
    rows = (record.objects.filter(pk__in=ids, kind="person").exclude(source__code="signals")
            .select_related("source"))
    for r in rows:
        match = compare(wanted, r.name, r.date_of_birth)
        if match and match.band:
            hits.append(Hit(f"record:{r.pk}", "record", r, None, match, r.source.name, r.name))
    return hits


def find_texts(wanted: Wanted) -> list[Hit]:
    """Free texts that name the person; decrypted in process, a batch at a time."""
    hits = []
    for place in installed_places():
        signal_field = "id" if place.model == "signals.Signal" else "signal_id"
        rows = place.alive().only("id", signal_field, place.field)
        for obj in rows.iterator(chunk_size=BATCH):
            text = getattr(obj, place.field) or ""
            mentions = find_mentions(text, wanted)
            if not mentions:
                continue
            best = max(mentions, key=lambda m: m.match.score)
            signal = apps.get_model("signals", "Signal").objects.only("id", "reference").get(
                pk=place.signal_id_of(obj))
            hits.append(Hit(f"text:{place.code}:{obj.pk}", "text", obj, signal, best.match,
                            str(place.label), _snippet(text, best), place.code))
    return hits


def find_everywhere(*, person_name: str, date_of_birth: date | None) -> list[Hit]:
    """Every place the person may appear, best matches first within each kind."""
    wanted = Wanted.of(person_name, date_of_birth)
    if not wanted.surname:
        return []
    hits = (find_subjects(wanted) + find_reporters(wanted) + find_records(wanted)
            + find_texts(wanted))
    order = {"subject": 0, "reporter": 1, "record": 2, "text": 3}
    return sorted(hits, key=lambda h: (order[h.kind], -h.match.score, h.key))
