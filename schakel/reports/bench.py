"""Benchmark of the council report: a year with 10,000 signals.

    python -m schakel.reports.bench [--signals 10000]

Builds a throwaway SQLite database in a temporary folder (or uses DATABASE_URL
when set), fills a year, then times the figures + HTML and the PDF. Prints
`bench: <name> = <value> <unit>` lines. Budget (DESIGN §6, issue 6): HTML under
2 s, PDF under 5 s. WeasyPrint's import (once per worker) is timed apart.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta


def setup() -> None:
    os.environ.setdefault("SCHAKEL_ENV", "test")
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="schakel-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakel.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(year: int, count: int) -> None:
    from zoneinfo import ZoneInfo

    from schakel.accounts.models import Team
    from schakel.signals.models import ExploitationForm, ReporterIdentity, Signal

    rng = random.Random(6)
    tz = ZoneInfo("Europe/Amsterdam")
    teams = [Team.objects.get_or_create(name=n)[0] for n in (
        "Burgerzaken", "Sociaal Team", "Openbare Orde en Veiligheid", "Wmo", "Jeugdteam",
        "Handhaving", "Vergunningen", "Klantcontactcentrum")]
    forms = list(ExploitationForm.objects.all())
    start = datetime(year, 1, 1, tzinfo=tz)
    signals = []
    for i in range(count):
        submitted = start + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        referred = submitted + timedelta(hours=rng.randrange(2, 24 * 20)) if i % 4 else None
        informed = referred + timedelta(days=rng.randrange(1, 40)) if referred and i % 3 else None
        signals.append(Signal(
            reference=f"BENCH-{year}-{i:06d}", state="closed" if informed else "received",
            urgent=i % 17 == 0, background="bench", submitted_at=submitted,
            announced_at=submitted, received_at=submitted, referred_at=referred,
            reporter_informed_at=informed))
    Signal.objects.bulk_create(signals, batch_size=1000)
    signals = list(Signal.objects.filter(reference__startswith=f"BENCH-{year}-"))
    ReporterIdentity.objects.bulk_create(
        [ReporterIdentity(signal=s, team=teams[rng.randrange(len(teams))], name="bench")
         for s in signals], batch_size=1000)
    through = Signal.forms.through
    links = []
    for s in signals:
        for form in rng.sample(forms, rng.choice((1, 1, 1, 2))):
            links.append(through(signal_id=s.pk, exploitationform_id=form.pk))
    through.objects.bulk_create(links, batch_size=2000)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args(argv)
    setup()
    from django.utils import translation

    from schakel.core import clock
    from schakel.reports import figures, render
    from schakel.reports.models import Report

    fill(args.year, args.signals)
    report = Report.objects.create(year=args.year, created_at=clock.now(),
                                   introduction="Benchmark.")
    with translation.override("nl"):
        t0 = time.perf_counter()
        data = figures.council_figures(args.year)
        report.figures, report.figures_at = data, clock.now()
        html = render.render_html(report, data, final=False)
        t_html = time.perf_counter() - t0
        t0 = time.perf_counter()
        render.render_csv(report, data, final=False)
        t_csv = time.perf_counter() - t0
        t0 = time.perf_counter()
        import weasyprint  # noqa: F401  # once per worker

        t_import = time.perf_counter() - t0
        t0 = time.perf_counter()
        pdf = render.render_pdf(report, data, final=False)
        t_pdf = time.perf_counter() - t0
    assert data["signals"]["total"]["v"] == args.signals, data["signals"]["total"]
    print(f"bench: report_signals = {args.signals} signals")
    print(f"bench: report_html_seconds = {t_html:.3f} s")
    print(f"bench: report_csv_seconds = {t_csv:.3f} s")
    print(f"bench: weasyprint_import_seconds = {t_import:.3f} s")
    print(f"bench: report_pdf_seconds = {t_pdf:.3f} s")
    print(f"bench: report_html_and_pdf_seconds = {t_html + t_pdf:.3f} s")
    print(f"bench: report_pdf_bytes = {len(pdf)} bytes")
    print(f"bench: report_html_bytes = {len(html.encode())} bytes")
    ok = t_html < 2 and t_pdf < 5
    print(f"bench: report_within_budget = {int(ok)} bool")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
