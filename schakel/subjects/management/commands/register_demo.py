"""Demo data sets for the register (idempotent): a permit list and a list of risk addresses."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from schakel.core import clock
from schakel.subjects import actions, engine
from schakel.subjects.models import Record, Source

PERMITS = [
    ("HV-2019-014", "Café De Zwaan B.V.", "30123456", "Hoogstraat", "12", "", "3417AB"),
    ("HV-2021-003", "Snackbar Het Hoekje V.O.F.", "30234567", "Kerkstraat", "3", "a", "3417AC"),
    ("HV-2022-031", "Nagelstudio Parel", "30345678", "Molenweg", "45", "", "3417BD"),
    ("HV-2023-007", "Shoarma Montfoort Holding BV", "30456789", "Lindenlaan", "8", "bis",
     "3417CE"),
    ("HV-2024-019", "Massagesalon Lotus", "30567890", "Dorpsstraat", "101", "", "3417DF"),
]
RISK = [
    ("RA-01", "Kerkstraat", "3", "A", "3417AC", "Veel wisselende bewoners"),
    ("RA-02", "Molenweg", "45", "", "3417BD", "Melding overbewoning 2025"),
    ("RA-03", "Industrieweg", "7", "", "3417GH", "Bedrijfsruimte met slaapplaatsen"),
]
PERSONS = [
    ("BB-2024-02", "Jansen, P. (Pieter)", "1978-05-12", "Bibob-onderzoek horecavergunning"),
    ("BB-2025-05", "IJzerman, K.", "1969-07-01", "Bibob-onderzoek exploitatievergunning"),
    ("BB-2025-09", "Öztürk, M.", "1985-01-30", "Bibob-onderzoek vastgoed"),
]


class Command(BaseCommand):
    help = __doc__

    @transaction.atomic
    def handle(self, *args, **options):
        permits = self._source("Horecavergunningen", "Team Vergunningen", "confidential")
        risk = self._source("Risicoadressen", "Team Toezicht en Handhaving", "confidential")
        bibob = self._source("Bibob-dossiers (index)", "Bibob-coördinator", "secret")
        for ext, name, kvk, street, number, addition, postcode in PERMITS:
            self._put(permits, ext, kind="organisation", name=name, kvk_number=kvk,
                      street=street, house_number=number, house_number_addition=addition,
                      postcode=postcode, city="Montfoort")
        for ext, street, number, addition, postcode, remark in RISK:
            self._put(risk, ext, kind="address", street=street, house_number=number,
                      house_number_addition=addition, postcode=postcode, city="Montfoort",
                      remark=remark)
        for ext, name, dob, remark in PERSONS:
            self._put(bibob, ext, kind="person", name=name,
                      date_of_birth=dt.date.fromisoformat(dob), remark=remark)
        filed = actions.register_sync_subjects()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Register demo: 3 data sets, {filed} subjects of signals filed.")

    def _source(self, name, owner, level):
        return Source.objects.get_or_create(name=name, defaults={
            "owner": owner, "confidentiality": level, "imported_at": clock.now()})[0]

    def _put(self, source, ext, **fields):
        record = Record.objects.filter(source=source, external_id=ext).first()
        previous = {record.pk: engine.old_keys(record)} if record else {}
        record = record or Record(source=source, external_id=ext)
        for name, value in fields.items():
            setattr(record, name, value)
        record.updated_at = clock.now()
        engine.prepare(record)
        record.save()
        engine.reindex([record], previous)
