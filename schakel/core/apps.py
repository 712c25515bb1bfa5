from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "schakel.core"
    label = "core"

    def ready(self):
        from . import choice_ids

        choice_ids.install()
