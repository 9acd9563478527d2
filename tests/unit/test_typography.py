"""Typography and grammar by locale: formats in the client's country's style, French punctuation
and elision, plurals that agree, one time format per language; then the same rules read off the
HTML of real runs (the demo in French, an English client in Great Britain and in the US)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from helpers.config import CLIENTS_DIR
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


def _run(tmp: Path, lang: str, country_code: str | None) -> Path:
    """The brightlane client copied under ``tmp``, its country set, run with the whole series."""
    from helpers.run.runner import run_client

    clients = tmp / "clients"
    shutil.copytree(CLIENTS_DIR / "brightlane", clients / "brightlane")
    brief_path = clients / "brightlane" / "brief.yaml"
    brief = yaml.safe_load(brief_path.read_text(encoding="utf-8"))
    brief["client"]["country"], brief["client"]["lang"] = country_code, lang
    brief["client"].pop("region", None)
    brief_path.write_text(yaml.safe_dump(brief, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_client("brightlane", clients_dir=clients, reports_dir=tmp / "reports", progress=lambda _: None)
    return result.run_dir


@pytest.fixture(scope="module")
def english_runs(tmp_path_factory) -> dict[str, Path]:
    """brightlane in English in Great Britain and in the US (about 20 s each)."""
    before = i18n.current_country()
    try:
        return {c: _run(tmp_path_factory.mktemp(c), "en", c) for c in ("GB", "US")}
    finally:
        set_country(before)


@pytest.fixture(scope="module")
def french_run(tmp_path_factory) -> Path:
    """The demo, in French (its brief)."""
    from helpers.run.runner import run_client

    before = i18n.current_country()
    try:
        result = run_client("demo", reports_dir=tmp_path_factory.mktemp("fr"), progress=lambda _: None)
    finally:
        set_country(before)
    return result.run_dir


def _no_bare_one(text: str, lang: str) -> list[str]:
    return [m.group(0) for noun in PLURAL_NOUNS[lang] for m in re.finditer(rf"(?<![\d.,]) 1 {noun}\b", text)]


def test_the_french_report_reads_french(french_run):
    text = visible_text(french_run / "report.html")
    wide = [text[max(0, m.start() - 30) : m.end() + 10] for m in re.finditer(r"\w[ \u00a0][:;]\s", text)]
    assert not wide, f"ordinary space before : or ; in French: {wide[:5]}"
    assert "d'Atelier Sève" in text or "d’Atelier Sève" in text
    assert not re.search(r"\bde Atelier", text)
    assert not re.search(r"\b\d{1,2}:\d\d\b", text), re.findall(r".{30}\b\d{1,2}:\d\d\b.{10}", text)[:5]
    assert re.search(r"\b\d{1,2}\u00a0h\b", text)  # times are 18 h
    assert not re.search(r"\b(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)\.? \d{1,2}, \d{4}", text)
    assert not _no_bare_one(text, "fr")


def test_english_reports_follow_the_country(english_runs):
    gb, us = (visible_text(english_runs[c] / "report.html") for c in ("GB", "US"))
    us_date = r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}"
    gb_date = r"(?<!of )\b\d{1,2} (Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept|Oct|Nov|Dec) \d{4}"  # not "2 of 14 | Nov 2025"
    assert re.search(us_date, us) and not re.search(gb_date, us)
    assert re.search(gb_date, gb) and not re.search(us_date, gb)
    assert re.search(r"\b\d{1,2}:\d\d\u202f(AM|PM)\b", us)  # the US: Babel's short time, 8:56 AM
    assert re.search(r"\b\d{2}:\d\d\b", gb)  # Great Britain: 08:56
    assert not re.search(r"\b([1-9]|1[0-2]):\d\d\u202f(AM|PM)", gb)  # Great Britain: 24-hour clock
    assert not re.search(r"\b(1[3-9]|2[0-3]):\d\d\b", us)  # the US: 12-hour clock
    assert not _no_bare_one(gb, "en") and not _no_bare_one(us, "en")


def test_html_typography_spares_tags_entities_and_code():
    from helpers.report.i18n import typography_html

    page = '<p title="a : b">Note : x &amp; y</p><code>k : v</code><style>a:hover {b: c}</style><p>Fin !</p>'
    out = typography_html(page, "fr")
    assert out == (
        f'<p title="a : b">Note{NNBSP}: x &amp; y</p><code>k : v</code><style>a:hover {{b: c}}</style>'
        f"<p>Fin{NNBSP}!</p>"
    )
    assert typography_html(page, "en") == page
