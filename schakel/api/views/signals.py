"""Signals: list, detail, file (step 1) and the route's steps, as on the pages.

Which signals: `Signal.objects.visible_to(user)`; what of each: `access_level`.
The reporter's identity is only in an officer's (level "full") answer.
"""

import json
import uuid

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from schakel.accounts.models import Role, User
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.signals import actions
from schakel.signals.access import Access, access_level, get_signal_for
from schakel.signals.forms import SUBJECT_FORMSETS, TRANSITION_FORMS, CloseForm, SignalForm
from schakel.signals.models import EventKind, ExploitationForm, Signal, own_signals
from schakel.signals.views import _intake_payload
from schakel.signals.workflow import State, find_transition, manual_transitions

from ..models import IdempotentRequest
from ..problems import Problem
from ..serializers import STATES, SignalIn, SignalOut, SignalSummaryOut, TransitionIn
from .base import ApiView

FILERS = (Role.EMPLOYEE, Role.TEAM_LEAD, Role.OFFICER)
IDEMPOTENCY_NAMESPACE = uuid.UUID("5d0c6a8e-3f57-4c1e-9a63-0d1f7a1c2b44")
_PREFIX_OF = {"person": "persons", "organisation": "organisations", "address": "addresses"}


# ---------------------------------------------------------------- output

def summary(signal: Signal, level: Access) -> dict:
    out = {
        "id": signal.pk, "reference": signal.reference, "state": signal.state,
        "version": signal.version, "access": level.value,
        "submitted_at": signal.submitted_at, "closed_at": signal.closed_at,
    }
    if level != Access.STATUS:
        out["urgent"] = signal.urgent
        out["forms"] = [f.code for f in signal.forms.all()]
    if level == Access.FULL:
        out["officer"] = signal.officer.display_name if signal.officer_id else None
    return out


def _subject(s, level) -> dict:
    out = {f: getattr(s, f) for f in (
        "id", "kind", "capacity", "name", "date_of_birth", "nationality", "description",
        "kvk_number", "street", "house_number", "house_number_addition", "postcode", "city")}
    if level == Access.FULL:
        out["pseudonym"] = s.pseudonym
    return out


def _event(e) -> dict:
    return {"at": e.at, "kind": e.kind, "transition": e.transition,
            "from_state": e.from_state, "to_state": e.to_state, "actor_role": e.actor_role,
            "remark": e.text, "code": e.code, "params": e.params}


def detail(signal: Signal, level: Access, user) -> dict:
    """One signal as the page shows it to this user (see signals/detail.html)."""
    out = summary(signal, level)
    out["received_at"] = signal.received_at
    if level == Access.STATUS:
        return out
    out.update({
        "reporter_informed_at": signal.reporter_informed_at,
        "indicators": [i.pk for i in signal.indicators.all()],
        "background": signal.background, "observed_where": signal.observed_where,
        "observed_on": signal.observed_on, "team_lead_consulted": signal.team_lead_consulted,
        "subjects": [_subject(s, level) for s in signal.subjects.all()],
    })
    if level == Access.OWN:
        out["message_for_reporter"] = signal.message_for_reporter
        out["events"] = [_event(e) for e in signal.events.filter(kind=EventKind.NOTE,
                                                                 actor=user)]
    if level == Access.FULL:
        reporter = signal.reporter
        out.update({
            "message_for_reporter": signal.message_for_reporter,
            "dismiss_reason": signal.dismiss_reason, "outcome": signal.outcome,
            "outcome_other": signal.outcome_other,
            "reporter": {"name": reporter.name, "email": reporter.email,
                         "phone": reporter.phone,
                         "team": reporter.team.name if reporter.team_id else None,
                         "team_lead_consulted_with": reporter.team_lead_consulted_with,
                         "pseudonym": reporter.pseudonym},
            "events": [_event(e) for e in signal.events.all()],
            "transitions": [t.name for t in manual_transitions(signal.state, user.role)],
        })
    return out


def etag(signal: Signal) -> str:
    return f'"{signal.version}"'


def _detail_response(request, signal, level, status=200, headers=None) -> Response:
    response = Response(SignalOut(detail(signal, level, request.user)).data, status=status,
                        headers=headers or {})
    response["ETag"] = etag(signal)
    response.keep_etag = True  # the version is a concurrency token, not a cache validator
    return response


# ---------------------------------------------------------------- list and file

class SignalCursor(CursorPagination):
    ordering = "-id"
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


TABS = ["new", "mine", "all", "own", "team"]


