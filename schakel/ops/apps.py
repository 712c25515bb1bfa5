from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Schakel: backups, health, metrics, log format (the top floor: reads all apps)."""

    name = "schakel.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from schakel.privacy import retention

        from .ledger import record_destruction

        if record_destruction not in retention.DESTROY_HOOKS:
            retention.DESTROY_HOOKS.append(record_destruction)
