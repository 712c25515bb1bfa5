from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "schakel.plan"
    label = "plan"
    verbose_name = _("Action plan")

    def ready(self):
        from schakel.signals.texts import SignalText, register

        register(
            SignalText("agenda.question", _("Question for the case meeting"),
                       "plan.AgendaItem", "question"),
            SignalText("agenda.decision", _("Decision of the case meeting"),
                       "plan.AgendaItem", "decision"),
        )
