from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def is_region_installation() -> bool:
    return bool(settings.SCHAKEL.get("REGION"))


@register.filter
def fig(figure, threshold):
    """A regional figure as text: a number, "< 5", "x" (hidden) or "–" (no share)."""
    return figure.text(threshold)


@register.filter
def cellfig(cell, threshold):
    """A cell of a share as text, for the policy officer's preview."""
    if cell is None:
        return "–"
    if cell["s"] == "p":
        return f"< {threshold}"
    if cell["s"]:
        return "x"
    return cell["v"]


@register.filter
def label_of(mapping, key):
    return mapping.get(key, key) if mapping else key
