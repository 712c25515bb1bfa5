"""Estimate the match weights and store them in DATA_DIR/subjects/match_weights.json."""

import time

from django.core.management.base import BaseCommand

from schakel.subjects import estimate, evalset
from schakel.subjects import evidence as ev


class Command(BaseCommand):
    help = ("Estimate the match weights (m and u per comparison level, from labelled pairs) "
            "and the register's term frequencies, and store them for proposals.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--labelled", metavar="FILE",
            help="CSV of labelled pairs (q_name, q_date_of_birth, …, the record's fields, "
                 "kind, match 1/0), e.g. the officers' own decisions. Without it, the "
                 "tuning split of the generated evaluation set is used.")
        parser.add_argument("--seed", type=int, default=evalset.TUNE_SEED,
                            help="seed of the generated tuning split (never the test split)")
        parser.add_argument("--frequencies-only", action="store_true",
                            help="keep the stored (or shipped) levels; recount the register's "
                                 "term frequencies only (fast; run after an import)")
        parser.add_argument("--no-register", action="store_true",
                            help="do not count term frequencies in the register")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["frequencies_only"]:
            data = dict(ev.current_model().data)
            data["tf"] = estimate.register_frequencies()
        else:
            if options["seed"] == evalset.TEST_SEED:
                self.stderr.write("The test split is for measuring only; choose another seed.")
                return
            labelled = estimate.labelled_file(options["labelled"]) if options["labelled"] \
                else None
            data = estimate.estimate(seed=options["seed"], labelled=labelled,
                                     with_register=not options["no_register"])
        path = estimate.save(data)
        pairs = ", ".join(f"{k} {v}" for k, v in data.get("pairs", {}).items())
        surnames = data.get("tf", {}).get("surname", {}).get("total", 0)
        self.stdout.write(f"Weights stored in {path} in {time.perf_counter() - started:.1f} s "
                          f"({pairs or 'levels unchanged'}; {surnames} surnames counted).")
