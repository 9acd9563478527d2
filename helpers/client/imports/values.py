"""Turning the text cells of exports into numbers, timestamps and labels.

Real files write ``12 345``, ``12,345``, ``12.345,6``, ``4,5 %``, ``-`` or ``undefined``; dates
as ``03/05/2026 17:12``, ``2026-03-05T17:12:00.000Z``, ``Sat, Sep 6, 2025`` or ``6 avril``.
Each function raises :class:`ExportError` naming the file, the row and the column of a value
it cannot read, and what it expected.

Local times around a clock change (:func:`localize`) never stop an import:

* a time of the repeated hour (clocks go back: 02:30 happens twice in Europe/Paris on the last
  Sunday of October) is read as its **first occurrence** (summer time); when the same local time
  appears again further down the file, that later row is read as the second occurrence (winter
  time), since exports list rows in time order. A time written with its offset is never
  ambiguous. Each such row is flagged.
* a time of the skipped hour (clocks go forward: 02:30 does not exist in Europe/Paris on the last
  Sunday of March) is moved forward by the length of the gap (02:30 → 03:30), as the wall clock
  would read, and flagged.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from helpers.client.imports.core import Context, ExportError, Grid

MISSING = {"", "-", "–", "—", "n/a", "na", "nan", "none", "null", "undefined", "--"}
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def _fail(grid: Grid, column: str, text: pd.Series, bad: pd.Series, expected: str) -> ExportError:
    rows = list(text.index[bad][:3])
    shown = ", ".join(f"row {grid.line(i)} ({text[i]!r})" for i in rows)
    more = f" and {int(bad.sum()) - len(rows)} more" if bad.sum() > len(rows) else ""
    return ExportError(f"{grid.source}: column {column!r}: expected {expected}; got {shown}{more}")


def _decimal_comma(values: pd.Series) -> bool:
    """Whether a column writes decimals with a comma (``4,5``, ``1.234,56``)."""
    sample = values[values.str.contains(",", regex=False)]
    if sample.empty:
        return False
    if sample.str.contains(r"\.\d{3},", regex=True).any() or sample.str.contains(r",\d{1,2}$").any():
        return True
    return not sample.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?").all()


def numbers(grid: Grid, column: str, text: pd.Series | None = None, percent: bool = False) -> pd.Series:
    """A column of counts or amounts as floats (NaN where the export left it blank).

    Args:
        grid: the file's rows.
        column: the normalised column name (or a label for ``text``).
        text: the cells, when they are not a column of ``grid`` as is.
        percent: cells are percentages: ``4,5 %`` and ``4.5`` give 0.045, and so does a
            fraction ``0.045`` written without a ``%`` sign when every value is ≤ 1.
    """
    raw = (grid.frame[column] if text is None else text).astype(str).str.strip()
    missing = raw.str.lower().isin(MISSING)
    has_pct = raw.str.endswith("%")
    cleaned = raw.str.replace(SPACES, "", regex=True).str.rstrip("%")
    comma = _decimal_comma(cleaned[~missing])
    if comma:
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        cleaned = cleaned.str.replace(",", "", regex=False)
    cleaned = cleaned.str.replace("\u2212", "-", regex=False)
    values = pd.to_numeric(cleaned.where(~missing, None), errors="coerce")
    bad = values.isna() & ~missing
    if bad.any():
        raise _fail(grid, column, raw, bad, "a number (e.g. 1234, 1 234, 4,5 or 4.5 %)")
    values = values.astype(float)
    if percent:
        scale_all = has_pct.any() or (values.dropna() > 1).any()
        values = values / 100 if scale_all else values
    return values


def counts(grid: Grid, column: str, ctx, table: str, text: pd.Series | None = None) -> pd.Series:
    """Whole counts; a negative one is kept and flagged (e.g. deleted comments on TikTok)."""
    values = numbers(grid, column, text)
    negative = values < 0
    if negative.any():
        ctx.flag(grid, values.index[negative], column, "negative count", values, table)
    return values.round()


_MONTHS = {
    # English, French (with and without accents, abbreviated), for 'Sep 6, 2025' and '6 avril'
    "jan": 1, "january": 1, "janv": 1, "janvier": 1,
    "feb": 2, "february": 2, "fev": 2, "févr": 2, "fevr": 2, "février": 2, "fevrier": 2,
    "mar": 3, "march": 3, "mars": 3,
    "apr": 4, "april": 4, "avr": 4, "avril": 4,
    "may": 5, "mai": 5,
    "jun": 6, "june": 6, "juin": 6,
    "jul": 7, "july": 7, "juil": 7, "juillet": 7,
    "aug": 8, "august": 8, "août": 8, "aout": 8,
    "sep": 9, "sept": 9, "september": 9, "septembre": 9,
    "oct": 10, "october": 10, "octobre": 10,
    "nov": 11, "november": 11, "novembre": 11,
    "dec": 12, "december": 12, "déc": 12, "dec.": 12, "décembre": 12, "decembre": 12,
}  # fmt: skip
MONTHS = _MONTHS  # month names (English and French) → month number
_NUMERIC = re.compile(
    r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)?", re.I
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORDY = re.compile(
    r"(?:[a-zé]+\.?,?\s+)?(?:(\d{1,2})\s+([a-zéû.]+)|([a-zéû.]+)\s+(\d{1,2}))(?:,?\s+(\d{4}))?"
    r"(?:\s+(\d{1,2}):(\d{2}))?",
    re.I,
)


def _month_first(parts: list[tuple[int, int]]) -> bool | None:
    """From (first, second) numbers of slashed dates: month first, day first, or undecided."""
    if any(a > 12 for a, _ in parts):
        return False
    if any(b > 12 for _, b in parts):
        return True
    return None


def _numeric_dates(raw: pd.Series, month_first: bool | None) -> pd.Series:
    matches = raw.str.extract(_NUMERIC)
    found = matches[0].notna()
    first, second, year = (pd.to_numeric(matches[i], errors="coerce") for i in (0, 1, 2))
    if month_first is None:
        pairs = list(zip(first[found & (first <= 31)], second[found], strict=False))
        month_first = _month_first([(int(a), int(b)) for a, b in pairs])
        month_first = True if month_first is None else month_first
    year = year.where(year >= 100, year + 2000)
    month, day = (first, second) if month_first else (second, first)
    hour = pd.to_numeric(matches[3], errors="coerce").fillna(0)
    pm = matches[6].str.lower().eq("pm") & (hour < 12)
    am12 = matches[6].str.lower().eq("am") & (hour == 12)
    hour = hour + 12 * pm - 12 * am12
    frame = pd.DataFrame(
        {
            "year": year,
            "month": month,
            "day": day,
            "hour": hour,
            "minute": pd.to_numeric(matches[4], errors="coerce").fillna(0),
            "second": pd.to_numeric(matches[5], errors="coerce").fillna(0),
        }
    )
    return pd.to_datetime(frame.where(found), errors="coerce")


def _wordy_dates(raw: pd.Series, default_year: int | None) -> pd.Series:
    out = []
    for text in raw:
        m = _WORDY.fullmatch(text.strip().lower())
        if not m:
            out.append(pd.NaT)
            continue
        day, month_word = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        month = _MONTHS.get(month_word.rstrip(".")) or _MONTHS.get(month_word)
        year = int(m.group(5)) if m.group(5) else default_year
        if month is None or year is None:
            out.append(pd.NaT)
            continue
        try:
            out.append(pd.Timestamp(year, month, int(day), int(m.group(6) or 0), int(m.group(7) or 0)))
        except ValueError:
            out.append(pd.NaT)
    return pd.Series(out, index=raw.index, dtype="datetime64[ns]")


AMBIGUOUS_FIRST = "local time of the repeated hour (clocks went back): read as its first occurrence"
AMBIGUOUS_SECOND = (
    "local time of the repeated hour (clocks went back), listed again: read as its second occurrence"
)
NONEXISTENT = "local time of the skipped hour (clocks went forward): moved forward by the gap"


def localize(
    local: pd.Series,
    tz: str,
    *,
    grid: Grid | None = None,
    column: str = "",
    ctx: Context | None = None,
    table: str = "",
    raw: pd.Series | None = None,
) -> pd.Series:
    """Naive local times read in ``tz``, as UTC; the clock-change rules of this module's docstring.

    With ``ctx`` and ``grid``, every time of a repeated or skipped hour is flagged (file, row,
    column, the value as written, and the rule applied).
    """
    plain = local.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    odd = plain.isna() & local.notna()
    if not odd.any():
        return plain.dt.tz_convert("UTC")
    first = local[odd].dt.tz_localize(tz, ambiguous=np.ones(int(odd.sum()), dtype=bool), nonexistent="NaT")
    ambiguous = pd.Series(False, index=local.index)
    ambiguous[first.index[first.notna()]] = True
    repeat = local[ambiguous].groupby(local[ambiguous]).cumcount() > 0
    summer = pd.Series(True, index=local.index)
    summer[repeat.index[repeat]] = False
    out = local.dt.tz_localize(tz, ambiguous=summer.to_numpy(), nonexistent="NaT").dt.tz_convert("UTC")
    skipped = odd & ~ambiguous
    if skipped.any():  # read with the offset in force before the change: the wall clock moved on
        zone = ZoneInfo(tz)
        out[skipped] = [
            pd.Timestamp(value.to_pydatetime().replace(tzinfo=zone, fold=0)).tz_convert("UTC")
            for value in local[skipped]
        ]
    if ctx is not None and grid is not None:
        shown = raw if raw is not None else local.astype(str)
        second = repeat.index[repeat]
        ctx.flag(grid, ambiguous.index[ambiguous].difference(second), column, AMBIGUOUS_FIRST, shown, table)
        ctx.flag(grid, second, column, AMBIGUOUS_SECOND, shown, table)
        ctx.flag(grid, odd.index[odd & ~ambiguous], column, NONEXISTENT, shown, table)
    return out


def local_day(stamps: pd.Series, tz: str) -> pd.Series:
    """UTC timestamps as the calendar day they fall on in ``tz`` (naive, at midnight)."""
    return stamps.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()


def timestamps(
    grid: Grid,
    column: str,
    tz: str,
    *,
    month_first: bool | None = None,
    exported: dt.date | None = None,
    text: pd.Series | None = None,
    ctx: Context | None = None,
    table: str = "",
) -> pd.Series:
    """Timestamps in UTC. Values with a zone keep it; values without are read in ``tz``.

    Args:
        month_first: ``True`` for US files (Meta), ``False`` for day-first; ``None`` decides
            from the values (a first number above 12 means day first) and defaults to month first.
        exported: the export's date, to give a year to dates written without one (TikTok),
            a date after the export meaning the year before.
        ctx: the import's context, to flag local times of a clock change (:func:`localize`).
        table: the canonical table the column feeds, for those flags.
    """
    raw = (grid.frame[column] if text is None else text).astype(str).str.strip()
    missing = raw.str.lower().isin(MISSING)
    iso = raw.str.match(_ISO)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
    if iso.any():
        text = raw[iso].str.replace(r"\s+([+-]\d{2}:?\d{2})$", r"\1", regex=True)
        zoned = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
        if zoned.any():
            out[text.index[zoned]] = pd.to_datetime(text[zoned], errors="coerce", format="ISO8601", utc=True)
        if (~zoned).any():
            naive = pd.to_datetime(text[~zoned], errors="coerce", format="ISO8601")
            out[text.index[~zoned]] = localize(
                naive, tz, grid=grid, column=column, ctx=ctx, table=table, raw=raw
            )
    rest = ~iso & ~missing
    if rest.any():
        numeric = _numeric_dates(raw[rest], month_first)
        wordy = _wordy_dates(raw[rest][numeric.isna()], exported.year if exported else None)
        if exported is not None and len(wordy):
            late = wordy.dt.date > exported
            wordy[late] = wordy[late] - pd.DateOffset(years=1)
        local = numeric.fillna(wordy.reindex(numeric.index)) if len(wordy) else numeric
        offsets = raw[rest].str.extract(r"([+-]\d{2}):?(\d{2})$")
        zoned = offsets[0].notna()
        if zoned.any():
            minutes = offsets[0].astype(float) * 60 + np.sign(offsets[0].astype(float)) * offsets[1].astype(
                float
            )
            local[zoned] = local[zoned] - pd.to_timedelta(minutes[zoned], unit="min")
            out[rest & zoned.reindex(raw.index, fill_value=False)] = local[zoned].dt.tz_localize("UTC")
        plain = local[~zoned]
        out[plain.index] = localize(plain, tz, grid=grid, column=column, ctx=ctx, table=table, raw=raw)
    bad = out.isna() & ~missing
    if bad.any():
        raise _fail(
            grid, column, raw, bad, "a date such as 2026-03-05 17:12, 03/05/2026 17:12 or Sep 6, 2025"
        )
    return out


SENTIMENT_WORDS = {
    "positive": "positive", "positif": "positive", "pos": "positive", "positif(ve)": "positive",
    "positives": "positive", "négatif": "negative", "negatif": "negative", "négative": "negative",
    "negative": "negative", "neg": "negative", "neutral": "neutral", "neutre": "neutral", "neu": "neutral",
    "mixed": "neutral", "mixte": "neutral", "not rated": "neutral", "non évalué": "neutral",
    "unknown": "neutral", "inconnu": "neutral",
}  # fmt: skip


def sentiments(grid: Grid, column: str, threshold: float = 0.0) -> pd.Series:
    """``positive`` / ``neutral`` / ``negative`` from English or French labels, or from a score
    (above ``threshold`` positive, below ``-threshold`` negative)."""
    raw = grid.frame[column].astype(str).str.strip()
    words = raw.str.lower().map(SENTIMENT_WORDS)
    scores = pd.to_numeric(raw.str.replace(",", ".", regex=False), errors="coerce")
    by_score = np.select([scores > threshold, scores < -threshold], ["positive", "negative"], "neutral")
    out = words.where(words.notna(), pd.Series(by_score, index=raw.index).where(scores.notna()))
    bad = out.isna() & ~raw.str.lower().isin(MISSING)
    if bad.any():
        raise _fail(
            grid,
            column,
            raw,
            bad,
            "a sentiment (positive/neutral/negative, positif/neutre/négatif, or a score)",
        )
    return out.fillna("neutral")
