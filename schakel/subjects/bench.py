"""The enrichment benchmark: `python -m schakel.subjects.bench [--size N] [--out FILE]`.

1. Migrates the database named by the environment (SQLite in DATA_DIR, or DATABASE_URL).
2. Fills the register with synthetic records up to `--size`, mixed with the records of
   the evaluation set's test split (`evalset.TEST_SEED`: look-alikes, a quarter and more
   of the queries without a true record) and the targets of the labelled variant pairs
   (`data/variant_pairs.csv`), then times building the index (the keys).
3. Counts the register's term frequencies into the shipped weights (estimated on the
   tuning split, never on this one) as `register_weights` would after an import.
4. Asks every query through `engine.propose` and prints, overall and per class:
   recall@10, precision of top candidates in waarschijnlijk/zeker, the share of
   no-match queries with such a candidate, and the latencies, as
   `bench: <name> = <value> <unit>`; writes them to a JSON file as well.
5. Starts a fresh process that only proposes (as a web worker would) and reports its
   peak memory.
"""

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakel.settings")
    os.environ.setdefault("SCHAKEL_ENV", "test")
    import django

    django.setup()


def _query(pair):
    from schakel.subjects.engine import Query

    dob = pair["q_date_of_birth"]
    return Query(kind=pair["kind"], name=pair["q_name"],
                 date_of_birth=dt.date.fromisoformat(dob) if dob else None,
                 kvk_number=pair["q_kvk_number"], street=pair["q_street"],
                 house_number=pair["q_house_number"], addition=pair["q_house_number_addition"],
                 postcode=pair["q_postcode"], city=pair["q_city"])


def _insert_records(source_id, rows):
    """Insert register rows fast, with their normal form (what an import writes)."""
    from django.db import connection

    from schakel.subjects import engine
    from schakel.subjects.models import Record

    columns = ["source_id", "external_id", "kind", "name", "date_of_birth", "kvk_number", "street",
               "house_number", "house_number_addition", "postcode", "city", "remark", "norm"]
    values = []
    for row in rows:
        record = Record(source_id=source_id, kind=row["kind"], name=row["name"],
                        date_of_birth=dt.date.fromisoformat(row["date_of_birth"])
                        if row["date_of_birth"] else None,
                        kvk_number=row["kvk_number"], street=row["street"],
                        house_number=row["house_number"],
                        house_number_addition=row["house_number_addition"],
                        postcode=row["postcode"], city=row["city"])
        normal = engine.normal_of(record.kind, record)
        values.append((source_id, row["external_id"], record.kind, record.name,
                       record.date_of_birth, record.kvk_number, record.street,
                       record.house_number, record.house_number_addition, normal.address.postcode,
                       record.city, "", engine.dump_norm(normal)))
    table = Record._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                               values)


def fill(size: int, say=print, seed: int | None = None) -> dict:
    import random

    from django.core.management import call_command
    from django.db import connection, transaction

    from schakel.subjects import benchdata, engine, estimate, evalset
    from schakel.subjects import evidence as ev
    from schakel.subjects.models import Record, RecordKey, Source

    call_command("migrate", verbosity=0)
    RecordKey.objects.all().delete()
    Source.objects.filter(name="Benchmark").delete()
    source = Source.objects.create(name="Benchmark", owner="bench", confidentiality="internal")
    pairs = benchdata.read_pairs()
    labelled = [{**{f: p[f] for f in ("kind", "name", "date_of_birth", "kvk_number", "street",
                                      "house_number", "house_number_addition", "postcode",
                                      "city")},
                 "external_id": f"pair-{p['pair']}"} for p in pairs]
    labelled += evalset.generate(seed or evalset.TEST_SEED).records
    # Spread the labelled records through the register: the candidate search reads the
    # lowest ids under a key first, so labelled records at the front would be favoured.
    rng = random.Random(5)
    noise = max(0, size - len(labelled))
    slots = sorted(rng.sample(range(noise + len(labelled)), len(labelled)))
    started = time.perf_counter()
    with transaction.atomic():
        batch, position, next_slot = [], 0, 0
        for row in benchdata.noise_records(noise):
            while next_slot < len(slots) and slots[next_slot] == position:
                batch.append(labelled[next_slot])
                next_slot += 1
                position += 1
            batch.append(row)
            position += 1
            if len(batch) >= 20000:
                _insert_records(source.pk, batch)
                batch = []
        batch += labelled[next_slot:]
        _insert_records(source.pk, batch)
    generated = time.perf_counter() - started
    say(f"generated {Record.objects.count()} records in {generated:.1f} s")
    started, cpu = time.perf_counter(), time.process_time()
    keys = engine.rebuild_index()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {RecordKey._meta.db_table}")
    build, cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    with open(ev.DEFAULTS_FILE, encoding="utf-8") as f:
        weights = json.load(f)
    weights["tf"] = estimate.register_frequencies()
    estimate.save(weights)
    frequencies = time.perf_counter() - started
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Write the WAL back into the database, as SQLite does on its own over time: a
        # fresh web process should not start by reading a gigabyte of WAL.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"records": Record.objects.count(), "keys": keys, "generate_s": generated,
            "index_build_s": build, "index_build_cpu_s": cpu,
            "term_frequencies_s": frequencies, "source_id": source.pk}


