"""Access requests (inzageverzoek, AVG art. 15): find, confirm, review, answer.

1. The officer looks the person up (`finding.find_everywhere`) and confirms the hits.
2. Each confirmed place becomes items: per signal the person's own entry, the
   reporter's identity and every free text about it; a register record; the
   processing log of the person's pseudonyms.
3. Items that hold other people's data (the reporter of someone else's signal,
   every free text, a record's remark) are restricted until the officer reviews
   them. A text is reviewed in a redaction step: the names of the signal's other
   people and of other people the register knows are marked for removal
   automatically, the officer can mark more (AVG art. 15(4)). Giving another
   person's reporter identity or a partner's feedback needs a reason.
   Each file of the signal (photo, scanned letter) is an item too, left out until the
   officer includes it: a file cannot be redacted automatically. An included file is
   downloaded beside the answer (`attachment_deliver`), each step logged.
4. The answer (`answer.py`) gives what was decided, says what was restricted and why,
   and never claims to be complete when something was held back.
"""

import hashlib
import hmac
import re
from datetime import date
from pathlib import PurePath

from django.apps import apps
from django.conf import settings
from django.db import transaction

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.subjects import normalize as n

from . import names
from .finding import PLACES, Hit, installed_places
from .models import AccessItemKind, AccessRequest, AccessRequestItem


class AccessError(ValueError):
    """A decision the rules do not allow; the message is for the officer."""


def _item(request, signal, kind, **fields) -> AccessRequestItem:
    return AccessRequestItem(request=request, kind=kind, signal=signal, **fields)


def _signal_texts(signal, own_subject_ids: set[int]) -> list[tuple[str, int]]:
    """(place code, row id) of every non-empty free text about the signal.

    Descriptions of the signal's other persons are about them, not the requester.
    """
    out = []
    for place in installed_places():
        rows = place.alive().filter(**({"pk": signal.pk} if place.model == "signals.Signal"
                                          else {"signal_id": signal.pk}))
        if place.code == "subject.description":
            rows = rows.filter(pk__in=own_subject_ids)
        out += [(place.code, pk) for pk in rows.values_list("pk", flat=True)]
    return out


@transaction.atomic
def access_request_start(*, actor, person_name: str, date_of_birth: date | None,
                         received_on: date, hits: list[Hit]) -> AccessRequest:
    """Record the request and the items of every place the officer confirmed."""
    request = AccessRequest.objects.create(
        created_at=clock.now(), created_by=actor, person_name=person_name.strip(),
        date_of_birth=date_of_birth.isoformat() if date_of_birth else "",
        received_on=received_on)
    items: list[AccessRequestItem] = []
    pseudonyms: list[str] = []
    signals: dict[int, dict] = {}
    for hit in hits:
        if hit.kind in ("subject", "reporter", "text"):
            entry = signals.setdefault(hit.signal.pk, {"signal": hit.signal, "subjects": [],
                                                        "reporter": None, "texts": []})
        if hit.kind == "subject":
            entry["subjects"].append(hit)
        elif hit.kind == "reporter":
            entry["reporter"] = hit
        elif hit.kind == "text":
            entry["texts"].append(hit)
        elif hit.kind == "record":
            items.append(_item(request, None, AccessItemKind.RECORD, object_id=hit.obj.pk,
                               place="record", band=hit.match.band or "",
                               others=bool(hit.obj.remark), restricted=bool(hit.obj.remark)))
    for entry in signals.values():
        signal = entry["signal"]
        own_ids = [str(h.obj.pseudonym) for h in entry["subjects"]]
        texts: dict[tuple[str, int], str] = {}
        if entry["subjects"]:
            best = max(entry["subjects"], key=lambda h: h.match.score)
            items.append(_item(request, signal, AccessItemKind.SIGNAL, subject_ids=own_ids,
                               band=best.match.band or ""))
            for code, pk in _signal_texts(signal, {h.obj.pk for h in entry["subjects"]}):
                texts[(code, pk)] = ""
        for hit in entry["texts"]:
            texts[(hit.place, hit.obj.pk)] = hit.match.band or ""
        reporter = entry["reporter"]
        if reporter is not None:
            # Their own identity as the reporter: theirs to see.
            items.append(_item(request, signal, AccessItemKind.REPORTER,
                               subject_ids=[str(reporter.obj.pseudonym)],
                               band=reporter.match.band or ""))
            own_ids.append(str(reporter.obj.pseudonym))
        elif entry["subjects"]:
            # Someone else reported them: the reporter is protected (restricted by default).
            items.append(_item(request, signal, AccessItemKind.REPORTER, others=True,
                               needs_reason=True, restricted=True))
        for (code, pk), band in texts.items():
            items.append(_item(request, signal, AccessItemKind.TEXT, place=code, object_id=pk,
                               band=band, others=True, restricted=True,
                               needs_reason=PLACES[code].needs_reason))
        # Every file of the signal, left out until the officer has looked at it and
        # included it: a photo or a letter cannot be redacted automatically.
        attachment_ids = list(signal.attachments.values_list("pk", flat=True))
        for pk in attachment_ids:
            items.append(_item(request, signal, AccessItemKind.ATTACHMENT, object_id=pk,
                               subject_ids=own_ids, others=True, restricted=True))
        pseudonyms += own_ids
        log_processing(actor=actor, activity=Activity.ACCESS_REQUEST, action=Action.READ,
                       obj=signal, subjects=own_ids,
                       changes={"attachments": attachment_ids} if attachment_ids else None)
    if pseudonyms:
        items.append(_item(request, None, AccessItemKind.LOG, subject_ids=pseudonyms))
    AccessRequestItem.objects.bulk_create(items)
    return request


