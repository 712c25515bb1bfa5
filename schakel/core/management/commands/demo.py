"""Load the demo: teams, the five demo accounts, fictitious signals. Safe to run again."""

import logging
import os
import secrets
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from schakel.accounts.models import Role, Team, User
from schakel.plan import demo as plan_demo
from schakel.signals import actions
from schakel.signals.models import ExploitationForm, Indicator, Outcome, Signal

TEAMS = [("Burgerzaken", True), ("BOA's en toezicht", True), ("Sociaal Team", True),
         ("Openbare Orde en Veiligheid", False), ("Beleid", False), ("Informatiebeheer", False)]

ACCOUNTS = [
    # username, first, last, role, team
    ("medewerker", "Mila", "de Vries", Role.EMPLOYEE, "Burgerzaken"),
    ("teamcoordinator", "Tom", "Bakker", Role.TEAM_LEAD, "Burgerzaken"),
    ("aandachtsfunctionaris", "Anouk", "Smit", Role.OFFICER, "Openbare Orde en Veiligheid"),
    ("beleid", "Bram", "Visser", Role.POLICY, "Beleid"),
    ("beheer", "Bea", "Mulder", Role.ADMIN, "Informatiebeheer"),
]

# Fictitious signals: invented names, an address in the demo street range, no real person.
DEMO_SIGNALS = [
    {
        "key": "00000000-0000-4000-8000-000000000001", "urgent": True, "forms": ["labour"],
        "background": "Bij de balie meldden zich vier mannen die allemaal op hetzelfde adres "
                      "wilden inschrijven. Eén man voerde het woord en hield hun paspoorten vast.",
        "where": "Balie Burgerzaken", "subjects": [
            ("person", {"name": "Piet Voorbeeld", "capacity": "perpetrator"}),
            ("address", {"street": "Demostraat", "house_number": "1", "postcode": "3417 ZZ",
                         "city": "Montfoort", "capacity": "other"})],
        "steps": [],
    },
    {
        "key": "00000000-0000-4000-8000-000000000002", "urgent": False, "forms": ["sexual"],
        "background": "Tijdens een huisbezoek zag de Wmo-consulent dat er steeds andere jonge "
                      "vrouwen in de woning verbleven die niet wisten waar ze waren.",
        "where": "Huisbezoek", "subjects": [
            ("person", {"description": "Jonge vrouw, ongeveer 20 jaar", "capacity": "victim"})],
        "steps": ["receive"],
    },
    {
        "key": "00000000-0000-4000-8000-000000000003", "urgent": False, "forms": ["criminal"],
        "background": "Een BOA zag een minderjarige jongen die 's avonds pakketjes afleverde en "
                      "bang reageerde op een oudere man in een auto.",
        "where": "Stationsplein", "subjects": [
            ("person", {"name": "Jan Fictief", "capacity": "victim"}),
            ("organisation", {"name": "Voorbeeld Koeriers B.V.", "capacity": "employer"})],
        "steps": ["receive", "dismiss", "close"],
    },
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="the address printed for users")

    def handle(self, *args, **options):
        # The route's actions log every step; loading the demo is not news.
        logging.getLogger("schakel").setLevel(logging.WARNING)
        self._load(options)
        plan_demo.load()  # Montfoort's action plan and a little history, once
        from schakel.partners import demo as partners_demo  # noqa: PLC0415
        partners_demo.load()  # the plan's chain partners and routing rules, once
        call_command("register_demo", verbosity=0)  # register data sets for enrichment
        call_command("reports_demo", verbosity=0)  # this year's council report, drafted once
        if not options["quiet"]:
            with translation.override(settings.LANGUAGE_CODE):
                self._print(self._password(), options["url"])

    @transaction.atomic
    def _load(self, options):
        password = self._password()
        teams = {name: Team.objects.update_or_create(
            name=name, defaults={"client_contact": cc})[0] for name, cc in TEAMS}
        users = {}
        for username, first, last, role, team in ACCOUNTS:
            user, created = User.objects.get_or_create(username=username, defaults={
                "first_name": first, "last_name": last, "role": role, "team": teams[team],
                "email": f"{username}@demo.schakel.invalid", "is_staff": role == Role.ADMIN,
            })
            if created or not user.check_password(password):
                user.set_password(password)
                user.save()
            users[username] = user
            if user.needs_two_factor:  # enrolled, so the demo shows the real login
                from schakel.accounts import twofactor

                if not twofactor.has_totp(user):
                    twofactor.TOTPDevice.objects.create(user=user, name="Demo-app",
                                                        confirmed=True)
                if not twofactor.recovery_codes_left(user):  # printed below, used once each
                    twofactor.new_recovery_codes(user)
        admin = users["beheer"]
        admin.user_permissions.set(Permission.objects.filter(
            content_type__app_label="accounts"))
        for index, spec in enumerate(DEMO_SIGNALS):
            self._signal(spec, users, index)

    def _password(self) -> str:
        password = os.environ.get("DEMO_PASSWORD", "").strip()
        if password:
            return password
        path = settings.DATA_DIR / "demo_password"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(12))
            path.chmod(0o600)
        return path.read_text().strip()

    def _signal(self, spec, users, index):
        token = uuid.UUID(spec["key"])
        if Signal.objects.filter(submission_token=token).exists():
            return
        employee, officer = users["medewerker"], users["aandachtsfunctionaris"]
        forms = list(ExploitationForm.objects.filter(code__in=spec["forms"]))
        signal = actions.signal_file(
            actor=employee, reporter_user=employee,
            values={"urgent": spec["urgent"], "background": spec["background"],
                    "observed_where": spec["where"],
                    "observed_on": date.today() - timedelta(days=3 + index),
                    "team_lead_consulted": True},
            form_codes=forms,
            indicator_ids=list(Indicator.objects.filter(form__in=forms)[:2]),
            subjects=[actions.SubjectData(kind=k, values=v) for k, v in spec["subjects"]],
            reporter={"name": employee.display_name, "email": employee.email, "phone": "",
                      "team_lead_consulted_with": users["teamcoordinator"].display_name},
            submission_token=token,
        )
        for step in spec["steps"]:
            extra = {
                "dismiss": {"dismiss_reason": "Geen aanwijzingen voor uitbuiting na navraag."},
                "close": {"outcome": Outcome.NO_INDICATION,
                          "message_for_reporter": "Dank voor uw melding. Na onderzoek zijn er "
                          "geen aanwijzingen voor mensenhandel gevonden."},
            }.get(step, {})
            signal = getattr(actions, f"signal_{step}")(
                signal=signal, actor=officer, expected_version=signal.version, **extra)

    def _print(self, password, url):
        w = self.stdout.write
        w("")
        w(f"Schakel draait op {url}")
        w(f"Demo-accounts (wachtwoord voor allen: {password}):")
        from schakel.accounts import twofactor

        for username, _first, _last, role, team in ACCOUNTS:
            w(f"  {username:<22} {Role(role).label} ({team})")
            device = twofactor.totp_device(User.objects.get(username=username))
            if device is not None:
                w(f"  {'':<22} TOTP-sleutel: {twofactor.secret_base32(device)}")
                w(f"  {'':<22} {device.config_url}")
                codes = twofactor.StaticToken.objects.filter(
                    device__user__username=username).values_list("token", flat=True)
                if codes:
                    w(f"  {'':<22} Herstelcodes: {' '.join(codes)}")
        w("Tweestapsverificatie: voeg de TOTP-sleutel (of de otpauth-link) toe aan een "
          "authenticator-app en vul bij het inloggen de code in.")
        w(f"E-mails van de demo staan in {settings.DATA_DIR / 'mail'}")
        w("")
