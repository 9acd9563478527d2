"""The editable deliverables of a run: the workbook (report.xlsx) and the deck (report.pptx)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Pt

from helpers.client.brief import load_brief
from helpers.client.loading import FORMULA_START, write_csv
from helpers.report import deck as deck_module
from helpers.report import workbook as workbook_module
from helpers.report.deck import MIN_FONT_PT, build_deck, write_deck
from helpers.report.export import REPORT_PPTX, REPORT_XLSX
from helpers.report.i18n import t
from helpers.report.workbook import SHEETS, WorkbookError, build_workbook, sheet_title, write_workbook
from tests.conftest import DEMO

pytestmark = pytest.mark.e2e

INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b|<NA>|\bNaN\b|\bNone\b|\bnan\b")
HOSTILE_BRAND = "=cmd|' /C calc'!A0 <script>alert(1)</script>"
HOSTILE_PILLAR = "@SUM(1+1)*cmd|' /C calc'!A0"
FAKE_GLANCE = {
    "title": "En un coup d'œil",
    "period": "1er nov. 2025 – 31 oct. 2026",
    "windows": "août–oct. 2026 contre mai–juil. 2026",
    "tiles": [
        {"scope": "Instagram", "name": "Abonnés", "value": "11 053", "change": "+2,2 %", "better": True,
         "spark": [1, 2, 3]},
        {"scope": "Facebook", "name": "Taux d'engagement", "value": "2,19 %", "change": "", "better": None,
         "spark": []},
    ],
    "goals": [{"label": "Communauté Instagram +8 %", "status": "en bonne voie", "status_code": "on_track"}],
    "findings": ["Le jeudi à 18 h est le meilleur créneau."],
    "actions": ["Publier le calendrier."],
}  # fmt: skip


@pytest.fixture(scope="module")
def run_dir(runs) -> Path:
    """The demo's French run of the session (tests/conftest.py)."""
    return runs["fr"]


def _slide_texts(prs) -> list[str]:
    texts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


# --------------------------------------------------------------------------- the run writes both
def test_a_run_writes_both_and_the_index_links_them(run_dir):
    assert (run_dir / REPORT_XLSX).is_file() and (run_dir / REPORT_PPTX).is_file()
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert f'href="{REPORT_XLSX}"' in index and f'href="{REPORT_PPTX}"' in index
    assert not list(run_dir.glob(".report.*.tmp"))


# --------------------------------------------------------------------------- the deck
def test_the_deck_opens_has_ten_slides_and_no_internal_word(run_dir):
    prs = Presentation(str(run_dir / REPORT_PPTX))
    assert len(prs.slides) >= 10
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    goal_ids = {g["id"] for g in json.loads((run_dir / "goals.json").read_text(encoding="utf-8"))}
    texts = _slide_texts(prs)
    joined = "\n".join(texts)
    assert "Atelier Sève" in joined and "Constat clé 1" in joined
    assert INTERNAL.findall(joined) == []
    assert [g for g in goal_ids if re.search(rf"\b{re.escape(g)}\b", joined)] == []


