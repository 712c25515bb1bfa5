"""Rotate the keys for encryption at rest and for the reporter's account link.

Demo and tests (keys in DATA_DIR/encryption_keys and DATA_DIR/reporter_link_keys):
a new Fernet key and a new link key are generated, every encrypted value is
re-encrypted and every keyed account hash recomputed, and the old keys are dropped.

Production (keys in ENCRYPTION_KEYS and REPORTER_LINK_KEYS): run without options to
get new keys and the steps; after putting each first in its variable (old keys
behind it) and restarting, run with --reencrypt; then remove the old keys.
While both are configured, "Mijn meldingen" finds signals under either link key.
"""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from schakel.core import crypto


class Command(BaseCommand):
    help = "Rotate the encryption and link keys; re-encrypt and re-key what they protect."

    def add_arguments(self, parser):
        parser.add_argument("--reencrypt", action="store_true",
                            help="re-encrypt with the first key of ENCRYPTION_KEYS and "
                                 "recompute account hashes with the first of REPORTER_LINK_KEYS")

    def handle(self, *args, **options):
        if settings.ENCRYPTION_KEYS:
            if options["reencrypt"]:
                count = crypto.reencrypt_all()
                rekeyed = crypto.rekey_all()
                self.stdout.write(f"Re-encrypted {count} rows with the first key and "
                                  f"recomputed {rekeyed} account links. You can now remove "
                                  "the old keys from ENCRYPTION_KEYS and REPORTER_LINK_KEYS.")
                return
            new = Fernet.generate_key().decode()
            link = crypto.new_hmac_key()
            self.stdout.write("New keys (keep them in your secret store):\n"
                              f"ENCRYPTION_KEYS: {new}\nREPORTER_LINK_KEYS: {link}\n\n"
                              "1. Put each new key first in its variable "
                              "(ENCRYPTION_KEYS=<new>,<old>; REPORTER_LINK_KEYS=<new>,<old>) "
                              "and restart.\n"
                              "2. Run: manage.py rotate_encryption_key --reencrypt\n"
                              "3. Remove the old keys from both variables and restart.")
            return
        keys_path = settings.DATA_DIR / "encryption_keys"
        link_path = settings.DATA_DIR / "reporter_link_keys"
        old, old_links = crypto.load_keys(), crypto.link_keys()
        new, link = Fernet.generate_key().decode(), crypto.new_hmac_key()
        keys_path.write_text("\n".join([new, *old]) + "\n")
        link_path.write_text("\n".join([link, *old_links]) + "\n")
        with transaction.atomic():
            count = crypto.reencrypt_all()
            rekeyed = crypto.rekey_all()
        keys_path.write_text(new + "\n")
        link_path.write_text(link + "\n")
        self.stdout.write(f"Rotated the keys in {settings.DATA_DIR}; re-encrypted {count} rows, "
                          f"recomputed {rekeyed} account links.")
