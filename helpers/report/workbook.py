"""The editable workbook of a run: ``report.xlsx``, one sheet per table a client reads.

Agencies retouch a report before sending it: the workbook gives them the report's tables as a
spreadsheet they can sort, filter and rework. Each sheet is one CSV of the run folder (declared
in :mod:`helpers.run.artefacts`), in the report's words: sheet names and headers from the
locales (the report's ``col.*`` labels), networks, formats, statuses and roles translated, KPI
names from the registry, goals by their label. Numbers stay numbers with a number format
(percent ``0.0%``, the brief's currency, whole counts ``#,##0``), dates are dates, an unknown
value is an empty cell (never 0). Every text cell goes through the CSV guard of
:func:`helpers.client.loading.guard_cell`, so a brand or a caption starting with ``=`` shows as
text and never runs. The last sheet is the KPI glossary, as the report's.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from babel.numbers import get_currency_symbol
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from helpers import kpis
from helpers.client.brief import Brief
from helpers.client.loading import guard_cell, read_csv
from helpers.report.export import REPORT_XLSX, glossary_rows, read_glossary, write_deliverable
from helpers.report.i18n import catalogue, label, t, value_unit, weekday_names
from helpers.run.artefacts import file_of

#: Excel refuses a sheet name longer than this.
SHEET_NAME_MAX = 31
#: Widest column, in characters: a long caption wraps instead of pushing the sheet off screen.
COLUMN_WIDTH_MAX = 60
#: Narrowest column, in characters, so a header of one short word stays readable.
COLUMN_WIDTH_MIN = 8
#: Characters Excel forbids in a sheet name.
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

#: Number formats by kind of value. The currency's is made from the brief's currency.
NUMBER_FORMATS = {
    "percent": "0.0%",
    "int": "#,##0",
    "number": "#,##0.0",
    "hours": "#,##0.0",
}
DATE_FORMATS = {"fr": "dd/mm/yyyy", "en": "yyyy-mm-dd"}


@dataclass(frozen=True)
class Sheet:
    """One sheet: the artefact it shows, and its columns as ``(column, kind)`` or
    ``(column, kind, header key)``.

    Kinds: ``text``; ``label:<kind>`` (a translated label, :func:`helpers.report.i18n.label`);
    ``percent``, ``money``, ``int``, ``number``, ``hours`` (numbers with a format); ``date``;
    ``kpi`` (a KPI's name); ``value`` (a KPI's value in the unit of the row's ``kpi``);
    ``weekday``; ``role``; ``goal`` (a goal id written as its label).
    """

    artefact: str
    columns: tuple[tuple[str, ...], ...]
    #: a filter on the table's rows, before it is written (the shortlist of influencers)
    rows: Callable[[pd.DataFrame, Brief], pd.DataFrame] | None = None


def _shortlist(frame: pd.DataFrame, brief: Brief) -> pd.DataFrame:
    """The influencers the report lists: the shortlisted ones and the best ranked of each persona."""
    keep = frame["shortlisted"].fillna(False).astype(bool) if "shortlisted" in frame else False
    if "rank" in frame:
        keep = keep | (pd.to_numeric(frame["rank"], errors="coerce") <= brief.influencers.shortlist)
    return frame[keep] if not isinstance(keep, bool) else frame


_VERDICT = "label:evidence_verdict"

#: The sheets, in the report's order.
SHEETS: tuple[Sheet, ...] = (
    Sheet("audit", (
        ("channel", "label:channel"), ("followers_start", "int"), ("followers_end", "int"),
        ("follower_growth", "percent"), ("posts", "int"), ("posts_per_week", "number"),
        ("engagement_rate", "percent"), ("interactions_per_1000", "number"),
        ("response_rate", "percent"), ("response_time_median", "hours"),
    )),
    Sheet("formats", (
        ("channel", "label:channel"), ("format", "label:format"), ("posts", "int"),
        ("share", "percent"), ("engagement_rate", "percent"), ("low", "percent"), ("high", "percent"),
        ("lift", "percent"), ("verdict", _VERDICT),
    )),
    Sheet("best_slots", (
        ("weekday", "weekday"), ("hour", "int"), ("posts", "int"), ("engagement_rate", "percent"),
        ("low", "percent"), ("high", "percent"), ("lift", "percent"), ("verdict", _VERDICT),
    )),
    Sheet("themes", (
        ("channel", "label:channel"), ("terms", "text", "office.col.terms"), ("posts", "int"),
        ("share", "percent"), ("rate", "percent", "col.engagement_rate"),
        ("lift", "percent", "office.col.lift"),
        ("verdict", _VERDICT), ("example_text", "text", "office.col.example"),
    )),
    Sheet("benchmark", (
        ("brand", "text"), ("followers", "int"), ("posts_per_week", "number"),
        ("interactions_per_post", "number"), ("community_share_of_voice", "percent"),
        ("mentions", "int"), ("share_of_voice", "percent"), ("net_sentiment", "percent"),
    )),
    Sheet("benchmark_networks", (
        ("channel", "label:channel"), ("brand", "text"), ("followers", "int"), ("posts", "int"),
        ("posts_per_week", "number"), ("interactions_per_post", "number"),
        ("interactions_per_post_per_1000", "number"),
    )),
    Sheet("influencers", (
        ("persona", "text"), ("author", "text"), ("network", "label:channel", "col.channel"),
        ("tier", "label:tier"), ("followers", "int"), ("engagement_rate", "percent"),
        ("score", "number"), ("rank", "int"),
    ), _shortlist),
    Sheet("kpis", (("kpi", "kpi"), ("scope", "label:channel"), ("value", "value"))),
    Sheet("tracking", (
        ("label", "text", "col.goal"), ("kpi", "kpi"), ("scope", "label:channel"),
        ("baseline", "value"), ("target", "value"), ("actual", "value"), ("forecast", "value"),
        ("deadline", "date"), ("status", "label:status"),
    )),
    Sheet("since", (
        ("kpi", "kpi"), ("scope", "label:channel"), ("before", "value", "office.col.before"),
        ("now", "value", "office.col.now"),
        ("relative", "percent", "office.col.change"),
    )),
    Sheet("calendar", (
        ("date", "date"), ("channel", "label:channel"), ("format", "label:format"),
        ("pillar", "text"), ("goal_id", "goal", "col.goal"), ("objective", "label:objective"),
        ("holiday", "text"), ("moment", "text", "office.col.moment"), ("effort_hours", "hours", "col.hours"),
    )),
    Sheet("workload", (
        ("role", "role"), ("hours", "hours"), ("hours_per_week", "hours"),
        ("capacity", "hours"), ("utilisation", "percent"),
    )),
    Sheet("budget", (
        ("channel", "label:channel"), ("posts", "int"), ("hours", "hours"),
        ("production_cost", "money"), ("ads", "money"), ("total", "money"),
    )),
    Sheet("roi", (
        ("channel", "label:channel"), ("hours", "hours"), ("time_cost", "money"), ("money", "money"),
        ("cost", "money"), ("reach", "int"), ("followers_gained", "int"), ("follower_growth", "percent"),
        ("leads", "int"), ("sqls", "int"), ("revenue", "money"), ("roi", "percent"),
    )),
    Sheet("campaigns", (
        ("campaign", "text", "office.col.campaign"), ("influencer", "text", "office.col.influencer"),
        ("network", "label:channel", "col.channel"), ("start", "date", "office.col.start"),
        ("end", "date", "office.col.end"),
        ("cost", "money"), ("posts", "int"), ("reach", "int"), ("interactions", "int"),
        ("clicks", "int", "office.col.clicks"), ("leads", "int"), ("revenue", "money"),
        ("cost_per_engagement", "money", "office.col.cost_per_engagement"),
        ("cost_per_click", "money", "office.col.cost_per_click"),
        ("cost_per_lead", "money", "office.col.cost_per_lead"), ("roi", "percent"),
    )),
    Sheet("adherence_networks", (
        ("channel", "label:channel"), ("planned", "int", "col.posts_planned"),
        ("due", "int", "office.col.due"), ("on_time", "int", "office.col.on_time"),
        ("late", "int", "office.col.late"), ("missing", "int", "office.col.missing"),
        ("adherence", "percent", "office.col.adherence"),
    )),
)  # fmt: skip


class WorkbookError(RuntimeError):
    """The workbook could not be written: the message names the table, the row and the value."""


# --------------------------------------------------------------------------- cells
def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(value: Any) -> float | int | None:
    if _missing(value):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    number = float(value)
    if math.isinf(number):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _date(value: Any) -> dt.date | None:
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    return pd.Timestamp(str(value)[:10]).date()


def currency_format(currency: str, lang: str) -> str:
    """The number format of an amount in ``currency``: ``#,##0 "€"`` (fr), ``"$"#,##0`` (en)."""
    symbol = get_currency_symbol(currency, locale=lang).replace('"', "")
    return f'#,##0\u00a0"{symbol}"' if lang == "fr" else f'"{symbol}"#,##0'


def header(column: tuple[str, ...], lang: str) -> str:
    """A column's header: its own key, else the report's ``col.<name>``."""
    key = column[2] if len(column) > 2 else f"col.{column[0]}"
    return t(key, lang)


@dataclass
class _Context:
    lang: str
    brief: Brief
    goals: dict[str, str]

    def text(self, value: Any) -> str | None:
        return None if _missing(value) or str(value) == "" else str(value)

    def total(self, kind: str, value: str) -> str:
        return t("col.total", self.lang) if value == "total" else label(kind, value, self.lang)


def _cell(kind: str, value: Any, row: pd.Series, ctx: _Context) -> tuple[Any, str | None]:
    """A cell's value (a number, a date or a text) and its number format."""
    lang = ctx.lang
    if kind in NUMBER_FORMATS:
        return _number(value), NUMBER_FORMATS[kind]
    if kind == "money":
        return _number(value), currency_format(ctx.brief.client.currency, lang)
    if kind == "date":
        return _date(value), DATE_FORMATS[lang]
    if kind == "value":
        kpi = row.get("kpi")
        unit = value_unit(kpi) if isinstance(kpi, str) and kpi in kpis.KPIS else str(row.get("unit", ""))
        if unit == "currency":
            return _number(value), currency_format(ctx.brief.client.currency, lang)
        return _number(value), {"percent": "0.0%", "hours": "#,##0.0"}.get(unit, "#,##0.##")
    return _text_cell(kind, value, ctx), None


def _text_cell(kind: str, value: Any, ctx: _Context) -> str | None:
    """A text cell: a label, a KPI's name, a weekday, a role or a goal in words."""
    lang = ctx.lang
    text = ctx.text(value)
    if text is None:
        return None
    if kind.startswith("label:"):
        return ctx.total(kind.removeprefix("label:"), text)
    if kind == "kpi":
        record = kpis.for_conventions(text, ctx.brief.kpi) if text in kpis.KPIS else None
        return record.name(lang) if record else text
    if kind == "weekday":
        return weekday_names(lang, False)[int(float(text))]
    if kind == "role":
        key = f"planning.role_{text}"
        return t(key, lang) if key in catalogue(lang) else text
    if kind == "goal":
        return ctx.goals.get(text, text)
    return text


# --------------------------------------------------------------------------- sheets
def sheet_title(artefact: str, lang: str, taken: set[str]) -> str:
    """The sheet's name in ``lang``: Excel's forbidden characters removed, at most 31 characters,
    unique in the workbook (``taken``, updated)."""
    base = t(f"office.sheet.{artefact}", lang).translate(_SHEET_FORBIDDEN).strip().strip("'")
    base = base[:SHEET_NAME_MAX] or artefact[:SHEET_NAME_MAX]
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" {n}"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _write_rows(ws, heads: list[str], rows: list[list[tuple[Any, str | None]]]) -> None:
    """Write a header and rows, freeze the header, set an autofilter and widths to content."""
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    widths = [len(h) for h in heads]
    for c, text in enumerate(heads, 1):
        cell = ws.cell(row=1, column=c, value=guard_cell(text))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for r, values in enumerate(rows, 2):
        for c, (value, number_format) in enumerate(values, 1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=guard_cell(value) if isinstance(value, str) else value)
            if number_format and not isinstance(value, str):
                cell.number_format = number_format
            shown = len(value) if isinstance(value, str) else 12
            widths[c - 1] = max(widths[c - 1], shown)
    for c, width in enumerate(widths, 1):
        width = min(max(width + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(heads), 1))}{max(len(rows) + 1, 1)}"