STRONG = {"zeker", "waarschijnlijk"}


def _percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * share + 0.5) - 1)] if values else 0.0


def measure(limit: int = 10, variants: bool = True, seed: int | None = None) -> dict:
    """Ask every query of the test split (and the variant pairs); figures overall and per class."""
    from schakel.subjects import benchdata, engine, estimate, evalset
    from schakel.subjects.models import Record

    split = evalset.generate(seed or evalset.TEST_SEED)
    queries = [(q["cls"], estimate.query_of(q), q["truth"]) for q in split.queries]
    if variants:
        queries += [(f"variant_{p['kind']}", _query(p), f"pair-{p['pair']}")
                    for p in benchdata.read_pairs()]
    wanted = {truth for _cls, _q, truth in queries if truth}
    ids = dict(Record.objects.filter(external_id__in=wanted).values_list("external_id", "pk"))
    for _cls, query, _truth in queries[:30]:  # warm the caches
        engine.propose(query, limit=limit)
    per: dict[str, dict] = {}
    times, cpu_times = [], []
    for cls, query, truth in queries:
        started, cpu = time.perf_counter(), time.process_time()
        found = engine.propose(query, limit=limit)
        elapsed = (time.perf_counter() - started) * 1000
        times.append(elapsed)
        cpu_times.append((time.process_time() - cpu) * 1000)
        same = [c for c in found if c.same_kind]
        target = ids.get(truth)
        row = per.setdefault(cls, {"queries": 0, "with_truth": 0, "hits10": 0, "top1": 0,
                                   "strong": 0, "strong_right": 0, "none": 0,
                                   "none_strong": 0, "times": []})
        row["queries"] += 1
        row["times"].append(elapsed)
        strong_top = bool(same) and same[0].band is not None and same[0].band.value in STRONG
        if strong_top:
            row["strong"] += 1
            row["strong_right"] += int(target is not None and same[0].record.pk == target)
        if truth:
            row["with_truth"] += 1
            row["hits10"] += int(target in [c.record.pk for c in same[:limit]])
            row["top1"] += int(bool(same) and same[0].record.pk == target)
        else:
            row["none"] += 1
            row["none_strong"] += int(any(c.band is not None and c.band.value in STRONG
                                          for c in same))
    classes = {cls: _figures(row) for cls, row in sorted(per.items())}
    evaluation = [row for cls, row in per.items() if not cls.startswith("variant_")]
    total = {key: sum(row[key] for row in evaluation) for key in evaluation[0] if key != "times"}
    total["times"] = [t for row in evaluation for t in row["times"]]
    overall = _figures(total)
    return {
        "propose_median_ms": statistics.median(times),
        "propose_p95_ms": _percentile(times, 0.95),
        "propose_max_ms": max(times),
        # CPU time of this process: what the wall time would be on an idle machine, less
        # the database server's share on PostgreSQL.
        "propose_median_cpu_ms": statistics.median(cpu_times),
        "recall_at_10": overall["recall_at_10"],
        "precision_strong": overall["precision_strong"],
        "no_match_strong": overall["no_match_strong"],
        "top1": overall["top1"],
        "queries": overall["queries"],
        "no_match_share": overall["no_match_share"],
        "variant_recall_at_10": _figures({
            key: sum(row[key] for cls, row in per.items() if cls.startswith("variant_"))
            for key in ("with_truth", "hits10", "top1", "strong", "strong_right", "none",
                        "none_strong", "queries")} | {"times": [0.0]})["recall_at_10"]
        if variants else None,
        "classes": classes,
    }


