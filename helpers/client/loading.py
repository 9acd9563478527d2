"""Reading a client's folder: the brief and the tables, validated, with clear errors.

A client folder holds ``brief.yaml`` and ``tables/`` (CSV files in the workbook's own
templates, one per canonical table of :mod:`helpers.client.schemas`). Files are only read,
never modified. Problems raise :class:`DataError` naming the file, the row and the
column, and what was expected.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.client.brief import Brief, load_brief, logo_problem
from helpers.client.limits import too_big, too_many_rows
from helpers.client.messages import listed
from helpers.client.schemas import MAX_NUMBER, TABLES, YEARS, Column, TableSpec
from helpers.client.textfiles import decode_text
from helpers.config import client_dir

TRUE_WORDS = {"true", "yes", "oui", "vrai", "1"}
FALSE_WORDS = {"false", "no", "non", "faux", "0"}


FLAG_COLUMNS = ["file", "row", "column", "table", "value", "issue"]


class DataError(ValueError):
    """A data file cannot be used; the message names the file, row and column."""


@dataclass
class SourceFile:
    """A file read for a run, for provenance (``inputs.json``)."""

    path: Path
    table: str
    rows: int
    size: int
    sha256: str

    def as_dict(self, root: Path | None = None) -> dict:
        shown = self.path.relative_to(root) if root else self.path
        return {
            "path": shown.as_posix(),
            "table": self.table,
            "rows": self.rows,
            "bytes": self.size,
            "sha256": self.sha256,
        }


@dataclass
class ClientData:
    """Everything read from one client folder."""

    name: str
    folder: Path
    brief: Brief
    tables: dict[str, pd.DataFrame]
    sources: list[SourceFile] = field(default_factory=list)
    #: suspicious values kept from the exports: file, row, column, table, value, issue
    flags: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FLAG_COLUMNS))
    #: what happened to each sheet of each export (format recognised, rows, or why skipped)
    imports: list = field(default_factory=list)
    #: rows that overlapping exports repeated, per table (the newest export's row was kept)
    duplicates: dict[str, int] = field(default_factory=dict)

    def __getattr__(self, item: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if item in tables:
            return tables[item]
        raise AttributeError(item)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _bad(path: Path, column: str, raw: pd.Series, mask: pd.Series, expected: str) -> DataError:
    shown = listed([f"row {i + 2} ({raw[i]!r})" for i in raw.index[mask][:5]], int(mask.sum()))
    return DataError(f"{path}: column '{column}': expected {expected}; got {shown}")


def _as_text(path: Path, col: Column, raw: pd.Series, text: pd.Series, empty: pd.Series) -> pd.Series:
    return text.astype("string")


def _as_choice(path: Path, col: Column, raw: pd.Series, text: pd.Series, empty: pd.Series) -> pd.Series:
    lowered = text.str.lower()
    wrong = ~lowered.isin(col.choices) & ~empty
    if wrong.any():
        raise _bad(path, col.name, text, wrong, f"one of {', '.join(col.choices)}")
    return lowered.where(~empty, None).astype("string")


def _as_number(path: Path, col: Column, raw: pd.Series, text: pd.Series, empty: pd.Series) -> pd.Series:
    values = pd.to_numeric(text.str.replace("\u00a0", "").str.replace(" ", ""), errors="coerce")
    wrong = values.isna() & ~empty
    if wrong.any():
        raise _bad(path, col.name, text, wrong, "a number")
    extreme = values.notna() & ~(values.abs() <= MAX_NUMBER)
    if extreme.any():
        raise _bad(path, col.name, text, extreme, f"a finite number below {MAX_NUMBER:.0e}")
    if (values < 0).any():
        raise _bad(path, col.name, text, values < 0, "a number ≥ 0")
    low = col.low if col.low is not None else 0
    high = col.high if col.high is not None else MAX_NUMBER
    outside = values.notna() & ~values.between(low, high)
    if outside.any():
        raise _bad(path, col.name, text, outside, f"a number from {low:g} to {high:g}")
    if col.kind == "float":
        return values.astype("float64")
    fractional = values.notna() & (values % 1 != 0)
    if fractional.any():
        raise _bad(path, col.name, text, fractional, "a whole count")
    return values.astype("Int64")


def _as_bool(path: Path, col: Column, raw: pd.Series, text: pd.Series, empty: pd.Series) -> pd.Series:
    lowered = text.str.lower()
    wrong = ~lowered.isin(TRUE_WORDS | FALSE_WORDS) & ~empty
    if wrong.any():
        raise _bad(path, col.name, text, wrong, "true or false")
    return lowered.map(lambda v: None if v == "" else v in TRUE_WORDS).astype("boolean")


def _check_years(path: Path, col: Column, text: pd.Series, empty: pd.Series) -> None:
    years = pd.to_numeric(text.str.extract(r"^\s*(\d{4})-", expand=False), errors="coerce")
    odd = years.notna() & ~years.between(*YEARS) & ~empty
    if odd.any():
        raise _bad(path, col.name, text, odd, f"a date between {YEARS[0]} and {YEARS[1]}")


def _as_datetime(path: Path, col: Column, raw: pd.Series, text: pd.Series, empty: pd.Series) -> pd.Series:
    _check_years(path, col, text, empty)
    values = pd.to_datetime(text.where(~empty, None), utc=True, errors="coerce", format="ISO8601")
    wrong = values.isna() & ~empty
    if wrong.any():
        raise _bad(path, col.name, text, wrong, "an ISO 8601 timestamp like 2026-03-05T17:12:00Z")
    return values


def _as_date(path: Path, col: Column, raw: pd.Series, text: pd.Series, empty: pd.Series) -> pd.Series:
    _check_years(path, col, text, empty)
    values = pd.to_datetime(text.where(~empty, None), errors="coerce", format="%Y-%m-%d")
    wrong = values.isna() & ~empty
    if wrong.any():
        raise _bad(path, col.name, text, wrong, "a date like 2026-03-05")
    return values


_PARSERS = {
    "str": _as_text,
    "choice": _as_choice,
    "int": _as_number,
    "float": _as_number,
    "bool": _as_bool,
    "datetime": _as_datetime,
    "date": _as_date,
}


def _parse_column(path: Path, col: Column, raw: pd.Series) -> pd.Series:
    text = raw.fillna("").astype(str).str.strip()
    empty = text.eq("")
    if col.required and col.kind not in ("int", "float") and empty.any():
        raise _bad(path, col.name, text, empty, "a value (the column is required)")
    if col.known and empty.any():
        raise _bad(path, col.name, text, empty, "a number (this figure cannot be left unknown)")
    return _PARSERS[col.kind](path, col, raw, text, empty)


def strict_json(value: Any) -> Any:
    """``value`` with every float NaN or infinity replaced by None (JSON ``null``); numpy scalars
    as the Python numbers they hold (never their text: ``np.int64(3)`` is ``3``, not ``"3"``,
    and a numpy NaN is ``null``, not ``"nan"``)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json(v) for v in value]
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Write ``path`` through ``write(temporary_path)``, then rename the temporary file into place:
    a reader never sees half a file, and a failure (a full disk) leaves neither half a file nor the
    temporary one."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


