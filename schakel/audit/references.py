"""References users type (a signal's "MH-2026-00001") turned into the log's object ids.

The processing log stands below the apps whose objects it records, so it does not
import them: an app registers a resolver from its AppConfig.ready() instead
(`signals` registers the signal reference).
"""

from collections.abc import Callable

# A resolver takes the typed text and answers (object_type, object_id) or None.
Resolver = Callable[[str], tuple[str, str] | None]
_RESOLVERS: list[Resolver] = []


def register_reference(resolver: Resolver) -> None:
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)


def resolve_reference(text: str) -> tuple[str, str] | None:
    """The first registered resolver that knows the reference, or None."""
    text = (text or "").strip()
    for resolver in _RESOLVERS:
        found = resolver(text)
        if found is not None:
            return found
    return None


# A namer takes object ids (strings) of one object type and answers {id: readable name},
# e.g. "signals.signal" → {"1": "MH-2026-00001"}; an app registers its own.
Namer = Callable[[list[str]], dict[str, str]]
_NAMERS: dict[str, Namer] = {}


def register_namer(object_type: str, namer: Namer) -> None:
    _NAMERS[object_type] = namer


def object_names(pairs) -> dict[tuple[str, str], str]:
    """Readable names for (object_type, object_id) pairs: one call per object type.

    Without a namer: the model's name and the id ("gebruiker 4"); an object that is
    gone keeps that form too, so a name never depends on data that was destroyed.
    """
    from django.apps import apps

    by_type: dict[str, set[str]] = {}
    for object_type, object_id in pairs:
        if object_type:
            by_type.setdefault(object_type, set()).add(object_id)
    names = {}
    for object_type, ids in by_type.items():
        known = _NAMERS[object_type](sorted(ids)) if object_type in _NAMERS else {}
        try:
            label = str(apps.get_model(object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            label = object_type
        for object_id in ids:
            names[(object_type, object_id)] = known.get(object_id) or f"{label} {object_id}"
    return names
