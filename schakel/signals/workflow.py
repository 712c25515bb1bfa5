"""The route of a signal (Bijlage 1 of the plan; DESIGN §3) as one table.

Every state change goes through `find_transition` and is refused unless the
pair (current state, transition name) is in TRANSITIONS, the actor has the
role, and the fields the step requires are filled in.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RECEIVED = "received", _("Received")
    REFERRED = "referred", _("Referred")
    FEEDBACK_RECEIVED = "feedback_received", _("Feedback received")
    REPORTER_INFORMED = "reporter_informed", _("Reporter informed")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")


# States in which the signal is still with the officer.
OPEN_STATES = (
    State.SUBMITTED, State.RECEIVED, State.REFERRED, State.FEEDBACK_RECEIVED,
    State.REPORTER_INFORMED, State.DISMISSED,
)


@dataclass(frozen=True)
class Transition:
    name: str
    source: State
    target: State
    roles: frozenset[str]
    # Fields of Signal that must be non-empty for this step.
    requires: tuple[str, ...] = ()
    # False for steps that other actions take (e.g. sending the first referral).
    manual: bool = True


_FILERS = frozenset({Role.EMPLOYEE, Role.TEAM_LEAD, Role.OFFICER})
_OFFICER = frozenset({Role.OFFICER})

TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", State.DRAFT, State.SUBMITTED, _FILERS),
    Transition("receive", State.SUBMITTED, State.RECEIVED, _OFFICER),
    Transition("refer", State.RECEIVED, State.REFERRED, _OFFICER, manual=False),
    Transition("dismiss", State.RECEIVED, State.DISMISSED, _OFFICER, ("dismiss_reason",)),
    Transition("settle", State.REFERRED, State.FEEDBACK_RECEIVED, _OFFICER, manual=False),
    Transition("inform_reporter", State.FEEDBACK_RECEIVED, State.REPORTER_INFORMED, _OFFICER,
               ("message_for_reporter",)),
    Transition("close", State.REPORTER_INFORMED, State.CLOSED, _OFFICER, ("outcome",)),
    # A dismissed signal is closed with the reporter's message in the same step.
    Transition("close", State.DISMISSED, State.CLOSED, _OFFICER,
               ("outcome", "message_for_reporter")),
)

_BY_KEY = {(t.source, t.name): t for t in TRANSITIONS}


def find_transition(state: str, name: str) -> Transition | None:
    return _BY_KEY.get((State(state), name))


def manual_transitions(state: str, role: str) -> list[Transition]:
    """The steps a user of `role` can take by hand on a signal in `state`."""
    return [t for t in TRANSITIONS if t.source == state and t.manual and role in t.roles]
