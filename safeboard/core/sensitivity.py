"""Sensitivity tiers: who may see a record, decided in one place.

- public: published material, anyone in the partnership (and the public editions of reports);
- partnership: aggregate data, plans and papers, every member of the partnership;
- agency: an agency's own drafts, that agency's people and the business unit;
- restricted: case-level records (allegations, child deaths, unpublished reviews, audit case
  details), only roles entitled to them, every read and write logged (`core.audit`).
"""

from __future__ import annotations

from django.db import models


class Sensitivity(models.TextChoices):
    PUBLIC = "public", "Public"
    PARTNERSHIP = "partnership", "Partnership"
    AGENCY = "agency", "Agency"
    RESTRICTED = "restricted", "Restricted"


TIER_ORDER = {
    Sensitivity.PUBLIC: 0,
    Sensitivity.PARTNERSHIP: 1,
    Sensitivity.AGENCY: 2,
    Sensitivity.RESTRICTED: 3,
}

TAG_CLASSES = {
    Sensitivity.PUBLIC: "govuk-tag--green",
    Sensitivity.PARTNERSHIP: "govuk-tag--blue",
    Sensitivity.AGENCY: "govuk-tag--yellow",
    Sensitivity.RESTRICTED: "govuk-tag--red",
}
