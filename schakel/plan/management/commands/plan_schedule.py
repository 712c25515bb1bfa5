"""Plan every action's occurrences up to the end of next year. Idempotent: run it daily."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from schakel.plan.actions import plan_extend_schedules


class Command(BaseCommand):
    help = "Plan the occurrences of every active action up to the end of next year."

    def handle(self, *args, **options):
        created = plan_extend_schedules()
        self.stdout.write(ngettext("%(count)s new planned moment.",
                                   "%(count)s new planned moments.", created)
                          % {"count": created})
