"""The editable deck of a run: ``report.pptx``, the report's story in slides an agency retouches.

Slides (16:9): the cover in the brand's colour with its logo; the at-a-glance page
(:mod:`helpers.report.glance`, the report's first page); one slide per key finding (the top findings of
``findings.json``) with its sentence as the report words it and the chart of the section that
shows it; the SWOT; the goals; the choice of networks; the calendar (posts per network and month);
the budget; the ROI; and the next actions. Every text is in an editable text box or table (never an
image), at least :data:`MIN_FONT_PT`; every shape lies inside the slide. Text from the brief or the
data goes in as plain text (python-pptx writes it as XML text, never markup).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Emu, Inches, Pt

from helpers import kpis
from helpers.client.brief import Brief
from helpers.client.loading import read_csv
from helpers.kpis._base import number as _num
from helpers.method import synthesis as syn
from helpers.report.export import REPORT_PPTX, write_deliverable
from helpers.report.glance import texts as glance_texts
from helpers.report.i18n import fmt_date, fmt_month, fmt_number, format_value, label, t
from helpers.report.words import entry_text, finding_text
from helpers.run.artefacts import file_of

#: 16:9 slide, in inches (PowerPoint's widescreen: 13⅓ × 7½).
SLIDE_W, SLIDE_H = 40 / 3, 7.5
#: Margin around the slide's content, in inches.
MARGIN = 0.5
#: The smallest font of the deck: readable when projected.
MIN_FONT_PT = 12
#: Key findings given a slide each (the report's top findings, in their order).
TOP_FINDINGS = 5
#: SWOT entries shown per quadrant; the others are counted ("… and 3 more").
SWOT_ENTRIES = 3
#: Table rows a slide holds at :data:`MIN_FONT_PT` and above; the others are counted.
TABLE_ROWS = 10
#: Next actions on the closing slide.
ACTIONS = 5
#: Logo formats a deck takes as a picture (SVG is not one: the brand's name stands in).
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")
#: Characters XML cannot hold (control characters but tab and line feed).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

#: The section (notebook, and the page function its cell calls) whose chart illustrates a finding,
#: by the finding's message.
FINDING_CHARTS = {
    "findings.format": ("01_observation", "formats"),
    "findings.best_slot": ("01_observation", "best_time"),
    "findings.decline": ("01_observation", "engagement"),
    "findings.rise": ("01_observation", "engagement"),
    "findings.sov_leader": ("01_observation", "benchmark"),
    "findings.score_strength": ("01_observation", "benchmark"),
    "findings.score_weakness": ("01_observation", "benchmark"),
    "findings.score_network_strength": ("01_observation", "benchmark"),
    "findings.score_network_weakness": ("01_observation", "benchmark"),
    "findings.rival_sov_rise": ("01_observation", "rivals"),
    "findings.rival_sov_fall": ("01_observation", "rivals"),
    "findings.rival_growth_rise": ("01_observation", "rivals"),
    "findings.rival_growth_fall": ("01_observation", "rivals"),
    "findings.care_response": ("01_observation", "care"),
    "themes.finding": ("01_observation", "themes"),
}
#: The chart of the choice of networks (05).
MATRIX_CHART = ("05_strategy", "networks")
_IMG = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"(?: alt="([^"]*)")?')


class DeckError(RuntimeError):
    """The deck could not be written: the message says which file or value, and why."""


def plain(text: Any) -> str:
    """``text`` as a slide holds it: a string without the control characters XML refuses."""
    return _CONTROL.sub("", "" if text is None else str(text))


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper()[:6])


@dataclass
class _Deck:
    prs: Any
    colour: RGBColor
    lang: str

    def slide(self, title: str | None = None):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        if title:
            bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, self.prs.slide_width, Inches(0.12))
            bar.fill.solid()
            bar.fill.fore_color.rgb = self.colour
            bar.line.fill.background()
            self.text(slide, title, MARGIN, 0.3, SLIDE_W - 2 * MARGIN, 0.8, 28, bold=True, colour=self.colour)
        return slide

    def text(
        self,
        slide,
        text: str | list[str],
        left: float,
        top: float,
        width: float,
        height: float,
        size: int = 16,
        bold: bool = False,
        colour: RGBColor | None = None,
    ):
        """An editable text box, one paragraph per line of ``text``, inside the slide."""
        left, top = max(left, 0), max(top, 0)
        width, height = min(width, SLIDE_W - left), min(height, SLIDE_H - top)
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        lines = [text] if isinstance(text, str) else text
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = plain(line)
            run.font.size = Pt(max(size, MIN_FONT_PT))
            run.font.bold = bold
            if colour is not None:
                run.font.color.rgb = colour
            paragraph.space_after = Pt(6)
        return box

    def table(self, slide, heads: list[str], rows: list[list[str]], top: float = 1.3) -> None:
        """An editable table of at most :data:`TABLE_ROWS` rows, the others counted below it."""
        shown, more = rows[:TABLE_ROWS], len(rows) - TABLE_ROWS
        height = min(0.4 * (len(shown) + 1), SLIDE_H - top - 0.9)
        shape = slide.shapes.add_table(
            len(shown) + 1,
            len(heads),
            Inches(MARGIN),
            Inches(top),
            Inches(SLIDE_W - 2 * MARGIN),
            Inches(height),
        )
        grid = shape.table
        for c, head in enumerate(heads):
            _cell(grid.cell(0, c), head, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF), fill=self.colour)
        for r, row in enumerate(shown, 1):
            for c, value in enumerate(row):
                _cell(grid.cell(r, c), value)
        if more > 0:
            self.text(slide, t("office.deck.more", self.lang, n=more), MARGIN, top + height + 0.1, 8, 0.5, 12)

    def picture(self, slide, png: bytes, left: float, top: float, width: float, height: float) -> None:
        """A chart, scaled to fit the box (its proportions kept)."""
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            w, h = image.size
        scale = min(width / w, height / h)
        shown_w, shown_h = w * scale, h * scale
        slide.shapes.add_picture(
            io.BytesIO(png),
            Inches(left + (width - shown_w) / 2),
            Inches(top + (height - shown_h) / 2),
            Inches(shown_w),
            Inches(shown_h),
        )


def _cell(cell, text: str, bold: bool = False, colour: RGBColor | None = None, fill: RGBColor | None = None):
    cell.text = plain(text)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(MIN_FONT_PT)
            run.font.bold = bold
            if colour is not None:
                run.font.color.rgb = colour
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill


# --------------------------------------------------------------------------- reading the run
def _json(run_dir: Path, name: str, default: Any) -> Any:
    path = run_dir / file_of(name)
    if not path.is_file():
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DeckError(f"{path}: not valid JSON ({exc})") from None


def _csv(run_dir: Path, name: str) -> pd.DataFrame:
    path = run_dir / file_of(name)
    if not path.is_file():
        return pd.DataFrame()
    try:
        return read_csv(path)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (ValueError, UnicodeDecodeError) as exc:
        raise DeckError(f"{path}: cannot be read as a table ({exc})") from None


def section_charts(notebook: Path, page: str) -> list[tuple[bytes, str]]:
    """The charts (PNG and title) of the cell of an executed notebook that calls ``page.<page>(``."""
    if not notebook.is_file():
        return []
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    call = re.compile(rf"\bpage\.{re.escape(page)}\(")
    for cell in cells:
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") != "code" or not call.search(source):
            continue
        found = []
        for output in cell.get("outputs", []):
            markup = "".join(output.get("data", {}).get("text/html", ""))
            found += [
                (base64.b64decode(m.group(1)), html.unescape(m.group(2) or "")) for m in _IMG.finditer(markup)
            ]
        return found
    return []


def _money(value: Any, brief: Brief, lang: str) -> str:
    return format_value("currency", _num(value), lang, currency=brief.client.currency)


def _network(value: Any, lang: str) -> str:
    return t("col.total", lang) if value == "total" else label("channel", str(value), lang)


# --------------------------------------------------------------------------- slides
def cover(deck: _Deck, brief: Brief, client_folder: Path, created: dt.date) -> None:
    """The cover: the brand's colour, its logo (or its name when the logo cannot be a picture), the
    report's title, the period and the date."""
    lang = deck.lang
    slide = deck.prs.slides.add_slide(deck.prs.slide_layouts[6])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, deck.prs.slide_width, Inches(2.4))
    band.fill.solid()
    band.fill.fore_color.rgb = deck.colour
    band.line.fill.background()
    logo = _logo(client_folder, brief.branding.logo)
    if logo is not None:
        deck.picture(slide, logo.read_bytes(), MARGIN, 2.8, 3.0, 1.6)
    else:
        deck.text(slide, brief.client.name, MARGIN, 2.8, SLIDE_W - 2 * MARGIN, 1.0, 32, True, deck.colour)
    white = RGBColor(0xFF, 0xFF, 0xFF)
    deck.text(slide, t("report.title", lang), MARGIN, 0.5, SLIDE_W - 2 * MARGIN, 0.9, 36, True, white)
    deck.text(slide, brief.client.name, MARGIN, 1.4, SLIDE_W - 2 * MARGIN, 0.7, 24, False, white)
    period = t(
        "report.period", lang, start=fmt_date(brief.period.start, lang), end=fmt_date(brief.period.end, lang)
    )
    made = t("report.created", lang, date=fmt_date(created, lang))
    deck.text(slide, [period, made], MARGIN, 4.8, SLIDE_W - 2 * MARGIN, 1.2, 18)


