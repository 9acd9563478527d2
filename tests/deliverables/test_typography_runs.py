"""Typography on real runs: the demo in French, and an English client in Great Britain and in the
US (dates, times, plurals and French punctuation as a reader of each expects)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers.config import CLIENTS_DIR
from helpers.report import i18n
from helpers.report.i18n import set_country
from tests.unit.test_typography import PLURAL_NOUNS, visible_text

pytestmark = pytest.mark.e2e


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
def french_run(runs) -> Path:
    """The demo in French (its brief): the session's run (tests/conftest.py)."""
    return runs["fr"]


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
