"""Texts that both Django and Django REST framework translate, each differently.

As an installed app, DRF's catalogue would win over Django's own and change the
pages' Dutch ("Dit veld is verplicht." would become "… vereist."). This app comes
before rest_framework in INSTALLED_APPS, so these entries, translated here with
Django's own words, keep the pages as they were.
"""

from django.utils.translation import gettext_noop

KEPT = [
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a "
                 "corrupted image."),
    gettext_noop("Value must be valid JSON."),
]