def _table(run_dir: Path, sheet: Sheet, brief: Brief) -> pd.DataFrame | None:
    path = run_dir / file_of(sheet.artefact)
    if not path.is_file():
        return None
    try:
        frame = read_csv(path, keep_default_na=True)
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=[c[0] for c in sheet.columns])
    except (ValueError, UnicodeDecodeError) as exc:
        raise WorkbookError(f"{path}: cannot be read as a table ({exc})") from None
    return sheet.rows(frame, brief) if sheet.rows else frame


def _sheet_rows(frame: pd.DataFrame, sheet: Sheet, ctx: _Context, path: Path) -> tuple[list, list]:
    columns = [c for c in sheet.columns if c[0] in frame.columns]
    rows = []
    for position, (_, row) in enumerate(frame.iterrows(), 2):
        values = []
        for column in columns:
            try:
                values.append(_cell(column[1], row[column[0]], row, ctx))
            except (TypeError, ValueError, IndexError) as exc:
                raise WorkbookError(
                    f"{path}, row {position}, column {column[0]!r}: {row[column[0]]!r} is not a "
                    f"{column[1]} ({exc})"
                ) from None
        rows.append(values)
    return columns, rows


def _goal_labels(run_dir: Path) -> dict[str, str]:
    path = run_dir / file_of("goals")
    if not path.is_file():
        return {}
    goals = json.loads(path.read_text(encoding="utf-8"))
    return {str(g["id"]): str(g.get("label") or g["id"]) for g in goals if isinstance(g, dict) and "id" in g}


