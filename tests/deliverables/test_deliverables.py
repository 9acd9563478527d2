"""The client deliverables of the demo run (French and English): the combined report, the glossary,
every word in the run's language, charts with their title as alt text, the logo guard and the PDF.

They read the run folders of the session's ``runs`` fixture (tests/conftest.py): no extra run.
The browser and safety checks are in tests/deliverables/test_browser.py.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import kpis
from helpers.client.brief import load_brief
from helpers.config import NOTEBOOKS
from helpers.report import glance
from helpers.report.export import logo_data_uri
from helpers.report.i18n import catalogue, typography
from tests.conftest import DEMO, workbook

pytestmark = pytest.mark.e2e

LANGS = ("fr", "en")
PAGES = ("index.html", "report.html", *(f"{name}.html" for name in NOTEBOOKS))

# Words a French deliverable must not show (English labels, day and month names) and the reverse.
# ("Impressions" is French too: the registry's French name of the KPI.)
ENGLISH_ONLY = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
    "January", "February", "March", "April", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Reach", "reach", "Followers", "followers", "Engagement rate", "Share of voice",
    "Posts", "posts", "Brand", "Network", "Goal", "Target", "Deadline", "Status", "Week", "on track",
    "at risk", "by impressions", "Executive summary", "Key findings", "Next steps", "Contents",
    "KPI glossary", "Full report", "Definition", "Objective", "Unit", "count", "percent", "hours",
)  # fmt: skip
FRENCH_ONLY = (
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "janvier", "février", "avril", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    "janv.", "févr.", "avr.", "juil.", "déc.", "Portée", "portée", "Abonnés", "abonnés", "Taux d'engagement",
    "Part de voix", "Réseau", "Objectif", "Échéance", "Semaine", "en bonne voie", "à risque", "Synthèse",
    "Sommaire", "Glossaire", "Rapport complet", "Définition", "Unité", "nombre", "pourcentage", "heures",
)  # fmt: skip


class _Visible(HTMLParser):
    """The text a reader sees or hears: page text, title, alt texts and the charts' own texts."""

    ATTRIBUTES = ("alt", "title", "aria-label", "data-chart-text")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []
        self.charts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.hidden += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.parts.append(value)
                if name == "data-chart-text":
                    self.charts.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _squash(text: str) -> str:
    return re.sub(r"[ \t\u00a0\u202f]+", " ", text)


def visible_text(folder: Path, pages: tuple[str, ...] = PAGES) -> tuple[str, str]:
    """All visible text of a run's deliverables, and the charts' texts alone, spaces normalised."""
    parts, charts = [], []
    for name in pages:
        parser = _Visible()
        parser.feed((folder / name).read_text(encoding="utf-8"))
        parts += parser.parts
        charts += parser.charts
    return _squash("\n".join(parts)), _squash("\n".join(charts))


