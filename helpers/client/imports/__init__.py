"""Importing a client's export files into the canonical tables.

``import_paths`` reads every file given (folders are walked), recognises each by its content,
parses it, removes the rows that overlapping exports repeat (the newest export wins), and
returns the canonical tables with a report of what was read, skipped and flagged.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.client.imports.core import (
    Context,
    ExportError,
    Format,
    Grid,
    Sheet,
    check_shape,
    detect,
    make_grid,
    near_miss,
    read_sheets,
)
from helpers.client.imports.registry import FORMATS
from helpers.client.schemas import TABLES

__all__ = ["FORMATS", "ExportError", "FileReport", "ImportResult", "import_paths"]

#: Keys that identify a row across overlapping exports.
DEDUP_KEYS = {
    "posts": ("channel", "post_id"),
    "mentions": ("mention_id",),
    "followers": ("date", "channel", "account"),
    "audience": ("channel", "dimension", "value"),
    "visits": ("date", "channel", "account"),
    "activity": ("date", "hour", "channel", "account"),
    "account_daily": ("date", "channel", "account"),
}


@dataclass
class FileReport:
    """What happened to one sheet of one file."""

    source: str
    format: str  # format label, or "" when skipped
    table: str
    rows: int
    note: str = ""


@dataclass
class ImportResult:
    tables: dict[str, pd.DataFrame]
    files: list[FileReport]
    flags: pd.DataFrame
    duplicates: dict[str, int] = field(default_factory=dict)


def expand(paths: list[str | Path]) -> list[Path]:
    """Files of the given paths, folders walked in name order, hidden files left out."""
    files: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            files += sorted(p for p in item.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif item.is_file():
            files.append(item)
        else:
            raise ExportError(f"{item}: no such file or folder")
    return files


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A parser's output with the canonical columns, in order, and their types."""
    spec = TABLES[name]
    out = {}
    for col in spec.columns:
        values = (
            frame[col.name]
            if col.name in frame.columns
            else pd.Series([pd.NA] * len(frame), index=frame.index)
        )
        if col.kind == "int":
            values = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        elif col.kind == "float":
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        elif col.kind == "bool":
            values = values.astype("boolean")
        elif col.kind == "date":
            values = pd.to_datetime(values, errors="coerce").dt.tz_localize(None) if len(values) else values
            values = pd.to_datetime(values).dt.normalize() if len(values) else values
        elif col.kind == "datetime":
            values = pd.to_datetime(values, utc=True, errors="coerce")
        else:
            values = values.astype("string")
        out[col.name] = values
    return pd.DataFrame(out).reset_index(drop=True)


def _recency(frame: pd.DataFrame) -> pd.Timestamp:
    for column in ("published_at", "date"):
        if column in frame.columns and frame[column].notna().any():
            value = pd.Timestamp(frame[column].max())
            return value.tz_localize(None) if value.tzinfo else value
    return pd.Timestamp.min


#: Tables whose files each give some columns of the same rows (one file per metric): a repeated
#: key merges the rows, each column taking the newest export's known value.
MERGED = {"account_daily"}


def _dedupe(name: str, parts: list[pd.DataFrame]) -> tuple[pd.DataFrame, int]:
    """Concatenate, newest export first, and keep the first row of each key (for :data:`MERGED`
    tables, the newest known value of each column)."""
    ordered = sorted(parts, key=lambda f: (_recency(f), f.attrs.get("mtime", 0.0)), reverse=True)
    frame = pd.concat(ordered, ignore_index=True) if ordered else pd.DataFrame()
    keys = [k for k in DEDUP_KEYS.get(name, ()) if k in frame.columns]
    if not keys or frame.empty:
        return frame, 0
    if name in MERGED:
        merged = frame.groupby(keys, sort=False, dropna=False).first().reset_index()
        return merged[frame.columns], len(frame) - len(merged)
    kept = frame.drop_duplicates(keys, keep="first")
    return kept.reset_index(drop=True), len(frame) - len(kept)


def _import_sheet(
    sheet: Sheet, formats: list[Format], ctx: Context
) -> tuple[Format, pd.DataFrame | None, int] | None:
    """The sheet's format, its table (None for a file recognised but not used) and its rows."""
    found = detect(sheet, formats)
    if found is None:
        return None
    fmt, header_row = found
    near = None if fmt.name.startswith("template_") else near_miss(sheet, formats)
    if near is not None and len(near[0].signature) - len(near[1]) > len(fmt.signature):
        raise _damaged(sheet.source, *near)  # more of another export's titles than this one has
    grid = make_grid(sheet, header_row)
    check_shape(grid, fmt)
    frame = fmt.parse(grid, ctx)
    if not fmt.table:
        return fmt, None, len(grid.frame)
    validate(fmt.table, frame, grid)
    frame["source"] = sheet.source
    return fmt, frame, len(frame)


def validate(name: str, frame: pd.DataFrame, grid: Grid) -> None:
    """Required values present and choices known, or an error naming the file, row and column."""
    for col in TABLES[name].columns:
        if col.name not in frame.columns:
            if col.required and col.kind not in ("int", "float"):
                raise ExportError(f"{grid.source}: no column gives {name}.{col.name} (required)")
            continue
        values = frame[col.name]
        empty = values.isna() | values.astype(str).str.strip().isin(["", "nan", "None", "<NA>"])
        if col.required and col.kind not in ("int", "float") and empty.any():
            i = values.index[empty][0]
            raise ExportError(f"{grid.source}: row {grid.line(i)}: no value for {col.name} (required)")
        if col.choices:
            wrong = ~values.astype(str).isin(col.choices) & ~empty
            if wrong.any():
                i = values.index[wrong][0]
                raise ExportError(
                    f"{grid.source}: row {grid.line(i)}, column {col.name}: "
                    f"{values[i]!r} is not one of {', '.join(col.choices)}"
                )


