"""The partner directory, for the roles that see it on the pages (officers, administrators)."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from schakel.accounts.models import Role
from schakel.core import clock
from schakel.partners.models import Partner

from .base import ApiView

DIRECTORY_ROLES = (Role.OFFICER, Role.ADMIN)


class ContactOut(serializers.Serializer):
    name = serializers.CharField()
    function = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)


class PartnerOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    email = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)
    forms = serializers.ListField(child=serializers.CharField())
    takes_signals = serializers.BooleanField()
    takes_advice = serializers.BooleanField()
    takes_care = serializers.BooleanField()
    is_care_coordinator = serializers.BooleanField()
    is_demo = serializers.BooleanField()
    active = serializers.BooleanField()
    last_verified = serializers.DateField(allow_null=True)
    verification_overdue = serializers.BooleanField()
    contacts = ContactOut(many=True, required=False)


def partner_out(partner: Partner, today, contacts=False) -> dict:
    out = {f: getattr(partner, f) for f in (
        "id", "name", "description", "email", "phone", "takes_signals", "takes_advice",
        "takes_care", "is_care_coordinator", "is_demo", "active", "last_verified")}
    out["forms"] = [f.code for f in partner.forms.all()]
    out["verification_overdue"] = partner.verification_overdue(today)
    if contacts:
        out["contacts"] = [{"name": c.name, "function": c.function, "email": c.email,
                            "phone": c.phone} for c in partner.contacts.all()]
    return out


class PartnerCursor(CursorPagination):
    ordering = "name"  # unique
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


PartnerPage = inline_serializer("PartnerPage", {
    "next": serializers.URLField(allow_null=True),
    "previous": serializers.URLField(allow_null=True),
    "results": PartnerOut(many=True),
})


class PartnerList(ApiView):
    roles = DIRECTORY_ROLES

    @extend_schema(responses=PartnerPage, operation_id="partners_list",
                   parameters=[OpenApiParameter("active", bool), OpenApiParameter("cursor", str),
                               OpenApiParameter("page_size", int)],
                   description="The chain partners (officers and administrators).")
    def get(self, request):
        qs = Partner.objects.prefetch_related("forms").annotate(contact_count=Count("contacts"))
        active = request.query_params.get("active")
        if active in ("true", "false"):
            qs = qs.filter(active=active == "true")
        paginator = PartnerCursor()
        page = paginator.paginate_queryset(qs, request, view=self)
        today = clock.now().date()
        return paginator.get_paginated_response(
            PartnerOut([partner_out(p, today) for p in page], many=True).data)


class PartnerDetail(ApiView):
    roles = DIRECTORY_ROLES

    @extend_schema(responses=PartnerOut, operation_id="partners_detail")
    def get(self, request, pk: int):
        partner = get_object_or_404(Partner.objects.prefetch_related("forms", "contacts"), pk=pk)
        return Response(PartnerOut(partner_out(partner, clock.now().date(), contacts=True)).data)
