"""Which meetings, controls, trainings and campaigns can be linked to a moment of the plan.

A record belongs to a moment of an action of the matching kind (a regional meeting to
3.3.1's moments, a website check to 3.4.1's, …). Candidates are records of that kind
linked to no moment yet, dated in the moment's year (any year for a moment without a
date). Choices travel as "<type>:<id>" tokens, so one form serves every kind.
"""

from dataclasses import dataclass

from .models import (
    ActionKind,
    Campaign,
    Control,
    ControlKind,
    Meeting,
    MeetingKind,
    Training,
)

LIMIT = 50

# action kind -> (model, filter on the record)
KINDS = {
    ActionKind.REGIONAL_MEETING: (Meeting, {"kind": MeetingKind.REGIONAL}),
    ActionKind.PARTNER_MEETING: (Meeting, {"kind": MeetingKind.PARTNER}),
    ActionKind.TRAINING: (Training, {}),
    ActionKind.CAMPAIGN: (Campaign, {}),
    ActionKind.WEBSITE_CHECK: (Control, {"kind": ControlKind.WEBSITE}),
    ActionKind.INTEGRAL_CONTROL: (Control, {"kind": ControlKind.INTEGRAL}),
    ActionKind.BIBOB: (Control, {"kind": ControlKind.BIBOB}),
    ActionKind.HORECA: (Control, {"kind": ControlKind.HORECA}),
    ActionKind.CONTROL: (Control, {"kind__in": [ControlKind.WEBSITE, ControlKind.INTEGRAL,
                                                ControlKind.HORECA]}),
}
DATE_FIELD = {Meeting: "date", Training: "date", Campaign: "starts_on", Control: "date"}
TOKENS = {Meeting: "meeting", Training: "training", Campaign: "campaign", Control: "control"}


@dataclass
class Linkable:
    model: type | None
    filters: dict
    year: int | None

    def queryset(self):
        if self.model is None:
            return None
        qs = self.model.objects.filter(occurrence__isnull=True, **self.filters)
        if self.year is not None:
            qs = qs.filter(**{f"{DATE_FIELD[self.model]}__year": self.year})
        return qs.order_by(f"-{DATE_FIELD[self.model]}", "-id")

    def choices(self) -> list[tuple[str, str]]:
        qs = self.queryset()
        if qs is None:
            return []
        token = TOKENS[self.model]
        return [(f"{token}:{r.pk}", str(r)) for r in qs[:LIMIT]]

    def resolve(self, value: str):
        """The record a token names, if it is one of the candidates; else None."""
        qs = self.queryset()
        name, _sep, pk = (value or "").partition(":")
        if qs is None or name != TOKENS[self.model] or not pk.isdigit():
            return None
        return qs.filter(pk=int(pk)).first()

    def filter_record(self, record) -> bool:
        qs = self.queryset()
        return (qs is not None and isinstance(record, self.model)
                and qs.filter(pk=record.pk).exists())


def linkable_records(occurrence) -> Linkable:
    model, filters = KINDS.get(occurrence.action.kind, (None, {}))
    return Linkable(model=model, filters=filters,
                    year=occurrence.due.year if occurrence.due else None)
