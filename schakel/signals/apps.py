from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def signal_by_reference(text: str) -> tuple[str, str] | None:
    """The processing log's search by signal reference ("MH-2026-00001")."""
    from .models import Signal

    # References are written in capitals: an exact match on the unique index, not a
    # case-insensitive scan of every signal.
    pk = (Signal.objects.filter(reference__in={text, text.upper()})
          .values_list("pk", flat=True).first())
    return (Signal._meta.label_lower, str(pk)) if pk is not None else None


def signal_names(ids: list[str]) -> dict[str, str]:
    """The processing log shows a signal by its reference, a draft as a draft."""
    from django.utils.translation import gettext as _

    from .models import Signal

    numeric = [int(i) for i in ids if i.isdigit()]
    return {str(pk): reference or _("draft signal %(id)s") % {"id": pk}
            for pk, reference in Signal.objects.filter(pk__in=numeric).order_by()
            .values_list("pk", "reference")}


class SignalsConfig(AppConfig):
    name = "schakel.signals"
    label = "signals"
    verbose_name = _("Signals")

    def ready(self):
        from schakel.audit.references import register_namer, register_reference

        register_reference(signal_by_reference)
        register_namer("signals.signal", signal_names)
