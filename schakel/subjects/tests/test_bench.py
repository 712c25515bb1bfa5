"""The benchmark runs end to end on a small register (the real run is `make bench`)."""

import json

import pytest

from schakel.subjects import bench, benchdata


def test_the_labelled_set_is_deterministic_and_large_enough():
    pairs = benchdata.make_pairs()
    assert len(pairs) >= 1000
    assert pairs == benchdata.make_pairs()
    assert benchdata.read_pairs() == pairs  # the committed file is the generator's output
    assert {p["kind"] for p in pairs} == {"person", "organisation", "address"}


@pytest.mark.django_db
def test_the_benchmark_prints_and_writes_its_figures(tmp_path, capsys):
    out = tmp_path / "bench.json"
    bench.main(["--size", "1500", "--out", str(out), "--no-probe"])
    printed = capsys.readouterr().out
    for name in ("index_build_s", "propose_median_ms", "propose_p95_ms", "recall_at_10",
                 "precision_at_1"):
        assert f"_{name} = " in printed
    figures = json.loads(out.read_text())
    assert figures["records"] == 1500
    assert figures["recall_at_10"] >= 0.95 and figures["precision_at_1"] >= 0.9
