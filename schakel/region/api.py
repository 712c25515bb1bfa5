"""The two endpoints the region fetches, and nothing else takes a regional token.

GET /api/v1/region/share/   the anonymous share (`share.build_share`)
GET /api/v1/region/agenda/  the open, confirmed-anonymous questions for the regional meeting

Both answer only a system token with the scope "region" (any other caller: 404, as a
page answers a role without access); with sharing switched off, 403. Every fetch is in
the processing log (`actions.share_fetched`). The agenda has its own endpoint so that
the share stays free of any text.
"""

import json

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.response import Response

from schakel.api.models import ApiToken
from schakel.api.views.base import ApiView

from . import actions
from .models import ShareSwitch
from .share import build_share


class RegionTokenOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        token = request.auth
        if not (isinstance(token, ApiToken) and token.region_only
                and request.user.is_active):
            raise Http404
        return True


class _RegionView(ApiView):
    accepts_region_token = True
    permission_classes = [RegionTokenOnly]

    def _switched_on(self):
        if not ShareSwitch.current().enabled:
            raise exceptions.PermissionDenied(
                _("This municipality does not share its figures with the region."))

    def _answer(self, request, what: str, data: dict) -> Response:
        actions.share_fetched(token=request.auth, what=what,
                              size=len(json.dumps(data, separators=(",", ":"))))
        return Response(data)


class RegionShare(_RegionView):
    @extend_schema(summary="The anonymous share for the region", responses={
        200: OpenApiResponse(description="Counts per quarter, per partner and per action; "
                                         "no reference, name, date or free text.")})
    def get(self, request):
        self._switched_on()
        return self._answer(request, "share", build_share())


class RegionAgenda(_RegionView):
    @extend_schema(summary="Anonymous questions for the regional meeting", responses={
        200: OpenApiResponse(description="Open questions an officer confirmed anonymous.")})
    def get(self, request):
        self._switched_on()
        from .validate import AGENDA_SCHEMA

        return self._answer(request, "agenda", {"schema": AGENDA_SCHEMA,
                                                "items": actions.agenda_items()})
