"""The action plan, read-only: actions with their moments, meetings, controls, trainings.

Visibility is the plan's own (`visible_to` of each model): officers and the policy
officer see the plan; employees and team leads only the controls they took part in.
"""

from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination

from schakel.accounts.models import Role
from schakel.core import clock
from schakel.plan.models import PLAN_ROLES, Action, Control, Meeting, Training

from .base import ApiView


class PlanCursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _page_of(name, row):
    return inline_serializer(name, {"next": serializers.URLField(allow_null=True),
                                    "previous": serializers.URLField(allow_null=True),
                                    "results": row(many=True)})


PAGE_PARAMS = [OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)]


class OccurrenceOut(serializers.Serializer):
    id = serializers.IntegerField()
    due = serializers.DateField(allow_null=True)
    period_start = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    skip_reason = serializers.CharField(allow_blank=True)


class ActionOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    pillar = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    schedule_text = serializers.CharField(allow_blank=True)
    who = serializers.CharField(allow_blank=True)
    responsible_role = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    active = serializers.BooleanField()
    occurrences = OccurrenceOut(many=True)


class MeetingOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    date = serializers.DateField()
    title = serializers.CharField(allow_blank=True)
    location = serializers.CharField(allow_blank=True)
    occurrence = serializers.IntegerField(allow_null=True)


class ControlOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    date = serializers.DateField()
    action = serializers.IntegerField(allow_null=True)
    occurrence = serializers.IntegerField(allow_null=True)
    establishment = serializers.CharField(allow_blank=True)
    street = serializers.CharField(allow_blank=True)
    house_number = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    findings = serializers.CharField(allow_blank=True)


class TrainingOut(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    topic = serializers.CharField()
    provider = serializers.CharField()
    forms = serializers.ListField(child=serializers.CharField())
    teams = serializers.ListField(child=serializers.CharField())
    participant_count = serializers.IntegerField()
    trained = serializers.IntegerField()
    occurrence = serializers.IntegerField(allow_null=True)


def occurrence_row(o, today) -> dict:
    return {"id": o.pk, "due": o.due, "period_start": o.period_start,
            "state": o.state_on(today), "done_on": o.done_on, "skip_reason": o.skip_reason}


def meeting_row(m) -> dict:
    return {"id": m.pk, "kind": m.kind, "date": m.date, "title": m.title,
            "location": m.location, "occurrence": m.occurrence_id}


def control_row(c) -> dict:
    return {"id": c.pk, "kind": c.kind, "date": c.date, "action": c.action_id,
            "occurrence": c.occurrence_id, "establishment": c.establishment,
            "street": c.street, "house_number": c.house_number, "postcode": c.postcode,
            "city": c.city, "findings": c.findings}


def training_row(t, trained: int | None = None) -> dict:
    return {"id": t.pk, "date": t.date, "topic": t.topic, "provider": t.provider,
            "forms": [f.code for f in t.forms.all()], "teams": [x.name for x in t.teams.all()],
            "participant_count": t.participant_count,
            "trained": t.n_trained if trained is None else trained,
            "occurrence": t.occurrence_id}


class _List(ApiView):
    def paginate(self, request, queryset, rows):
        paginator = PlanCursor()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(rows(page))


class PlanActions(_List):
    roles = PLAN_ROLES

    @extend_schema(responses=_page_of("ActionPage", ActionOut), parameters=PAGE_PARAMS,
                   operation_id="plan_actions",
                   description="The plan's actions, each with its dated moments and their state.")
    def get(self, request):
        today = clock.now().date()
        qs = Action.objects.visible_to(request.user).select_related("pillar") \
            .prefetch_related("occurrences")

        def rows(page):
            return ActionOut([{
                "id": a.pk, "code": a.code, "pillar": a.pillar.number, "title": a.title,
                "description": a.description, "schedule_text": a.schedule_text, "who": a.who,
                "responsible_role": a.responsible_role, "kind": a.kind, "active": a.active,
                "occurrences": [occurrence_row(o, today) for o in a.occurrences.all()]}
                for a in page], many=True).data

        return self.paginate(request, qs, rows)


class PlanMeetings(_List):
    roles = PLAN_ROLES

    @extend_schema(responses=_page_of("MeetingPage", MeetingOut), parameters=PAGE_PARAMS,
                   operation_id="plan_meetings")
    def get(self, request):
        qs = Meeting.objects.visible_to(request.user)
        return self.paginate(request, qs, lambda page: MeetingOut(
            [meeting_row(m) for m in page], many=True).data)


class PlanControls(_List):
    roles = (*PLAN_ROLES, Role.EMPLOYEE, Role.TEAM_LEAD)

    @extend_schema(responses=_page_of("ControlPage", ControlOut), parameters=PAGE_PARAMS,
                   operation_id="plan_controls",
                   description="Controls; employees and team leads see those they took part "
                               "in (never Bibob).")
    def get(self, request):
        qs = Control.objects.visible_to(request.user)
        return self.paginate(request, qs, lambda page: ControlOut(
            [control_row(c) for c in page], many=True).data)


class PlanTrainings(_List):
    roles = PLAN_ROLES

    @extend_schema(responses=_page_of("TrainingPage", TrainingOut), parameters=PAGE_PARAMS,
                   operation_id="plan_trainings")
    def get(self, request):
        qs = Training.objects.prefetch_related("forms", "teams").annotate(
            n_trained=Count("trained"))
        return self.paginate(request, qs, lambda page: TrainingOut(
            [training_row(t) for t in page], many=True).data)
