"""Writing the processing log. Call inside the transaction of the action logged."""

from .models import Action, Activity, ProcessingRecord


def log_processing(*, actor, activity: Activity, action: Action, obj, purpose: str = "") -> None:
    ProcessingRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=getattr(actor, "role", "") or "",
        activity=activity,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        purpose=purpose or str(activity.label),
    )
