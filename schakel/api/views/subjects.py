"""A signal's subjects (betrokkenen): read as on the signal page; added, corrected and
linked to register records by the officer during enrichment (step 3).

Who reads them is the signal page's rule: the officer, whoever filed or reported the
signal, the team lead before receipt; a team lead after receipt sees the status only,
so gets the 404 the signal's outsiders get. Adding and correcting run the intake
page's forms (the same rules as filing) and `subjects.actions.subject_add/update`;
linking is the enrichment page's `link_decide` on a record the officer may search.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.signals.access import Access, get_signal_for
from schakel.signals.actions import WorkflowError
from schakel.signals.forms import SUBJECT_FORMSETS
from schakel.signals.models import Subject
from schakel.subjects import actions
from schakel.subjects.models import Decision, Link, Record

from ..problems import Problem
from ..serializers import SubjectIn, SubjectOut
from .base import ApiView
from .signals import _subject

FORMS = {formset.form.kind: formset.form for _prefix, formset in SUBJECT_FORMSETS}
SEES_SUBJECTS = (Access.FULL, Access.OWN, Access.TEAM)


class LinkOut(serializers.Serializer):
    record = serializers.IntegerField()
    source = serializers.CharField()
    decision = serializers.CharField()
    score = serializers.IntegerField()
    at = serializers.DateTimeField()


class SubjectWithLinksOut(SubjectOut):
    links = LinkOut(many=True, required=False,
                    help_text="Officers: the enrichment's decisions on register records.")


class SubjectList(serializers.Serializer):
    results = SubjectWithLinksOut(many=True)


class SubjectChange(SubjectIn):
    kind = serializers.ChoiceField(choices=SubjectIn().fields["kind"].choices, required=False,
                                   help_text="Not changeable; ignored.")


def _rows(signal, level, subjects) -> list[dict]:
    rows = []
    for subject in subjects:
        row = _subject(subject, level)
        if level == Access.FULL:
            row["links"] = [{"record": link.record_id, "source": link.record.source.name,
                             "decision": link.decision, "score": link.score, "at": link.at}
                            for link in subject.links.all()]
        rows.append(row)
    return rows


def _subjects(signal, level):
    qs = Subject.objects.filter(signal=signal)
    if level == Access.FULL:
        qs = qs.prefetch_related(Prefetch(
            "links", queryset=Link.objects.select_related("record__source").order_by("at")))
    return qs


def _signal_for(user, pk, *, write=False):
    signal, level = get_signal_for(user, pk)
    if level not in ((Access.FULL,) if write else SEES_SUBJECTS):
        raise Http404
    return signal, level


def _checked(kind, data: dict) -> dict:
    """The intake page's form for this kind of subject, on the API's data."""
    form_cls = FORMS[kind]
    values = {k: ("" if v is None else v) for k, v in data.items() if k in form_cls.base_fields}
    form = form_cls(values)
    if not form.is_valid():
        raise Problem(status_code=400, type_="ongeldige-invoer",
                      title=_("The request is not valid"),
                      detail=_("One or more fields are not valid."),
                      errors=[{"field": "" if f == "__all__" else f, "detail": m}
                              for f, ms in form.errors.items() for m in ms])
    return {k: ("" if v is None and k != "date_of_birth" else v)
            for k, v in form.cleaned_data.items()}


def _refused(exc) -> Problem:
    return Problem(status_code=409, type_="stap-niet-mogelijk", title=_("Conflict"),
                   detail=exc.message)


def _read_logged(user, signal) -> None:
    with transaction.atomic():
        log_processing(actor=user, activity=Activity.VIEW, action=Action.READ, obj=signal)


class SignalSubjects(ApiView):
    @extend_schema(responses=SubjectList, operation_id="signals_subjects",
                   description="The people, organisations and addresses of a signal, as far "
                               "as you may see them; officers also see the enrichment's links.")
    def get(self, request, pk: int):
        signal, level = _signal_for(request.user, pk)
        _read_logged(request.user, signal)
        return Response(SubjectList({"results": _rows(signal, level,
                                                      _subjects(signal, level))}).data)

    @extend_schema(request=SubjectIn, responses={201: SubjectWithLinksOut},
                   operation_id="signals_subjects_add",
                   description="Officers (step 3): add a person, organisation or address, "
                               "checked as on the intake page. 409 once the signal is closed "
                               "or dismissed.")
    def post(self, request, pk: int):
        signal, level = _signal_for(request.user, pk, write=True)
        try:
            actions.check_subjects_open(signal)  # a closed signal: 409 whatever was sent
        except WorkflowError as exc:
            raise _refused(exc) from None
        incoming = SubjectIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        kind = data.pop("kind")
        try:
            subject = actions.subject_add(actor=request.user, signal=signal, kind=kind,
                                          values=_checked(kind, data))
        except WorkflowError as exc:
            raise _refused(exc) from None
        return Response(SubjectWithLinksOut(_rows(signal, level, [subject])[0]).data,
                        status=201)


class SignalSubject(ApiView):
    def subject(self, request, pk, subject_pk, *, write=False):
        signal, level = _signal_for(request.user, pk, write=write)
        subject = _subjects(signal, level).filter(pk=subject_pk).first()
        if subject is None:
            raise Http404
        return signal, level, subject

    @extend_schema(responses=SubjectWithLinksOut, operation_id="signals_subject")
    def get(self, request, pk: int, subject_pk: int):
        signal, level, subject = self.subject(request, pk, subject_pk)
        _read_logged(request.user, signal)
        return Response(SubjectWithLinksOut(_rows(signal, level, [subject])[0]).data)

    @extend_schema(request=SubjectChange, responses=SubjectWithLinksOut,
                   operation_id="signals_subject_change",
                   description="Officers (step 3): correct a subject; only the fields sent "
                               "change, checked as on the intake page.")
    def patch(self, request, pk: int, subject_pk: int):
        signal, level, subject = self.subject(request, pk, subject_pk, write=True)
        incoming = SubjectChange(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        form_cls = FORMS[subject.kind]
        current = {name: getattr(subject, name) for name in form_cls.base_fields}
        data = {**current, **{k: v for k, v in incoming.validated_data.items() if k != "kind"}}
        try:
            subject = actions.subject_update(actor=request.user, signal=signal, subject=subject,
                                             values=_checked(subject.kind, data))
        except WorkflowError as exc:
            raise _refused(exc) from None
        subject = _subjects(signal, level).get(pk=subject.pk)
        return Response(SubjectWithLinksOut(_rows(signal, level, [subject])[0]).data)


class SubjectLinkIn(serializers.Serializer):
    record = serializers.IntegerField(min_value=1, help_text="A register record's id, e.g. a "
                                      "candidate from register/match.")
    decision = serializers.ChoiceField(choices=Decision.choices)
    score = serializers.IntegerField(min_value=0, max_value=100, required=False, default=0)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SubjectLinks(ApiView):
    @extend_schema(request=SubjectLinkIn, responses=SubjectWithLinksOut,
                   operation_id="signals_subject_link",
                   description="Officers (step 3): link this subject to a register record, or "
                               "reject the candidate, as on the enrichment page. Deciding "
                               "again on the same record changes the decision.")
    def post(self, request, pk: int, subject_pk: int):
        signal, level = _signal_for(request.user, pk, write=True)
        subject = _subjects(signal, level).filter(pk=subject_pk).first()
        incoming = SubjectLinkIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        record = (Record.objects.visible_to(request.user).select_related("source")
                  .filter(pk=data["record"]).first())
        if subject is None or record is None:
            raise Http404
        actions.link_decide(actor=request.user, signal=signal, subject=subject, record=record,
                            decision=data["decision"], score=data["score"],
                            reason=data["reason"])
        subject = _subjects(signal, level).get(pk=subject.pk)
        return Response(SubjectWithLinksOut(_rows(signal, level, [subject])[0]).data)
