from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "schakel.audit"
    label = "audit"
    verbose_name = _("Processing log")

    def ready(self):
        from . import destroy_hooks, retention

        for hook in destroy_hooks.HOOKS:
            if hook not in retention.DESTROY_HOOKS:
                retention.DESTROY_HOOKS.append(hook)
