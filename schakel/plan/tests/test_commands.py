"""The plan's management commands: load, import and schedule, each idempotent."""

import pytest
from django.core.management import CommandError, call_command

from schakel.plan.models import Action, Meeting, Occurrence


def test_plan_load_loads_montfoort_once_and_the_demo_history_once(db, today, officer, policy):
    call_command("plan_load", "--demo", stdout=None)
    counts = (Action.objects.count(), Occurrence.objects.count(), Meeting.objects.count())
    call_command("plan_load", "--demo")
    # 15 June: the regional meetings of January and May, the partner consultation of
    # March and the upcoming case meeting; nothing dated ahead of today but that one.
    assert counts[0] == 18 and counts[2] == 4
    assert (Action.objects.count(), Occurrence.objects.count(), Meeting.objects.count()) == counts


def test_plan_import_refuses_a_bad_file_with_line_numbers(plan, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("pijler;pijler_titel;code;titel;omschrijving;planning;wie;"
                    "verantwoordelijke;soort\n1;P;1.1;A;;wekelijks;;;\n")
    with pytest.raises(CommandError, match="Regel 2: planning 'wekelijks'"):
        call_command("plan_import", str(path))
    assert Action.objects.count() == 18
    with pytest.raises(CommandError, match="Kan het bestand niet lezen"):
        call_command("plan_import", str(tmp_path / "missing.csv"))


def test_plan_schedule_plans_nothing_twice(plan):
    count = Occurrence.objects.count()
    call_command("plan_schedule")
    assert Occurrence.objects.count() == count