def test_every_shape_lies_on_the_slide_and_every_font_is_readable(run_dir):
    prs = Presentation(str(run_dir / REPORT_PPTX))
    pictures = 0
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (number, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (number, shape.name)
            pictures += shape.shape_type == 13  # a chart
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                for run in (r for p in frame.paragraphs for r in p.runs):
                    assert run.font.size is not None and run.font.size >= Pt(MIN_FONT_PT), (number, run.text)
    assert pictures >= 4  # the key findings' charts and the choice of networks


def test_the_key_findings_are_worded_as_the_report_words_them(run_dir):
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    texts = _slide_texts(Presentation(str(run_dir / REPORT_PPTX)))
    for sentence in summary["findings"][: deck_module.TOP_FINDINGS]:
        assert sentence in texts


def test_the_glance_slide_follows_its_texts(run_dir):
    brief = load_brief(DEMO / "brief.yaml")
    without = build_deck(run_dir, brief, DEMO, "fr", dt.date(2026, 12, 1), glance={})
    prs = build_deck(run_dir, brief, DEMO, "fr", dt.date(2026, 12, 1), glance=FAKE_GLANCE)
    assert len(prs.slides) == len(without.slides) + 1
    second = "\n".join(s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame)
    for text in ("En un coup d'œil", "11 053", "Communauté Instagram +8 %", "Le jeudi à 18 h"):
        assert text in second


def test_the_deck_in_english_speaks_english(run_dir, tmp_path):
    brief = load_brief(DEMO / "brief.yaml")
    prs = build_deck(run_dir, brief, DEMO, "en", dt.date(2026, 12, 1), glance={})
    joined = "\n".join(_slide_texts(prs))
    assert "Key finding 1" in joined and "Next actions" in joined and "Constat" not in joined


def test_a_png_logo_goes_in_as_a_picture_an_svg_as_the_brand_name(run_dir, tmp_path):
    brief = load_brief(DEMO / "brief.yaml")
    folder = tmp_path / "client"
    folder.mkdir()
    shutil.copy(DEMO / "logo.svg", folder / "logo.svg")
    svg = build_deck(run_dir, brief, folder, "fr", dt.date(2026, 12, 1), glance={})
    cover = svg.slides[0].shapes
    assert not [s for s in cover if s.shape_type == 13]
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1))
    fig.savefig(folder / "logo.png")
    plt.close(fig)
    branded = brief.model_copy(update={"branding": brief.branding.model_copy(update={"logo": "logo.png"})})
    with_picture = build_deck(run_dir, branded, folder, "fr", dt.date(2026, 12, 1), glance={})
    assert [s for s in with_picture.slides[0].shapes if s.shape_type == 13]


def test_hostile_text_goes_into_the_deck_as_plain_text(run_dir, tmp_path):
    brief = _hostile(run_dir, tmp_path)
    out = write_deck(tmp_path / "run", brief, DEMO, "fr", dt.date(2026, 12, 1), glance={})
    joined = "\n".join(_slide_texts(Presentation(str(out))))
    assert HOSTILE_BRAND in joined  # as text, never markup


# --------------------------------------------------------------------------- the workbook
def test_the_workbook_has_a_sheet_per_table_headers_frozen_numbers_numeric(run_dir):
    book = openpyxl.load_workbook(run_dir / REPORT_XLSX)
    expected = [sheet_title(s.artefact, "fr", set()) for s in SHEETS] + [sheet_title("glossary", "fr", set())]
    assert book.sheetnames == expected
    for ws in book.worksheets:
        assert len(ws.title) <= 31 and ws.freeze_panes == "A2" and ws.auto_filter.ref, ws.title
    audit = book[t("office.sheet.audit", "fr")]
    heads = [c.value for c in audit[1]]
    assert heads[:2] == [t("col.channel", "fr"), t("col.followers_start", "fr")]
    row = [c for c in audit[2]]
    assert row[0].value == "Facebook" and isinstance(row[1].value, int) and row[1].number_format == "#,##0"
    growth = row[heads.index(t("col.follower_growth", "fr"))]
    assert isinstance(growth.value, float) and growth.number_format == "0.0%"
    budget = book[t("office.sheet.budget", "fr")]
    total = [c for c in budget[2]][-1]
    assert isinstance(total.value, (int, float)) and "€" in total.number_format
    calendar = book[t("office.sheet.calendar", "fr")]
    assert isinstance(calendar["A2"].value, dt.datetime) and calendar["A2"].number_format == "dd/mm/yyyy"
    frames = pd.read_excel(run_dir / REPORT_XLSX, sheet_name=None)
    assert pd.api.types.is_numeric_dtype(frames[t("office.sheet.roi", "fr")][t("col.roi", "fr")])
    glossary = frames[t("office.sheet.glossary", "fr")]
    assert "Abonnés" in set(glossary[t("office.col.name", "fr")])