def brief_strings() -> list[str]:
    """Every text the strategist wrote in the demo brief: it is shown as written, in any run language."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and len(node) > 3:
            found.append(_squash(node))

    walk(yaml.safe_load((DEMO / "brief.yaml").read_text(encoding="utf-8")))
    return sorted(found, key=len, reverse=True)


def without_brief(text: str) -> str:
    for value in brief_strings():
        text = text.replace(value, " ⟨brief⟩ ")
    return text


def fragments(message: str) -> list[str]:
    """The fixed words of a catalogue message (between its placeholders), long enough to be telling."""
    kept = []
    for piece in re.split(r"\{\w+\}", message):
        piece = _squash(piece).strip(" .,:;()«»\"'·–-+/")
        if len(piece) >= 4 and (" " in piece or len(piece) >= 6):
            kept.append(piece)
    return kept


def contains(text: str, words: str) -> bool:
    return re.search(r"(?<![\w.])" + re.escape(words) + r"(?![\w])", text) is not None


@pytest.fixture(scope="module")
def texts(runs) -> dict[str, tuple[str, str]]:
    return {lang: visible_text(runs[lang]) for lang in LANGS}


# --------------------------------------------------------------------------- structure
@pytest.mark.parametrize("lang", LANGS)
def test_combined_report_has_cover_summary_contents_every_part_and_the_glossary(runs, lang):
    folder = runs[lang]
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    marks = ['class="wb-cover"', 'id="summary"', 'id="contents"'] + [f'id="part-{n}"' for n in NOTEBOOKS]
    marks.append('id="glossary"')
    positions = [html.find(mark) for mark in marks]
    assert -1 not in positions, [m for m, p in zip(marks, positions, strict=True) if p == -1]
    assert positions == sorted(positions), "cover, summary, contents, parts in order, glossary last"
    for name in NOTEBOOKS:
        assert f'href="#part-{name}"' in html
    assert 'href="#glossary"' in html and "data:image/svg+xml;base64," in html  # contents and logo
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']https?://""", html)
    assert html.count("data:image/png;base64,") >= 10, "the parts' charts are embedded"
    for code in ("open_run(", "from helpers", "page.", "run_dir = "):
        assert code not in html
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    for section in ("findings", "goals", "next_steps"):
        assert summary[section], section
        assert html.find(_first_words(summary[section][0])) < positions[2], f"{section} before the contents"


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_and_the_index_open_on_the_page_at_a_glance(runs, lang):
    folder = runs[lang]
    for page in ("report.html", "index.html"):
        html = (folder / page).read_text(encoding="utf-8")
        body = re.search(r"<body[^>]*>\s*", html)
        first = re.match(r"<section[^>]*>", html[body.end() :])
        assert first and 'class="wb-glance"' in first.group(0), f"{page} opens on the glance"
        assert html.index('class="wb-glance"') < html.index('class="wb-cover"') < html.index('id="summary"')
    words = glance.texts(folder, lang)
    assert set(words) == {"title", "period", "windows", "tiles", "goals", "findings", "actions"}
    assert len(words["findings"]) == 3 and words["actions"] and words["goals"]
    shown = [words["title"], words["period"], words["windows"], *words["findings"], *words["actions"]]
    for tile in words["tiles"]:
        assert set(tile) == {"scope", "name", "value", "change", "better", "spark"}
        shown += [tile["scope"], tile["name"], tile["value"], tile["change"]]
    for goal in words["goals"]:
        shown += [goal["status"]]
    text = "\n".join(shown)
    data = json.loads((folder / "glance.json").read_text(encoding="utf-8"))
    ids = {t["kpi"] for t in data["tiles"]} | {g["id"] for g in data["goals"]} | set(data["findings"])
    assert not [i for i in ids if contains(text, i) and "_" in i], "an id shows"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    for marker in ("nan", "NaN", "<NA>", "None", "null"):
        assert not contains(text, marker), marker
    assert words["tiles"][0]["value"] in html  # the block shows the tiles' words


def _first_words(text: str) -> str:
    return text.split("(")[0].strip()[:40].replace("'", "&#39;")


@pytest.mark.parametrize("lang", LANGS)
def test_index_links_the_combined_report_and_ends_with_the_glossary(runs, lang):
    folder = runs[lang]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="report.html"' in index and (folder / "report.html").is_file()
    glossary = json.loads((folder / "glossary.json").read_text(encoding="utf-8"))
    assert len(glossary) >= 8
    for html in (index, (folder / "report.html").read_text(encoding="utf-8")):
        tail = html[html.index('id="glossary"') :]
        conventions = load_brief(DEMO / "brief.yaml").kpi
        for entry in glossary.values():
            assert f'id="kpi-{entry["id"]}"' in tail
            definition = typography(kpis.for_conventions(entry["id"], conventions).definition(lang), lang)
            assert definition in unescape(tail), entry["id"]
    english = lang == "en"
    assert ("KPI glossary" in index) is english and ("Glossaire des indicateurs" in index) is not english
    for name in NOTEBOOKS:  # every part links back to the index and to the full report
        part = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert 'href="index.html"' in part and 'href="report.html"' in part


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_has_its_title_as_alt_text_and_a_caption(runs, lang):
    charts = 0
    for name in NOTEBOOKS:
        html = (runs[lang] / f"{name}.html").read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="wb-figure">(.*?)</figure>', html, re.S):
            charts += 1
            alt = re.search(r'alt="([^"]*)"', figure).group(1)
            texts = re.search(r'data-chart-text="([^"]*)"', figure).group(1)
            assert alt and alt in texts.split(" | "), f"{name}: the alt text is not the chart's title: {alt}"
            if name != "03_problem_statement":  # the KPI tree explains itself (no figure to define)
                assert "<figcaption" in figure, f"{name}: chart '{alt}' has no definition or source under it"
    assert charts >= 10


