from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "schakel.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from . import revocation, schema  # noqa: F401 - schema registers the token scheme

        revocation.connect()
