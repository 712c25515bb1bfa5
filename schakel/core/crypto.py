"""Encryption at rest for the reporter's identity and special-category fields.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`, with a list of keys:
the first encrypts, all decrypt, so a key can be rotated without downtime
(`manage.py rotate_encryption_key`). Keys come from ENCRYPTION_KEYS (production)
or from DATA_DIR/encryption_keys (demo and tests, generated once).

Why decrypt-in-process and not a blind index: the encrypted fields (reporter
name and contact details, nationality, free-text background) are never searched
or matched; the enrichment engine matches on the names and addresses of those
involved, which stay searchable. Lose every key and these fields are gone for good:
keep ENCRYPTION_KEYS in the municipality's secret store with its backups.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "gAAAAA"  # every Fernet token starts with its version byte and timestamp


def load_keys() -> list[str]:
    raw = getattr(settings, "ENCRYPTION_KEYS", None) or []
    if raw:
        return list(raw)
    if settings.PRODUCTION:
        raise ImproperlyConfigured("ENCRYPTION_KEYS is required when SCHAKEL_ENV=production.")
    path = settings.DATA_DIR / "encryption_keys"
    if not path.exists():
        path.write_text(Fernet.generate_key().decode() + "\n")
        path.chmod(0o600)
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "An encryption key is not a valid Fernet key (32 url-safe base64 bytes)."
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(load_keys()))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text stored encrypted; empty stays empty. Cannot be filtered on, by design."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        if not value.startswith(PREFIX):
            return value  # written before encryption; `reencrypt` converts it
        try:
            return decrypt(value)
        except InvalidToken:
            raise ImproperlyConfigured(
                "Encrypted data cannot be read with the configured ENCRYPTION_KEYS."
            ) from None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def encrypted_fields():
    """(model, [field names]) for every model with encrypted fields."""
    from django.apps import apps

    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


def reencrypt_all(batch: int = 500) -> int:
    """Re-encrypt every encrypted value with the first key; returns the rows touched."""
    from django.db import connection, transaction

    touched = 0
    for model, names in encrypted_fields():
        table = model._meta.db_table
        columns = [model._meta.get_field(n).column for n in names]
        quote = connection.ops.quote_name
        select = (f"SELECT {quote(model._meta.pk.column)}, "
                  + ", ".join(quote(c) for c in columns) + f" FROM {quote(table)}")
        with connection.cursor() as cursor:
            cursor.execute(select)
            rows = cursor.fetchall()
        for start in range(0, len(rows), batch):
            with transaction.atomic(), connection.cursor() as cursor:
                for pk, *values in rows[start:start + batch]:
                    new = [(rotate(v) if v.startswith(PREFIX) else encrypt(v)) if v else v
                           for v in values]
                    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
                    pk_column = quote(model._meta.pk.column)
                    cursor.execute(f"UPDATE {quote(table)} SET {sets} WHERE {pk_column} = %s",
                                   [*new, pk])
                    touched += 1
    return touched
