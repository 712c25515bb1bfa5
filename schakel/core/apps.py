from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "schakel.core"
    label = "core"

    def ready(self):
        from . import choice_ids, lookups  # noqa: F401  (registers `in_constants`)

        choice_ids.install()

        from django.tasks.signals import task_finished

        from . import taskwatch

        task_finished.connect(taskwatch.retry_failed, dispatch_uid="schakel_task_retry")
