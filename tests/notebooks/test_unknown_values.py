"""Unknown stays unknown in the demo's deliverables: no ``<NA>``, ``NaN``, ``None``, ``nan`` or
``inf`` in the client HTML (its text and the texts drawn in its charts), in the CSVs handed to the
client, nor in the JSON artefacts, which are strict JSON (``null``)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from helpers.run.artefacts import ARTEFACTS, CLIENT

pytestmark = pytest.mark.e2e

LANGS = ("fr", "en")
#: What a missing value looks like when it leaks: pandas', numpy's and Python's words for it, as
#: whole words ("None of the findings..." is English prose, not a leak).
LEAK = re.compile(r"(?<![\w.-])(<NA>|NaN|NaT|None(?!\s+of\b)|nan|-?inf|-?Infinity)(?![\w-])")


class _Text(HTMLParser):
    """What a reader sees of a page: its text (no style, no script) and the texts of its images
    (``alt``, and ``data-chart-text``: every text drawn in a chart)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in ("alt", "title", "data-chart-text") and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def readable(page: Path) -> str:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


def leaks(text: str) -> list[str]:
    return [text[max(m.start() - 60, 0) : m.end() + 20].replace("\n", " ") for m in LEAK.finditer(text)]


def test_the_scan_finds_a_leak():
    assert len(leaks("Reach: <NA> · rate nan % · 3 None · inf · -inf · NaN")) == 6
    assert not leaks("n/a · n.d. · Nantes · information · None of the findings · infinite")


@pytest.mark.parametrize("lang", LANGS)
def test_no_missing_value_marker_in_the_client_html(runs, lang):
    pages = sorted(runs[lang].glob("*.html"))
    assert {"report.html", "01_observation.html", "07_tracking.html"} <= {p.name for p in pages}
    charts = 0
    for page in pages:
        assert leaks(readable(page)) == [], page.name
        charts += page.read_text(encoding="utf-8").count("data-chart-text=")
    assert charts > 10  # the charts' texts were scanned too


@pytest.mark.parametrize("lang", LANGS)
def test_no_missing_value_marker_in_the_files_handed_to_the_client(runs, lang):
    handed = [a.file for a in ARTEFACTS.values() if CLIENT in a.readers and a.kind in ("table", "text")]
    assert {"roi.csv", "kpis.csv", "calendar.csv", "calendar.ics"} <= set(handed)
    for name in handed:
        assert leaks((runs[lang] / name).read_text(encoding="utf-8")) == [], name


def _refuse(constant: str) -> None:
    raise ValueError(f"bare {constant} is not JSON")


@pytest.mark.parametrize("lang", LANGS)
def test_json_artefacts_are_strict_json_without_missing_value_markers(runs, lang):
    files = sorted(runs[lang].glob("*.json")) + sorted((runs[lang] / "tables").glob("*.json"))
    assert {"goals.json", "findings.json", "problems.json", "summary.json"} <= {f.name for f in files}
    for path in files:
        text = path.read_text(encoding="utf-8")
        json.loads(text, parse_constant=_refuse)  # NaN, Infinity → ValueError
        assert leaks(text) == [], path.name


def test_the_demo_roi_shows_unknown_reach_as_unknown(runs):
    """LinkedIn and X exports give no per-post reach: the ROI table says n/a, not 0, and its total
    names what it covers."""
    roi = pd.read_csv(runs["fr"] / "roi.csv").set_index("channel")
    assert roi.loc[["linkedin", "x"], "reach"].isna().all()
    assert roi.loc["total", "reach"] == roi.loc[["facebook", "instagram"], "reach"].sum()
    en = " ".join(readable(runs["en"] / "07_tracking.html").split())
    assert "Reach: total over Facebook and Instagram; unknown for LinkedIn and X, left out." in en
    fr = " ".join(readable(runs["fr"] / "07_tracking.html").replace("\u00a0", " ").split())
    assert "Portée : total sur Facebook et Instagram ; non disponible pour LinkedIn et X, laissé de côté." in fr
