"""The demo's deliverables, French and English, as a client reads them:

- layout measured in a real browser (tests/conftest.py's ``browser``): at 1280 px no table, image or
  svg is wider than its container nor scrolls inside its frame; at 390 px none is wider than the
  screen either; and no page scrolls sideways;
- no internal words: no snake_case token, brief key, goal id or missing-value marker (``<NA>``,
  ``NaN``, ``None``, ``nan``) in the visible text, alt texts, table labels and chart texts of every
  page, nor in the calendar's events.

They read the run folders of the session's ``runs`` fixture: no extra run.
"""

from __future__ import annotations

import json
import re
import typing
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pydantic
import pytest

from helpers.client.brief import Brief
from helpers.config import NOTEBOOKS
from helpers.run.artefacts import ARTEFACTS, CLIENT
from tests.conftest import visit

pytestmark = pytest.mark.e2e

LANGS = ("fr", "en")
PAGES = ("index.html", "report.html", *(f"{name}.html" for name in NOTEBOOKS))
DESKTOP, PHONE = 1280, 390

# --------------------------------------------------------------------------- layout
# Every table, image and svg shown: wider than its container (its nearest ancestor with a width),
# scrolling inside itself or its frame, or (``phone``) out of the screen. The page's own width too.
MEASURE = """(phone) => {
  const screen = document.documentElement.clientWidth;
  const found = [];
  const name = (el) => {
    const text = el.tagName === 'TABLE' ? (el.querySelector('th, td')?.textContent || '')
      : (el.getAttribute('alt') || el.getAttribute('aria-label') || el.closest('figure')?.querySelector('img')?.alt || '');
    return `${el.tagName.toLowerCase()} «${text.trim().slice(0, 50)}»`;
  };
  for (const el of document.querySelectorAll('table, img, svg')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;  // not shown
    let holder = el.parentElement;
    while (holder && holder.clientWidth === 0) holder = holder.parentElement;
    const why = [];
    if (holder && box.width > holder.clientWidth + 1) why.push(`${Math.round(box.width)} px in ${holder.clientWidth}`);
    if (el.tagName === 'TABLE') {
      const frame = el.closest('.wb-table-wrap, .jp-OutputArea-output') || el.parentElement;
      if (el.scrollWidth > el.clientWidth + 1) why.push(`scrolls inside (${el.scrollWidth} px in ${el.clientWidth})`);
      if (frame.scrollWidth > frame.clientWidth + 1) why.push(`its frame scrolls (${frame.scrollWidth} px in ${frame.clientWidth})`);
    }
    if (phone && (box.left < -1 || box.right > screen + 1)) why.push(`out of the ${screen} px screen`);
    if (why.length) found.push(`${name(el)}: ${why.join(', ')}`);
  }
  return {found, width: document.documentElement.scrollWidth, screen};
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_tables_and_charts_fit_the_page_at_1280_and_390_px(runs, browser, lang):
    problems = []
    for page in PAGES:
        for width in (DESKTOP, PHONE):
            seen = visit(
                browser, runs[lang] / page, width, probe=f"() => ({MEASURE})({str(width == PHONE).lower()})"
            )
            state = seen.state
            problems += [f"{page} at {width} px: {line}" for line in state["found"]]
            if state["width"] > state["screen"]:
                problems.append(f"{page} at {width} px: the page is {state['width']} px wide")
    assert not problems, "\n".join(problems)


PHONE_SOURCES = """() => Array.from(document.querySelectorAll('picture')).map(p => ({
  alt: p.querySelector('img').alt, shown: p.querySelector('img').currentSrc,
  phone: p.querySelector('source').srcset, desktop: p.querySelector('img').getAttribute('src')}))"""


def test_the_heatmap_and_the_month_calendars_have_a_phone_drawing(runs, browser):
    """On a phone the browser shows the narrow drawing of the best-time heatmap and of each month;
    on a screen the wide one."""
    for width, kind in ((PHONE, "phone"), (DESKTOP, "desktop")):
        shown = {}
        for page in ("01_observation.html", "06_planning.html"):
            pictures = visit(browser, runs["fr"] / page, width, probe=PHONE_SOURCES).state
            assert pictures, f"{page}: no chart has a phone drawing"
            shown[page] = pictures
            for picture in pictures:
                assert picture["shown"] == picture[kind], f"{page} at {width} px: {picture['alt']}"
        assert len(shown["06_planning.html"]) >= 3, "each month of the plan"


# --------------------------------------------------------------------------- internal words
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
MISSING = re.compile(r"<NA>|\bNaN\b|\bNone\b|\bnan\b")
# The allowed exceptions: web addresses, and the names the client's own data give (the accounts and
# authors of its mentions and posts, e.g. an influencer's handle ``yann_zerodechet35``), shown as written.
ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+")
#: The names of the files handed to the client (``calendar_hootsuite``...): the report names them
#: so the client can open them, as it names a web address.
CLIENT_FILES = {Path(a.file).stem for a in ARTEFACTS.values() if CLIENT in a.readers}
DATA_NAMES = ("author", "account", "influencer")


def data_names(folder: Path) -> set[str]:
    """The handles of the run's own tables (authors, accounts, influencers: the tables the run read,
    in its ``tables/`` folder), shown as written."""
    names: set[str] = set()
    for path in (folder / "tables").glob("*.parquet"):
        frame = pd.read_parquet(path)
        for column in DATA_NAMES:
            if column in frame.columns:
                names |= {str(name) for name in frame[column].dropna()}
    return names


def brief_keys(model: type[pydantic.BaseModel] = Brief) -> set[str]:
    """Every key of the brief, at any depth (``network_weights``, ``effort_hours``...)."""
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        keys.add(field.alias or name)
        stack = [field.annotation]
        while stack:
            kind = stack.pop()
            if isinstance(kind, type) and issubclass(kind, pydantic.BaseModel):
                keys |= brief_keys(kind)
            stack += list(typing.get_args(kind))
    return keys


class _Shown(HTMLParser):
    """What a reader sees: page text, alt texts, the labels a stacked table writes before each value
    (``data-label``) and the charts' own texts (``data-chart-text``)."""

    ATTRIBUTES = ("alt", "title", "aria-label", "data-label", "data-chart-text")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self.hidden += 1  # the page title is checked with the page text below
        self.parts += [value for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def shown_text(path: Path) -> str:
    parser = _Shown()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


def internal_words(text: str, goal_ids: set[str], allowed: set[str]) -> list[str]:
    """The internal words of a text: snake_case tokens (but web addresses and the ``allowed`` names
    of the client's data), brief keys, goal ids, missing-value markers."""
    text = ADDRESS.sub(" ", text)
    keys = {k for k in brief_keys() if "_" in k}  # a one-word key (``budget``) is an ordinary word
    found = [f"snake_case {m}" for m in SNAKE.findall(text) if m not in keys | goal_ids | allowed]
    found += [f"brief key {k}" for k in keys if re.search(rf"\b{k}\b", text)]
    found += [f"goal id {g}" for g in goal_ids if re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", text)]
    found += [f"missing value {m}" for m in MISSING.findall(text)]
    return sorted(set(found))


def _goal_ids(folder: Path) -> set[str]:
    return {goal["id"] for goal in json.loads((folder / "goals.json").read_text(encoding="utf-8"))}


def test_the_internal_word_check_finds_what_it_looks_for():
    words = internal_words(
        "Poids network_weights ; objectif ig_community : <NA> puis nan, NaN et None ; "
        "voir https://example.org/a_b et yann_zerodechet35",
        {"ig_community"},
        {"yann_zerodechet35"},
    )
    assert words == [
        "brief key network_weights",
        "goal id ig_community",
        "missing value <NA>",
        "missing value NaN",
        "missing value None",
        "missing value nan",
    ]
    assert internal_words("taux_engagement", set(), set()) == ["snake_case taux_engagement"]
    assert {"network_weights", "effort_hours", "interactions_threshold"} <= brief_keys()


@pytest.mark.parametrize("lang", LANGS)
def test_no_internal_words_in_the_pages(runs, lang):
    folder = runs[lang]
    goal_ids, allowed = _goal_ids(folder), data_names(folder) | CLIENT_FILES
    found = {page: internal_words(shown_text(folder / page), goal_ids, allowed) for page in PAGES}
    assert not any(found.values()), {page: words for page, words in found.items() if words}


# The values of the data model a French report must show in French (genders, "other" rows, tables).
ENGLISH_VALUES = ("female", "male", "other", "customers", "campaigns", "unknown")


def test_french_pages_show_no_english_category_value(runs):
    folder = runs["fr"]
    found = {}
    for page in PAGES:
        cells = [unit.strip() for unit in shown_text(folder / page).split("\n")]
        found[page] = sorted({cell for cell in cells if cell in ENGLISH_VALUES})
    assert not any(found.values()), {page: words for page, words in found.items() if words}


@pytest.mark.parametrize("lang", LANGS)
def test_no_internal_words_in_the_calendar(runs, lang):
    folder = runs[lang]
    events = (folder / "calendar.ics").read_text(encoding="utf-8").replace("\n ", "")  # unfolded
    text = "\n".join(
        line.split(":", 1)[1] for line in events.splitlines() if line.startswith(("SUMMARY", "DESCRIPTION"))
    )
    assert not internal_words(text.replace("\\n", "\n"), _goal_ids(folder), data_names(folder))