def _matches(path: Path, patterns: tuple[str, ...], roots: list[Path]) -> str | None:
    """The first ``exports_ignore`` pattern naming ``path`` (its path under one of ``roots``, or
    its name), or None."""
    names = [path.name]
    for root in roots:
        if root.is_dir() and path.is_relative_to(root):
            names.append(path.relative_to(root).as_posix())
    for pattern in patterns:
        if any(fnmatch.fnmatch(name, pattern) for name in names):
            return pattern
    return None


def _damaged(source: str, fmt: Format, missing: list[str]) -> ExportError:
    return ExportError(
        f"{source}: looks like a {fmt.label} export, but its header lacks "
        f"{', '.join(repr(m) for m in missing)}: the download may be broken or the file edited; "
        "export it again"
    )


ENCODING_NOTE = "read as Windows-1252: the file is not UTF-8"
UNKNOWN = "no known export format"


def _import_file(
    path: Path,
    formats: list[Format],
    ctx: Context,
    parts: dict[str, list[pd.DataFrame]],
    reports: list[FileReport],
    strict: bool,
) -> None:
    """Read one file into ``parts`` and ``reports``; every problem of its sheets is raised at once."""
    ctx.exported = pd.Timestamp(path.stat().st_mtime, unit="s").date()
    ctx.container = str(path if path.suffix.lower() == ".zip" else path.parent)
    sheets = read_sheets(path)
    known, problems = False, []
    for sheet in sheets:
        try:
            result = _import_sheet(sheet, formats, ctx)
        except ExportError as exc:
            known = True
            problems += exc.problems
            continue
        if result is None:
            continue
        known = True
        fmt, frame, rows = result
        note = ENCODING_NOTE if sheet.encoding == "cp1252" else ""
        if frame is None:
            note = "; ".join(n for n in (f"recognised, not used: {fmt.unused}", note) if n)
            reports.append(FileReport(sheet.source, fmt.label, "", rows, note))
            continue
        frame = conform(fmt.table, frame)
        frame.attrs["mtime"] = path.stat().st_mtime
        parts.setdefault(fmt.table, []).append(frame)
        reports.append(FileReport(sheet.source, fmt.label, fmt.table, len(frame), note))
    if problems:
        raise ExportError("\n".join(problems), problems)
    if known:
        return
    near = next((found for found in (near_miss(s, formats) for s in sheets) if found), None)
    if near is not None:
        raise _damaged(path.name, *near)
    if strict:
        raise ExportError(
            f"{path.name}: {UNKNOWN}: its column titles match none of the exports the workbook reads "
            "(README, 'Exports'); if it is not meant to be read, name it in the brief's exports_ignore"
        )
    reports.append(FileReport(path.name, "", "", 0, f"skipped: {UNKNOWN}"))


def import_paths(
    paths: list[str | Path],
    tz: str = "UTC",
    formats: list[Format] | None = None,
    *,
    strict: bool = False,
    ignore: tuple[str, ...] | list[str] = (),
) -> ImportResult:
    """Read every export of ``paths`` into the canonical tables.

    Args:
        paths: files or folders.
        tz: the client's time zone, for timestamps written without one.
        formats: the formats to recognise (default: all of :data:`FORMATS`).
        strict: a readable file that no format recognises is an error (``check`` and ``run``:
            every file of ``exports/`` is read or refused); without it, it is reported as
            skipped (``workbook import``).
        ignore: glob patterns (the brief's ``exports_ignore``) of files left out on purpose,
            matched against the file's path under a folder of ``paths`` and against its name.

    Returns:
        The tables (only those some file fed), one report line per sheet read, skipped or
        ignored, the flagged values, and how many repeated rows each table lost.

    Raises:
        ExportError: a file is damaged, empty, binary, above the limits, undecodable, shaped
            unlike its header, a known format missing columns, or holds a value that cannot be
            read; every such file is named (``problems``: one message each); nothing is returned.
    """
    formats = list(formats or FORMATS)
    ctx = Context(tz=tz)
    parts: dict[str, list[pd.DataFrame]] = {}
    reports: list[FileReport] = []
    problems: list[str] = []
    roots = [Path(p) for p in paths]
    for path in expand(paths):
        pattern = _matches(path, tuple(ignore), roots)
        if pattern is not None:
            reports.append(FileReport(path.name, "", "", 0, f"ignored: exports_ignore {pattern!r}"))
            continue
        try:
            _import_file(path, formats, ctx, parts, reports, strict)
        except ExportError as exc:
            problems += exc.problems
    if problems:
        raise ExportError("\n".join(problems), problems)
    ctx.check_totals()
    tables, duplicates = {}, {}
    for name, frames in parts.items():
        tables[name], duplicates[name] = _dedupe(name, frames)
        tables[name] = conform(name, tables[name])
    flags = pd.DataFrame(ctx.flags, columns=["file", "row", "column", "table", "value", "issue"])
    return ImportResult(tables, reports, flags, duplicates)