def test_the_workbook_holds_no_internal_word_and_no_formula(run_dir):
    book = openpyxl.load_workbook(run_dir / REPORT_XLSX)
    goal_ids = {g["id"] for g in json.loads((run_dir / "goals.json").read_text(encoding="utf-8"))}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in FORMULA_START, (ws.title, cell.coordinate, cell.value)
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    assert cell.value not in goal_ids, (ws.title, cell.coordinate)
                    if cell.column_letter == "A" or cell.row == 1:
                        assert not INTERNAL.search(cell.value), (ws.title, cell.coordinate, cell.value)


def test_hostile_text_is_guarded_in_the_workbook(run_dir, tmp_path):
    brief = _hostile(run_dir, tmp_path)
    book = openpyxl.load_workbook(write_workbook(tmp_path / "run", brief, "fr"))
    pillars = [c.value for c in book[t("office.sheet.calendar", "fr")]["D"][1:]]
    assert "'" + HOSTILE_PILLAR in pillars
    assert all(not str(v).startswith(("=", "@", "+", "-")) for v in pillars if v)


def test_an_unknown_value_is_an_empty_cell_and_a_bad_one_is_named(tmp_path):
    brief = load_brief(DEMO / "brief.yaml")
    write_csv(pd.DataFrame({"channel": ["x", "total"], "hours": [2.5, None], "roi": [None, -0.25]}), tmp_path / "roi.csv")
    book = build_workbook(tmp_path, brief, "en")
    assert book.sheetnames == [t("office.sheet.roi", "en"), t("office.sheet.glossary", "en")]
    ws = book[t("office.sheet.roi", "en")]
    assert [c.value for c in ws[2]] == ["X", 2.5, None] and [c.value for c in ws[3]] == ["Total", None, -0.25]
    write_csv(pd.DataFrame({"channel": ["x"], "hours": ["many"]}), tmp_path / "roi.csv")
    with pytest.raises(WorkbookError, match=r"roi\.csv, row 2, column 'hours': 'many'"):
        build_workbook(tmp_path, brief, "en")
    with pytest.raises(WorkbookError, match="roi.csv"):
        write_workbook(tmp_path, brief, "en")
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*.tmp"))


def test_sheet_names_are_short_unique_and_clean():
    taken: set[str] = set()
    first = sheet_title("adherence_networks", "fr", taken)
    again = sheet_title("adherence_networks", "fr", taken)
    assert first != again and len(again) <= workbook_module.SHEET_NAME_MAX


# --------------------------------------------------------------------------- LibreOffice
def test_the_deck_renders_in_libreoffice(run_dir, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed: the deck's rendering is not checked (apt-get install libreoffice)")
    done = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(run_dir / REPORT_PPTX)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-800:]
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run([pdftoppm, "-png", "-r", "30", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "page")], check=True)
        from PIL import Image

        page = next(tmp_path.glob("page*.png"))
        with Image.open(page) as image:
            colours = image.convert("L").getextrema()
        assert colours[0] < colours[1]  # not a blank page
    else:
        assert pdf.stat().st_size > 20_000 and pdf.read_bytes().count(b"/Type /Page") >= 10


# --------------------------------------------------------------------------- helpers
def _hostile(run_dir: Path, tmp_path: Path):
    """A copy of the run whose brand name and a calendar pillar are hostile, and its brief."""
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("tables", "*.html"))
    calendar = pd.read_csv(copy / "calendar.csv")
    calendar.loc[0, "pillar"] = HOSTILE_PILLAR
    write_csv(calendar, copy / "calendar.csv")
    brief = load_brief(DEMO / "brief.yaml")
    return brief.model_copy(update={"client": brief.client.model_copy(update={"name": HOSTILE_BRAND})})
