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
from helpers.client.messages import listed
from helpers.client.schemas import MAX_NUMBER, YEARS

MISSING = {"", "-", "–", "—", "n/a", "na", "nan", "none", "null", "undefined", "--"}
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def _fail(grid: Grid, column: str, text: pd.Series, bad: pd.Series, expected: str) -> ExportError:
    shown = listed([f"row {grid.line(i)} ({text[i]!r})" for i in text.index[bad][:3]], int(bad.sum()))
    return ExportError(f"{grid.source}: column {column!r}: expected {expected}; got {shown}")


def _decimal_comma(values: pd.Series) -> bool:
    """Whether a column writes decimals with a comma (``4,5``, ``1.234,56``)."""
    sample = values[values.str.contains(",", regex=False)]
    if sample.empty:
        return False
    if sample.str.contains(r"\.\d{3},", regex=True).any() or sample.str.contains(r",\d{1,2}$").any():
        return True
    return not sample.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?").all()


_GROUPS = {",": re.compile(r"-?[1-9]\d{0,2}(?:,\d{3})+"), ".": re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3})+")}


def _convention(cell: str) -> str:
    """How a cell writes its number: ``"point"`` (decimal point, comma thousands: ``1,234.5``),
    ``"comma"`` (decimal comma, point thousands: ``1.234,5``), ``"groups,"`` or ``"groups."`` when
    it could be either (``12,345`` is 12345 with a thousands comma or 12.345; ``1.234`` alike),
    or ``""`` (no separator)."""
    comma, point = cell.rfind(","), cell.rfind(".")
    if comma >= 0 and point >= 0:
        return "point" if point > comma else "comma"
    for sep, decimal, thousands in ((",", "comma", "point"), (".", "point", "comma")):
        if sep in cell:
            if _GROUPS[sep].fullmatch(cell):
                return thousands if cell.count(sep) > 1 else f"groups{sep}"
            return decimal
    return ""


def _check_conventions(grid: Grid, column: str, raw: pd.Series, cleaned: pd.Series) -> None:
    """Refuse a column that writes numbers two ways (``1,5`` and ``2.5``; ``1,5`` and ``12,345``):
    one of them would be misread."""
    kinds = cleaned.map(_convention)
    point, comma = kinds.eq("point"), kinds.eq("comma")
    clash = None
    if point.any() and comma.any():
        clash = (point, "a decimal point", comma, "a decimal comma")
    elif comma.any() and kinds.eq("groups,").any():
        clash = (kinds.eq("groups,"), "a thousands comma", comma, "a decimal comma")
    if clash is None:
        return
    first, first_how, second, second_how = clash
    i, j = first[first].index[0], second[second].index[0]
    raise ExportError(
        f"{grid.source}: column {column!r}: numbers written two ways: row {grid.line(i)} "
        f"({raw[i]!r}) reads with {first_how}, row {grid.line(j)} ({raw[j]!r}) with {second_how}; "
        "one of them would be misread: write every value of the column the same way"
    )


