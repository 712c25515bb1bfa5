"""Referrals (step 4 and 5), for officers: the same actions as the referral pages.

Which referrals: `Referral.objects.visible_to(user)` (officers only, of the signals
they may see); everyone else gets the page's 404.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from schakel.accounts.models import Role
from schakel.partners import actions
from schakel.partners.models import (
    FeedbackChannel,
    FeedbackOutcome,
    Part,
    Partner,
    Priority,
    Referral,
)
from schakel.signals.access import get_signal_for_officer

from ..problems import Problem
from .base import ApiView


class ReferralOut(serializers.Serializer):
    id = serializers.IntegerField()
    signal = serializers.IntegerField()
    partner = serializers.IntegerField()
    partner_name = serializers.CharField()
    state = serializers.CharField()
    parts = serializers.ListField(child=serializers.CharField())
    subject_ids = serializers.ListField(child=serializers.IntegerField())
    priority = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    feedback_at = serializers.DateTimeField(allow_null=True)
    feedback_outcome = serializers.CharField(allow_blank=True)
    feedback_text = serializers.CharField(allow_blank=True)
    feedback_channel = serializers.CharField(allow_blank=True)


class ReferralListOut(serializers.Serializer):
    results = ReferralOut(many=True)


class ChoiceIn(serializers.Serializer):
    partner = serializers.IntegerField(min_value=1)
    parts = serializers.ListField(child=serializers.ChoiceField(choices=Part.choices),
                                  default=list, max_length=10)
    subjects = serializers.ListField(child=serializers.IntegerField(min_value=1),
                                     default=list, max_length=100)
    message = serializers.CharField(max_length=5000, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)


class ReferIn(serializers.Serializer):
    referrals = ChoiceIn(many=True, min_length=1, max_length=30)
    care_skip_reason = serializers.CharField(max_length=2000, allow_blank=True, default="",
                                             help_text="Why the care coordinator is left out.")
    send = serializers.BooleanField(default=True, help_text="False: keep them as drafts.")


class WithdrawIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class FeedbackIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=FeedbackOutcome.choices)
    text = serializers.CharField(max_length=5000, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=[c for c in FeedbackChannel.choices
                                               if c[0] != FeedbackChannel.LINK])


def referral_out(r: Referral) -> dict:
    return {"id": r.pk, "signal": r.signal_id, "partner": r.partner_id,
            "partner_name": r.partner.name, "state": r.state, "parts": r.parts,
            "subject_ids": r.subject_ids, "priority": r.priority, "message": r.message,
            "sent_at": r.sent_at, "due_at": r.due_at, "feedback_at": r.feedback_at,
            "feedback_outcome": r.feedback_outcome, "feedback_text": r.feedback_text,
            "feedback_channel": r.feedback_channel}


def _refused(exc) -> Problem:
    return Problem(status_code=409, type_="verwijzing-niet-mogelijk", title=_("Conflict"),
                   detail=exc.message)


class SignalReferrals(ApiView):
    roles = (Role.OFFICER,)

    @extend_schema(responses=ReferralListOut, operation_id="signals_referrals_list")
    def get(self, request, pk: int):
        signal = get_signal_for_officer(request.user, pk)
        rows = Referral.objects.visible_to(request.user).filter(signal=signal) \
            .select_related("partner")
        return Response(ReferralListOut({"results": [referral_out(r) for r in rows]}).data)

    @extend_schema(request=ReferIn, responses={201: ReferralListOut},
                   operation_id="signals_referrals_create",
                   description="Step 4: refer the signal to partners, each with only the "
                               "parts chosen for it; sent at once unless `send` is false.")
    def post(self, request, pk: int):
        signal = get_signal_for_officer(request.user, pk)
        incoming = ReferIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        ids = [c["partner"] for c in data["referrals"]]
        partners = Partner.objects.filter(pk__in=ids, active=True).in_bulk()
        missing = [i for i in ids if i not in partners]
        if missing or len(set(ids)) != len(ids):
            raise Problem(status_code=400, type_="ongeldige-invoer",
                          title=_("The request is not valid"),
                          detail=_("Choose each active partner at most once."),
                          errors=[{"field": "referrals", "detail": _("Unknown or repeated "
                                                                     "partner.")}])
        choices = [actions.Choice(partner=partners[c["partner"]], parts=c["parts"],
                                  subject_ids=c["subjects"], message=c["message"],
                                  reason=c["reason"], priority=c["priority"])
                   for c in data["referrals"]]
        try:
            made = actions.signal_referrals_create(
                signal=signal, actor=request.user, choices=choices,
                care_skip_reason=data["care_skip_reason"], send=data["send"])
        except actions.ReferralError as exc:
            raise _refused(exc) from None
        rows = Referral.objects.filter(pk__in=[r.pk for r in made]).select_related("partner")
        return Response(ReferralListOut({"results": [referral_out(r) for r in rows]}).data,
                        status=201)


def _referral_for(user, pk) -> Referral:
    referral = (Referral.objects.visible_to(user).select_related("signal", "partner")
                .filter(pk=pk).first())
    if referral is None:
        raise Http404
    return referral


class ReferralDetail(ApiView):
    roles = (Role.OFFICER,)

    @extend_schema(responses=ReferralOut, operation_id="referrals_detail")
    def get(self, request, pk: int):
        return Response(ReferralOut(referral_out(_referral_for(request.user, pk))).data)


class ReferralSend(ApiView):
    roles = (Role.OFFICER,)

    @extend_schema(request=None, responses=ReferralOut, operation_id="referrals_send")
    def post(self, request, pk: int):
        referral = _referral_for(request.user, pk)
        try:
            referral = actions.referral_send(referral=referral, actor=request.user)
        except actions.ReferralError as exc:
            raise _refused(exc) from None
        return Response(ReferralOut(referral_out(_referral_for(request.user, pk))).data)


class ReferralWithdraw(ApiView):
    roles = (Role.OFFICER,)

    @extend_schema(request=WithdrawIn, responses=ReferralOut, operation_id="referrals_withdraw")
    def post(self, request, pk: int):
        referral = _referral_for(request.user, pk)
        incoming = WithdrawIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            actions.referral_withdraw(referral=referral, actor=request.user,
                                      reason=incoming.validated_data["reason"])
        except actions.ReferralError as exc:
            raise _refused(exc) from None
        return Response(ReferralOut(referral_out(_referral_for(request.user, pk))).data)


class ReferralFeedback(ApiView):
    roles = (Role.OFFICER,)

    @extend_schema(request=FeedbackIn, responses=ReferralOut, operation_id="referrals_feedback",
                   description="Step 5: record feedback received by phone, letter, e-mail or "
                               "in a meeting.")
    def post(self, request, pk: int):
        referral = _referral_for(request.user, pk)
        incoming = FeedbackIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            actions.referral_record_feedback(referral=referral, actor=request.user,
                                             **incoming.validated_data)
        except actions.ReferralError as exc:
            raise _refused(exc) from None
        return Response(ReferralOut(referral_out(_referral_for(request.user, pk))).data)
