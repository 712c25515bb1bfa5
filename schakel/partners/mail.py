"""The texts of the e-mails about referrals: references and links, never personal data."""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from .models import OutboxMessage


def _municipality() -> str:
    return settings.SCHAKEL["MUNICIPALITY"]


def referral(referral, *, reminder: bool = False) -> tuple[str, str]:
    """To the partner: a request for feedback with a single-use link (filled in at delivery)."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"ref": referral.signal.reference, "municipality": _municipality(),
                  "partner": referral.partner.name,
                  "link": OutboxMessage.LINK_PLACEHOLDER}
        if reminder:
            subject = _("Reminder: feedback requested on signal %(ref)s") % values
            opening = _("The municipality of %(municipality)s referred signal %(ref)s about "
                        "possible human trafficking to %(partner)s and has not yet received "
                        "your feedback. This is a new link; earlier links no longer work.") % values
        else:
            subject = _("Referral of signal %(ref)s about possible human trafficking") % values
            opening = _("The municipality of %(municipality)s refers signal %(ref)s about "
                        "possible human trafficking to %(partner)s.") % values
        if referral.priority == "immediate":
            subject = _("URGENT: %(subject)s") % {"subject": subject}
        body = "\n\n".join([
            opening,
            _("Open the referral through this personal link. It shows what the municipality "
              "shares with you; there you confirm receipt and give your feedback:") + "\n"
            + values["link"],
            _("The link works once for your feedback and expires after a number of days. "
              "Do not forward it. If it no longer works, contact the officer for human "
              "trafficking of the municipality."),
            _("This message deliberately contains no personal data."),
        ])
    return f"[Schakel] {subject}", body


def feedback_notice(referral) -> tuple[str, str]:
    """To the officer: a partner answered."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"ref": referral.signal.reference, "partner": referral.partner.name,
                  "link": settings.SITE_URL + reverse("signals:detail",
                                                      args=[referral.signal_id])}
        subject = _("Feedback from %(partner)s on signal %(ref)s") % values
        body = _("%(partner)s gave feedback on signal %(ref)s. Read it here (you will be asked "
                 "to log in):\n%(link)s\n\nThis message deliberately contains no personal "
                 "data.") % values
    return f"[Schakel] {subject}", body


def digest(rows, today, *, undelivered=(), stopped: int = 0) -> tuple[str, str]:
    """To an officer: overdue feedback, requests that did not arrive, mail that stopped trying.

    References, partners and counts only.
    """
    with translation.override(settings.LANGUAGE_CODE):
        day = formats.date_format(today, "j F Y")
        if rows:
            subject = _("Overdue feedback on %(day)s: %(count)s referral(s)") % {
                "day": day, "count": len(rows)}
        else:
            subject = _("E-mails not delivered on %(day)s") % {"day": day}
        lines = []
        if rows:
            lines += [_("Feedback from these chain partners is overdue:"), ""]
            for referral in rows:
                lines.append("- " + _("%(ref)s, %(partner)s: due %(due)s, reminders sent: "
                                      "%(n)s") % {
                    "ref": referral.signal.reference, "partner": referral.partner.name,
                    "due": formats.date_format(referral.due_at, "j F Y"),
                    "n": referral.reminders_sent,
                })
            lines.append("")
        if undelivered:
            lines += [_("Not delivered: these chain partners did not receive the request; "
                        "the feedback period has not started. Check the address or call "
                        "the partner:"), ""]
            for referral in undelivered:
                lines.append("- " + _("%(ref)s, %(partner)s") % {
                    "ref": referral.signal.reference, "partner": referral.partner.name})
            lines.append("")
        if stopped:
            lines += [_("%(n)s e-mail(s) could not be delivered for the whole retry period; "
                        "Schakel no longer tries them by itself. Send them again from "
                        "Outgoing mail:") % {"n": stopped},
                      settings.SITE_URL + reverse("partners:outbox") + "?status=failed", ""]
        lines += [_("The overview (you will be asked to log in):"),
                  settings.SITE_URL + reverse("partners:referrals") + "?show=overdue", "",
                  _("This message deliberately contains no personal data.")]
    return f"[Schakel] {subject}", "\n".join(lines)
