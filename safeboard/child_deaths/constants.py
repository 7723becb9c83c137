"""The national vocabulary of child death reviews: categories, age bands, timeliness bands,
contributory factor domains, the NHS number check and the version of the national forms."""

from __future__ import annotations

from datetime import date

from django.db import models

from safeboard.core.periods import fy_containing


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    UNKNOWN = "unknown", "Unknown"


class Ethnicity(models.TextChoices):
    """The five broad groups of the 2021 Census, and not known."""

    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    OTHER = "other", "Other ethnic group"
    NOT_KNOWN = "not_known", "Not known"


class Place(models.TextChoices):
    HOSPITAL = "hospital", "Hospital"
    HOME = "home", "Normal residence"
    HOSPICE = "hospice", "Hospice"
    PUBLIC = "public", "Public place"
    ABROAD = "abroad", "Abroad"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class JarReason(models.TextChoices):
    """Why a death needs a joint agency response (statutory guidance 2018, 5.2)."""

    EXTERNAL = "external", "External causes"
    SUDDEN = "sudden", "Sudden, with no immediately apparent cause"
    CUSTODY = "custody", "In custody or detained"
    SUSPICIOUS = "suspicious", "Suspicious circumstances"


class Category(models.IntegerChoices):
    """The ten hierarchical categories of death (NCMD analysis form): the highest that
    applies is recorded."""

    ABUSE = 1, "Deliberately inflicted injury, abuse or neglect"
    SUICIDE = 2, "Suicide or deliberate self-inflicted harm"
    TRAUMA = 3, "Trauma and other external factors"
    MALIGNANCY = 4, "Malignancy"
    ACUTE = 5, "Acute medical or surgical condition"
    CHRONIC = 6, "Chronic medical condition"
    CHROMOSOMAL = 7, "Chromosomal, genetic and congenital anomalies"
    PERINATAL = 8, "Perinatal/neonatal event"
    INFECTION = 9, "Infection"
    SUDDEN = 10, "Sudden unexpected, unexplained death"


def category_row(value: int) -> str:
    """A category as a table's row label: `8 Perinatal/neonatal event`."""
    return f"{value} {Category(value).label}"


class Domain(models.TextChoices):
    """The domains of contributory factors on the analysis form."""

    CHILD = "child", "Factors intrinsic to the child"
    SOCIAL = "social", "Social environment, including family and parenting capacity"
    PHYSICAL = "physical", "Physical environment"
    SERVICE = "service", "Service provision"


class Grade(models.IntegerChoices):
    NONE = 0, "0: information not available, or no factors identified"
    UNLIKELY = 1, "1: factors identified, unlikely to have contributed"
    CONTRIBUTED = 2, "2: factors identified that may have contributed"


AGE_BANDS = ("0-27 days", "28-364 days", "1-4 years", "5-9 years", "10-14 years", "15-17 years")
TIME_BANDS = (
    "Under 6 months",
    "6-7 months",
    "8-9 months",
    "10-11 months",
    "12 months",
    "More than 12 months",
)
SEX_ROWS = ("Male", "Female", "Unknown")
MODIFIABLE_ROWS = ("Modifiable factors identified", "No modifiable factors identified")


def whole_years(born: date, on: date) -> int:
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def age_band(born: date, died: date) -> str:
    """The age band at death. Under 28 days by days; under a year by completed years (so a
    child who dies the day before the first birthday of a leap year is in 28-364 days)."""
    if (died - born).days < 28:
        return AGE_BANDS[0]
    years = whole_years(born, died)
    if years < 1:
        return AGE_BANDS[1]
    if years < 5:
        return AGE_BANDS[2]
    if years < 10:
        return AGE_BANDS[3]
    if years < 15:
        return AGE_BANDS[4]
    return AGE_BANDS[5]


def whole_months(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (a month is complete on the same day of
    the next month, or on its last day when it is shorter)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        # The month is complete only if `end` is the last day of a shorter month.
        import calendar

        if end.day != calendar.monthrange(end.year, end.month)[1]:
            months -= 1
    return months


def time_band(died: date, completed: date) -> str:
    """The timeliness band of a review: whole calendar months from death to completion."""
    months = whole_months(died, completed)
    if months < 6:
        return TIME_BANDS[0]
    if months <= 7:
        return TIME_BANDS[1]
    if months <= 9:
        return TIME_BANDS[2]
    if months <= 11:
        return TIME_BANDS[3]
    if months == 12:
        return TIME_BANDS[4]
    return TIME_BANDS[5]


def nhs_number_problem(text: str) -> str | None:
    """Why `text` is not a valid NHS number (None when it is): ten digits, spaces allowed,
    the tenth a modulus 11 check digit of the first nine (weights 10 down to 2)."""
    digits = text.replace(" ", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return "An NHS number has 10 digits"
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return "This is not a valid NHS number: its check digit does not match"
    return None


def form_version(on: date) -> str:
    """The version of the national child death review forms in force on a day: they change
    each 1 April, so a version is named by its financial year (`2025-26`)."""
    return fy_containing(on).label
