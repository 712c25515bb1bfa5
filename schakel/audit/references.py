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
