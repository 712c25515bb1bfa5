"""Encryption at rest, and keyed hashes, with keys that live outside the database.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`, with a list of keys:
the first encrypts, all decrypt, so a key can be rotated without downtime
(`manage.py rotate_encryption_key`). Keys come from ENCRYPTION_KEYS (production)
or from DATA_DIR/encryption_keys (demo and tests, generated once).

Keyed hashes (HMAC-SHA256) link what must be found without being readable: the
reporter's account (`AccountKeyField`, REPORTER_LINK_KEYS) and, in `audit`, the
processing log's chain (AUDIT_CHAIN_KEYS). Same pattern: first key writes, all
are accepted, DATA_DIR files in the demo, required in production.

Why decrypt-in-process and not a blind index: the encrypted fields (the reporter's
identity, nationality, every free text about a signal) are never searched, sorted
or matched; the enrichment engine matches on the names and addresses of those
involved, which stay searchable. Lose every key and these fields are gone for good:
keep the keys in the municipality's secret store with its backups.
"""

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "gAAAAA"  # every Fernet token starts with its version byte and timestamp


def load_secret_list(setting: str, filename: str, generate) -> list[str]:
    """Keys from the setting, or (demo and tests) from a file in DATA_DIR made once."""
    return list(_secret_tuple(setting, filename, generate))


def _secret_tuple(setting: str, filename: str, generate) -> tuple[str, ...]:
    raw = getattr(settings, setting, None) or ()
    if raw:
        return tuple(raw)
    if settings.PRODUCTION:
        raise ImproperlyConfigured(f"{setting} is required when SCHAKEL_ENV=production.")
    path = os.path.join(settings.DATA_DIR, filename)
    try:
        stat = os.stat(path)  # one system call per field read: no Path, no exists()
    except FileNotFoundError:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(generate() + "\n")
        Path(path).chmod(0o600)
        stat = os.stat(path)
    return _read_secret_file(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _read_secret_file(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The keys in a file, read again only when it changed: a page decrypts hundreds of
    fields, and reading the file for each cost 0.2 ms (the demo's list pages)."""
    with open(path) as handle:
        return tuple(line.strip() for line in handle.read().splitlines() if line.strip())


def load_keys() -> list[str]:
    return load_secret_list("ENCRYPTION_KEYS", "encryption_keys", _new_fernet_key)


def new_hmac_key() -> str:
    return secrets.token_urlsafe(32)


def link_keys() -> list[str]:
    """Keys of the keyed hash that links a reporter to their account; the first writes."""
    return load_secret_list("REPORTER_LINK_KEYS", "reporter_link_keys", new_hmac_key)


def keyed_hash(key: str, value: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def account_key(user_id) -> str:
    """The keyed hash stored for an account: without the key it names nobody."""
    return keyed_hash(link_keys()[0], f"account:{user_id}")


def account_keys(user_id) -> list[str]:
    """The account's hash under every configured key, for lookups while keys rotate."""
    return [keyed_hash(k, f"account:{user_id}") for k in link_keys()]


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "An encryption key is not a valid Fernet key (32 url-safe base64 bytes)."
        ) from None


def fernet() -> MultiFernet:
    # The keys as the tuple the cache knows them by: this runs for every field decrypted.
    return _fernet(_secret_tuple("ENCRYPTION_KEYS", "encryption_keys", _new_fernet_key))


def _new_fernet_key() -> str:
    return Fernet.generate_key().decode()


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


class AccountKeyField(models.CharField):
    """The keyed hash of an account id (`account_key`), derived from an encrypted field.

    `source` names the EncryptedTextField holding the same id encrypted, so that
    `rekey_all` can recompute the hash with a new key without anyone logging in.
    Equality lookups work (`account_keys(user.pk)`); nothing else is meaningful.
    """

    description = "Keyed hash of an account id"

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("db_index", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs


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


def rekey_table(connection, table: str, pk_column: str, pairs: list[tuple[str, str]],
                batch: int = 500) -> int:
    """Recompute keyed hashes (column, encrypted source column) with the first link key.

    Raw SQL like `rewrite_columns`, so migrations share it; returns the rows written.
    """
    from django.db import transaction

    quote = connection.ops.quote_name
    columns = [c for pair in pairs for c in pair]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(pk_column)}, {', '.join(map(quote, columns))} "
                       f"FROM {quote(table)}")
        rows = cursor.fetchall()
    sets = ", ".join(f"{quote(column)} = %s" for column, _ in pairs)
    update = f"UPDATE {quote(table)} SET {sets} WHERE {quote(pk_column)} = %s"
    written = 0
    for start in range(0, len(rows), batch):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for pk, *values in rows[start:start + batch]:
                old = values[0::2]
                new = [account_key(decrypt(src) if src.startswith(PREFIX) else src) if src
                       else "" for src in values[1::2]]
                if new != old:
                    cursor.execute(update, [*new, pk])
                    written += 1
    return written


def rekey_all(batch: int = 500) -> int:
    """Recompute every account hash with the first of REPORTER_LINK_KEYS."""
    from django.apps import apps
    from django.db import connection

    written = 0
    for model in apps.get_models():
        pairs = [(f.column, model._meta.get_field(f.source).column)
                 for f in model._meta.concrete_fields if isinstance(f, AccountKeyField)]
        if pairs:
            written += rekey_table(connection, model._meta.db_table, model._meta.pk.column,
                                   pairs, batch)
    return written


def encrypt_plain_columns(connection, table: str, columns: list[str], pk_column: str = "id") -> int:
    """Encrypt the values of the columns not yet encrypted (for data migrations)."""
    def encrypt_plain(value: str) -> str:
        return value if value.startswith(PREFIX) else encrypt(value)

    return rewrite_columns(connection, table, pk_column, columns, encrypt_plain)
