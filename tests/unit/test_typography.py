"""Typography and grammar by locale: formats in the client's country's style, French punctuation
and elision, plurals that agree, one time format per language; then the same rules read off the
HTML of real runs (the demo in French, an English client in Great Britain and in the US)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers.report import i18n
from helpers.report.display import table
from helpers.report.i18n import (
    NNBSP,
    catalogue,
    elide,
    fmt_date,
    fmt_list,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_time,
    locale_name,
    set_country,
    t,
    typography,
)


@pytest.fixture
def country():
    """Set a country for one test; the process's country is restored after it."""
    before = i18n.current_country()
    yield set_country
    set_country(before)


# --------------------------------------------------------------------------- locale by country
def test_the_locale_is_the_language_in_the_client_s_country(country):
    country("GB")
    assert locale_name("en") == "en_GB" and locale_name("fr") == "fr_FR"  # French is not official in GB
    country("CA")
    assert locale_name("en") == "en_CA" and locale_name("fr") == "fr_CA"
    country("FR")
    assert locale_name("en") == "en_US" and locale_name("fr") == "fr_FR"
    country("")
    assert locale_name("en") == "en_US"
    with pytest.raises(ValueError, match="two-letter"):
        set_country("France")


def test_dates_follow_the_country(country):
    day = dt.date(2025, 9, 1)
    country("US")
    assert fmt_date(day, "en") == "Sep 1, 2025" and fmt_date(day, "en", long=True) == "September 1, 2025"
    country("GB")
    assert fmt_date(day, "en") == "1 Sept 2025" and fmt_date(day, "en", long=True) == "1 September 2025"
    assert fmt_month(day, "en") == "Sept 2025"
    country("FR")
    assert fmt_date(day, "fr") == "1er sept. 2025" and fmt_date(dt.date(2025, 9, 12), "fr") == "12 sept. 2025"


def test_french_numbers_have_narrow_spaces(country):
    country("FR")
    assert fmt_number(12345.5, "fr", 1) == f"12{NNBSP}345,5"
    assert fmt_percent(0.045, "fr") == f"4,5{NNBSP}%"
    assert fmt_percent(0.045, "en") == "4.5%"
    assert fmt_list(["Facebook", "Instagram", "X"], "fr") == "Facebook, Instagram et X"


def test_one_time_format_per_language(country):
    country("FR")
    assert fmt_time(18, "fr") == "18\u00a0h" and fmt_time(dt.time(18, 30), "fr") == "18\u00a0h\u00a030"
    country("US")
    assert fmt_time(18, "en") == f"6:00{NNBSP}PM"
    assert fmt_time(dt.datetime(2025, 9, 1, 9, 5), "en") == f"9:05{NNBSP}AM"
    country("GB")
    assert fmt_time(18, "en") == "18:00"
    # a sentence's hour goes through the same function
    assert "18\u00a0h" in t("replan.slot_short", "fr", day="lundi", hour=18)
    assert t("replan.slot_short", "en", day="Monday", hour=18) == "Monday 18:00"


# --------------------------------------------------------------------------- French punctuation
def test_french_high_punctuation_takes_a_narrow_space():
    assert typography("Période : du 1er au 2", "fr") == f"Période{NNBSP}: du 1er au 2"
    assert typography("Vraiment? Oui! Non; bon", "fr") == f"Vraiment{NNBSP}? Oui{NNBSP}! Non{NNBSP}; bon"
    assert typography("« Joie »", "fr") == f"«{NNBSP}Joie{NNBSP}»"
    once = typography("Note : « a »", "fr")
    assert typography(once, "fr") == once  # idempotent


def test_typography_leaves_urls_times_and_code_alone():
    for text in ("à 18:00 tapantes", "voir https://example.com/a?b=1 ici", "`network_weights: 1`", "ratio 3:1"):
        assert typography(text, "fr") == text, text
    assert typography("Note : voir https://x.fr/?q=1", "fr") == f"Note{NNBSP}: voir https://x.fr/?q=1"
    assert typography("Period: now!", "en") == "Period: now!"  # English: unchanged