# ---------------------------------------------------------------- texts and redaction


def item_text(item) -> str:
    """The free text an item stands for ("" when none, or when it is gone)."""
    if item.kind == AccessItemKind.RECORD:
        record = apps.get_model("subjects", "Record")
        return record.objects.filter(pk=item.object_id).values_list(
            "remark", flat=True).first() or ""
    place = PLACES.get(item.place)
    if item.kind != AccessItemKind.TEXT or place is None:
        return ""
    obj = apps.get_model(place.model).objects.filter(pk=item.object_id).only(
        "id", place.field).first()
    return (getattr(obj, place.field) or "") if obj else ""


def digest(text: str) -> str:
    """Keyed, so the digest of a short text cannot be guessed back from the database."""
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _other_names(item) -> list[str]:
    """Names of other people the signal knows: its other persons and organisations, the
    reporter and whom they consulted (when the reporter is not the requester)."""
    if item.signal_id is None:
        return []
    subject = apps.get_model("signals", "Subject")
    own_ids = {p for ids in item.request.items.filter(signal_id=item.signal_id).values_list(
        "subject_ids", flat=True) for p in ids}
    found = [s.name for s in subject.objects.filter(signal_id=item.signal_id).exclude(name="")
             .only("name", "pseudonym") if str(s.pseudonym) not in own_ids]
    reporter = apps.get_model("signals", "ReporterIdentity").objects.filter(
        signal_id=item.signal_id).first()
    if reporter is not None and str(reporter.pseudonym) not in own_ids:
        found += [x for x in (reporter.name, reporter.team_lead_consulted_with) if x]
    return found


_WORD = re.compile(r"[^\W\d_][\w’'.-]*")


def _capitalised_runs(text: str) -> list[tuple[int, int]]:
    """Runs of two or more capitalised words (tussenvoegsels may stand between)."""
    runs, current = [], []
    for m in _WORD.finditer(text):
        word = m.group()
        joined = current and text[current[-1][1]:m.start()].strip() == ""
        if word[:1].isupper() or (current and joined and n.fold(word) in n.PREFIXES):
            if current and not joined:
                runs.append(current)
                current = []
            current.append((m.start(), m.end(), word))
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [(r[i][0], r[-1][1]) for r in runs for i in range(len(r) - 1)
            if sum(1 for w in r[i:] if w[2][:1].isupper()) >= 2]


