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


class SignalsConfig(AppConfig):
    name = "schakel.signals"
    label = "signals"
    verbose_name = _("Signals")

    def ready(self):
        from schakel.audit.references import register_reference

        register_reference(signal_by_reference)
