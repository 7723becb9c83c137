"""A completed review in the fields of the NCMD analysis form (the panel's analysis of a
death, "Form C"), for panels whose data go to the National Child Mortality Database by hand.
One row per field: the form's section, the field and its value."""

from __future__ import annotations

from typing import Any

from .constants import Domain, JarReason, category_row
from .models import ChildDeath, MeetingKind

COLUMNS = ("section", "field", "value")


def _yes_no(value: bool | None) -> str:
    return "Not known" if value is None else ("Yes" if value else "No")


def rows(death: ChildDeath) -> list[tuple[str, str, Any]]:
    review = death.review_or_none()
    if review is None or review.completed_on is None:
        raise ValueError("Only a completed review can be exported")
    meetings = list(death.meetings.all())
    found: list[tuple[str, str, Any]] = [
        ("Case", "Local reference", death.reference),
        ("Case", "NHS number", death.nhs_number),
        ("Case", "Forms version", review.form_version or death.form_version),
        ("Child", "Forename", death.first_name),
        ("Child", "Surname", death.surname),
        ("Child", "Date of birth", death.date_of_birth),
        ("Child", "Sex", death.get_sex_display()),
        ("Child", "Ethnicity", death.get_ethnicity_display()),
        ("Child", "Home local authority", death.home_area.name if death.home_area else ""),
        ("Death", "Date of death", death.date_of_death),
        ("Death", "Age at death", death.age_band),
        ("Death", "Place of death", death.get_place_of_death_display()),
        ("Death", "Expected death", _yes_no(death.expected)),
        ("Death", "Joint agency response", _yes_no(death.jar_needed)),
        (
            "Death",
            "Reasons for joint agency response",
            "; ".join(JarReason(r).label for r in death.jar_reasons),
        ),
    ]
    for kind in MeetingKind:
        dates = [m.held_on.isoformat() for m in meetings if m.kind == kind]
        found.append(("Meetings", f"{kind.label} dates", "; ".join(dates)))
    found += [
        ("Review", "Date of CDOP meeting", review.panel_date),
        ("Review", "Date review completed", review.completed_on),
        ("Review", "Category of death", category_row(review.category or 0)),
        ("Review", "Modifiable factors identified", _yes_no(review.modifiable)),
        ("Review", "Modifiable factors", review.modifiable_factors),
    ]
    factors = list(review.factors.all())
    for domain in Domain:
        graded = [f for f in factors if f.domain == domain]
        top = max((f.grade for f in graded), default=0)
        found.append(("Contributory factors", f"{domain.label}: highest grade", top))
        found.append(
            (
                "Contributory factors",
                f"{domain.label}: factors",
                "; ".join(f"{f.description} ({f.grade})" for f in graded),
            )
        )
    found.append(("Learning", "Learning points", review.learning))
    for n, rec in enumerate(review.recommendations.all(), start=1):
        found.append(("Learning", f"Recommendation {n}", rec.text))
    return found
