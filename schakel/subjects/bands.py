"""The bands of a match proposal, decided in one place.

A proposal is evidence, not a verdict: the officer reads the band and the reasons for
and against, and links nothing without a click. A candidate below *mogelijk* has no
band (it is folded away as a weak candidate); when no candidate reaches *mogelijk*, the
page says "geen overeenkomst". The score is the probability of a match in per cent
(`evidence.to_score`); the thresholds were chosen on the tuning split of the evaluation
set (`evalset.TUNE_SEED`), never on the test split that `make bench` reports.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Band(models.TextChoices):
    CERTAIN = "zeker", _("certain")
    PROBABLE = "waarschijnlijk", _("probable")
    POSSIBLE = "mogelijk", _("possible")


# Lowest score (0-100) of each band; below POSSIBLE a candidate is no match.
THRESHOLDS = ((Band.CERTAIN, 90), (Band.PROBABLE, 75), (Band.POSSIBLE, 50))


def band_for(score: int) -> Band | None:
    """The band of a score, or None when it is no match at all."""
    for band, lowest in THRESHOLDS:
        if score >= lowest:
            return band
    return None
