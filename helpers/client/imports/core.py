"""Reading export files as the platforms deliver them, and recognising them by content.

A file is read into *sheets* of text cells (one for a CSV, one per sheet of a workbook, one per
CSV inside a zip), whatever its encoding (UTF-8 with or without BOM, UTF-16, cp1252) and
delimiter (``,`` ``;`` tab, or a ``sep=`` hint line). A :class:`Format` recognises its file by
the names in a header row, looked for in the first rows of each sheet (title and notice rows
above the header are normal), never by the file name. Its parser maps the rows onto one of
the canonical tables of :mod:`helpers.client.schemas`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.client.limits import too_big, too_many_rows
from helpers.client.messages import listed
from helpers.client.textfiles import decode_text

HEADER_SCAN_ROWS = 12
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


class ExportError(ValueError):
    """An export cannot be read; the message names the file, the row or column, what was expected.

    ``problems`` holds one message per file refused when several are (the message joins them).
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems) if problems else [message]


def normalise(name: object) -> str:
    """Header as compared: trimmed, lower case, inner whitespace and newlines collapsed,
    typographic apostrophes and no-break spaces made plain."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class Sheet:
    """A block of text cells from a file: the whole CSV, or one sheet of a workbook."""

    source: str  # file name, with ``:sheet`` or ``!member`` when relevant
    path: Path
    name: str | None
    rows: list[list[str]]
    encoding: str = ""
    delimiter: str = ""


@dataclass
class Grid:
    """A sheet cut at its header row: the data rows, with normalised column names.

    ``frame`` holds text only; its columns are the normalised headers (a repeated header
    gets ``#2``, ``#3``...). ``line(i)`` is the row number a person sees in the file
    (1-based) for data row ``i``.
    """

    sheet: Sheet
    header_row: int
    columns: list[str]
    frame: pd.DataFrame
    preamble: list[list[str]] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.sheet.source

    def line(self, i: int) -> int:
        return self.header_row + 2 + int(i)

    def has(self, *names: str) -> bool:
        return all(n in self.frame.columns for n in names)

    def col(self, *names: str, required: bool = True) -> pd.Series:
        """The first of ``names`` present (aliases across export versions and languages)."""
        for name in names:
            if name in self.frame.columns:
                return self.frame[name]
        if required:
            raise ExportError(
                f"{self.source}: missing column {names[0]!r} (expected one of {', '.join(names)})"
            )
        return pd.Series([""] * len(self.frame), index=self.frame.index, dtype=object)


@dataclass
class Context:
    """What a parser needs besides the rows: the client's zone, the export's date, a log."""

    tz: str = "UTC"
    exported: dt.date | None = None
    flags: list[dict] = field(default_factory=list)
    #: the file or zip being read: files of one download are checked against each other
    container: str = ""
    #: totals that files of a download state, to check against each other (:meth:`check_totals`)
    totals: list[dict] = field(default_factory=list)

    def state_total(self, grid: Grid, role: str, values: dict[str, float], table: str) -> None:
        """Note what a file says a total is (``role`` "stated", e.g. a Total row) or adds up to
        (``role`` "summed", e.g. a per-day totals file), per metric, for :meth:`check_totals`."""
        clean = {k: float(v) for k, v in values.items() if pd.notna(v)}
        self.totals.append(
            {"container": self.container, "role": role, "grid": grid, "values": clean, "table": table}
        )

    def check_totals(self, tolerance: float = 1e-4) -> None:
        """Flag every metric whose stated total and summed total, in one download, differ by more
        than ``tolerance`` (relative; at least 0.5 in absolute terms, for rounding)."""
        stated_all = [t for t in self.totals if t["role"] == "stated"]
        summed_all = [t for t in self.totals if t["role"] == "summed"]
        for stated in stated_all:
            for summed in (s for s in summed_all if s["container"] == stated["container"]):
                for metric in sorted(set(stated["values"]) & set(summed["values"])):
                    said, added = stated["values"][metric], summed["values"][metric]
                    if abs(said - added) > max(0.5, tolerance * abs(said)):
                        grid = summed["grid"]
                        why = (
                            f"adds up to {added:g} {metric}, where {stated['grid'].source} says {said:g}: "
                            "the files of this download do not agree"
                        )
                        self.flag(grid, grid.frame.index[:1], metric, why, table=stated["table"])

    def flag(
        self,
        grid: Grid,
        rows: pd.Index | list,
        column: str,
        why: str,
        values: pd.Series | None = None,
        table: str = "",
    ) -> None:
        """Keep a suspicious value, and say where it is and why it is suspicious."""
        for i in rows:
            self.flags.append(
                {
                    "file": grid.source,
                    "row": grid.line(i),
                    "column": column,
                    "table": table,
                    "value": "" if values is None else str(values.get(i, "")),
                    "issue": why,
                }
            )


@dataclass(frozen=True)
class Format:
    """An export format: how to recognise its header, and how to read it."""

    name: str
    label: str
    table: str  # canonical table it produces
    signature: tuple[str, ...]  # normalised header names that must all be present
    parse: Callable[[Grid, Context], pd.DataFrame]
    excludes: tuple[str, ...] = ()  # header names whose presence rules the format out
    sheet: str | None = None  # normalised sheet name the header must be on, if any
    channel: str = ""  # network the file is about, when the format implies it
    #: why a recognised file feeds no table (``table`` is then ""): its rows are only checked
    unused: str = ""
    #: the export repeats some column titles on purpose and its parser tells them apart
    repeated_titles: bool = False
    #: a row with fewer cells than the header that the export writes on purpose (and the parser
    #: leaves out), e.g. TikTok's ``undefined`` day under way; any other short row is refused
    short_row: Callable[[list[str]], bool] | None = None


# --- reading files into sheets ------------------------------------------------------------------


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Text of a file and the encoding used (:func:`helpers.client.textfiles.decode_text`): a BOM's
    encoding, else UTF-8, else Windows-1252 for a whole file with no UTF-8 character in it."""
    return decode_text(data, source, error=ExportError, fallback=True)


def sniff_delimiter(lines: list[str]) -> str:
    """``,`` ``;`` or tab: the one that splits the first lines most consistently."""
    sample = [line for line in lines[:HEADER_SCAN_ROWS] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t"):
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in sample]
        if not counts:
            continue
        score = max(counts) + (1 if len(set(counts)) == 1 else 0) - (0 if max(counts) > 1 else 99)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _rows_of(text: str, delimiter: str, source: str, strict: bool) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict):
        rows.append(row)
        if len(rows) % 65536 == 0:
            _check_rows(len(rows) - 1, source)
    _check_rows(len(rows) - 1, source)
    return rows