def build_workbook(run_dir: Path, brief: Brief, lang: str) -> Workbook:
    """The workbook of a run folder: one sheet per table of :data:`SHEETS` the run wrote, and the
    KPI glossary.

    Raises:
        WorkbookError: a table cannot be read, or a value is not of its column's kind.
    """
    ctx = _Context(lang, brief, _goal_labels(run_dir))
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for sheet in SHEETS:
        frame = _table(run_dir, sheet, brief)
        if frame is None:
            continue
        columns, rows = _sheet_rows(frame, sheet, ctx, run_dir / file_of(sheet.artefact))
        ws = book.create_sheet(sheet_title(sheet.artefact, lang, taken))
        _write_rows(ws, [header(c, lang) for c in columns], rows)
    glossary = glossary_rows(read_glossary(run_dir), lang, brief.kpi)
    ws = book.create_sheet(sheet_title("glossary", lang, taken))
    heads = [t(f"office.col.{k}", lang) for k in ("name", "definition", "objective", "unit")]
    rows = [[(row[k] or None, None) for k in ("name", "definition", "objective", "unit")] for row in glossary]
    _write_rows(ws, heads, rows)
    return book


def write_workbook(run_dir: Path, brief: Brief, lang: str) -> Path:
    """Write ``report.xlsx`` in the run folder, through a temporary file renamed into place (never
    half a file).

    Raises:
        WorkbookError: the workbook could not be made or written; the message says why.
    """
    return write_deliverable(
        run_dir / REPORT_XLSX, lambda tmp: build_workbook(run_dir, brief, lang).save(tmp), WorkbookError
    )
