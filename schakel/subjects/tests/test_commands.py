from django.core.management import call_command

from schakel.subjects.engine import Query, propose
from schakel.subjects.models import Record, RecordKey


def test_the_demo_register_loads_twice_without_doubling(db):
    call_command("register_demo")
    call_command("register_demo")
    assert Record.objects.filter(source__name="Horecavergunningen").count() == 5
    keys = RecordKey.objects.count()
    call_command("register_demo")
    assert RecordKey.objects.count() == keys
    found = propose(Query(kind="organisation", name="cafe de zwaan"))
    assert found[0].record.external_id == "HV-2019-014"


def test_rebuilding_files_signal_subjects_and_keeps_the_matches(make_signal, employee, officer):
    signal = make_signal(employee, steps=("receive",), officer=officer)
    call_command("register_demo")
    call_command("register_rebuild")
    assert Record.objects.filter(subject__signal=signal).count() == 1
    assert propose(Query(kind="person", name="K. Yzerman"))[0].record.external_id == "BB-2025-05"


def test_estimating_the_weights_stores_them_where_proposals_read_them(add_record, settings,
                                                                      tmp_path):
    from schakel.subjects import evidence as ev

    settings.DATA_DIR = tmp_path
    for i in range(12):
        add_record(name="Piet Jansen", date_of_birth=f"19{60 + i}-01-01")
    for start in ("Ber", "Dol", "Kam", "Vel", "Zon"):  # 40 surnames, each once
        for end in ("man", "stra", "ink", "berg", "hof", "sma", "dijk", "veld"):
            add_record(name=f"Anna {start}{end}")
    call_command("register_weights", "--frequencies-only")
    stored = ev.stored_file()
    assert stored.parent == tmp_path / "subjects" and stored.exists()
    model = ev.current_model()
    assert model.tf_adjustment("surname", "jansen") < 0 < model.tf_adjustment(
        "surname", "quxlmbrg")
    found = propose(Query(kind="person", name="Piet Jansen"))
    assert "veelvoorkomende achternaam" in found[0].reasons_against


def test_weights_from_a_labelled_file_move_the_levels(db, settings, tmp_path):
    import csv

    from schakel.subjects import evidence as ev

    settings.DATA_DIR = tmp_path
    path = tmp_path / "labelled.csv"
    fields = ["kind", "q_name", "q_date_of_birth", "name", "date_of_birth", "match"]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for i in range(40):  # the same date of birth nearly always means the same person
            writer.writerow({"kind": "person", "q_name": f"Jan Berg{i}",
                             "q_date_of_birth": "1980-01-01", "name": f"Jan Berg{i}",
                             "date_of_birth": "1980-01-01", "match": "1"})
            writer.writerow({"kind": "person", "q_name": f"Jan Berg{i}",
                             "q_date_of_birth": "1980-01-01", "name": f"Jan Berg{i}",
                             "date_of_birth": "1990-02-02", "match": "0"})
    call_command("register_weights", "--labelled", str(path), "--no-register")
    weights = ev.current_model().weights["dob"]
    assert weights["exact"] > 4 and weights["different"] < -4
    assert weights["missing"] == 0.0


def test_the_test_split_cannot_be_used_to_estimate(db, settings, tmp_path, capsys):
    from schakel.subjects import evalset
    from schakel.subjects import evidence as ev

    settings.DATA_DIR = tmp_path
    call_command("register_weights", "--seed", str(evalset.TEST_SEED))
    assert "test split" in capsys.readouterr().err
    assert not ev.stored_file().exists()
