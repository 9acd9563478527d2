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
    assert fmt_percent(0.045, "fr") == "4,5\u202f%"
    assert fmt_percent(0.045, "en") == "4.5%"
    assert fmt_percent(0.12, "en", 0, signed=True) == "+12%"
    assert fmt_percent(-0.12, "fr", 0, signed=True) == "−12\u202f%"
    assert fmt_money(1234.5, "fr") == "1\u202f234\u00a0€"
    assert fmt_money(1234.5, "en") == "€1,234"
    assert fmt_number(float("nan"), "fr") == "n.d."
    assert fmt_number(pd.NA, "en") == fmt_money(None, "en") == "n/a" and fmt_percent(pd.NA, "fr") == "n.d."


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


def test_counts_agree_with_their_noun_by_each_language_rule():
    fr = {n: t("goals.say", "fr", n=n, smart=0, likely=n, uncertain=n, stretch=0, unrealistic=n) for n in (0, 1, 2)}
    assert fr[1].startswith("1 objectif, ") and "1 probable," in fr[1] and "1 irréaliste." in fr[1]
    assert fr[0].startswith("0 objectif, ")  # French: 0 takes the singular
    assert fr[2].startswith("2 objectifs, ") and "2 probables" in fr[2] and "2 incertains" in fr[2]
    en = {n: t("goals.say", "en", n=n, smart=0, likely=n, uncertain=n, stretch=0, unrealistic=n) for n in (0, 1, 2)}
    assert en[1].startswith("1 goal, ") and en[0].startswith("0 goals, ") and en[2].startswith("2 goals, ")
    # a count already written in the language's style
    assert t("planning.summary_line", "fr", posts="1\u202f234", start="a", end="b").startswith(
        "Publier les 1\u202f234 publications"
    )
    assert "1 post of" in t("planning.summary_line", "en", posts="1", start="a", end="b")


def test_every_plural_form_names_a_placeholder_of_its_message():
    for lang in ("fr", "en"):
        for key, text in catalogue(lang).items():
            for name in re.findall(r"\{(\w+)\|[^|{}]*\|[^|{}]*\}", text):
                assert "{" + name + "}" in text, (lang, key, name)


def test_shares_of_a_whole_are_rounded_to_add_up_to_100():
    from helpers.report.i18n import rounded_shares

    # rounded one by one they read 29 + 24 + 19 + 15 + 11 + 4 = 102 %
    shares = [0.2851, 0.2351, 0.1851, 0.1451, 0.1051, 0.0445]
    assert sum(round(s * 100) for s in shares) == 102
    rounded = rounded_shares(shares)
    assert round(sum(rounded) * 100) == 100
    assert all(abs(r - s) < 0.01 for r, s in zip(rounded, shares, strict=True))
    assert rounded_shares([1 / 3] * 3) == [0.34, 0.33, 0.33]
    assert rounded_shares([0.5, 0.5], decimals=1) == [0.5, 0.5]
