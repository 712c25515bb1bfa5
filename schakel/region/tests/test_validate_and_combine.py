"""The region's strict check of a share, and its suppression again after adding up."""

import copy

import pytest

from schakel.region import combine, validate
from schakel.region.share import OUTCOMES, SCHEMA


def cell(v):
    return {"v": v, "s": ""} if isinstance(v, int) else {"v": None, "s": v}


def period(quarter, total, urgent, normal, labour="x", sexual="x", partners=()):
    return {"quarter": quarter, "signals": {
        "total": cell(total),
        "urgency": {"urgent": cell(urgent), "normal": cell(normal)},
        "forms": {"labour": cell(labour), "sexual": cell(sexual)},
        "outcomes": {k: cell(total if k == "open" else 0) for k in OUTCOMES}},
        "partners": list(partners)}


def a_share(*periods, threshold=5):
    return {"schema": SCHEMA, "threshold": threshold, "quarter": periods[-1]["quarter"],
            "quarters": list(periods), "plan": {"year": 2026, "actions": [
                {"action": "3.1.1", "planned": 2, "done": 1, "skipped": 0, "not_recorded": 0,
                 "overdue": 1, "open": 0}]}}


GOOD = a_share(period("2026-Q3", 12, 0, 12, 7, 5))


def test_a_share_of_codes_and_counts_passes():
    assert validate.share(copy.deepcopy(GOOD), threshold=5) == GOOD


@pytest.mark.parametrize("spoil", [
    lambda s: s.update(note="Piet belde"),  # an unexpected field
    lambda s: s["quarters"][0].update(reference="MH-2026-00001"),
    lambda s: s["quarters"][0]["signals"]["forms"].update({"Jan Jansen": cell(5)}),  # free text
    lambda s: s["quarters"][0].update(quarter="2026-09-14"),  # a date finer than a quarter
    lambda s: s["quarters"][0]["signals"].update(total=cell(3)),  # a small count shown
    lambda s: s["quarters"][0]["signals"].update(total={"v": 3, "s": "p"}),  # hidden, with value
    lambda s: s["quarters"][0]["signals"].update(total={"v": 12.5, "s": ""}),
    lambda s: s["quarters"][0]["signals"]["urgency"].pop("urgent"),
    lambda s: s.update(threshold=3),  # weaker suppression than the region's
    lambda s: s["plan"]["actions"][0].update(action="Actie van Jan"),
    lambda s: s["quarters"][0]["partners"].append({
        "partner": "avim", "sent": cell(5), "answered": cell("x"), "no_response": cell(0),
        "waiting": cell("x"), "median_days": 4.0}),  # a median over a hidden count
    lambda s: s.update(schema="iets anders"),
])
def test_anything_else_is_refused_whole(spoil):
    share = copy.deepcopy(GOOD)
    spoil(share)
    with pytest.raises(validate.Invalid):
        validate.share(share, threshold=5)


def test_an_agenda_of_questions_passes_and_a_control_character_does_not():
    agenda = {"schema": validate.AGENDA_SCHEMA, "items": [
        {"id": 1, "question": "Hoe gaan jullie om met wisselende adressen?",
         "quarter": "2026-Q4"}]}
    assert validate.agenda(agenda)[0]["id"] == 1
    agenda["items"][0]["question"] = "tekst\x00"
    with pytest.raises(validate.Invalid):
        validate.agenda(agenda)
    with pytest.raises(validate.Invalid):
        validate.agenda({"schema": validate.AGENDA_SCHEMA, "items": [
            {"id": 1, "question": "Vraag", "quarter": "2026-Q4", "signal": "MH-2026-1"}]})


def test_the_region_adds_up_what_every_municipality_shows():
    shares = {"A": a_share(period("2026-Q3", 12, 5, 7, 7, 5)),
              "B": a_share(period("2026-Q3", 20, 0, 20, 20, 0))}
    table = combine.signals_table(shares, "2026-Q3", 5)
    assert table["total"]["region"].value == 32
    urgent, normal = table["urgency"]
    assert (urgent["region"].value, normal["region"].value) == (5, 27)


def test_a_hidden_count_cannot_be_recovered_from_the_regional_total():
    """A shows 3 urgent as hidden; the region must not print 3 + 20 beside B's 20."""
    shares = {"A": a_share(period("2026-Q3", 8, "p", "x")),
              "B": a_share(period("2026-Q3", 40, 20, 20))}
    table = combine.signals_table(shares, "2026-Q3", 5)
    urgent, normal = table["urgency"]
    assert urgent["region"].value is None and urgent["region"].mark == "x"
    assert normal["region"].value is None
    # Every regional figure shown is made of shown parts only.
    for row in [table["total"], *table["urgency"], *table["forms"], *table["outcomes"]]:
        if row["region"].shown:
            assert all(f.shown for f in row["cells"])


def test_a_municipality_without_a_share_is_left_out_and_said_so():
    shares = {"A": a_share(period("2026-Q3", 12, 5, 7, 7, 5)), "B": None}
    table = combine.signals_table(shares, "2026-Q3", 5)
    assert table["total"]["region"].value == 12
    assert table["total"]["region"].incomplete == ["B"]
    assert table["total"]["cells"][1].text(5) == "–"


def test_the_trend_runs_over_every_quarter_shared():
    shares = {"A": a_share(period("2026-Q2", 6, 0, 6), period("2026-Q3", 12, 5, 7)),
              "B": a_share(period("2026-Q3", "p", "x", "x"))}
    rows = combine.trend(shares, 5)
    assert [r["quarter"] for r in rows] == ["2026-Q2", "2026-Q3"]
    assert rows[0]["region"].value == 6 and rows[0]["region"].incomplete == ["B"]
    assert rows[1]["region"].mark == "x"


def test_partners_answer_times_are_weighted_by_the_answers():
    def partner(sent, answered, median):
        return {"partner": "avim", "sent": cell(sent), "answered": cell(answered),
                "no_response": cell(0), "waiting": cell(sent - answered),
                "median_days": median}

    shares = {"A": a_share(period("2026-Q3", 12, 5, 7, partners=[partner(10, 10, 4.0)])),
              "B": a_share(period("2026-Q3", 20, 0, 20, partners=[partner(5, 5, 10.0)]))}
    row = combine.partners_table(shares, "2026-Q3", 5)[0]
    assert row["sent"]["region"].value == 15
    assert row["region_median"] == 6.0

