"""The region's domain actions, one function each: keyword-only, atomic, with their
processing-log row in the same transaction.

Municipality side: switch sharing on or off (policy officer), record that the region
fetched the share or the agenda, put a question on the regional agenda or take it off
(officer). Region side: enter a municipality's token (administrator), store what a
fetch brought (`fetch.py` calls it).
"""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock

from . import quarters
from .models import (
    AgendaItem,
    FetchStatus,
    Municipality,
    QuestionState,
    RegionalQuestion,
    ShareSwitch,
)


class RegionError(Exception):
    """A step that is not allowed; the message is for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# ---------------------------------------------------------------- municipality side

@transaction.atomic
def share_switch(*, actor, enabled: bool) -> ShareSwitch:
    """The policy officer switches sharing with the region on or off."""
    if actor.role != Role.POLICY or not actor.is_active:
        raise RegionError(_("Only the policy officer switches sharing with the region."))
    switch = ShareSwitch.objects.select_for_update().get(pk=ShareSwitch.current().pk)
    if switch.enabled == enabled:
        return switch
    switch.enabled, switch.changed_at, switch.changed_by = enabled, clock.now(), actor
    switch.save(update_fields=["enabled", "changed_at", "changed_by"])
    log_processing(actor=actor, activity=Activity.EXPORT, action=Action.UPDATE, obj=switch,
                   subjects=[], purpose="Delen met de regio " + ("aangezet" if enabled
                                                                 else "uitgezet"),
                   changes={"enabled": enabled})
    return switch


@transaction.atomic
def share_fetched(*, token, what: str, size: int) -> None:
    """The region fetched the share or the agenda: in the processing log, by token name."""
    switch = ShareSwitch.current()
    ShareSwitch.objects.filter(pk=switch.pk).update(last_fetched_at=clock.now())
    log_processing(actor=token.user, activity=Activity.EXPORT, action=Action.READ, obj=switch,
                   subjects=[], purpose=f"Regionaal beeld opgehaald ({what}): {token.name}"[:200],
                   changes={"what": what, "token": token.name, "bytes": size})


def text_fingerprint(text: str) -> str:
    """Which text the person saw the warnings for (a changed text is checked again)."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:32]


@transaction.atomic
def question_submit(*, actor, text: str, signal=None, confirmed: bool,
                    warnings: int = 0) -> RegionalQuestion:
    """An officer puts an anonymous question on the next regional meeting's agenda.

    The view runs the name check first (`namecheck.py`) and shows what it found; the
    question goes only when the officer confirms the text names nobody (`confirmed`).
    """
    if actor.role != Role.OFFICER or not actor.is_active:
        raise RegionError(_("Only an officer puts questions on the regional agenda."))
    text = text.strip()
    if not text or len(text) > 1000:
        raise RegionError(_("Write the question in at most 1,000 characters."))
    if not confirmed:
        raise RegionError(_("Confirm that the question names nobody before it goes."))
    now = clock.now()
    question = RegionalQuestion.objects.create(
        text=text, signal=signal, created_by=actor, created_at=now, confirmed_by=actor,
        confirmed_at=now, warnings_overruled=warnings)
    log_processing(actor=actor, activity=Activity.DISCUSS, action=Action.CREATE, obj=question,
                   subjects=[], purpose="Anonieme vraag voor het regionaal overleg",
                   changes={"warnings_overruled": warnings, "from_signal": signal is not None})
    return question


@transaction.atomic
def question_close(*, actor, question: RegionalQuestion, state: str) -> RegionalQuestion:
    """Take a question off the agenda: discussed, or withdrawn."""
    if actor.role != Role.OFFICER or not actor.is_active:
        raise RegionError(_("Only an officer changes the regional agenda."))
    if state not in (QuestionState.DISCUSSED, QuestionState.WITHDRAWN):
        raise RegionError(_("Choose discussed or withdrawn."))
    question = RegionalQuestion.objects.select_for_update().get(pk=question.pk)
    if question.state != QuestionState.OPEN:
        raise RegionError(_("This question is no longer on the agenda."))
    question.state, question.closed_at = state, clock.now()
    question.save(update_fields=["state", "closed_at"])
    log_processing(actor=actor, activity=Activity.DISCUSS, action=Action.UPDATE, obj=question,
                   subjects=[], purpose="Vraag voor het regionaal overleg afgesloten",
                   changes={"state": state})
    return question


def agenda_items() -> list[dict]:
    """The open questions as they travel to the region: id, text, quarter. No signal."""
    return [{"id": qn.pk, "question": qn.text,
             "quarter": quarters.label(*quarters.of(timezone.localdate(qn.created_at)))}
            for qn in RegionalQuestion.objects.filter(state=QuestionState.OPEN)
            .order_by("pk").only("pk", "text", "created_at")[:50]]


# ---------------------------------------------------------------- region side

def municipalities_sync(configured) -> None:
    """The municipalities of REGION_MUNICIPALITIES as rows; those taken out become inactive."""
    names = []
    for name, url in configured:
        names.append(name)
        row, created = Municipality.objects.get_or_create(name=name,
                                                          defaults={"base_url": url})
        if not created and (row.base_url != url or not row.active):
            Municipality.objects.filter(pk=row.pk).update(base_url=url, active=True)
    Municipality.objects.exclude(name__in=names).update(active=False)


@transaction.atomic
def municipality_token_set(*, actor, municipality: Municipality, token: str) -> None:
    """The region's administrator enters the system token a municipality made for it."""
    if actor.role != Role.ADMIN or not actor.is_active:
        raise RegionError(_("Only a functional administrator enters tokens."))
    token = token.strip()
    if not token.startswith("schakel_") or len(token) > 100 or any(c.isspace() for c in token):
        raise RegionError(_("This is not a Schakel token (it starts with schakel_)."))
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    municipality.token, municipality.token_set_at = token, clock.now()
    municipality.save(update_fields=["token", "token_set_at"])
    log_processing(actor=actor, activity=Activity.EXPORT, action=Action.UPDATE,
                   obj=municipality, subjects=[],
                   purpose=f"Token van {municipality.name} ingevoerd"[:200],
                   changes={"municipality": municipality.name})


@transaction.atomic
def fetch_recorded(*, municipality_id: int, status: str, share: dict | None = None,
                   agenda: list[dict] | None = None) -> None:
    """What a fetch brought: the status, and a validated share and agenda when it answered."""
    now = clock.now()
    fields = {"status": status, "last_attempt_at": now}
    if status == FetchStatus.OK and share is not None:
        fields.update(share=share, share_at=now)
    Municipality.objects.filter(pk=municipality_id).update(**fields)
    if agenda is not None:
        AgendaItem.objects.filter(municipality_id=municipality_id).exclude(
            remote_id__in=[item["id"] for item in agenda]).delete()
        known = set(AgendaItem.objects.filter(municipality_id=municipality_id)
                    .values_list("remote_id", flat=True))
        AgendaItem.objects.bulk_create([
            AgendaItem(municipality_id=municipality_id, remote_id=item["id"],
                       text=item["question"], quarter=item["quarter"], received_at=now)
            for item in agenda if item["id"] not in known])