def _check_rows(rows: int, source: str) -> None:
    refused = too_many_rows(rows)
    if refused:
        raise ExportError(f"{source}: {refused}")


def read_text(data: bytes, source: str, path: Path) -> Sheet:
    """A delimited text file as one sheet. A file cut inside a quoted value (a broken download) is
    refused; other loose quoting is read as spreadsheet programs read it."""
    text, encoding = decode(data, source)
    lines = text[:65536].splitlines()
    delimiter = ""
    if lines and re.fullmatch(r'"?sep=(.)"?', lines[0].strip()):
        delimiter = re.fullmatch(r'"?sep=(.)"?', lines[0].strip()).group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        lines = lines[1:]
    delimiter = delimiter or sniff_delimiter(lines)
    try:
        rows = _rows_of(text, delimiter, source, strict=True)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ExportError(
                f"{source}: the file ends inside a quoted value (line {text.count(chr(10)) + 1}): "
                "it was cut short, download it again"
            ) from None
        try:
            rows = _rows_of(text, delimiter, source, strict=False)
        except csv.Error as again:
            raise ExportError(f"{source}: cannot be read as delimited text ({again})") from None
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise ExportError(f"{source}: no values in the file (only blank lines or delimiters)")
    return Sheet(source, path, None, rows, encoding, delimiter)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_archive(data: bytes, source: str, what: str) -> zipfile.ZipFile:
    """The zip (a download, or an .xlsx workbook), once its directory is read and the declared
    size of each member is within the limit (nothing is decompressed yet)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ExportError(f"{source}: {what} is damaged or cut short ({exc}); download it again") from None
    total = 0
    for info in members:
        refused = too_big(f"{info.filename!r} once decompressed", info.file_size)
        if refused:
            raise ExportError(f"{source}: {refused}")
        total += info.file_size
    if what == "the workbook":
        refused = too_big("the workbook once decompressed", total)
        if refused:
            raise ExportError(f"{source}: {refused}")
    return archive


def read_xlsx(data: bytes, source: str, path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    _check_archive(data, source, "the workbook")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ExportError(f"{source}: not a readable .xlsx workbook ({exc})") from exc
    sheets = []
    try:
        for ws in book.worksheets:
            rows = []
            for row in ws.iter_rows(values_only=True):
                rows.append([_cell(v) for v in row])
                if len(rows) % 65536 == 0:
                    _check_rows(len(rows) - 1, f"{source}:{ws.title}")
            _check_rows(len(rows) - 1, f"{source}:{ws.title}")
            sheets.append(Sheet(f"{source}:{ws.title}", path, ws.title, rows, "xlsx"))
    except ExportError:
        raise
    except Exception as exc:  # a sheet cut short or damaged inside the zip
        raise ExportError(f"{source}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()
    return sheets


def read_xls(data: bytes, source: str, path: Path) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # xlrd.XLRDError and struct errors
        raise ExportError(f"{source}: not a readable .xls workbook ({exc})") from exc
    sheets = []
    for ws in book.sheets():
        _check_rows(ws.nrows - 1, f"{source}:{ws.name}")
        rows = []
        for r in range(ws.nrows):
            cells = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        cells.append(_cell(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        cells.append(str(cell.value))
                else:
                    cells.append(_cell(cell.value))
            rows.append(cells)
        sheets.append(Sheet(f"{source}:{ws.name}", path, ws.name, rows, "xls"))
    return sheets


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a file: a CSV, a workbook, or the CSV and workbooks inside a zip.

    Raises:
        ExportError: the file is above the size limit (:mod:`helpers.client.limits`), empty,
            binary, damaged, or not decodable; the message says which and where.
    """
    refused = too_big("the file", path.stat().st_size)
    if refused:
        raise ExportError(f"{path.name}: {refused}")
    data = path.read_bytes()
    return _sheets_of(data, path.name, path)