def _register_ids(run: str) -> list[int]:
    """Ids of register records filed under the keys of a name as written in a text.

    A lone surname ("Smitskamp wordt uitgenodigd") has no initial: the register's key
    without one is a prefix of the keys with one, so it is read as an index range.
    """
    record_key = apps.get_model("subjects", "RecordKey")
    person = n.parse_person(run)
    keys = n.person_keys(person)
    if not keys:
        return []
    if person.given:
        rows = record_key.objects.filter(key__in=keys)
    else:
        prefix = keys[-1]
        rows = record_key.objects.filter(key__gte=prefix, key__lt=prefix + "\uffff")
    return list(rows.values_list("record_id", flat=True)[:50])


def _register_names(text: str) -> list[tuple[int, int]]:
    """Names in the text that the register knows as a person: runs of capitalised words,
    and single capitalised words that are a known surname."""
    record = apps.get_model("subjects", "Record")
    runs = _capitalised_runs(text)
    singles = [(m.start(), m.end()) for m in _WORD.finditer(text)
               if m.group()[:1].isupper() and len(m.group()) >= 3
               and n.fold(m.group()) not in n.PREFIXES]
    found: list[tuple[int, int]] = []
    for start, end in (runs + singles)[:400]:
        if any(s <= start and end <= e for s, e in found):
            continue
        run = text[start:end]
        ids = _register_ids(run)
        for name in record.objects.filter(pk__in=ids, kind="person").values_list(
                "name", flat=True):
            if names.compare(names.Wanted.of(name), run):
                found.append((start, end))
                break
    return found


def auto_spans(item, text: str) -> list[tuple[int, int]]:
    """Spans of the text to remove by default: other people's names, never the requester's."""
    wanted = names.Wanted.of(item.request.person_name, _dob(item.request))
    own = [(m.start, m.end) for m in names.find_mentions(text, wanted)]
    spans = []
    for other in _other_names(item):
        spans += names.name_spans(text, other)
    spans += _register_names(text)
    return names.merge(s for s in spans
                       if not any(o_start <= s[0] and s[1] <= o_end for o_start, o_end in own))


def own_spans(item, text: str) -> list[tuple[int, int]]:
    wanted = names.Wanted.of(item.request.person_name, _dob(item.request))
    return [(m.start, m.end) for m in names.find_mentions(text, wanted)]


def _fold_each(text: str) -> str:
    """Fold case and diacritics letter by letter, so offsets stay those of the text."""
    return "".join((n.fold(c) or c)[:1] for c in text)


def spans_of_phrases(text: str, phrases: list[str]) -> list[tuple[int, int]]:
    """Every occurrence of the officer's phrases, ignoring case and diacritics."""
    folded = _fold_each(text)
    spans = []
    for phrase in phrases:
        needle = _fold_each(phrase.strip())
        if len(needle) < 2:
            continue
        start = folded.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = folded.find(needle, start + 1)
    return spans


def redact(text: str, spans, mark: str) -> str:
    out, last = [], 0
    for start, end in names.merge(spans):
        out += [text[last:start], mark]
        last = end
    return "".join(out + [text[last:]])


def _dob(request) -> date | None:
    try:
        return date.fromisoformat(request.date_of_birth) if request.date_of_birth else None
    except ValueError:
        return None


def is_reviewed(item, text: str | None = None) -> bool:
    """Reviewed, and the text is still the text that was reviewed."""
    if item.reviewed_at is None:
        return False
    text = item_text(item) if text is None else text
    return hmac.compare_digest(item.text_digest, digest(text))


# ---------------------------------------------------------------- decisions


