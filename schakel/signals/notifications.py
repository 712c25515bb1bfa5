"""E-mails about signals. They carry a reference and a link, never personal data."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from schakel.accounts.models import Role, User

logger = logging.getLogger(__name__)


def notify_officers_of_new_signal(*, signal_id: int, reference: str, urgent: bool) -> None:
    """Tell the active officers a signal came in: its reference, URGENT if so, a link.

    The submit step passes the values it just wrote, so nothing is read back.
    """
    recipients = list(
        User.objects.filter(role=Role.OFFICER, is_active=True).exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        logger.warning("signal %s submitted but no officer has an e-mail address", signal_id)
        return
    link = settings.SITE_URL + reverse("signals:detail", args=[signal_id])
    with translation.override(settings.LANGUAGE_CODE):
        if urgent:
            subject = _("URGENT: new signal %(ref)s") % {"ref": reference}
        else:
            subject = _("New signal %(ref)s") % {"ref": reference}
        body = _(
            "A new signal has been submitted in Schakel.\n\n%(urgent)sOpen it here "
            "(you will be asked to log in):\n%(link)s\n\nThis message deliberately "
            "contains no personal data."
        ) % {
            "urgent": _("It is marked URGENT: immediate danger, immediate action needed.\n\n")
            if urgent else "",
            "link": link,
        }
    try:
        send_mail(f"[Schakel] {subject}", body, None, recipients)
    except OSError:
        # The signal is safe in the database; the work queue shows it regardless.
        logger.exception("could not e-mail officers about signal %s", signal_id)


def notify_reporter_of_message(signal_id: int) -> None:
    """Tell the reporter a message waits: the reference and a link, no content, no names.

    The address is the one the reporter gave with the signal, else their account's.
    A reporter who asked not to be mailed about this signal gets nothing.
    """
    from .models import ReporterIdentity, Signal

    signal = Signal.objects.only("reference", "mail_reporter").get(pk=signal_id)
    if not signal.mail_reporter:
        return
    identity = ReporterIdentity.objects.get(signal_id=signal_id)
    account = identity.user
    address = identity.email or (account.email if account and account.is_active else "")
    if not address:
        logger.info("signal %s: the reporter has no e-mail address; the message waits "
                    "under My signals", signal_id)
        return
    link = settings.SITE_URL + reverse("signals:mine")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("There is a message about your signal %(ref)s") % {"ref": signal.reference}
        body = _(
            "The officer for human trafficking has written a message about your signal "
            "%(ref)s.\n\nRead it under 'My signals' (you will be asked to log in):\n"
            "%(link)s\n\nThis e-mail deliberately contains no content and no names."
        ) % {"ref": signal.reference, "link": link}
    try:
        send_mail(f"[Schakel] {subject}", body, None, [address])
    except OSError:
        # The message is safe in the database; My signals shows it regardless.
        logger.exception("could not e-mail the reporter of signal %s", signal_id)
