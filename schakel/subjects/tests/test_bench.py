"""The benchmark and its evaluation set (the real run is `make bench`)."""

import json
from collections import Counter

import pytest

from schakel.subjects import bench, benchdata, evalset


def test_the_labelled_variant_pairs_are_deterministic_and_large_enough():
    pairs = benchdata.make_pairs()
    assert len(pairs) >= 1000
    assert pairs == benchdata.make_pairs()
    assert benchdata.read_pairs() == pairs  # the committed file is the generator's output
    assert {p["kind"] for p in pairs} == {"person", "organisation", "address"}


def test_the_evaluation_set_is_deterministic_and_covers_every_class():
    split = evalset.generate(evalset.TEST_SEED)
    assert split == evalset.generate(evalset.TEST_SEED)
    assert Counter(q["cls"] for q in split.queries).keys() == evalset.CLASSES.keys()
    assert evalset.no_truth_share(split) >= 0.25


def test_the_tuning_and_test_splits_share_no_record_or_query():
    tune, test = evalset.generate(evalset.TUNE_SEED), evalset.generate(evalset.TEST_SEED)
    def identity(record):
        return tuple(v for k, v in sorted(record.items()) if k != "external_id")

    seen = {identity(r) for r in tune.records}
    overlap = [r for r in test.records if identity(r) in seen]
    assert len(overlap) < 0.01 * len(test.records)
    assert not {q["id"] for q in tune.queries} & {q["id"] for q in test.queries}


def test_a_no_match_class_has_no_truth_and_keeps_its_look_alikes():
    split = evalset.generate(evalset.TEST_SEED, queries=len(evalset.CLASSES))
    by_class = {q["cls"]: q for q in split.queries}
    assert by_class["person_namesake_none"]["truth"] == ""
    namesake = by_class["person_namesake_none"]["name"]
    assert any(r["name"] == namesake for r in split.records)


@pytest.mark.django_db
def test_the_benchmark_prints_its_figures_overall_and_per_class(tmp_path, capsys):
    out = tmp_path / "bench.json"
    bench.main(["--size", "1500", "--out", str(out), "--no-probe"])
    printed = capsys.readouterr().out
    for name in ("index_build_s", "propose_median_ms", "propose_p95_ms", "recall_at_10",
                 "precision_strong", "no_match_strong"):
        assert f"_{name} = " in printed
    assert "person_household_none" in printed and "address_neighbour" in printed
    figures = json.loads(out.read_text())
    assert figures["recall_at_10"] >= 0.99 and figures["precision_strong"] >= 0.97
    assert figures["no_match_strong"] <= 0.03
    assert figures["classes"]["org_kvk"]["queries"] == 100
