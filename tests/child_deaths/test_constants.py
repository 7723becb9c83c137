from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeboard.child_deaths.constants import (
    AGE_BANDS,
    TIME_BANDS,
    age_band,
    category_row,
    form_version,
    nhs_number_problem,
    time_band,
    whole_months,
)


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "4010232137"])
def test_valid_nhs_numbers(number: str) -> None:
    assert nhs_number_problem(number) is None


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("9434765918", "check digit"),
        ("943476591", "10 digits"),
        ("94347659190", "10 digits"),
        ("94347659a9", "10 digits"),
        ("١٢٣٤٥٦٧٨٩٠", "10 digits"),
    ],
)
def test_invalid_nhs_numbers(number: str, why: str) -> None:
    assert why in (nhs_number_problem(number) or "")


def test_a_number_whose_check_digit_would_be_ten_is_never_valid() -> None:
    # 000000023x: 2*3 + 3*2 = 12, 12 % 11 = 1, 11 - 1 = 10: no digit is right.
    for last in range(10):
        assert nhs_number_problem(f"000000023{last}") is not None


def test_age_bands() -> None:
    born = date(2020, 1, 1)
    assert age_band(born, date(2020, 1, 28)) == "0-27 days"
    assert age_band(born, date(2020, 1, 29)) == "28-364 days"
    assert age_band(born, date(2020, 12, 31)) == "28-364 days"  # 365 days old, not yet 1
    assert age_band(born, date(2021, 1, 1)) == "1-4 years"
    assert age_band(born, date(2025, 1, 1)) == "5-9 years"
    assert age_band(born, date(2030, 1, 1)) == "10-14 years"
    assert age_band(born, date(2037, 12, 31)) == "15-17 years"


def test_time_bands_by_whole_calendar_months() -> None:
    died = date(2016, 1, 31)
    assert whole_months(died, date(2016, 2, 29)) == 1  # last day of a shorter month
    assert whole_months(died, date(2016, 2, 28)) == 0
    assert time_band(died, date(2016, 7, 30)) == "Under 6 months"
    assert time_band(died, date(2016, 7, 31)) == "6-7 months"
    assert time_band(died, date(2016, 9, 30)) == "8-9 months"
    assert time_band(died, date(2016, 11, 30)) == "10-11 months"
    assert time_band(died, date(2017, 1, 31)) == "12 months"
    assert time_band(died, date(2017, 2, 27)) == "12 months"
    # A month after 31 January is the last day of February (as the clock engine counts).
    assert time_band(died, date(2017, 2, 28)) == "More than 12 months"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)), st.integers(0, 3000))
def test_every_review_falls_in_exactly_one_band(died: date, days: int) -> None:
    from datetime import timedelta

    done = died + timedelta(days=days)
    band = time_band(died, done)
    assert [b for b in TIME_BANDS if b == band] == [band]
    assert age_band(done - timedelta(days=days % 6500), done) in AGE_BANDS


def test_category_rows_and_form_versions() -> None:
    assert category_row(8) == "8 Perinatal/neonatal event"
    assert form_version(date(2025, 3, 31)) == "2024-25"
    assert form_version(date(2025, 4, 1)) == "2025-26"


@given(st.lists(st.integers(0, 9), min_size=9, max_size=9))
def test_nine_digits_have_at_most_one_check_digit(digits: list[int]) -> None:
    """Modulus 11: one last digit is right (none when the check would be 10), and a change
    of any one digit of a valid number is caught."""
    stem = "".join(map(str, digits))
    valid = [d for d in range(10) if nhs_number_problem(f"{stem}{d}") is None]
    assert len(valid) <= 1
    for number in (f"{stem}{d}" for d in valid):
        for i in range(10):
            for other in "0123456789":
                if other != number[i]:
                    changed = number[:i] + other + number[i + 1 :]
                    assert nhs_number_problem(changed) is not None, changed


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)), st.integers(0, 3000))
def test_whole_months_agree_with_the_clock_engine(start: date, days: int) -> None:
    """A month is complete as the clock engine counts it: the most months m whose
    `add_calendar_months(start, m)` is on or before the end."""
    from datetime import timedelta

    from safeboard.core.clocks import add_calendar_months

    end = start + timedelta(days=days)
    months = whole_months(start, end)
    assert add_calendar_months(start, months) <= end
    assert add_calendar_months(start, months + 1) > end