def test_messages_and_table_cells_get_french_typography():
    assert f"{NNBSP}:" in t("report.period", "fr", start="a", end="b")
    assert " :" not in t("report.period", "fr", start="a", end="b")
    import pandas as pd

    html = table(pd.DataFrame({"a": ["Texte : suite"]}), lang="fr").markup
    assert f"Texte{NNBSP}: suite" in html
    html = table(pd.DataFrame({"a": ["Text: more"]}), lang="en").markup
    assert "Text: more" in html


# --------------------------------------------------------------------------- French elision
def test_elision_before_a_vowel_or_a_mute_h():
    assert elide("de", "Atelier Sève") == "d'Atelier Sève"
    assert elide("De", "Orange") == "D'Orange"
    assert elide("du", "Hôtel Lumière") == "de l'Hôtel Lumière"
    assert elide("que", "Instagram") == "qu'Instagram"
    assert elide("le", "hameau") == "le hameau"  # an aspirated h: not elided
    assert elide("de", "YouTube") == "de YouTube" and elide("de", "Brightlane") == "de Brightlane"
    assert elide("de", "8 posts") == "de 8 posts"


def test_messages_elide_an_interpolated_name():
    assert t("report.logo_alt", "fr", client="Atelier Sève") == "Logo d'Atelier Sève"
    assert t("report.logo_alt", "fr", client="Brightlane") == "Logo de Brightlane"
    assert t("report.logo_alt", "en", client="Atelier Sève") == "Atelier Sève logo"
    assert t("report.logo_alt", "fr", client="Hôtel Lumière") == "Logo d'Hôtel Lumière"


# --------------------------------------------------------------------------- plurals
#: nouns that must never follow a bare ``1`` (``1 posts``)
PLURAL_NOUNS = {
    "fr": ("publications", "constats", "concurrents", "abonnés", "mentions", "objectifs", "points", "rapports"),
    "en": ("posts", "findings", "competitors", "followers", "mentions", "goals", "points", "reports", "KPIs"),
}


#: placeholders that take a name, never a count
NAMES = {"format", "channel", "network", "brand", "leader", "kpi", "author", "persona", "goal", "client"}


def _fill(text: str, count: int) -> dict[str, object]:
    """Every placeholder of a message given ``count``, a name ``X``."""
    return {name: "X" if name in NAMES else count for name in re.findall(r"\{(\w+)[|}]", text)}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_message_writes_one_before_a_plural_noun(lang):
    bad = []
    for key, text in catalogue(lang).items():
        values = _fill(text, 1)
        if not values:
            continue
        filled = t(key, lang, **values)
        bad += [f"{key}: {filled}" for noun in PLURAL_NOUNS[lang] if re.search(rf"\b1 {noun}\b", filled)]
    assert not bad, "\n".join(bad)


def test_plurals_follow_each_language_s_rule():
    assert t("replan.say_none", "fr", step=1, points=1).count("1 point,") == 1
    assert "0 point," in t("replan.say_none", "fr", step=1, points=0)  # French: 0 is singular
    assert "0 points or more" in t("replan.say_none", "en", step=1, points=0)


# --------------------------------------------------------------------------- real runs
class _Text(HTMLParser):
    """The visible text of a page, outside ``<code>``, ``<pre>``, ``<style>`` and ``<script>``."""

    SKIP = {"code", "pre", "style", "script"}

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.SKIP

    def handle_endtag(self, tag):
        self.depth -= tag in self.SKIP and self.depth > 0

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split(" "))


def test_html_typography_spares_tags_entities_and_code():
    from helpers.report.i18n import typography_html

    page = '<p title="a : b">Note : x &amp; y</p><code>k : v</code><style>a:hover {b: c}</style><p>Fin !</p>'
    out = typography_html(page, "fr")
    assert out == (
        f'<p title="a : b">Note{NNBSP}: x &amp; y</p><code>k : v</code><style>a:hover {{b: c}}</style>'
        f"<p>Fin{NNBSP}!</p>"
    )
    assert typography_html(page, "en") == page
