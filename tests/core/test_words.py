from __future__ import annotations

from datetime import date

from safeboard.core import words
from safeboard.core.periods import parse_period


def test_dates_and_periods_in_prose() -> None:
    assert words.when(parse_period("2017-03-31")) == "At 31 March 2017"
    assert words.when(parse_period("2016-17")) == "In 2016-17"
    assert words.when(parse_period("2016-17 Q4"), capital=False) == "in 2016-17 Q4"
    assert words.when(parse_period("2017-03")) == "In March 2017"
    assert words.day(date(2017, 4, 1)) == "1 April 2017"


def test_counts_agree_with_their_nouns() -> None:
    assert words.plural(1, "open risk") == "1 open risk"
    assert words.plural(2, "open risk") == "2 open risks"
    assert words.plural(0, "agency") == "0 agencies"
    assert words.plural(3, "board meeting") == "3 board meetings"
    assert words.plural(1200, "child", "children") == "1,200 children"
    assert words.noun(1, "meeting") == "meeting"