def write_json(path: Path, payload: Any) -> Path:
    """Write ``payload`` as UTF-8 JSON, atomically (a temporary file renamed into place) and strictly:
    NaN, infinities, ``pd.NA`` and ``NaT`` are written ``null``, never the bare ``NaN`` other tools
    reject; other objects (dates, paths) as their text."""
    text = json.dumps(strict_json(payload), indent=2, ensure_ascii=False, default=str, allow_nan=False)
    return atomic_write(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


# --------------------------------------------------------------------------- safe CSV
#: What makes a spreadsheet read a cell as a formula when it starts it (the OWASP CSV-injection
#: rule): such a text cell is written behind :data:`GUARD`, so it shows as text and never runs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The guard: a single quote, which spreadsheets read as "what follows is text".
GUARD = "'"
#: Text that is only a number (``-0.25``, ``+33``, ``-3,5``, ``-12%``, ``1e-05``): no formula, left
#: as it is, so a number written as text reads back as the same number.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?")


def _guarded(text: str) -> bool:
    """Whether ``text`` is a guarded cell as written: one or more quotes, then a formula start."""
    rest = text.lstrip(GUARD)
    return rest != text and rest[:1] in FORMULA_START


def guard_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: a text starting with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return gets a leading ``'``; numbers, missing values and plain numbers in text
    (``-0.25``) are left as they are.

    The guard can be undone exactly (:func:`unguard_cell`): a text that already starts with quotes
    before a formula start (``'=x``) gets one more, so reading it back gives it unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    if _guarded(value) or (value[0] in FORMULA_START and not _PLAIN_NUMBER.fullmatch(value)):
        return GUARD + value
    return value


def unguard_cell(value: Any) -> Any:
    """The text :func:`guard_cell` was given: one leading ``'`` removed before a formula start."""
    if isinstance(value, str) and _guarded(value):
        return value[1:]
    return value


def _is_text(dtype: Any) -> bool:
    return pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype | pd.CategoricalDtype)


def _map_cells(frame: pd.DataFrame, cell) -> pd.DataFrame:
    columns = [c for c, dtype in frame.dtypes.items() if _is_text(dtype)]
    renamed = [cell(c) for c in frame.columns]
    if not columns and renamed == list(frame.columns):
        return frame
    out = frame.copy()
    for i, column in enumerate(frame.columns):
        if column in columns:
            values = out.iloc[:, i]
            if isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype(object)
            out.isetitem(i, values.map(cell, na_action="ignore"))
    out.columns = renamed
    return out


def _holds_carriage_return(frame: pd.DataFrame) -> bool:
    texts = [frame[c] for c, dtype in frame.dtypes.items() if _is_text(dtype)]
    cells = [c for c in frame.columns if isinstance(c, str)]
    return any("\r" in c for c in cells) or any(
        values.map(lambda v: isinstance(v, str) and "\r" in v).any() for values in texts
    )


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and column name) guarded by :func:`guard_cell`; numbers,
    dates and booleans untouched (a negative number stays a number). ``frame`` is not modified."""
    return _map_cells(frame, guard_cell)


def unguard_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The table :func:`safe_cells` was given, from what a CSV reader read back."""
    return _map_cells(frame, unguard_cell)


