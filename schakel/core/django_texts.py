"""Texts Django itself shows but ships without a Dutch translation.

Marked here so `scripts/messages` keeps them in the project catalogue, which
LOCALE_PATHS puts before Django's own.
"""

from django.utils.translation import gettext_noop

# django.db.models.fields.BLANK_CHOICE_LABEL: the empty choice of every select (Django 6.1)
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")
