"""The keyed hash chain of the processing log: what is hashed, and with which key.

Each processing record is signed with HMAC-SHA256 over its content, its audit
event's digest and the previous record's hash. The key (AUDIT_CHAIN_KEYS, the
first signs, all verify) lives outside the database, so whoever can write the
database but not read the environment cannot recompute a valid chain after an
edit. What would survive even a stolen key is checked against the heads anchored
outside the database every day (`anchor.py`).

Deliberately not hashed: the record's `seq` (only its position; the links give
the order, so a renumbering is seen as what it covers up) and the audit event's
`actor_id` (set to NULL when an account is deleted, which is no tampering; the
username and role at the time are hashed instead).
"""

import hashlib
import hmac
import json

from schakel.core import crypto

GENESIS = "0" * 64


def chain_keys() -> list[str]:
    return crypto.load_secret_list("AUDIT_CHAIN_KEYS", "audit_chain_keys", crypto.new_hmac_key)


def event_digest(*, at, actor_username, actor_role, action, object_type, object_id,
                 changes) -> str:
    payload = [at.isoformat(), actor_username, actor_role, action, object_type, object_id,
               json.dumps(changes, sort_keys=True, ensure_ascii=True)]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def record_hash(key: str, *, trace_id, activity, started_at, ended_at, status, data_subject,
                purpose, audit_digest: str, prev_hash: str) -> str:
    payload = [trace_id, activity, started_at.isoformat(), ended_at.isoformat(), status,
               data_subject, purpose, audit_digest, prev_hash]
    return hmac.new(key.encode(), json.dumps(payload).encode(), hashlib.sha256).hexdigest()