class SignalFilters(serializers.Serializer):
    tab = serializers.ChoiceField(
        choices=TABS, required=False,
        help_text="The pages' lists: the work queue's tabs new (submitted), mine (open, yours) "
                  "and all (officers); own (Mijn meldingen: what you reported or filed); team "
                  "(team leads: your team's signals). Without it: every signal you may see.")
    state = serializers.ChoiceField(choices=STATES, required=False)
    urgent = serializers.BooleanField(required=False, allow_null=True, default=None)
    form = serializers.CharField(max_length=20, required=False)
    mine = serializers.BooleanField(
        required=False, default=False,
        help_text="Officers: only the signals you handle, in any state (tab=mine is the "
                  "work queue's tab: the open ones).")
    submitted_after = serializers.DateField(required=False)
    submitted_before = serializers.DateField(required=False)


SignalPage = inline_serializer("SignalPage", {
    "next": serializers.URLField(allow_null=True),
    "previous": serializers.URLField(allow_null=True),
    "results": SignalSummaryOut(many=True),
})

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="Any unique text (a UUID): sending the same request again with the same key "
                "returns the signal the first one made, never a second signal.")


class SignalList(ApiView):
    roles = FILERS  # as the pages: the policy officer and administrators see no signals
    pagination_class = SignalCursor

    @extend_schema(parameters=[SignalFilters, OpenApiParameter("cursor", str),
                               OpenApiParameter("page_size", int)],
                   responses=SignalPage, operation_id="signals_list",
                   description="The signals you may see, newest first: an officer's queue, "
                               "a team lead's team and own signals, an employee's own.")
    def get(self, request):
        filters = SignalFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        user = request.user
        qs = _tab(Signal.objects.visible_to(user), user, params.get("tab"))
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        if params.get("urgent") is not None:
            qs = qs.filter(urgent=params["urgent"])
        if params.get("form"):
            qs = qs.filter(forms__code=params["form"])
        if params.get("mine"):
            qs = qs.filter(officer=user)
        if params.get("submitted_after"):
            qs = qs.filter(submitted_at__date__gte=params["submitted_after"])
        if params.get("submitted_before"):
            qs = qs.filter(submitted_at__date__lte=params["submitted_before"])
        qs = qs.select_related("reporter", "officer").prefetch_related("forms")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        rows = []
        for signal in page:
            level = access_level(user, signal)
            if level is not None:
                rows.append(summary(signal, level))
        return paginator.get_paginated_response(SignalSummaryOut(rows, many=True).data)

    @extend_schema(request=SignalIn, parameters=[IDEMPOTENCY],
                   responses={201: SignalOut, 200: SignalOut}, operation_id="signals_file",
                   description="Step 1: file a signal, as on the intake page and with its "
                               "rules. With `draft: true` it stays a draft only you see.")
    def post(self, request):
        user = request.user
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 100:
            raise Problem(status_code=428, type_="idempotentiesleutel-ontbreekt",
                          title=_("Idempotency key missing"),
                          detail=_("Send an Idempotency-Key header (at most 100 characters), "
                                   "so that a repeated request never files a second signal."))
        token = uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{user.pk}:{key}")
        body_hash = _body_hash(request.data)
        existing = Signal.objects.filter(submission_token=token).first()
        if existing is not None:
            return _replay(request, existing, token, body_hash)
        incoming = SignalIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        payload, draft = _validated_intake(user, incoming.validated_data, token)
        with transaction.atomic():
            signal = actions.signal_file(actor=user, submission_token=token,
                                         submit=not draft, **payload)
            first, made = IdempotentRequest.objects.get_or_create(
                token=token, defaults={"body_hash": body_hash, "signal": signal,
                                       "created_at": clock.now()})
        if not made:  # a request with the same key won the race a moment ago
            return _replay(request, signal, token, body_hash)
        signal, level = get_signal_for(user, signal.pk)
        location = reverse("api:signal", kwargs={"pk": signal.pk})
        return _detail_response(request, signal, level, status=201,
                                headers={"Location": location})


def _tab(qs, user, tab):
    """The same selection as the page of that name (signals/views.py: work_queue,
    my_signals, team_signals); the API's list test compares them for every role."""
    if tab == "new":
        return qs.filter(state=State.SUBMITTED)
    if tab == "mine":
        return qs.open_of(user)
    if tab == "own":
        return qs.filter(own_signals(user))
    if tab == "team":
        if user.role != Role.TEAM_LEAD:
            return qs.none()
        return qs.filter(reporter__team=user.team).exclude(state=State.DRAFT)
    return qs


