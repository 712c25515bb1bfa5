from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "schakel.partners"
    label = "partners"
    verbose_name = _("Chain partners")

    def ready(self):
        from schakel.signals.texts import SignalText, register

        register(
            SignalText("referral.message", _("Message to a chain partner"),
                       "partners.Referral", "message"),
            SignalText("referral.reason", _("Why a chain partner was chosen"),
                       "partners.Referral", "reason"),
            SignalText("referral.feedback_text", _("Feedback from a chain partner"),
                       "partners.Referral", "feedback_text", needs_reason=True),
            SignalText("referral.withdraw_reason", _("Reason a referral was withdrawn"),
                       "partners.Referral", "withdraw_reason"),
            SignalText("careskip.reason", _("Reason for not referring to care"),
                       "partners.CareCoordinatorSkip", "reason"),
        )
