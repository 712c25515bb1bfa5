"""E-mails about signals. They carry a reference and a link, never personal data."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from schakel.accounts.models import Role, User

logger = logging.getLogger(__name__)


def notify_officers_of_new_signal(signal_id: int) -> None:
    from .models import Signal

    signal = Signal.objects.only("reference", "urgent").get(pk=signal_id)
    recipients = list(
        User.objects.filter(role=Role.OFFICER, is_active=True).exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        logger.warning("signal %s submitted but no officer has an e-mail address", signal_id)
        return
    link = settings.SITE_URL + reverse("signals:detail", args=[signal.pk])
    with translation.override(settings.LANGUAGE_CODE):
        if signal.urgent:
            subject = _("URGENT: new signal %(ref)s") % {"ref": signal.reference}
        else:
            subject = _("New signal %(ref)s") % {"ref": signal.reference}
        body = _(
            "A new signal has been submitted in Schakel.\n\n%(urgent)sOpen it here "
            "(you will be asked to log in):\n%(link)s\n\nThis message deliberately "
            "contains no personal data."
        ) % {
            "urgent": _("It is marked URGENT: immediate danger, immediate action needed.\n\n")
            if signal.urgent else "",
            "link": link,
        }
    try:
        send_mail(f"[Schakel] {subject}", body, None, recipients)
    except OSError:
        # The signal is safe in the database; the work queue shows it regardless.
        logger.exception("could not e-mail officers about signal %s", signal_id)
