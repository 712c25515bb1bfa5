"""The enrichment benchmark: `python -m schakel.subjects.bench [--size N] [--out FILE]`.

1. Migrates the database named by the environment (SQLite in DATA_DIR, or DATABASE_URL).
2. Fills the register with the labelled targets (`data/variant_pairs.csv`) and
   synthetic records up to `--size`, then times building the index (the keys).
3. Proposes candidates for every labelled variant and prints the figures as
   `bench: <name> = <value> <unit>`, writing them to a JSON file as well.
4. Starts a fresh process that only proposes (as a web worker would) and reports its
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


def fill(size: int, say=print) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from schakel.subjects import benchdata, engine
    from schakel.subjects.models import Record, RecordKey, Source

    call_command("migrate", verbosity=0)
    RecordKey.objects.all().delete()
    Source.objects.filter(name="Benchmark").delete()
    source = Source.objects.create(name="Benchmark", owner="bench", confidentiality="internal")
    pairs = benchdata.read_pairs()
    started = time.perf_counter()
    with transaction.atomic():
        _insert_records(source.pk, [
            {**{f: p[f] for f in ("kind", "name", "date_of_birth", "kvk_number", "street",
                                   "house_number", "house_number_addition", "postcode", "city")},
             "external_id": f"pair-{p['pair']}"} for p in pairs])
        batch = []
        for row in benchdata.noise_records(max(0, size - len(pairs))):
            batch.append(row)
            if len(batch) >= 20000:
                _insert_records(source.pk, batch)
                batch = []
        _insert_records(source.pk, batch)
    generated = time.perf_counter() - started
    say(f"generated {Record.objects.count()} records in {generated:.1f} s")
    started, cpu = time.perf_counter(), time.process_time()
    keys = engine.rebuild_index()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {RecordKey._meta.db_table}")
    build, cpu = time.perf_counter() - started, time.process_time() - cpu
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Write the WAL back into the database, as SQLite does on its own over time: a
        # fresh web process should not start by reading a gigabyte of WAL.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"records": Record.objects.count(), "keys": keys, "generate_s": generated,
            "index_build_s": build, "index_build_cpu_s": cpu, "source_id": source.pk}


def measure(limit: int = 10) -> dict:
    from schakel.subjects import benchdata, engine
    from schakel.subjects.models import Record

    pairs = benchdata.read_pairs()
    ids = dict(Record.objects.filter(external_id__startswith="pair-").values_list(
        "external_id", "pk"))
    for pair in pairs[:20]:  # warm the caches
        engine.propose(_query(pair), limit=limit)
    times, cpu_times, hits10, hits1 = [], [], 0, 0
    misses: dict[str, int] = {}
    for pair in pairs:
        query = _query(pair)
        started, cpu = time.perf_counter(), time.process_time()
        found = engine.propose(query, limit=limit)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
        target = ids[f"pair-{pair['pair']}"]
        ranked = [c.record.pk for c in found]
        if target in ranked:
            hits10 += 1
        else:
            misses[f"{pair['kind']}/{pair['variant']}"] = misses.get(
                f"{pair['kind']}/{pair['variant']}", 0) + 1
        if ranked[:1] == [target]:
            hits1 += 1
    times.sort()
    return {
        "propose_median_ms": statistics.median(times),
        "propose_p95_ms": times[int(len(times) * 0.95) - 1],
        "propose_max_ms": times[-1],
        # CPU time of this process: what the wall time would be on an idle machine, less
        # the database server's share on PostgreSQL.
        "propose_median_cpu_ms": statistics.median(cpu_times),
        "recall_at_10": hits10 / len(pairs),
        "precision_at_1": hits1 / len(pairs),
        "pairs": len(pairs),
        "misses": misses,
    }


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
         "recall_at_10": "", "precision_at_1": "", "pairs": "pairs", "web_rss_mib": "MiB",
         "load_average": ""}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--out", default="")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-probe", action="store_true",
                        help="skip the separate process that measures a web worker's memory")
    args = parser.parse_args(argv)
    _setup()
    if args.probe:
        measure()
        print(_peak_rss_kib())
        return {}
    from django.db import connection

    vendor = connection.vendor
    figures = fill(args.size, say=lambda text: print(f"bench ({vendor}): {text}", flush=True))
    figures.pop("source_id")
    result = measure()
    misses = result.pop("misses")
    figures.update(result)
    if not args.no_probe:
        connection.close()
        probe = subprocess.run([sys.executable, "-m", "schakel.subjects.bench", "--probe"],
                               capture_output=True, text=True, check=True)
        figures["web_rss_mib"] = int(probe.stdout.strip().splitlines()[-1]) / 1024
    # The machine is shared: the load says how far wall time is from CPU time.
    figures = {"database": vendor, "size": args.size, **figures,
               "load_average": os.getloadavg()[0]}
    for name, value in figures.items():
        if name in UNITS:
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            print(f"bench: {vendor}_{name} = {shown} {UNITS[name]}".rstrip())
    if misses:
        print(f"bench ({vendor}): misses by variant: {json.dumps(misses, sort_keys=True)}")
    out = args.out or f"bench-results-{vendor}.json"
    with open(out, "w") as f:
        json.dump({**figures, "misses": misses}, f, indent=2, sort_keys=True)
    return figures


if __name__ == "__main__":
    main()