def _junk(member: str) -> bool:
    """Whether a member of a zip download is never data: a folder, a hidden file, a macOS fork."""
    parts = Path(member).parts
    return member.endswith("/") or any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _zip_sheets(data: bytes, source: str, path: Path) -> list[Sheet]:
    archive = _check_archive(data, source, "the zip archive")
    sheets = []
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            member = info.filename
            if _junk(member):
                continue
            if Path(member).suffix.lower() not in TEXT_SUFFIXES | EXCEL_SUFFIXES:
                raise ExportError(
                    f"{source}!{member}: not a table (.csv, .tsv, .txt, .xlsx, .xls) inside the zip: "
                    "unzip the download and keep only its tables, or leave the zip out with exports_ignore"
                )
            try:
                content = archive.read(info)
            except Exception as exc:  # BadZipFile (a bad CRC), zlib.error, an encrypted member...
                raise ExportError(f"{source}!{member}: cannot be decompressed ({exc})") from None
            sheets += _sheets_of(content, f"{source}!{member}", path)
    return sheets


def _sheets_of(data: bytes, source: str, path: Path) -> list[Sheet]:
    suffix = Path(source.split("!")[-1]).suffix.lower()
    if data[:4] == b"PK\x03\x04" and suffix not in (".xlsx", ".xlsm"):
        return _zip_sheets(data, source, path)
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return read_xlsx(data, source, path)
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return read_xls(data, source, path)
    return [read_text(data, source, path)]


