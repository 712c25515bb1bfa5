"""What of a signal a user may see. Which signals at all: `Signal.objects.visible_to`."""

import enum

from django.http import Http404

from schakel.accounts.models import Role
from schakel.core.prepared import Prepared

from .models import Signal, sees_every_submitted
from .workflow import State


class Access(enum.Enum):
    FULL = "full"  # officer: everything, the reporter included
    OWN = "own"  # the reporter (or who filed for them): what they sent, status, message for them
    TEAM = "team"  # team lead, before an officer received it: what was sent, no reporter
    STATUS = "status"  # team lead, after receipt: the status only


def access_level(user, signal: Signal) -> Access | None:
    reporter = signal.reporter
    if user.role == Role.OFFICER:
        if signal.state != State.DRAFT:
            return Access.FULL
        return Access.OWN if reporter.is_filed_by(user) else None
    if reporter.is_reporter(user) or reporter.is_filed_by(user):
        return Access.OWN
    if user.role == Role.TEAM_LEAD and user.team_id and reporter.team_id == user.team_id:
        if signal.state == State.DRAFT:
            return None
        return Access.TEAM if signal.state == State.SUBMITTED else Access.STATUS
    return None


def _related(with_officer: bool) -> tuple[str, ...]:
    return ("reporter__team", "officer") if with_officer else ("reporter__team",)


def _submitted(with_officer: bool) -> Prepared:
    # An officer's `submitted_visible_to`: every signal but drafts. One id, no order.
    return Prepared(lambda pk: Signal.objects.select_related(*_related(with_officer))
                    .filter(pk=pk).exclude(state=State.DRAFT).order_by()[:1])


# The officer's read of one signal, the query of every signal page, built once.
_SUBMITTED = {True: _submitted(True), False: _submitted(False)}


def get_signal_for(user, pk: int, *, with_officer: bool = True) -> tuple[Signal, Access]:
    """The signal with its access level, or 404.

    Outsiders learn nothing, not even that the signal exists. The reporter and team come
    along; the officer's account too unless the caller shows no officer (`with_officer`).
    """
    def signals():
        return Signal.objects.select_related(*_related(with_officer)).filter(pk=pk)

    # Submitted first: for an officer that is "every submitted signal", without the
    # subquery for their own drafts; a draft (their own, or anyone's own) comes second.
    if sees_every_submitted(user):
        submitted = next(iter(_SUBMITTED[with_officer](int(pk))), None)
    else:
        submitted = signals().submitted_visible_to(user).first()
    signal = submitted or signals().visible_to(user).first()
    level = access_level(user, signal) if signal is not None else None
    if level is None:
        raise Http404
    return signal, level


def get_signal_for_officer(user, pk: int) -> Signal:
    """A signal the officer handles (steps 2–6), or 404 for anyone else and for drafts."""
    signal, level = get_signal_for(user, pk)
    if level != Access.FULL:
        raise Http404
    return signal
