"""/api/v1/: the schema, its documentation, the resources; and the token pages."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import pages, problems
from .views import (
    attachments,
    directory,
    oversight,
    plan,
    plan_writes,
    referrals,
    register,
    signals,
    subjects,
)

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, public like the documentation (it holds no data)."""

    authentication_classes = []
    throttle_classes = []


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from this server (drf-spectacular-sidecar): no outside network."""

    authentication_classes = []
    throttle_classes = []
    template_name = "api/docs.html"


V1 = "api/v1/"

urlpatterns = [
    path(V1 + "schema/", SchemaView.as_view(), name="schema"),
    path(V1 + "docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path(V1 + "signals/", signals.SignalList.as_view(), name="signals"),
    path(V1 + "signals/<int:pk>/", signals.SignalDetail.as_view(), name="signal"),
    path(V1 + "signals/<int:pk>/transitions/", signals.SignalTransitions.as_view(),
         name="signal_transitions"),
    path(V1 + "signals/<int:pk>/attachments/", attachments.SignalAttachments.as_view(),
         name="signal_attachments"),
    path(V1 + "signals/<int:pk>/attachments/<int:attachment_pk>/",
         attachments.SignalAttachment.as_view(), name="signal_attachment"),
    path(V1 + "signals/<int:pk>/subjects/", subjects.SignalSubjects.as_view(),
         name="signal_subjects"),
    path(V1 + "signals/<int:pk>/subjects/<int:subject_pk>/", subjects.SignalSubject.as_view(),
         name="signal_subject"),
    path(V1 + "signals/<int:pk>/subjects/<int:subject_pk>/links/",
         subjects.SubjectLinks.as_view(), name="signal_subject_links"),
    path(V1 + "signals/<int:pk>/referrals/", referrals.SignalReferrals.as_view(),
         name="signal_referrals"),
    path(V1 + "referrals/<int:pk>/", referrals.ReferralDetail.as_view(), name="referral"),
    path(V1 + "referrals/<int:pk>/send/", referrals.ReferralSend.as_view(),
         name="referral_send"),
    path(V1 + "referrals/<int:pk>/withdraw/", referrals.ReferralWithdraw.as_view(),
         name="referral_withdraw"),
    path(V1 + "referrals/<int:pk>/feedback/", referrals.ReferralFeedback.as_view(),
         name="referral_feedback"),
    path(V1 + "partners/", directory.PartnerList.as_view(), name="partners"),
    path(V1 + "partners/<int:pk>/", directory.PartnerDetail.as_view(), name="partner"),
    path(V1 + "register/match/", register.RegisterMatch.as_view(), name="register_match"),
    path(V1 + "plan/actions/", plan.PlanActions.as_view(), name="plan_actions"),
    path(V1 + "plan/occurrences/<int:pk>/", plan_writes.OccurrenceDetail.as_view(),
         name="plan_occurrence"),
    path(V1 + "plan/occurrences/<int:pk>/done/", plan_writes.OccurrenceDone.as_view(),
         name="plan_occurrence_done"),
    path(V1 + "plan/occurrences/<int:pk>/skip/", plan_writes.OccurrenceSkip.as_view(),
         name="plan_occurrence_skip"),
    path(V1 + "plan/occurrences/<int:pk>/move/", plan_writes.OccurrenceMove.as_view(),
         name="plan_occurrence_move"),
    path(V1 + "plan/occurrences/<int:pk>/link/", plan_writes.OccurrenceLink.as_view(),
         name="plan_occurrence_link"),
    path(V1 + "plan/occurrences/<int:pk>/reopen/", plan_writes.OccurrenceReopen.as_view(),
         name="plan_occurrence_reopen"),
    path(V1 + "plan/meetings/", plan_writes.Meetings.as_view(), name="plan_meetings"),
    path(V1 + "plan/meetings/<int:pk>/", plan_writes.MeetingDetail.as_view(),
         name="plan_meeting"),
    path(V1 + "plan/controls/", plan_writes.Controls.as_view(), name="plan_controls"),
    path(V1 + "plan/controls/<int:pk>/", plan_writes.ControlDetail.as_view(),
         name="plan_control"),
    path(V1 + "plan/trainings/", plan_writes.Trainings.as_view(), name="plan_trainings"),
    path(V1 + "plan/trainings/<int:pk>/", plan_writes.TrainingDetail.as_view(),
         name="plan_training"),
    path(V1 + "reports/figures/", oversight.ReportFigures.as_view(), name="report_figures"),
    path(V1 + "processing-log/", oversight.LogSearch.as_view(), name="processing_log"),
    re_path(r"^api/", problems.not_found, name="not_found"),
    path("account/tokens/", pages.tokens_page, name="tokens"),
    path("account/tokens/<int:pk>/intrekken/", pages.token_revoke, name="token_revoke"),
    path("account/systeemtokens/", pages.system_tokens_page, name="system_tokens"),
    path("account/systeemtokens/<int:pk>/<slug:decision>/", pages.system_token_decide,
         name="system_token_decide"),
]