def _figures(row: dict) -> dict:
    return {
        "queries": row["queries"],
        "no_match_share": row["none"] / row["queries"] if row["queries"] else 0.0,
        "recall_at_10": row["hits10"] / row["with_truth"] if row["with_truth"] else None,
        "top1": row["top1"] / row["with_truth"] if row["with_truth"] else None,
        "precision_strong": row["strong_right"] / row["strong"] if row["strong"] else None,
        "strong_share": row["strong"] / row["queries"] if row["queries"] else 0.0,
        "no_match_strong": row["none_strong"] / row["none"] if row["none"] else None,
        "p50_ms": statistics.median(row["times"]),
        "p95_ms": _percentile(row["times"], 0.95),
    }


def print_classes(classes: dict, say=print) -> None:
    def show(value, digits=3):
        return "—" if value is None else f"{value:.{digits}f}"

    say(f"{'class':28} {'queries':>7} {'recall@10':>9} {'top1':>6} {'prec w/z':>8} "
        f"{'w/z share':>9} {'none w/z':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for cls, f in classes.items():
        say(f"{cls:28} {f['queries']:7d} {show(f['recall_at_10']):>9} {show(f['top1']):>6} "
            f"{show(f['precision_strong']):>8} {show(f['strong_share']):>9} "
            f"{show(f['no_match_strong']):>8} {show(f['p50_ms'], 1):>7} "
            f"{show(f['p95_ms'], 1):>7}")


def _peak_rss_kib() -> int:
    """This process's peak resident memory. Not ru_maxrss: on Linux that keeps the peak
    of the forked parent across exec, so the probe would report the benchmark's own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


UNITS = {"records": "records", "keys": "keys", "generate_s": "s", "index_build_s": "s",
         "index_build_cpu_s": "s", "propose_median_cpu_ms": "ms",
         "propose_median_ms": "ms", "propose_p95_ms": "ms", "propose_max_ms": "ms",
         "recall_at_10": "", "precision_strong": "", "no_match_strong": "", "top1": "",
         "queries": "queries", "no_match_share": "", "variant_recall_at_10": "",
         "term_frequencies_s": "s", "web_rss_mib": "MiB", "load_average": ""}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--out", default="")
    parser.add_argument("--split", choices=["test", "tune"], default="test",
                        help="which split of the evaluation set to measure (tune: the one the "
                             "weights and bands were chosen on; test: held out)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-probe", action="store_true",
                        help="skip the separate process that measures a web worker's memory")
    args = parser.parse_args(argv)
    _setup()
    if args.probe:
        measure(variants=False)
        print(_peak_rss_kib())
        return {}
    from django.db import connection

    vendor = connection.vendor
    from schakel.subjects import evalset

    seed = evalset.TUNE_SEED if args.split == "tune" else evalset.TEST_SEED
    figures = fill(args.size, say=lambda text: print(f"bench ({vendor}): {text}", flush=True),
                   seed=seed)
    figures.pop("source_id")
    result = measure(seed=seed)
    classes = result.pop("classes")
    figures.update(result)
    if not args.no_probe:
        connection.close()
        probe = subprocess.run([sys.executable, "-m", "schakel.subjects.bench", "--probe"],
                               capture_output=True, text=True, check=True)
        figures["web_rss_mib"] = int(probe.stdout.strip().splitlines()[-1]) / 1024
    # The machine is shared: the load says how far wall time is from CPU time.
    figures = {"database": vendor, "size": args.size, "split": args.split, **figures,
               "load_average": os.getloadavg()[0]}
    for name, value in figures.items():
        if name in UNITS:
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            print(f"bench: {vendor}_{name} = {shown} {UNITS[name]}".rstrip())
    print_classes(classes, say=lambda text: print(f"bench ({vendor}): {text}"))
    out = args.out or f"bench-results-{vendor}.json"
    with open(out, "w") as f:
        json.dump({**figures, "classes": classes}, f, indent=2, sort_keys=True)
    return figures


if __name__ == "__main__":
    main()
