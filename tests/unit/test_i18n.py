"""Both catalogues have the same keys; numbers and dates follow each language's habits."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from helpers.report.i18n import catalogue, fmt_date, fmt_money, fmt_number, fmt_percent, t


def test_catalogues_have_the_same_keys_and_placeholders():
    fr, en = catalogue("fr"), catalogue("en")
    assert set(fr) == set(en)
    for key in fr:
        assert set(re.findall(r"{(\w+)}", fr[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_number_formats():
    assert fmt_number(12345.6, "fr", 1) == "12\u202f345,6"
    assert fmt_number(12345.6, "en", 1) == "12,345.6"
    assert fmt_percent(0.045, "fr") == "4,5\u00a0%"
    assert fmt_percent(0.045, "en") == "4.5%"
    assert fmt_percent(0.12, "en", 0, signed=True) == "+12%"
    assert fmt_percent(-0.12, "fr", 0, signed=True) == "−12\u00a0%"
    assert fmt_money(1234.5, "fr") == "1\u202f234\u00a0€"
    assert fmt_money(1234.5, "en") == "€1,234"
    assert fmt_number(float("nan"), "fr") == "–"
    assert fmt_number(pd.NA, "en") == fmt_percent(pd.NA, "fr") == fmt_money(None, "en") == "–"


def test_date_formats():
    day = dt.date(2026, 11, 23)
    assert fmt_date(day, "fr") == "23 nov. 2026"
    assert fmt_date(day, "en") == "Nov 23, 2026"
    assert fmt_date(dt.date(2027, 1, 1), "fr", long=True) == "1er janvier 2027"


def test_missing_message_and_language_fail_loudly():
    with pytest.raises(KeyError, match="missing from the 'en' catalogue"):
        t("nowhere.key", "en")
    with pytest.raises(ValueError, match="unknown language 'de'"):
        fmt_number(1, "de")
