"""Rotate the key for encryption at rest.

Demo and tests (keys in DATA_DIR/encryption_keys): a new key is generated, every
encrypted value is re-encrypted with it, and the old key is dropped.

Production (keys in ENCRYPTION_KEYS): run without options to get a new key and
the steps; after putting it first in ENCRYPTION_KEYS (old key behind it) and
restarting, run with --reencrypt; then remove the old key from ENCRYPTION_KEYS.
"""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from schakel.core import crypto


class Command(BaseCommand):
    help = "Rotate the encryption key and re-encrypt the reporter's identity and special fields."

    def add_arguments(self, parser):
        parser.add_argument("--reencrypt", action="store_true",
                            help="re-encrypt everything with the first key of ENCRYPTION_KEYS")

    def handle(self, *args, **options):
        if settings.ENCRYPTION_KEYS:
            if options["reencrypt"]:
                count = crypto.reencrypt_all()
                self.stdout.write(f"Re-encrypted {count} rows with the first key. "
                                  "You can now remove the old key from ENCRYPTION_KEYS.")
                return
            new = Fernet.generate_key().decode()
            self.stdout.write("New key (keep it in your secret store):\n" + new + "\n\n"
                              "1. Set ENCRYPTION_KEYS=<new key>,<old keys> and restart.\n"
                              "2. Run: manage.py rotate_encryption_key --reencrypt\n"
                              "3. Remove the old keys from ENCRYPTION_KEYS and restart.")
            return
        path = settings.DATA_DIR / "encryption_keys"
        old = crypto.load_keys()
        new = Fernet.generate_key().decode()
        path.write_text("\n".join([new, *old]) + "\n")
        with transaction.atomic():
            count = crypto.reencrypt_all()
        path.write_text(new + "\n")
        self.stdout.write(f"Rotated the key in {path}; re-encrypted {count} rows.")
