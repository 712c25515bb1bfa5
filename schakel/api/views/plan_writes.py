"""Writing the action plan: a moment done, skipped, moved, linked or planned again;
meetings, controls and trainings made and changed.

The same roles, forms and action functions as the plan's pages (`plan/occurrence_views.py`,
`plan/views.py`): officers and the policy officer (a local case meeting: officers only);
everyone else gets the pages' 404. The page's form runs on the JSON, so the rules (no
date in the future, a Bibob check without personal data, …) are the page's own.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from schakel.accounts.models import Role
from schakel.core import clock
from schakel.plan import actions
from schakel.plan.forms import (
    ControlForm,
    MeetingForm,
    OccurrenceDoneForm,
    OccurrenceDueForm,
    OccurrenceSkipForm,
    TrainingForm,
)
from schakel.plan.linking import linkable_records
from schakel.plan.models import (
    PLAN_ROLES,
    BibobOutcome,
    Control,
    ControlKind,
    Meeting,
    MeetingKind,
    Occurrence,
    Training,
    TrainingProvider,
)
from schakel.signals.actions import WorkflowError

from ..problems import Problem
from .base import ApiView
from .plan import (
    ControlOut,
    MeetingOut,
    OccurrenceOut,
    PlanControls,
    PlanMeetings,
    PlanTrainings,
    TrainingOut,
    control_row,
    meeting_row,
    occurrence_row,
    training_row,
)

# ---------------------------------------------------------------- inputs (shape only)

def ids(help_text: str):
    return serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=500,
                                 required=False, help_text=help_text)


class DoneIn(serializers.Serializer):
    done_on = serializers.DateField()
    participants = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class SkipIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MoveIn(serializers.Serializer):
    due = serializers.DateField()


class OccurrenceLinkIn(serializers.Serializer):
    record = serializers.CharField(
        max_length=40, help_text="The record as 'meeting:12', 'control:3', 'training:7' or "
                                 "'campaign:2': one of this moment's candidates.")


class MeetingIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices,
                                   help_text="Only when making one; a case meeting: officers.")
    date = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    occurrence = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    attendees = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    minutes = serializers.CharField(max_length=50000, required=False, allow_blank=True)


class ControlIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ControlKind.choices,
                                   help_text="Only when making one.")
    date = serializers.DateField()
    occurrence = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    sites = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    privacy_agreed = serializers.BooleanField(required=False)
    privacy_agreed_on = serializers.DateField(required=False, allow_null=True)
    establishment = serializers.CharField(max_length=200, required=False, allow_blank=True)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    house_number = serializers.CharField(max_length=10, required=False, allow_blank=True)
    house_number_addition = serializers.CharField(max_length=10, required=False,
                                                  allow_blank=True)
    postcode = serializers.CharField(max_length=7, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    partners_present = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    application_reference = serializers.CharField(max_length=50, required=False,
                                                  allow_blank=True)
    permit_type = serializers.CharField(max_length=100, required=False, allow_blank=True)
    bibob_outcome = serializers.ChoiceField(choices=BibobOutcome.choices, required=False,
                                            allow_blank=True)
    findings = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    participants = ids("Ids of the colleagues who took part.")


class TrainingIn(serializers.Serializer):
    date = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    forms = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=20,
                                  required=False, help_text="Ids of forms of exploitation.")
    provider = serializers.ChoiceField(choices=TrainingProvider.choices)
    provider_other = serializers.CharField(max_length=100, required=False, allow_blank=True)
    teams = ids("Ids of the audience teams.")
    participant_count = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    trained = ids("Ids of the colleagues who attended.")
    occurrence = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)


# ---------------------------------------------------------------- shared


def _invalid(form) -> Problem:
    return Problem(status_code=400, type_="ongeldige-invoer",
                   title=_("The request is not valid"),
                   detail=_("One or more fields are not valid."),
                   errors=[{"field": "" if f == "__all__" else f, "detail": m}
                           for f, ms in form.errors.items() for m in ms])


def _shape(serializer_cls, request, *, partial=False, exclude=()) -> dict:
    incoming = serializer_cls(data=request.data, partial=partial)
    incoming.is_valid(raise_exception=True)
    return {k: v for k, v in incoming.validated_data.items() if k not in exclude}


def _plain(value):
    if isinstance(value, list | tuple):
        return [getattr(v, "pk", v) for v in value]
    return value


def _bound(form_cls, data: dict, *, instance=None, **kwargs):
    """The page's form on the API's data; for a change, the record's current values
    fill in whatever the request leaves out (PATCH)."""
    if instance is not None:
        current = form_cls(instance=instance, **kwargs)
        data = {**{name: _plain(current.initial.get(name)) for name in current.fields},
                **data}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    if instance is not None:
        kwargs["instance"] = instance
    form = form_cls(data, **kwargs)
    if not form.is_valid():
        raise _invalid(form)
    return form


def _plan_user(user) -> None:
    if user.role not in PLAN_ROLES:
        raise Http404


# ---------------------------------------------------------------- moments


class _OccurrenceStep(ApiView):
    roles = PLAN_ROLES

    def occurrence(self, request, pk) -> Occurrence:
        occurrence = (Occurrence.objects.visible_to(request.user)
                      .select_related("action").filter(pk=pk).first())
        if occurrence is None:
            raise Http404
        return occurrence

    def answer(self, occurrence) -> Response:
        return Response(OccurrenceOut(occurrence_row(occurrence, clock.now().date())).data)


class OccurrenceDetail(_OccurrenceStep):
    @extend_schema(responses=OccurrenceOut, operation_id="plan_occurrence",
                   description="One moment of the plan, with its state.")
    def get(self, request, pk: int):
        return self.answer(self.occurrence(request, pk))


class OccurrenceDone(_OccurrenceStep):
    @extend_schema(request=DoneIn, responses=OccurrenceOut, operation_id="plan_occurrence_done",
                   description="Mark a moment done (held), also afterwards; not in the future.")
    def post(self, request, pk: int):
        occurrence = self.occurrence(request, pk)
        form = _bound(OccurrenceDoneForm, _shape(DoneIn, request))
        return self.answer(actions.occurrence_complete(
            occurrence=occurrence, actor=request.user, **form.cleaned_data))


class OccurrenceSkip(_OccurrenceStep):
    @extend_schema(request=SkipIn, responses=OccurrenceOut, operation_id="plan_occurrence_skip",
                   description="Mark a moment skipped, with the reason.")
    def post(self, request, pk: int):
        occurrence = self.occurrence(request, pk)
        form = _bound(OccurrenceSkipForm, _shape(SkipIn, request))
        return self.answer(actions.occurrence_skip(
            occurrence=occurrence, actor=request.user, reason=form.cleaned_data["reason"]))


class OccurrenceMove(_OccurrenceStep):
    @extend_schema(request=MoveIn, responses=OccurrenceOut, operation_id="plan_occurrence_move",
                   description="Move a moment's due date.")
    def post(self, request, pk: int):
        occurrence = self.occurrence(request, pk)
        form = _bound(OccurrenceDueForm, _shape(MoveIn, request))
        return self.answer(actions.occurrence_move(
            occurrence=occurrence, actor=request.user, due=form.cleaned_data["due"]))


class OccurrenceReopen(_OccurrenceStep):
    @extend_schema(request=None, responses=OccurrenceOut,
                   operation_id="plan_occurrence_reopen",
                   description="Plan a moment again (undo done or skipped).")
    def post(self, request, pk: int):
        occurrence = self.occurrence(request, pk)
        return self.answer(actions.occurrence_reopen(occurrence=occurrence, actor=request.user))


class OccurrenceLink(_OccurrenceStep):
    @extend_schema(request=OccurrenceLinkIn, responses=OccurrenceOut,
                   operation_id="plan_occurrence_link",
                   description="Link the meeting, control, training or campaign that held this "
                               "moment; a moment that has passed becomes done on its date.")
    def post(self, request, pk: int):
        occurrence = self.occurrence(request, pk)
        data = _shape(OccurrenceLinkIn, request)
        record = linkable_records(occurrence).resolve(data["record"])
        if record is None:
            raise Problem(status_code=400, type_="ongeldige-invoer",
                          title=_("The request is not valid"),
                          detail=_("One or more fields are not valid."),
                          errors=[{"field": "record",
                                   "detail": _("Choose one of the records listed.")}])
        try:
            occurrence = actions.occurrence_link(occurrence=occurrence, record=record,
                                                 actor=request.user)
        except WorkflowError as exc:
            raise Problem(status_code=409, type_="stap-niet-mogelijk", title=_("Conflict"),
                          detail=exc.message) from None
        return self.answer(occurrence)


# ---------------------------------------------------------------- meetings


def _meeting_answer(meeting, status=200) -> Response:
    return Response(MeetingOut(meeting_row(meeting)).data, status=status)


def _save_meeting(user, form):
    return actions.record_save(actor=user, record=form.save(commit=False),
                               occurrence_date=form.cleaned_data["date"],
                               participants=form.cleaned_data["attendees"])


class Meetings(PlanMeetings):
    @extend_schema(request=MeetingIn, responses={201: MeetingOut},
                   operation_id="plan_meetings_create",
                   description="Record a meeting (a local case meeting: officers only).")
    def post(self, request):
        data = _shape(MeetingIn, request)
        kind = data.pop("kind")
        if kind == MeetingKind.CASE:
            if request.user.role != Role.OFFICER:
                raise Http404
            data.pop("occurrence", None)
        form = _bound(MeetingForm, data, kind=kind)
        return _meeting_answer(_save_meeting(request.user, form), status=201)


class MeetingDetail(ApiView):
    roles = PLAN_ROLES

    def meeting(self, request, pk) -> Meeting:
        meeting = Meeting.objects.visible_to(request.user).filter(pk=pk).first()
        if meeting is None:
            raise Http404
        return meeting

    @extend_schema(responses=MeetingOut, operation_id="plan_meeting")
    def get(self, request, pk: int):
        return _meeting_answer(self.meeting(request, pk))

    @extend_schema(request=MeetingIn, responses=MeetingOut,
                   operation_id="plan_meeting_change",
                   description="Change a meeting: only the fields sent change; not its kind.")
    def patch(self, request, pk: int):
        meeting = self.meeting(request, pk)
        if meeting.kind == MeetingKind.CASE and request.user.role != Role.OFFICER:
            raise Http404
        data = _shape(MeetingIn, request, partial=True, exclude=("kind",))
        if meeting.kind == MeetingKind.CASE:
            data.pop("occurrence", None)
        form = _bound(MeetingForm, data, instance=meeting, kind=meeting.kind)
        return _meeting_answer(_save_meeting(request.user, form))


# ---------------------------------------------------------------- controls


def _save_control(user, form):
    record = actions.control_assign_action(form.save(commit=False))
    return actions.record_save(actor=user, record=record, form=form,
                               occurrence_date=form.cleaned_data["date"])


class Controls(PlanControls):
    @extend_schema(request=ControlIn, responses={201: ControlOut},
                   operation_id="plan_controls_create",
                   description="Record a control (officers and the policy officer).")
    def post(self, request):
        _plan_user(request.user)
        data = _shape(ControlIn, request)
        kind = data.pop("kind")
        form = _bound(ControlForm, data, kind=kind)
        return Response(ControlOut(control_row(_save_control(request.user, form))).data,
                        status=201)


class ControlDetail(ApiView):
    roles = PlanControls.roles

    @extend_schema(responses=ControlOut, operation_id="plan_control",
                   description="One control; employees and team leads only those they took "
                               "part in (never Bibob).")
    def get(self, request, pk: int):
        control = Control.objects.visible_to(request.user).filter(pk=pk).first()
        if control is None:
            raise Http404
        return Response(ControlOut(control_row(control)).data)

    @extend_schema(request=ControlIn, responses=ControlOut,
                   operation_id="plan_control_change",
                   description="Change a control: only the fields sent change; not its kind.")
    def patch(self, request, pk: int):
        _plan_user(request.user)
        control = Control.objects.visible_to(request.user).filter(pk=pk).first()
        if control is None:
            raise Http404
        data = _shape(ControlIn, request, partial=True, exclude=("kind",))
        form = _bound(ControlForm, data, instance=control, kind=control.kind)
        return Response(ControlOut(control_row(_save_control(request.user, form))).data)


# ---------------------------------------------------------------- trainings


def _save_training(user, form):
    record = actions.record_save(
        actor=user, record=form.save(commit=False), form=form,
        occurrence_date=form.cleaned_data["date"],
        participants=_("%(n)s participants") % {"n": form.cleaned_data["participant_count"]})
    return Response(TrainingOut(training_row(record, trained=record.trained.count())).data)


class Trainings(PlanTrainings):
    @extend_schema(request=TrainingIn, responses={201: TrainingOut},
                   operation_id="plan_trainings_create",
                   description="Record a training or information session.")
    def post(self, request):
        form = _bound(TrainingForm, _shape(TrainingIn, request))
        response = _save_training(request.user, form)
        response.status_code = 201
        return response


class TrainingDetail(ApiView):
    roles = PLAN_ROLES

    def training(self, pk) -> Training:
        training = Training.objects.filter(pk=pk).first()
        if training is None:
            raise Http404
        return training

    @extend_schema(responses=TrainingOut, operation_id="plan_training")
    def get(self, request, pk: int):
        training = self.training(pk)
        return Response(TrainingOut(training_row(training,
                                                 trained=training.trained.count())).data)

    @extend_schema(request=TrainingIn, responses=TrainingOut,
                   operation_id="plan_training_change",
                   description="Change a training: only the fields sent change.")
    def patch(self, request, pk: int):
        training = self.training(pk)
        form = _bound(TrainingForm, _shape(TrainingIn, request, partial=True),
                      instance=training)
        return _save_training(request.user, form)