@transaction.atomic
def access_item_decide(*, item, actor, restricted: bool, reason: str,
                       give_reason: str = "") -> AccessRequestItem:
    """Give or restrict an item without a text (the signal entry, a reporter, the log)."""
    if restricted and not reason.strip():
        raise AccessError("a restriction needs a reason")
    if not restricted and item.needs_reason and not give_reason.strip():
        raise AccessError("giving this item needs a reason")
    if not restricted and item.kind in (AccessItemKind.TEXT, AccessItemKind.NOTES,
                                        AccessItemKind.FEEDBACK) or (
            not restricted and item.kind == AccessItemKind.RECORD and item.others):
        raise AccessError("a text is given only through the review step")
    if not restricted and item.kind == AccessItemKind.ATTACHMENT and attachment_of(item) is None:
        raise AccessError("the file no longer exists")
    AccessRequestItem.objects.filter(pk=item.pk).update(
        restricted=restricted, reason=reason.strip() if restricted else "",
        give_reason="" if restricted else give_reason.strip(), decided_by=actor,
        decided_at=clock.now())
    if item.kind == AccessItemKind.ATTACHMENT:
        log_processing(actor=actor, activity=Activity.ACCESS_REQUEST, action=Action.UPDATE,
                       obj=item.signal, subjects=item.subject_ids,
                       purpose="Access request: attachment included" if not restricted
                       else "Access request: attachment left out",
                       changes={"attachment": item.object_id, "included": not restricted})
    item.refresh_from_db()
    return item


# ---------------------------------------------------------------- attachments


def attachment_of(item):
    """The signal's file an attachment item stands for, or None when it is gone (removed,
    or destroyed with the signal)."""
    if item.kind != AccessItemKind.ATTACHMENT or item.signal_id is None:
        return None
    model = apps.get_model("signals", "SignalAttachment")
    return model.objects.filter(pk=item.object_id, signal_id=item.signal_id,
                                signal__destroyed_at__isnull=True).first()


def attachment_kind(attachment) -> str:
    """What kind of file it is, as a person reads it: "PDF", "JPG", "DOCX"."""
    suffix = PurePath(attachment.name or "").suffix.lstrip(".").upper()
    return suffix or attachment.content_type


def attachment_deliver(*, item, actor) -> tuple[object, bytes]:
    """The contents of an included file, for delivery with the answer; logged.

    Only an attachment the officer included, of a signal that still exists."""
    from schakel.signals.attachments import attachment_read

    if item.kind != AccessItemKind.ATTACHMENT or item.restricted or item.decided_by_id is None:
        raise AccessError("this file is not part of the answer")
    attachment = attachment_of(item)
    if attachment is None:
        raise AccessError("the file no longer exists")
    contents = attachment_read(attachment=attachment, actor=actor, activity=Activity.EXPORT,
                               purpose="Access request: attachment delivered with the answer",
                               subjects=item.subject_ids)
    return attachment, contents


@transaction.atomic
def access_item_review(*, item, actor, extra_spans, restricted: bool, reason: str = "",
                       give_reason: str = "") -> AccessRequestItem:
    """The redaction step of a text: record the officer's marks and the decision.

    The automatic marks are not stored: they are made again whenever the text is
    shown or given, so a name added to the signal later is removed too.
    """
    if item.kind not in (AccessItemKind.TEXT, AccessItemKind.RECORD):
        raise AccessError("only texts are reviewed")
    if restricted and not reason.strip():
        raise AccessError("a restriction needs a reason")
    if not restricted and item.needs_reason and not give_reason.strip():
        raise AccessError("giving this item needs a reason")
    text = item_text(item)
    spans = [[int(s), int(e)] for s, e in names.merge(extra_spans)
             if 0 <= int(s) < int(e) <= len(text)]
    AccessRequestItem.objects.filter(pk=item.pk).update(
        restricted=restricted, reason=reason.strip() if restricted else "",
        give_reason="" if restricted else give_reason.strip(), redactions=spans,
        reviewed_at=clock.now(), text_digest=digest(text), decided_by=actor,
        decided_at=clock.now())
    log_processing(actor=actor, activity=Activity.ACCESS_REQUEST, action=Action.READ,
                   obj=item.signal, subjects=item.subject_ids,
                   purpose="Access request: review of a text")
    item.refresh_from_db()
    return item
