"""Demo data of the reports app: a rendered draft of this year's council report. Idempotent.

This year, because the demo's history of the plan (meetings, controls, trainings linked
to their moments) lies in this year: the draft shows the plan as the year ran."""

from django.core.management.base import BaseCommand

from schakel.core import clock
from schakel.reports.models import Report
from schakel.reports.tasks import render_now

INTRODUCTION = ("Dit jaar is de interne meldroute verder bekendgemaakt en zijn de eerste "
                "signalen via Schakel gemeld en doorgezet.")
PILLARS = {
    "1": "Medewerkers met klantcontact zijn getraind in het herkennen van signalen.",
    "2": "De interne meldroute is uitgewerkt en in werkoverleggen besproken.",
    "3": "De regionale bijeenkomsten en het overleg met de uitvoerende partners zijn gehouden.",
    "4": "Er zijn integrale controles op risicoadressen uitgevoerd.",
    "5": "Deze rapportage is de jaarlijkse terugkoppeling aan de raad.",
}


class Command(BaseCommand):
    help = "Make a draft of this year's council report, rendered at once (only if none exists)."

    def handle(self, *args, **options):
        year = clock.now().year
        quiet = options["verbosity"] == 0
        if Report.objects.filter(year=year).exists():
            if not quiet:
                self.stdout.write(f"council report {year}: already there")
            return
        report = Report.objects.create(year=year, created_at=clock.now(),
                                       introduction=INTRODUCTION, pillar_texts=PILLARS,
                                       conclusion="De aanpak wordt in het nieuwe jaar voortgezet.")
        outcome = render_now(report.pk)
        if not quiet:
            self.stdout.write(f"council report {year}: {outcome}")