# --------------------------------------------------------------------------- language
def test_no_string_of_the_other_language_is_left(texts):
    """Every catalogue message that differs between French and English must not show up in the
    other language's deliverables (index, full report, parts; chart texts and alt texts included),
    and no raw catalogue key (``section.key``) may be left anywhere."""
    fr, en = catalogue("fr"), catalogue("en")
    leaks = []
    for lang, other, own in (("fr", en, fr), ("en", fr, en)):
        text = without_brief(texts[lang][0])
        own_text = "\n".join(own.values())
        for key, message in other.items():
            if fr[key] == en[key]:
                continue
            for words in fragments(message):
                if contains(text, words) and not contains(own_text, words):
                    leaks.append(f"{lang}: {key} ({words!r})")
        leaks += [
            f"{lang}: raw key {key}" for key in own if re.search(rf"(?<![\w/]){re.escape(key)}\b", text)
        ]
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize(("lang", "forbidden"), [("fr", ENGLISH_ONLY), ("en", FRENCH_ONLY)])
def test_no_word_of_the_other_language(texts, lang, forbidden):
    text = without_brief(texts[lang][0])
    found = sorted({word for word in forbidden if contains(text, word)})
    assert not found, f"{lang} deliverables show: {found}"


def test_numbers_and_dates_follow_the_language(texts):
    fr_text, fr_charts = texts["fr"]
    en_text, en_charts = texts["en"]
    fr_charts, en_charts = without_brief(fr_charts), without_brief(en_charts)  # the brief's text as written
    assert re.search(r"\d \d{3}", fr_text) and re.search(r"\d,\d %", fr_text)  # 12 345 · 4,5 %
    assert re.search(r"\d{1,2} (janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)\. ?\d{4}", fr_text)
    assert re.search(r"\d,\d{3}\b", en_text) and re.search(r"\d\.\d%", en_text)  # 12,345 · 4.5%
    assert re.search(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}", en_text)
    # charts: the axis ticks, colour bars and labels use the same number style as the text
    assert not re.search(r"\d\.\d", fr_charts), "a French chart shows an English decimal point"
    assert not re.search(r"\d,\d{3}\b", fr_charts), "a French chart shows an English thousands separator"
    assert not re.search(r"\d,\d{1,2}(?!\d)", en_charts), "an English chart shows a French decimal comma"
    assert not re.search(r"\d %", en_charts), "English percents take no space"
    # the messages themselves (captions from the data may be in any language, so they are left out)
    assert not [k for k, v in catalogue("en").items() if re.search(r"\d %", v)], "English: 4.5%, not 4.5 %"
    assert not [k for k, v in catalogue("fr").items() if re.search(r"\d%", v)], "French: 4,5 %, not 4,5%"


# --------------------------------------------------------------------------- logo and PDF
def test_logo_path_cannot_leave_the_client_folder(tmp_path):
    client = tmp_path / "client"
    client.mkdir()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    (client / "inside.png").symlink_to(secret)
    for logo in ("../secret.png", str(secret), "inside.png", "sub/../../secret.png"):
        with pytest.raises(ValueError, match="inside the client folder"):
            logo_data_uri(client, logo)
    (client / "logo.png").write_bytes(secret.read_bytes())
    assert logo_data_uri(client, "logo.png").startswith("data:image/png;base64,")
    (client / "notes.txt").write_text("not an image", encoding="utf-8")
    with pytest.raises(ValueError, match="must be an image"):
        logo_data_uri(client, "notes.txt")


def test_pdf_without_chromium_is_a_clear_error_before_any_run(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_CHROMIUM", str(tmp_path / "no-chromium-here"))
    done = workbook("run", "demo", "--pdf", "--reports-dir", str(tmp_path / "reports"))
    assert done.returncode == 2
    assert "the PDF needs Chromium" in done.stderr and "apt-get install chromium" in done.stderr
    assert not (tmp_path / "reports").exists()


#: Nouns the catalogue counts, plural form first, per language.
COUNTED = {
    "fr": ("objectifs", "publications", "constats", "mentions", "abonnés", "probables", "irréalistes",
           "fiches", "groupes", "personas", "tables", "valeurs", "lignes", "messages", "heures", "jours"),
    "en": ("goals", "posts", "findings", "mentions", "followers", "records", "groups", "personas", "tables",
           "values", "rows", "messages", "hours", "KPIs", "SQLs", "months"),
}


def _readable_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'(src|href|data-chart-text)="[^"]*"', " ", page)
    return unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("lang", LANGS)
