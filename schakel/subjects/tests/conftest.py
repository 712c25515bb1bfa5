import datetime as dt

import pytest

from schakel.subjects import engine
from schakel.subjects.models import Record, Source

ROLES = ["employee", "team_lead", "policy", "admin"]


@pytest.fixture
def source(db):
    return Source.objects.create(name="Horecavergunningen", owner="Team Vergunningen",
                                 confidentiality="confidential")


@pytest.fixture
def add_record(source):
    """Put a record in the register, keys and all, as an import would."""
    counter = iter(range(1, 10_000))

    def add(kind="person", src=None, **fields):
        if isinstance(fields.get("date_of_birth"), str):
            fields["date_of_birth"] = dt.date.fromisoformat(fields["date_of_birth"])
        record = Record(source=src or source, external_id=f"r{next(counter)}", kind=kind,
                        **fields)
        engine.prepare(record)
        record.save()
        engine.reindex([record])
        return record

    return add


@pytest.fixture
def register(add_record):
    """A small register with look-alikes, so ranking matters."""
    return {
        "jan": add_record(name="Jan van den Berg", date_of_birth="1980-03-04"),
        "jan2": add_record(name="Jan van den Bergh", date_of_birth="1975-11-30"),
        "johan": add_record(name="Johan Berg"),
        "ijzerman": add_record(name="Klaas IJzerman", date_of_birth="1969-07-01"),
        "janssen": add_record(name="Piet Janssen"),
        "jansen_other": add_record(name="Petra Jansen"),
        "bakkerij": add_record(kind="organisation", name="Bakkerij De Vries B.V.",
                               kvk_number="12345678"),
        "bakker": add_record(kind="organisation", name="Bakker Vries Transport"),
        "kerkstraat": add_record(kind="address", street="Kerkstraat", house_number="12",
                                 house_number_addition="A", postcode="3417AB", city="Montfoort"),
        "kerkstraat14": add_record(kind="address", street="Kerkstraat", house_number="14",
                                   postcode="3417AB", city="Montfoort"),
    }


@pytest.fixture
def role_user(make_user):
    def make(role):
        return make_user(role, team=None if role == "admin" else "Burgerzaken")

    return make
