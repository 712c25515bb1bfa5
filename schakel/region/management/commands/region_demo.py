"""Demo data of the regional picture (not in production). See `schakel/region/demo.py`.

  manage.py region_demo municipality (--token-out FILE | --token-in FILE) [--signals 40] [--seed 1]
  manage.py region_demo region --token "Montfoort=FILE" [--token …]
"""

import logging
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the regional picture's demo data (a municipality, or the region)."

    def add_arguments(self, parser):
        parser.add_argument("side", choices=["municipality", "region"])
        parser.add_argument("--token-out", help="municipality: write the region's token here")
        parser.add_argument("--token-in", help="municipality: use the token in this file")
        parser.add_argument("--signals", type=int, default=40)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--print", action="store_true",
                            help="region: print the accounts with their second factor")
        parser.add_argument("--token", action="append", default=[],
                            help="region: Name=FILE with that municipality's token")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The regional demo never runs in production.")
        logging.getLogger("schakel").setLevel(logging.WARNING)
        from schakel.region import demo

        password = os.environ.get("DEMO_PASSWORD", "").strip()
        path = settings.DATA_DIR / "demo_password"
        if not password:
            password = path.read_text().strip() if path.exists() else "demo-wachtwoord"
        if options["side"] == "municipality":
            if not options["token_out"] and not options["token_in"]:
                raise CommandError("Give --token-out or --token-in for a municipality.")
            chosen = ""
            if options["token_in"]:
                with open(options["token_in"]) as handle:
                    chosen = handle.read().strip()
            secret = demo.municipality(password=password, count=options["signals"],
                                       seed=options["seed"], secret=chosen)
            if options["token_out"]:
                with open(options["token_out"], "w") as handle:
                    handle.write(secret)
                os.chmod(options["token_out"], 0o600)
            return
        if not settings.SCHAKEL.get("REGION"):
            raise CommandError("Set REGION_MUNICIPALITIES for the region's installation.")
        files = {}
        for pair in options["token"]:
            name, _sep, file = pair.partition("=")
            files[name] = file
        users = demo.region(password=password, configured=settings.SCHAKEL["REGION"],
                            token_files=files)
        if options["print"]:
            self._print(users, password)

    def _print(self, users, password):
        from schakel.accounts import twofactor

        w = self.stdout.write
        w(f"Accounts van de regio (wachtwoord: {password}):")
        for user in users:
            w(f"  {user.username:<22} {user.get_role_display()}")
            device = twofactor.totp_device(user)
            w(f"  {'':<22} TOTP-sleutel: {twofactor.secret_base32(device)}")
            w(f"  {'':<22} {device.config_url}")
            codes = twofactor.StaticToken.objects.filter(device__user=user).values_list(
                "token", flat=True)
            w(f"  {'':<22} Herstelcodes: {' '.join(codes)}")