def _logo(client_folder: Path, logo: str | None) -> Path | None:
    """The brief's logo when a slide can show it as a picture (PNG, JPEG...), else None."""
    if not logo:
        return None
    folder = client_folder.resolve()
    path = (folder / logo).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise DeckError(f"{logo!r}: logo not found inside the client folder {folder} (branding.logo)")
    return path if path.suffix.lower() in PICTURE_SUFFIXES else None


def glance_slide(deck: _Deck, glance: dict) -> None:
    """The at-a-glance page (:func:`helpers.report.glance.texts`): headline tiles in a grid, the
    goals' status, the findings and the actions."""
    lang = deck.lang
    slide = deck.slide(glance.get("title") or t("office.deck.glance", lang))
    subtitle = " · ".join(str(v) for v in (glance.get("period"), glance.get("windows")) if v)
    if subtitle:
        deck.text(slide, subtitle, MARGIN, 1.05, SLIDE_W - 2 * MARGIN, 0.4, 12)
    tiles = list(glance.get("tiles", []))[:8]
    columns, tile_w, tile_h = 4, (SLIDE_W - 2 * MARGIN - 0.45) / 4, 1.15
    for i, tile in enumerate(tiles):
        left = MARGIN + (i % columns) * (tile_w + 0.15)
        top = 1.5 + (i // columns) * (tile_h + 0.1)
        name = " · ".join(str(v) for v in (tile.get("scope"), tile.get("name")) if v)
        lines = [name, str(tile.get("value", ""))] + ([str(tile["change"])] if tile.get("change") else [])
        box = deck.text(slide, lines, left, top, tile_w, tile_h, 12)
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(0xF2, 0xF4, 0xF7)
        box.text_frame.paragraphs[1].runs[0].font.size = Pt(18)
        box.text_frame.paragraphs[1].runs[0].font.bold = True
    top = 1.5 + 2 * (tile_h + 0.1) + 0.1
    goals = [f"{g.get('label', '')} : {g.get('status', '')}" if lang == "fr" else f"{g.get('label', '')}: "
             f"{g.get('status', '')}" for g in glance.get("goals", [])][:4]  # fmt: skip
    half = (SLIDE_W - 2 * MARGIN - 0.3) / 2
    left_lines = [t("office.deck.goals", lang), *goals]
    right_lines = [t("report.summary_findings", lang), *[str(f) for f in glance.get("findings", [])][:3]]
    deck.text(slide, left_lines, MARGIN, top, half, SLIDE_H - top - 0.3, 12)
    deck.text(slide, right_lines, MARGIN + half + 0.3, top, half, SLIDE_H - top - 0.3, 12)


def finding_slides(deck: _Deck, run_dir: Path, findings: list[dict], brief: Brief) -> int:
    """One slide per key finding: its sentence and the chart of its section. Returns the slides made."""
    lang = deck.lang
    top = [f for f in findings if f.get("top")][:TOP_FINDINGS]
    for n, found in enumerate(top, 1):
        slide = deck.slide(t("office.deck.finding", lang, n=n))
        sentence = finding_text(found, lang, brief.kpi)
        notebook, page = FINDING_CHARTS.get(str(found.get("message")), (None, None))
        charts = section_charts(run_dir / f"{notebook}.ipynb", page) if notebook else []
        if charts:
            deck.text(slide, sentence, MARGIN, 1.2, 4.6, 5.6, 18)
            deck.picture(slide, charts[0][0], 5.4, 1.2, SLIDE_W - 5.4 - MARGIN, SLIDE_H - 1.2 - MARGIN)
        else:
            deck.text(slide, sentence, MARGIN, 1.4, SLIDE_W - 2 * MARGIN, 4.0, 24)
    return len(top)


def swot_slide(deck: _Deck, findings: list[dict], brief: Brief) -> None:
    """The SWOT: the brief's entries and the findings, each quadrant's first entries."""
    lang = deck.lang
    slide = deck.slide(t("office.deck.swot", lang))
    records = [SimpleNamespace(kind=f["kind"], as_dict=lambda f=f: f) for f in findings if f.get("kind")]
    merged = syn.swot(brief, records)
    width, height = (SLIDE_W - 2 * MARGIN - 0.3) / 2, (SLIDE_H - 1.3 - MARGIN - 0.2) / 2
    for i, (quadrant, entries) in enumerate(merged.items()):
        left = MARGIN + (i % 2) * (width + 0.3)
        top = 1.2 + (i // 2) * (height + 0.2)
        lines = ["• " + entry_text(e, lang, brief.kpi) for e in entries[:SWOT_ENTRIES]]
        if len(entries) > SWOT_ENTRIES:
            lines.append(t("office.deck.more", lang, n=len(entries) - SWOT_ENTRIES))
        deck.text(slide, t(f"swot.{quadrant}", lang), left, top, width, 0.45, 16, True, deck.colour)
        deck.text(slide, lines or [t("office.deck.none", lang)], left, top + 0.45, width, height - 0.45, 12)


def goals_slide(deck: _Deck, tracking: pd.DataFrame, brief: Brief) -> None:
    """The goals: label, KPI, baseline, target, deadline and status (``tracking.csv``)."""
    lang = deck.lang
    slide = deck.slide(t("office.deck.goals", lang))
    heads = [t(f"col.{c}", lang) for c in ("goal", "kpi", "baseline", "target", "deadline", "status")]
    rows = []
    for _, goal in tracking.iterrows():
        kpi = str(goal.get("kpi", ""))
        known = kpi in kpis.KPIS
        record = kpis.for_conventions(kpi, brief.kpi) if known else None

        def value(v: Any, kpi: str = kpi, known: bool = known) -> str:
            if known:
                return format_value(kpi, _num(v), lang, currency=brief.client.currency)
            return fmt_number(_num(v), lang)

        deadline = pd.to_datetime(goal.get("deadline"), errors="coerce")
        rows.append([
            str(goal.get("label", "")), record.name(lang) if record else kpi, value(goal.get("baseline")),
            value(goal.get("target")), fmt_date(deadline, lang),
            label("status", str(goal.get("status", "unknown")), lang),
        ])  # fmt: skip
    if rows:
        deck.table(slide, heads, rows)
    else:
        deck.text(slide, t("office.deck.none", lang), MARGIN, 1.4, 8, 0.6, 16)


def chart_slide(deck: _Deck, run_dir: Path, title: str, section: tuple[str, str]) -> None:
    """A slide with the chart of a section (the choice of networks) and its title as text."""
    slide = deck.slide(title)
    charts = section_charts(run_dir / f"{section[0]}.ipynb", section[1])
    if not charts:
        deck.text(slide, t("office.deck.none", deck.lang), MARGIN, 1.4, 8, 0.6, 16)
        return
    png, alt = charts[0]
    if alt:
        deck.text(slide, alt, MARGIN, 1.05, SLIDE_W - 2 * MARGIN, 0.5, 14)
    deck.picture(slide, png, MARGIN, 1.6, SLIDE_W - 2 * MARGIN, SLIDE_H - 1.6 - MARGIN)


def calendar_slide(deck: _Deck, calendar: pd.DataFrame) -> None:
    """The calendar's overview: posts per network (rows) and month (columns), with totals."""
    lang = deck.lang
    slide = deck.slide(t("office.deck.calendar", lang))
    if calendar.empty or not {"date", "channel"} <= set(calendar.columns):
        deck.text(slide, t("office.deck.none", lang), MARGIN, 1.4, 8, 0.6, 16)
        return
    dates = pd.to_datetime(calendar["date"], errors="coerce")
    months = dates.dt.to_period("M")
    counts = pd.crosstab(calendar["channel"], months)
    heads = [
        t("col.channel", lang),
        *[fmt_month(m.to_timestamp(), lang) for m in counts.columns],
        t("col.total", lang),
    ]
    rows = [
        [_network(channel, lang), *[fmt_number(v, lang) for v in row], fmt_number(int(row.sum()), lang)]
        for channel, row in counts.iterrows()
    ]
    rows.append(
        [
            t("col.total", lang),
            *[fmt_number(int(v), lang) for v in counts.sum()],
            fmt_number(len(calendar), lang),
        ]
    )
    deck.table(slide, heads, rows)


def money_slide(deck: _Deck, title: str, frame: pd.DataFrame, columns: dict[str, str], brief: Brief) -> None:
    """A table of a per-network CSV (budget, ROI): ``columns`` maps each column to ``money``,
    ``percent``, ``count`` or ``hours``."""
    lang = deck.lang
    slide = deck.slide(title)
    kept = [c for c in columns if c in frame.columns]
    if frame.empty or "channel" not in kept:
        deck.text(slide, t("office.deck.none", lang), MARGIN, 1.4, 8, 0.6, 16)
        return
    writers = {
        "money": lambda v: _money(v, brief, lang),
        "percent": lambda v: format_value("percent", _num(v), lang, 0, True),
        "count": lambda v: fmt_number(_num(v), lang),
        "hours": lambda v: format_value("hours", _num(v), lang),
        "channel": lambda v: _network(v, lang),
    }
    rows = [[writers[columns[c]](row[c]) for c in kept] for _, row in frame.iterrows()]
    deck.table(slide, [t(f"col.{c}", lang) for c in kept], rows)


def closing_slide(deck: _Deck, summary: dict) -> None:
    """The next actions, as the executive summary words them."""
    lang = deck.lang
    slide = deck.slide(t("office.deck.actions", lang))
    actions = [str(a) for a in summary.get("next_steps", [])]
    lines = ["• " + a for a in actions[:ACTIONS]] or [t("office.deck.none", lang)]
    if len(actions) > ACTIONS:
        lines.append(t("office.deck.more", lang, n=len(actions) - ACTIONS))
    deck.text(slide, lines, MARGIN, 1.3, SLIDE_W - 2 * MARGIN, SLIDE_H - 1.3 - MARGIN, 16)


def _glance(run_dir: Path, lang: str) -> dict | None:
    """The at-a-glance texts of the run (:func:`helpers.report.glance.texts`), the report's first
    page; None for a run of the first steps only, which did not get to write ``glance.json`` (07)."""
    if not (run_dir / file_of("glance")).is_file():
        return None
    return glance_texts(run_dir, lang)


def build_deck(
    run_dir: Path, brief: Brief, client_folder: Path, lang: str, created: dt.date, glance: dict | None = None
) -> Any:
    """The deck of a run folder (a python-pptx ``Presentation``); ``glance`` the at-a-glance texts
    (default: :func:`helpers.report.glance.texts` of the run).

    Raises:
        DeckError: a file of the run cannot be read, or the logo is not in the client folder.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(round(Inches(SLIDE_W))), Emu(round(Inches(SLIDE_H)))
    deck = _Deck(prs, _rgb(brief.branding.colour), lang)
    findings = _json(run_dir, "findings", [])
    cover(deck, brief, client_folder, created)
    glance = glance if glance is not None else _glance(run_dir, lang)
    if glance:
        glance_slide(deck, glance)
    finding_slides(deck, run_dir, findings, brief)
    swot_slide(deck, findings, brief)
    goals_slide(deck, _csv(run_dir, "tracking"), brief)
    chart_slide(deck, run_dir, t("office.deck.matrix", lang), MATRIX_CHART)
    calendar_slide(deck, _csv(run_dir, "calendar"))
    budget = {"channel": "channel", "posts": "count", "hours": "hours", "production_cost": "money",
              "ads": "money", "total": "money"}  # fmt: skip
    money_slide(deck, t("office.deck.budget", lang), _csv(run_dir, "budget"), budget, brief)
    roi = {"channel": "channel", "cost": "money", "revenue": "money", "roi": "percent", "reach": "count",
           "leads": "count"}  # fmt: skip
    money_slide(deck, t("office.deck.roi", lang), _csv(run_dir, "roi"), roi, brief)
    closing_slide(deck, _json(run_dir, "summary", {}))
    return prs


def write_deck(
    run_dir: Path, brief: Brief, client_folder: Path, lang: str, created: dt.date, glance: dict | None = None
) -> Path:
    """Write ``report.pptx`` in the run folder through a temporary file renamed into place.

    Raises:
        DeckError: the deck could not be made or written; the message says why.
    """
    return write_deliverable(
        run_dir / REPORT_PPTX,
        lambda tmp: build_deck(run_dir, brief, client_folder, lang, created, glance).save(str(tmp)),
        DeckError,
    )
