from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(cell, threshold=5):
    """A stored figure as the report prints it: "< 5" when small, "x" when hidden."""
    if cell is None:
        return "—"
    if cell.get("s") == "p":
        return f"<\u00a0{threshold}"
    if cell.get("s") == "x":
        return "x"
    value = cell.get("v")
    if value is None:
        return "—"
    return number_format(value, force_grouping=True)


@register.filter
def decimal_nl(value):
    """3.5 → "3,5" in Dutch."""
    if value is None:
        return "—"
    return number_format(value, decimal_pos=1, force_grouping=True)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(str(key), "")
