"""Figures and the processing log: the council report's figures (officers and the policy
officer, as the dashboard) and the processing log's search (officers, as the page)."""


from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from schakel.accounts.models import Role
from schakel.audit.forms import LogSearchForm
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.audit.search import search_records
from schakel.core import clock
from schakel.reports import figures as fig
from schakel.reports.models import REPORT_ROLES

from ..problems import Problem
from .base import ApiView


class FiguresIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, required=False)


class ReportFigures(ApiView):
    roles = REPORT_ROLES

    @extend_schema(parameters=[FiguresIn], operation_id="reports_figures",
                   responses=inline_serializer("ReportFigures", {
                       "year": serializers.IntegerField(),
                       "threshold": serializers.IntegerField(),
                       "figures": serializers.JSONField()}),
                   description="The council report's figures of a year, anonymised with the "
                               "same small-number suppression as the dashboard.")
    def get(self, request):
        incoming = FiguresIn(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        this_year = timezone.localdate(clock.now()).year
        year = incoming.validated_data.get("year") or this_year
        if year > this_year:
            raise Problem(status_code=400, type_="ongeldige-invoer", title="",
                          detail=_("One or more fields are not valid."),
                          errors=[{"field": "year", "detail": _("This year has not begun.")}])
        # As the dashboard: officers see exact counts, the policy officer suppressed ones.
        t = 0 if request.user.role == Role.OFFICER else fig.threshold()
        return Response({"year": year, "threshold": t,
                         "figures": fig.council_figures(year, t)})


class RecordOut(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    activity = serializers.CharField()
    purpose = serializers.CharField(allow_blank=True)
    data_subject = serializers.CharField(allow_blank=True)
    action = serializers.CharField()
    actor = serializers.CharField(allow_blank=True)
    actor_role = serializers.CharField(allow_blank=True)
    object_type = serializers.CharField(allow_blank=True)
    object_id = serializers.CharField(allow_blank=True)
    trace_id = serializers.CharField()


class RecordCursor(CursorPagination):
    ordering = "-seq"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class LogSearch(ApiView):
    roles = (Role.OFFICER,)

    @extend_schema(operation_id="processing_log_search",
                   parameters=[OpenApiParameter("reference", str), OpenApiParameter("user", int),
                               OpenApiParameter("subject", OpenApiTypes.UUID),
                               OpenApiParameter("date_from", OpenApiTypes.DATE),
                               OpenApiParameter("date_to", OpenApiTypes.DATE),
                               OpenApiParameter("cursor", str),
                               OpenApiParameter("page_size", int)],
                   responses=inline_serializer("LogPage", {
                       "next": serializers.URLField(allow_null=True),
                       "previous": serializers.URLField(allow_null=True),
                       "results": RecordOut(many=True)}),
                   description="Who processed signal X, what did user Y process, everything "
                               "about data subject Z. The search itself is logged.")
    def get(self, request):
        form = LogSearchForm(request.query_params)
        if not form.is_valid():
            raise Problem(status_code=400, type_="ongeldige-invoer", title="",
                          detail=_("One or more fields are not valid."),
                          errors=[{"field": "" if f == "__all__" else f, "detail": m}
                                  for f, ms in form.errors.items() for m in ms])
        records = search_records(form.cleaned_data)  # the search page's own filters
        data = form.cleaned_data
        paginator = RecordCursor()
        page = paginator.paginate_queryset(records, request, view=self)
        log_processing(actor=request.user, activity=Activity.LOG_SEARCH, action=Action.READ,
                       subjects=[str(data["subject"])] if data["subject"] else None)
        return paginator.get_paginated_response(RecordOut([{
            "seq": r.seq, "at": r.ended_at, "activity": r.activity, "purpose": r.purpose,
            "data_subject": r.data_subject, "action": r.audit.action,
            "actor": r.audit.actor_username, "actor_role": r.audit.actor_role,
            "object_type": r.audit.object_type, "object_id": r.audit.object_id,
            "trace_id": r.trace_id} for r in page], many=True).data)