# --- recognising a format -----------------------------------------------------------------------


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def make_grid(sheet: Sheet, header_row: int) -> Grid:
    header = [normalise(c) for c in sheet.rows[header_row]]
    while header and header[-1] == "":
        header.pop()
    columns = _unique([h or f"column {i + 1}" for i, h in enumerate(header)])
    body = [row[: len(columns)] + [""] * (len(columns) - len(row)) for row in sheet.rows[header_row + 1 :]]
    frame = pd.DataFrame(body, columns=columns, dtype=object).fillna("")
    frame = frame.map(lambda v: str(v).strip())
    blank = frame.eq("").all(axis=1)
    frame = frame.loc[~blank]
    return Grid(sheet, header_row, columns, frame, [list(r) for r in sheet.rows[:header_row]])


def check_shape(grid: Grid, fmt: Format) -> None:
    """Refuse what would be read wrong without a word: a column title given twice (which one is
    meant?), a row of a text file with fewer cells than the header (a file cut short, or a value
    lost), a row with more filled cells than the header has titles (a value holding an unquoted
    delimiter, or titles lost).

    Raises:
        ExportError: naming the file, the rows or the column, and what was expected.
    """
    sheet, width = grid.sheet, len(grid.columns)
    header = [normalise(c) for c in sheet.rows[grid.header_row]][:width]
    if not fmt.repeated_titles:
        seen: dict[str, int] = {}
        for i, name in enumerate(header):
            if name and name in seen:
                raise ExportError(
                    f"{grid.source}: row {grid.header_row + 1}: the column title {name!r} is there twice "
                    f"(columns {seen[name] + 1} and {i + 1}): which one to read is not clear; delete or "
                    "rename one"
                )
            seen.setdefault(name, i)
    text = sheet.encoding not in ("xlsx", "xls")
    short, long = [], []
    for i, row in enumerate(sheet.rows[grid.header_row + 1 :]):
        if not any(str(c).strip() for c in row):
            continue
        if text and len(row) < width and not (fmt.short_row and fmt.short_row(row)):
            short.append((grid.line(i), len(row)))
        elif any(str(c).strip() for c in row[width:]):
            long.append(grid.line(i))
    if short:
        shown = listed([f"row {line} ({n} values)" for line, n in short[:3]], len(short))
        raise ExportError(
            f"{grid.source}: {shown}: fewer values than the {width} columns of the header; "
            "the row was cut short (a broken download?): export the file again"
        )
    if long:
        shown = listed([f"row {line}" for line in long[:3]], len(long))
        raise ExportError(
            f"{grid.source}: {shown}: values beyond the {width} columns of the header; a value "
            "holds an unquoted delimiter, or the header lost titles"
        )


def detect(sheet: Sheet, formats: list[Format]) -> tuple[Format, int] | None:
    """The most specific format whose signature is in one of the first rows of the sheet."""
    best: tuple[Format, int] | None = None
    for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        names = {normalise(c) for c in row}
        for fmt in formats:
            if fmt.sheet and normalise(sheet.name or "") != fmt.sheet:
                continue
            if set(fmt.signature) <= names and not (set(fmt.excludes) & names):
                if best is None or len(fmt.signature) > len(best[0].signature):
                    best = (fmt, r)
    return best


def near_miss(sheet: Sheet, formats: list[Format]) -> tuple[Format, list[str]] | None:
    """The format a sheet resembles without matching it: at least half of its signature, and two
    titles or more, on one of the first rows; with the titles it lacks. None if none.

    Used for a sheet no format recognises, and for one a format recognises when another format
    finds more of its own titles there than the first one's whole signature (a Meta export whose
    header lost its first titles still holds three of Meta's titles, more than the two of the
    YouTube totals it would otherwise pass for)."""
    best: tuple[tuple[float, int], Format, list[str]] | None = None
    for row in sheet.rows[:HEADER_SCAN_ROWS]:
        names = {normalise(c) for c in row}
        for fmt in formats:
            if fmt.sheet and normalise(sheet.name or "") != fmt.sheet:
                continue
            if set(fmt.excludes) & names:
                continue
            have = [n for n in fmt.signature if n in names]
            missing = [n for n in fmt.signature if n not in names]
            score = (len(have) / len(fmt.signature), len(have))
            if len(have) >= 2 and 2 * len(have) >= len(fmt.signature) and missing:
                if best is None or score > best[0]:
                    best = (score, fmt, missing)
    return (best[1], best[2]) if best else None