def test_no_missing_value_marker_and_no_singular_count_with_a_plural_noun(runs, lang):
    """Unknown values are written as such, never <NA>, nan or None; one of a thing is singular.

    The demo is also a client without reach for one network: X's exports carry none."""
    posts = pd.read_parquet(runs[lang] / "tables" / "posts.parquet")
    assert posts.loc[posts["channel"] == "x", "reach"].isna().all()
    assert posts.loc[posts["channel"] == "instagram", "reach"].notna().any()
    one_plural = re.compile(r"(?<![\d.,\u202f\u00a0])\b1 (" + "|".join(COUNTED[lang]) + r")\b")
    for page in sorted(runs[lang].glob("*.html")):
        text = _readable_text(page.read_text(encoding="utf-8"))
        for marker in (r"<NA>", r"\bnan\b", r"\bNaN\b", r"\bNone\b", r"\bNaT\b"):
            assert not re.search(marker, text), f"{page.name}: {marker}"
        assert not one_plural.search(text), f"{page.name}: {one_plural.search(text).group(0)}"


# ------------------------------------------------------------------ plain words, the method apart
#: Words of the method that the body leaves to the "Method" appendix.
_TECHNICAL = re.compile(r"bootstrap|silhouette|k-moyennes|k-means|log-lin", re.IGNORECASE)


def _body_and_appendix(html: str) -> tuple[str, str]:
    """``report.html`` split where the glossary starts: the body (cover to the last part) and the
    appendix (glossary, then method)."""
    start = re.search(r'<section[^>]*\bid="glossary"', html).start()
    return html[:start], html[start:]


@pytest.mark.parametrize("lang", LANGS)
def test_the_body_speaks_plainly_and_the_method_appendix_explains(runs, lang):
    html = (runs[lang] / "report.html").read_text(encoding="utf-8")
    body, appendix = _body_and_appendix(html)
    body_text = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", "", body, flags=re.S)))
    assert not _TECHNICAL.search(body_text), _TECHNICAL.search(body_text)
    words = catalogue(lang)
    assert f"<h2>{words['method.title']}</h2>" in appendix
    for topic in ("samples", "trends", "benchmark", "personas", "forecasts", "influencers", "roi"):
        entry = appendix.split(f'id="method-{topic}"', 1)[1].split("</section>", 1)[0]
        assert f"<h3>{words[f'method.{topic}.title']}</h3>\n<p>" in unescape(entry), topic
    assert _TECHNICAL.search(unescape(appendix))  # the method is named where it is explained


@pytest.mark.parametrize("lang", LANGS)
def test_each_kpi_is_defined_once_in_the_glossary_and_linked_from_the_body(runs, lang):
    folder = runs[lang]
    html = (folder / "report.html").read_text(encoding="utf-8")
    body, appendix = _body_and_appendix(html)
    conventions = load_brief(DEMO / "brief.yaml").kpi
    glossary = json.loads((folder / "glossary.json").read_text(encoding="utf-8"))
    text = unescape(body)
    for kpi_id in glossary:
        definition = typography(kpis.for_conventions(kpi_id, conventions).definition(lang), lang)
        assert definition not in text, f"{kpi_id}'s definition repeated in the body"
        assert unescape(appendix).count(definition) == 1, kpi_id
    targets = set(re.findall(r'id="([^"]+)"', html))
    links = set(re.findall(r'href="#((?:kpi|method)-[a-z0-9_]+)"', body))
    assert {"kpi-engagement_rate", "kpi-roi", "method-samples", "method-forecasts"} <= links
    assert links <= targets, sorted(links - targets)
    index = (folder / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:  # a part links to the index, which holds the glossary and the method
        part = (folder / f"{name}.html").read_text(encoding="utf-8")
        for anchor in re.findall(r'class="wb-ref" href="([^"]+)"', part):
            assert anchor.startswith("index.html#") and f'id="{anchor.split("#")[1]}"' in index, anchor
