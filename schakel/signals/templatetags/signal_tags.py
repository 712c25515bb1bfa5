from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def state_badge(signal) -> str:
    """A signal's status as the lists show it (the markup of signals/_state.html), written
    here: an include per row of a list cost more than the rest of the row."""
    return format_html('<span class="state state-{}">{}</span>', signal.state,
                       signal.get_state_display())
