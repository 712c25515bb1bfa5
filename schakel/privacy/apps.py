from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "schakel.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from . import destroy_hooks, retention

        for hook in destroy_hooks.HOOKS:
            if hook not in retention.DESTROY_HOOKS:
                retention.DESTROY_HOOKS.append(hook)