def _body_hash(data) -> str:
    """A keyed hash of the body as JSON with sorted keys: the same request, however its
    keys were ordered or spaced, has the same hash; nobody can read the body from it."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return salted_hmac("schakel.api.idempotency", text, algorithm="sha256").hexdigest()


def _replay(request, signal, token, body_hash) -> Response:
    """The first answer again, for the same key and the same body; 422 for another body."""
    first = IdempotentRequest.objects.filter(token=token).only("body_hash").first()
    if first is not None and first.body_hash != body_hash:
        raise Problem(status_code=422, type_="idempotentiesleutel-hergebruikt",
                      title=_("Idempotency key reused"),
                      detail=_("This Idempotency-Key was used before with a different "
                               "request. Use a new key for a new signal."))
    signal, level = get_signal_for(request.user, signal.pk)
    return _detail_response(request, signal, level, headers={"Idempotent-Replayed": "true"})


def _validated_intake(user, data: dict, token) -> tuple[dict, bool]:
    """Run the intake page's forms on the API's data; 400 with the fields on any error."""
    draft = data["draft"]
    errors = []
    codes = data["forms"]
    known = dict(ExploitationForm.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors.append({"field": "forms",
                       "detail": _("Unknown form(s) of exploitation: %(codes)s")
                       % {"codes": ", ".join(unknown[:5])}})
    consulted = data.get("team_lead_consulted")
    form_data = {
        "urgent": data["urgent"], "exploitation_forms": [known[c] for c in codes if c in known],
        "indicators": data["indicators"], "background": data["background"],
        "observed_where": data["observed_where"],
        "observed_on": data["observed_on"].isoformat() if data.get("observed_on") else "",
        "team_lead_consulted": "" if consulted is None else ("yes" if consulted else "no"),
        "team_lead_consulted_with": data["team_lead_consulted_with"],
        "reporter_phone": data["reporter_phone"], "reporter_email": data["reporter_email"],
        "submission_token": str(token),
        "on_behalf_of": data.get("on_behalf_of") or "",
    }
    team_members = None
    if user.role == Role.TEAM_LEAD and user.team_id:
        team_members = User.objects.filter(team=user.team, is_active=True).exclude(pk=user.pk)
    elif data.get("on_behalf_of"):
        errors.append({"field": "on_behalf_of",
                       "detail": _("Only a team lead files a signal on behalf of someone.")})
    rows = {prefix: [] for prefix, _cls in SUBJECT_FORMSETS}
    where = {prefix: [] for prefix, _cls in SUBJECT_FORMSETS}
    for index, subject in enumerate(data.get("subjects") or []):
        prefix = _PREFIX_OF[subject["kind"]]
        values = {k: v for k, v in subject.items() if k != "kind"}
        if values.get("date_of_birth"):
            values["date_of_birth"] = values["date_of_birth"].isoformat()
        rows[prefix].append(values)
        where[prefix].append(index)
    for prefix, _cls in SUBJECT_FORMSETS:
        form_data[f"{prefix}-TOTAL_FORMS"] = str(len(rows[prefix]))
        form_data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, values in enumerate(rows[prefix]):
            for name, value in values.items():
                form_data[f"{prefix}-{i}-{name}"] = "" if value is None else value
    form = SignalForm(form_data, team_members=team_members, draft=draft)
    formsets = {prefix: cls(form_data, prefix=prefix, form_kwargs={"empty_permitted": True})
                for prefix, cls in SUBJECT_FORMSETS}
    names = {"exploitation_forms": "forms"}
    if not form.is_valid():
        for field, messages in form.errors.items():
            errors.extend({"field": names.get(field, field) if field != "__all__" else "",
                           "detail": m} for m in messages)
    for prefix, formset in formsets.items():
        if formset.is_valid():
            continue
        errors.extend({"field": "subjects", "detail": m} for m in formset.non_form_errors())
        for i, row_errors in enumerate(formset.errors):
            if i >= len(where[prefix]):
                continue
            for field, messages in row_errors.items():
                path = f"subjects[{where[prefix][i]}]" + (
                    f".{field}" if field != "__all__" else "")
                errors.extend({"field": path, "detail": m} for m in messages)
    if not errors:
        payload = _intake_payload(form, formsets, user)
        if not payload["subjects"] and not draft:
            errors.append({"field": "subjects", "detail": _(
                "Say who or what is involved: at least one person, organisation or address.")})
    if errors:
        raise Problem(status_code=400, type_="ongeldige-invoer",
                      title=_("The request is not valid"),
                      detail=_("One or more fields are not valid."), errors=errors)
    return payload, draft


# ---------------------------------------------------------------- one signal

class SignalDetail(ApiView):
    @extend_schema(responses=SignalOut, operation_id="signals_detail",
                   description="One signal, as far as you may see it. The ETag is its version.")
    def get(self, request, pk: int):
        signal, level = get_signal_for(request.user, pk)
        if level in (Access.FULL, Access.OWN, Access.TEAM):
            with transaction.atomic():
                log_processing(actor=request.user, activity=Activity.VIEW,
                               action=Action.READ, obj=signal)
        return _detail_response(request, signal, level)


def _expected_version(request, body_version) -> int | None:
    """The version the client saw: the body's `version`, or If-Match ("*" means any)."""
    header = request.headers.get("If-Match", "").strip()
    header_version = None
    if header and header != "*":
        text = header.removeprefix("W/").strip('"')
        if not text.isdigit():
            raise Problem(status_code=400, type_="ongeldige-versie",
                          title=_("The request is not valid"),
                          detail=_("If-Match must be the ETag of the signal, e.g. \"3\"."))
        header_version = int(text)
    if body_version is not None and header_version is not None and \
            body_version != header_version:
        raise Problem(status_code=400, type_="ongeldige-versie",
                      title=_("The request is not valid"),
                      detail=_("The version in the body and in If-Match differ."))
    version = body_version if body_version is not None else header_version
    if version is None and header != "*":
        raise Problem(status_code=428, type_="versie-ontbreekt",
                      title=_("Version missing"),
                      detail=_("Send the version you saw (the field 'version', or If-Match "
                               "with the ETag), so you never overwrite someone else's step."))
    return version


