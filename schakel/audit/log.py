"""Writing the processing log. Call inside the transaction of the action logged."""

from .models import Action, Activity, ProcessingRecord


def log_processing(*, actor, activity: Activity, action: Action, obj=None,
                   purpose: str = "") -> None:
    """One record of processing personal data. `obj` is None for e.g. a free search."""
    ProcessingRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=getattr(actor, "role", "") or "",
        activity=activity,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        purpose=purpose or str(activity.label),
    )
