from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "schakel.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import twofactor

        user_logged_in.connect(twofactor.on_login, dispatch_uid="schakel_2fa_on_login")
