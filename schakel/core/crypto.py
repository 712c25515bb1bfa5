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


def rewrite_columns(connection, table: str, pk_column: str, columns: list[str],
                    transform, batch: int = 500) -> int:
    """Apply `transform` to every non-empty value of the columns, in raw SQL.

    Raw SQL so that migrations (which have no live models) and key rotation share
    it. Only rows whose values change are written; returns how many.
    """
    from django.db import transaction

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(pk_column)}, {', '.join(map(quote, columns))} "
                       f"FROM {quote(table)}")
        rows = cursor.fetchall()
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    update = f"UPDATE {quote(table)} SET {sets} WHERE {quote(pk_column)} = %s"
    written = 0
    for start in range(0, len(rows), batch):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for pk, *values in rows[start:start + batch]:
                new = [transform(v) if v else v for v in values]
                if new != values:
                    cursor.execute(update, [*new, pk])
                    written += 1
    return written


def reencrypt_all(batch: int = 500) -> int:
    """Re-encrypt every encrypted value with the first key; returns the rows written."""
    from django.db import connection

    def renew(value: str) -> str:
        return rotate(value) if value.startswith(PREFIX) else encrypt(value)

    return sum(
        rewrite_columns(connection, model._meta.db_table, model._meta.pk.column,
                        [model._meta.get_field(n).column for n in names], renew, batch)
        for model, names in encrypted_fields())
