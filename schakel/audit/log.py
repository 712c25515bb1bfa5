"""Writing the processing log. Call inside the transaction of the action logged."""

import contextvars
import uuid

from schakel.core import clock

from . import sequencer
from .models import Action, Activity, AuditEvent, ProcessingRecord

# Set per request by TraceMiddleware: all records of one request share a trace id.
_trace = contextvars.ContextVar("schakel_trace", default=None)


def start_trace():
    return _trace.set((uuid.uuid4().hex, clock.now()))


def end_trace(token) -> None:
    _trace.reset(token)


def current_trace():
    return _trace.get() or (uuid.uuid4().hex, clock.now())


def subjects_of(obj) -> list[str]:
    """The pseudonymous ids of the data subjects an object is about."""
    finder = getattr(obj, "data_subject_ids", None)
    return list(finder()) if callable(finder) else []


def log_processing(*, actor, activity: Activity, action: Action, obj=None, purpose: str = "",
                   subjects: list[str] | None = None, changes: dict | None = None) -> AuditEvent:
    """Record one processing of personal data: an audit event and one record per data subject.

    1. The audit event says who (user, role) did what to which object.
    2. Each data subject gets its own record (the standard asks for one per subject);
       `subjects` defaults to those of `obj` (e.g. a signal's persons and reporter).
    3. The records are chained (`sequencer.py`): on PostgreSQL inserted unchained with
       an entry signature (together with the event, in one statement) and chained
       right after commit, so readers never wait on the chain head; on SQLite (one
       writer at a time anyway) numbered, linked and signed (HMAC with the first
       AUDIT_CHAIN_KEYS key) here, under the head's lock.
    4. Written in the caller's transaction, or in one of its own (`sequencer.write`:
       none for a single statement, which is atomic by itself).
    """
    trace_id, started_at = current_trace()
    now = clock.now()
    user = actor if getattr(actor, "pk", None) else None
    audit = AuditEvent(
        at=now, actor=user, actor_username=getattr(user, "username", "") or "",
        actor_role=getattr(user, "role", "") or "", action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "", changes=changes or {},
    )
    subject_ids = subjects if subjects is not None else subjects_of(obj)
    purpose = (purpose or str(activity.label))[:200]
    actor_pk = user.pk if user is not None else None
    records = [
        ProcessingRecord(trace_id=trace_id, activity=activity, started_at=started_at,
                         ended_at=now, data_subject=subject, purpose=purpose, audit=audit,
                         actor_pk=actor_pk, object_type=audit.object_type,
                         object_id=audit.object_id)
        for subject in subject_ids or [""]
    ]
    sequencer.write(audit, records)
    return audit


class TraceMiddleware:
    """Gives every request one trace id for the processing records it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = start_trace()
        try:
            return self.get_response(request)
        finally:
            end_trace(token)