def numbers(grid: Grid, column: str, text: pd.Series | None = None, percent: bool = False) -> pd.Series:
    """A column of counts or amounts as floats (NaN where the export left it blank).

    Args:
        grid: the file's rows.
        column: the normalised column name (or a label for ``text``).
        text: the cells, when they are not a column of ``grid`` as is.
        percent: cells are percentages: ``4,5 %`` and ``4.5`` give 0.045, and so does a
            fraction ``0.045`` written without a ``%`` sign when every value is ≤ 1.

    Raises:
        ExportError: a cell is not a number; the column writes numbers two ways (a decimal comma
            and a decimal point, or a decimal comma and a thousands comma); a percentage column
            has a ``%`` on some rows only, or another column has one at all; a value is infinite
            or beyond :data:`MAX_NUMBER`.
    """
    raw = (grid.frame[column] if text is None else text).astype(str).str.strip()
    missing = raw.str.lower().isin(MISSING)
    has_pct = raw.str.endswith("%") & ~missing
    cleaned = raw.str.replace(SPACES, "", regex=True).str.rstrip("%")
    _check_conventions(grid, column, raw, cleaned[~missing])
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
    extreme = values.notna() & ~(values.abs() <= MAX_NUMBER)
    if extreme.any():
        raise _fail(grid, column, raw, extreme, f"a finite number below {MAX_NUMBER:.0e}")
    if not percent and has_pct.any():
        raise _fail(grid, column, raw, has_pct, "a number without a % sign (the column holds no percentages)")
    if percent:
        plain = ~has_pct & ~missing & values.ne(0)
        if has_pct.any() and plain.any():
            i, j = has_pct[has_pct].index[0], plain[plain].index[0]
            raise ExportError(
                f"{grid.source}: column {column!r}: row {grid.line(i)} ({raw[i]!r}) has a % sign and "
                f"row {grid.line(j)} ({raw[j]!r}) has none: is {raw[j]!r} a percentage or a fraction? "
                "Write every value of the column the same way"
            )
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
    check_years(grid, column, raw, missing)
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


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def check_years(grid: Grid, column: str, raw: pd.Series, missing: pd.Series) -> None:
    """Refuse dates whose year (the first four-digit number of the cell) is outside :data:`YEARS`."""
    years = pd.to_numeric(raw.str.extract(_YEAR, expand=False), errors="coerce")
    odd = years.notna() & ~years.between(*YEARS) & ~missing
    if odd.any():
        raise _fail(grid, column, raw, odd, f"a date between {YEARS[0]} and {YEARS[1]}")


#: When each network opened: a time an id decodes to before it is not a posting time.
NETWORK_OPENED = {"linkedin": "2003-05-05", "x": "2006-03-21", "tiktok": "2016-09-01"}
NETWORK_NAMES = {"linkedin": "LinkedIn", "x": "X", "tiktok": "TikTok"}


def plausible_times(
    grid: Grid,
    ctx: Context,
    derived: pd.Series,
    stated: pd.Series,
    *,
    network: str,
    column: str,
    what: str,
    also: pd.Series | None = None,
    table: str = "posts",
) -> pd.Series:
    """The posting times to keep: the one an id or a link encodes (``derived``, to the second)
    where it is plausible, else the export's own date (``stated``, often a day at midnight).

    A derived time is plausible when its day in the client's zone is within a day of the
    export's date for the row (or of ``also``, another reading of it), it is after the network
    opened (:data:`NETWORK_OPENED`), and it is not after the export was made. Where the export
    gives no date, a derived time within the network's life and the export's range (a day around
    its earliest and latest dates, and not after it was made) is kept. Every row where the two
    disagree is flagged with both values; the export's date is kept.
    """
    opened = pd.Timestamp(NETWORK_OPENED[network], tz="UTC")
    made = pd.Timestamp(ctx.exported, tz="UTC") + pd.Timedelta(days=2) if ctx.exported else None
    day = pd.Timedelta(days=1)
    id_day = local_day(derived, ctx.tz)

    def near(other: pd.Series) -> pd.Series:
        return (id_day - local_day(other, ctx.tz)).abs().le(day)

    agree = near(stated) | (near(also) if also is not None else False)
    lifetime = derived.ge(opened) & (derived.le(made) if made is not None else True)
    ok = derived.notna() & lifetime & agree
    undated = derived.notna() & stated.isna() & lifetime
    if stated.notna().any():
        undated &= derived.between(stated.min() - day, stated.max() + 2 * day)
    shown = grid.col(column) if column in grid.frame.columns else stated.astype(str)
    early = derived.lt(opened)
    name = NETWORK_NAMES[network]
    for rows, why in (
        (derived.notna() & stated.notna() & early, f"before {name} opened ({opened:%Y-%m-%d})"),
        (derived.notna() & stated.notna() & ~lifetime & ~early, "after the export was made"),
        (derived.notna() & stated.notna() & lifetime & ~agree, f"more than a day from {column!r}"),
    ):
        for i in rows.index[rows]:
            ctx.flag(
                grid,
                [i],
                column,
                f"the {what} gives {derived[i]:%Y-%m-%d %H:%M} UTC, {why}: {column!r} kept "
                f"({shown[i]}, read as {stated[i]:%Y-%m-%d %H:%M} UTC)",
                shown,
                table,
            )
    ctx.flag(grid, undated.index[undated], column, f"no {column!r}: the time the {what} gives is kept",
             derived.astype(str), table)  # fmt: skip
    return derived.where(ok | undated, stated)


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