def write_csv(frame: pd.DataFrame, path: str | Path, *, header: bool = True) -> Path:
    """Write a table as a CSV a spreadsheet opens safely: the one CSV writer of the workbook.

    Text cells that a spreadsheet would run as a formula are guarded (:func:`safe_cells`); UTF-8,
    ``\n`` line ends, no index; written to a temporary file renamed into place, so a reader never
    sees half a file and a failure (a full disk) leaves neither half a file nor the temporary one.
    Read it back with :func:`read_csv`, which removes the guards. ``header=False`` leaves the
    header row out (a format that has none, such as Hootsuite's bulk upload).
    """
    path = Path(path)
    safe = safe_cells(frame)
    # a carriage return inside a cell is not quoted when lines end with "\n" (Python's csv): such a
    # table gets every text quoted instead, so the cell stays one cell
    quoting = csv.QUOTE_NONNUMERIC if _holds_carriage_return(safe) else csv.QUOTE_MINIMAL
    return atomic_write(
        path,
        lambda tmp: safe.to_csv(
            tmp, index=False, header=header, lineterminator="\n", encoding="utf-8", quoting=quoting
        ),
    )


def read_csv(path: str | Path, **options: Any) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` (``pandas.read_csv`` with ``options``), guards removed."""
    return unguard_cells(pd.read_csv(path, **options))


def write_table(frame: pd.DataFrame, path: str | Path, spec: TableSpec | str) -> Path:
    """Write a canonical table in the workbook's CSV template (what ``read_table`` reads back).

    Timestamps in UTC as ``2026-03-05T17:12:00Z``, dates ``YYYY-MM-DD``, booleans
    ``true``/``false``, missing values as empty cells, UTF-8, ``\n`` line ends; text that a
    spreadsheet would run as a formula is guarded (:func:`write_csv`), and ``read_table`` removes
    the guard.
    """
    spec = TABLES[spec] if isinstance(spec, str) else spec
    out = pd.DataFrame(index=frame.index)
    for col in spec.columns:
        if col.name not in frame.columns:
            continue
        values = frame[col.name]
        if col.kind == "datetime":
            text = values.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        elif col.kind == "date":
            text = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif col.kind == "bool":
            text = values.map(lambda v: "" if pd.isna(v) else ("true" if v else "false"))
        elif col.kind == "int":
            text = values.map(lambda v: "" if pd.isna(v) else str(int(v)))
        else:
            text = values
        out[col.name] = text.astype(object).where(values.notna(), "")
    return write_csv(out, path)


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """An empty table with the spec's columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in spec.column_names})


def _csv_text(path: Path, spec: TableSpec) -> str:
    """The text of a template CSV, after checking its size and its encoding (UTF-8)."""
    refused = too_big("the file", path.stat().st_size)
    if refused:
        raise DataError(f"{path}: {refused}")
    data = path.read_bytes()
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise DataError(
            f"{path}: empty file: expected a header row with the columns of the '{spec.name}' table "
            f"({', '.join(spec.column_names)}); delete the file if there is no data"
        )
    return decode_text(data, str(path), error=DataError, fallback=False)[0]


def _header(path: Path, row: list[str]) -> list[str]:
    header = [str(c).strip().lower() for c in row]
    while header and header[-1] == "":
        header.pop()
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name and name in seen:
            raise DataError(
                f"{path}: row 1: the column '{name}' is there twice (columns {seen[name] + 1} and {i + 1}): "
                "which one to read is not clear; delete or rename one"
            )
        seen[name] = i
    return header


def _shape_problem(path: Path, width: int, short: list, long: list) -> DataError | None:
    if short:
        shown = listed([f"row {line} ({n} values)" for line, n in short[:3]], len(short))
        return DataError(
            f"{path}: {shown}: fewer values than the {width} columns of the header; the row was cut "
            "short (a file cut in the middle?): complete it or delete it"
        )
    if long:
        shown = ", ".join(f"row {line} ({n} values)" for line, n in long[:3])
        return DataError(
            f"{path}: {shown}: more values than the {width} columns of the header; a value holds an "
            "unquoted comma (put it in double quotes) or the header lost a column"
        )
    return None


def _check_rows(path: Path, text: str) -> list[str]:
    """The header of a template CSV, once every row is checked as it streams by (nothing is kept):
    well-formed quoting, as many values as the header (empty extra cells allowed), the row limit."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    short: list[tuple[int, int]] = []
    long: list[tuple[int, int]] = []
    rows = 0
    try:
        header = _header(path, next((row for row in reader if row), []))
        if not header:
            raise DataError(f"{path}: row 1 holds no column titles: expected the table's header")
        for row in reader:
            if not row:
                continue
            rows += 1
            if len(row) < len(header):
                short.append((rows + 1, len(row)))
            elif len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
                long.append((rows + 1, len(row)))
            if rows % 65536 == 0 and too_many_rows(rows):
                break
    except csv.Error as exc:
        raise DataError(
            f"{path}: line {reader.line_num}: not a well-formed CSV ({exc}): a quote is not closed or a "
            "value mixes quotes; the file may have been cut short"
        ) from None
    refused = too_many_rows(rows)
    if refused:
        raise DataError(f"{path}: {refused}")
    problem = _shape_problem(path, len(header), short, long)
    if problem:
        raise problem
    return header


def read_table(path: str | Path, spec: TableSpec | str) -> pd.DataFrame:
    """Read one CSV in the workbook's template and check it against its spec.

    Args:
        path: the CSV file (UTF-8, with or without BOM, comma-separated, header on row 1).
        spec: the table spec or its name (``"posts"``, ``"followers"``...).

    Returns:
        A DataFrame with the spec's columns, typed (counts ``Int64``, timestamps UTC).

    Raises:
        DataError: missing, empty, oversized (:mod:`helpers.client.limits`) or not UTF-8 file; a
            column missing or given twice; a row with fewer or more values than the header; a
            value of the wrong kind or out of range; a duplicated key. The message names the file,
            the row and the column.
    """
    path = Path(path)
    spec = TABLES[spec] if isinstance(spec, str) else spec
    if not path.is_file():
        raise DataError(f"{path}: file not found (expected the '{spec.name}' table)")
    text = _csv_text(path, spec)
    header = _check_rows(path, text)
    raw = pd.read_csv(
        io.StringIO(text), dtype=str, keep_default_na=False, index_col=False, usecols=range(len(header))
    )
    raw.columns = header
    raw = unguard_cells(raw)  # what write_table guarded (``'=...``) reads back as it was
    missing = [c.name for c in spec.columns if c.name not in raw.columns and c.required]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)} for the '{spec.name}' table "
            f"(expected columns: {', '.join(spec.column_names)})"
        )
    out = {}
    for col in spec.columns:
        column = raw[col.name] if col.name in raw.columns else pd.Series([""] * len(raw))
        out[col.name] = _parse_column(path, col, column)
    table = pd.DataFrame(out)
    _check_order(path, spec, raw, table)
    if spec.key:
        dup = table.duplicated(list(spec.key), keep=False)
        if dup.any():
            rows_shown = ", ".join(str(i + 2) for i in table.index[dup][:6])
            raise DataError(f"{path}: duplicated key ({', '.join(spec.key)}) on rows {rows_shown}")
    return table


def _check_order(path: Path, spec: TableSpec, raw: pd.DataFrame, table: pd.DataFrame) -> None:
    """Refuse a row whose dates of a spec's ``ordered`` pair come the wrong way round (an ``end``
    before its ``start``), naming the file, the rows, the column and both values."""
    for earlier, later in spec.ordered:
        wrong = (table[later] < table[earlier]).fillna(False).astype(bool)
        if wrong.any():
            shown = listed(
                [
                    f"row {i + 2} ({raw[later][i]!r} before {earlier} {raw[earlier][i]!r})"
                    for i in table.index[wrong][:5]
                ],
                int(wrong.sum()),
            )
            raise DataError(f"{path}: column '{later}': expected a date on or after '{earlier}'; got {shown}")


def read_exports(folder: Path, tz: str, ignore: tuple[str, ...] = ()):
    """Import every file of the client's ``exports/`` folder (None when there is none), strictly:
    each file is read or refused, except those the brief's ``exports_ignore`` names.

    Raises:
        ExportError: every file refused, each message starting ``exports/<file>``.
    """
    from helpers.client.imports import ExportError, import_paths

    exports = folder / "exports"
    if not exports.is_dir() or not any(p for p in exports.rglob("*") if p.is_file()):
        return None
    try:
        return import_paths([exports], tz=tz, strict=True, ignore=ignore)
    except ExportError as exc:
        problems = [f"exports/{p}" for p in exc.problems]
        raise ExportError("\n".join(problems), problems) from None


def _export_sources(folder: Path, result) -> list[SourceFile]:
    """One provenance line per export file, with the rows it gave and the tables it fed."""
    rows: dict[str, int] = {}
    tables: dict[str, set[str]] = {}
    for report in result.files:
        name = report.source.split("!")[0].split(":")[0]
        rows[name] = rows.get(name, 0) + report.rows
        if report.table:
            tables.setdefault(name, set()).add(report.table)
    ignored = {r.source for r in result.files if r.note.startswith("ignored")}
    sources = []
    for path in sorted(
        p for p in (folder / "exports").rglob("*") if p.is_file() and not p.name.startswith(".")
    ):
        if path.name in ignored:
            continue
        table = "+".join(sorted(tables.get(path.name, set()))) or "skipped"
        sources.append(SourceFile(path, table, rows.get(path.name, 0), path.stat().st_size, sha256_of(path)))
    return sources


@dataclass
class Inspection:
    """What checking a client folder read (:func:`inspect_client`), so that loading it after the
    check reads and parses nothing twice."""

    brief: Brief | None = None
    #: the import of ``exports/`` (None when there is none or it failed)
    imported: Any = None
    #: the template tables of ``tables/`` that read without error, by table name
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def load_client(
    client: str, clients_dir: str | Path | None = None, *, inspected: Inspection | None = None
) -> ClientData:
    """Read and validate a client's brief, its exports and its template tables.

    Exports (``exports/``, the platforms' own files) go through the importers; the
    workbook's templates (``tables/``) are read as they are. When both give a table, the rows
    are put together, the exports' row winning on a repeated key. Tables that are absent come
    back empty, with their columns, so every notebook can say "no data" instead of failing.

    Args:
        client: the client folder's name.
        clients_dir: folder of client folders (default ``data/clients``).
        inspected: what :func:`inspect_client` already read (brief, exports, tables), reused as it is.

    Raises:
        BriefError: the brief is invalid.
        DataError: a table or an export is unreadable or invalid.
    """
    from helpers.client.imports import ExportError

    folder = client_dir(client, clients_dir)
    if not folder.is_dir():
        raise DataError(f"{folder}: client folder not found")
    brief_path = folder / "brief.yaml"
    brief = inspected.brief if inspected and inspected.brief else load_brief(brief_path)
    sources = [SourceFile(brief_path, "brief", 1, brief_path.stat().st_size, sha256_of(brief_path))]
    imported = inspected.imported if inspected else None
    if inspected is None:
        try:
            imported = read_exports(folder, brief.client.timezone, brief.exports_ignore)
        except ExportError as exc:
            raise DataError(str(exc)) from exc
    data = ClientData(client, folder, brief, {}, sources)
    if imported is not None:
        _fill_accounts(imported.tables, brief)
        sources += _export_sources(folder, imported)
        data.flags, data.imports, data.duplicates = imported.flags, imported.files, imported.duplicates
    for name, spec in TABLES.items():
        parts = [imported.tables[name]] if imported is not None and name in imported.tables else []
        path = folder / "tables" / spec.filename
        if path.is_file():
            parts.append(
                inspected.tables[name] if inspected and name in inspected.tables else read_table(path, spec)
            )
            sources.append(SourceFile(path, name, len(parts[-1]), path.stat().st_size, sha256_of(path)))
        data.tables[name] = _combine(spec, parts)
    return data


def _fill_accounts(tables: dict[str, pd.DataFrame], brief: Brief) -> None:
    """Name the brand's profile the way the brief does.

    Exports name a profile differently (Meta writes the Page name, LinkedIn, TikTok and
    YouTube none at all). Where the brief lists a single profile on a network, every row of
    that network's posts, followers, visits and account_daily gets the brief's account, so posts
    meet their follower history; where it lists several, only empty accounts are left as they are.
    """
    single = {}
    for profile in brief.profiles:
        single[profile.channel] = None if profile.channel in single else profile.account
    for name in ("posts", "followers", "visits", "account_daily"):
        table = tables.get(name)
        if table is None or table.empty:
            continue
        accounts = table["channel"].map(single)
        known = accounts.notna()
        table.loc[known, "account"] = accounts[known]


def _combine(spec: TableSpec, parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return empty_table(spec)
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, ignore_index=True)
    return frame.drop_duplicates(list(spec.key), keep="first").reset_index(drop=True) if spec.key else frame


def _check_tables(tables_dir: Path, read: dict[str, pd.DataFrame]) -> list[str]:
    """Every problem of the template tables; those that read without error go into ``read``."""
    problems = []
    known = {spec.filename for spec in TABLES.values()}
    for name, spec in TABLES.items():
        path = tables_dir / spec.filename
        if path.is_file():
            try:
                read[name] = read_table(path, spec)
            except DataError as exc:
                problems.append(str(exc))
    if tables_dir.is_dir():
        for path in sorted(tables_dir.glob("*.csv")):
            if path.name not in known:
                problems.append(f"{path}: not a known table (expected one of {', '.join(sorted(known))})")
    return problems


def check_client(client: str, clients_dir: str | Path | None = None) -> list[str]:
    """Every problem found in a client folder, without stopping at the first file."""
    return inspect_client(client, clients_dir)[0]


def inspect_client(client: str, clients_dir: str | Path | None = None) -> tuple[list[str], Inspection]:
    """Every problem of a client folder, and what was read to find them (brief, import of the
    exports, template tables), so that a run loads the client without reading anything twice."""
    from helpers.client.brief import BriefError
    from helpers.client.imports import ExportError

    folder = client_dir(client, clients_dir)
    if not folder.is_dir():
        return [f"{folder}: client folder not found"], Inspection()
    problems: list[str] = []
    found = Inspection()
    try:
        found.brief = load_brief(folder / "brief.yaml")
    except BriefError as exc:
        problems.append(str(exc))
    logo = logo_problem(found.brief, folder) if found.brief else None
    if logo:
        problems.append(f"{folder / 'brief.yaml'}: {logo}")
    brief = found.brief
    try:
        found.imported = read_exports(
            folder, brief.client.timezone if brief else "UTC", brief.exports_ignore if brief else ()
        )
    except ExportError as exc:
        problems += exc.problems
    refused = bool(problems)
    problems += _check_tables(folder / "tables", found.tables)
    imported = found.imported
    has_posts = imported is not None and len(imported.tables.get("posts", [])) > 0
    if not refused and not has_posts and not (folder / "tables" / "posts.csv").is_file():
        problems.append(
            f"{folder}: no posts, neither in exports/ nor in tables/posts.csv: the audit needs posts"
        )
    return problems, found


def notices(found: Inspection, shown: int = 10) -> list[str]:
    """What a check says besides problems, about a client it accepts: files left out on purpose
    (``exports_ignore``), files read in another encoding than UTF-8, and the suspicious values the
    importers kept and flagged (the first ``shown`` of them, then how many more)."""
    imported = found.imported
    if imported is None:
        return []
    lines = [f"exports/{r.source}: {r.note}" for r in imported.files if r.note.startswith("ignored")]
    lines += [f"exports/{r.source}: {r.note}" for r in imported.files if "Windows-1252" in r.note]
    flags = imported.flags
    if len(flags):
        lines.append(
            f"{len(flags)} suspicious value(s) kept and flagged (listed in 01_observation's data quality):"
        )
        for flag in flags.head(shown).itertuples(index=False):
            value = f" ({flag.value!r})" if flag.value else ""
            lines.append(
                f"  exports/{flag.file}: row {flag.row}, column {flag.column!r}{value}: {flag.issue}"
            )
        if len(flags) > shown:
            lines.append(f"  and {len(flags) - shown} more")
    return lines


def cut_period(table: pd.DataFrame, column: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The rows whose ``column`` falls in ``start``..``end`` (both days included, times in UTC)."""
    if table.empty:
        return table
    values = table[column]
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    keep = (values >= pd.Timestamp(start)) & (values < pd.Timestamp(end) + pd.Timedelta(days=1))
    return table.loc[keep].reset_index(drop=True)