class SignalTransitions(ApiView):
    @extend_schema(request=TransitionIn, responses=SignalOut, operation_id="signals_transition",
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
                   description="Take a step of the route (officers): receive, dismiss, "
                               "inform_reporter, close. 409 when the version is stale or the "
                               "step is not possible in the signal's current status.")
    def post(self, request, pk: int):
        user = request.user
        signal, level = get_signal_for(user, pk)
        if level != Access.FULL:
            raise Http404
        incoming = TransitionIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        name = data.pop("name")
        version = _expected_version(request, data.pop("version", None))
        form_cls = TRANSITION_FORMS[name]
        kwargs = {"needs_message": signal.state == State.DISMISSED} \
            if form_cls is CloseForm else {}
        form = form_cls({f"{name}-{k}": v for k, v in
                         {**data, "version": signal.version if version is None else version}
                         .items()}, prefix=name, **kwargs)
        if not form.is_valid():
            raise Problem(status_code=400, type_="ongeldige-invoer",
                          title=_("The request is not valid"),
                          detail=_("One or more fields are not valid."),
                          errors=[{"field": f, "detail": m} for f, ms in form.errors.items()
                                  for m in ms])
        fields = dict(form.cleaned_data)
        fields.pop("version")
        if version is not None and version != signal.version:
            raise _conflict(signal, _("Someone else changed this signal in the meantime: "
                                      "read it again and retry with its current version."))
        if find_transition(signal.state, name) is None:
            raise _conflict(signal, _("The step '%(name)s' is not possible for a signal with "
                                      "the status '%(state)s'.")
                            % {"name": name, "state": State(signal.state).label},
                            type_="stap-niet-mogelijk")
        try:
            signal = getattr(actions, f"signal_{name}")(
                signal=signal, actor=user, expected_version=signal.version
                if version is None else version, **fields)
        except actions.MissingFields as exc:
            raise Problem(status_code=400, type_="ongeldige-invoer",
                          title=_("The request is not valid"), detail=exc.message,
                          errors=[{"field": f, "detail": exc.message}
                                  for f in exc.fields]) from None
        except actions.ConcurrentChange:
            signal.refresh_from_db()
            raise _conflict(signal, _("Someone else changed this signal in the meantime: "
                                      "read it again and retry with its current version.")
                            ) from None
        except actions.WorkflowError as exc:
            raise _conflict(signal, exc.message, type_="stap-niet-mogelijk") from None
        signal, level = get_signal_for(user, pk)
        return _detail_response(request, signal, level)


def _conflict(signal, detail, type_="verouderde-versie") -> Problem:
    return Problem(status_code=409, type_=type_, title=_("Conflict"), detail=detail,
                   headers={"ETag": etag(signal)})
