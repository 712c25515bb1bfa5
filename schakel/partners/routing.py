"""Which partners the rules propose for a signal, and why (step 4 of the route)."""

from dataclasses import dataclass, field
from datetime import date

from schakel.core import clock
from schakel.signals.models import Signal, SubjectKind

from .models import Condition, Part, Partner, Priority, RoutingRule


@dataclass
class Proposal:
    partner: Partner
    reasons: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    priority: str = Priority.NORMAL

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def involves_minor(subjects, today: date) -> bool:
    return any(s.kind == SubjectKind.PERSON and s.date_of_birth
               and _age(s.date_of_birth, today) < 18 for s in subjects)


def rule_matches(rule: RoutingRule, *, urgent: bool, form_ids: set[int], subjects,
                 today: date) -> bool:
    if rule.condition == Condition.ALWAYS:
        return True
    if rule.condition == Condition.URGENT:
        return urgent
    if rule.condition == Condition.FORM:
        return rule.form_id in form_ids
    if rule.condition == Condition.MINOR:
        return involves_minor(subjects, today)
    if rule.condition == Condition.CAPACITY:
        return any(s.capacity == rule.capacity for s in subjects)
    return False


def propose(signal: Signal, *, subjects=None, rules=None) -> dict[int, Proposal]:
    """The partners the active rules propose, by partner id, in rule order.

    1. Every active rule of an active partner is checked against the signal.
    2. A partner proposed by several rules gets all their reasons; any rule
       with priority "at once" makes the partner's priority "at once".
    """
    from django.utils.translation import gettext as _

    if subjects is None:
        subjects = list(signal.subjects.all())
    if rules is None:
        rules = (RoutingRule.objects.filter(active=True, partner__active=True)
                 .select_related("partner", "form"))
    form_ids = {f.pk for f in signal.forms.all()}
    today = clock.now().date()
    proposals: dict[int, Proposal] = {}
    for rule in rules:
        if not rule_matches(rule, urgent=signal.urgent, form_ids=form_ids, subjects=subjects,
                            today=today):
            continue
        proposal = proposals.setdefault(rule.partner_id, Proposal(partner=rule.partner))
        reason = (_("always") if rule.condition == Condition.ALWAYS
                  else _("rule: %(condition)s") % {"condition": rule.describe()})
        if reason not in proposal.reasons:
            proposal.reasons.append(reason)
        if rule.advice and rule.advice not in proposal.advice:
            proposal.advice.append(rule.advice)
        if rule.priority == Priority.IMMEDIATE:
            proposal.priority = Priority.IMMEDIATE
    return proposals


def default_share(partner: Partner, proposal: Proposal | None, subjects) -> dict:
    """What the referral form ticks for a partner before the officer changes anything.

    A proposed partner gets the whole signal (never the reporter) and the people and
    places it needs: the care coordinator the presumed victims, the others everyone
    involved. A partner nobody proposed starts with the bare facts and no one named,
    so choosing it is a deliberate act. The officer sees and may change all of it,
    and checks a summary per partner before anything is sent.
    """
    from schakel.signals.models import Capacity

    if proposal is None:
        return {"include": False, "parts": [Part.URGENCY, Part.FORMS, Part.WHERE_WHEN],
                "subjects": []}
    if partner.is_care_coordinator:
        chosen = [s for s in subjects if s.capacity == Capacity.VICTIM] or list(subjects)
    else:
        chosen = list(subjects)
    return {"include": True, "parts": list(Part.values),
            "subjects": [str(s.pk) for s in chosen]}
