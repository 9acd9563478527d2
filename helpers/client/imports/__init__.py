"""Importing a client's export files into the canonical tables.

``import_paths`` reads every file given (folders are walked), recognises each by its content,
parses it, removes the rows that overlapping exports repeat (the newest export wins), and
returns the canonical tables with a report of what was read, skipped and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.client.imports.core import (
    Context,
    ExportError,
    Format,
    Grid,
    Sheet,
    detect,
    make_grid,
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
    grid = make_grid(sheet, header_row)
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


def import_paths(
    paths: list[str | Path], tz: str = "UTC", formats: list[Format] | None = None
) -> ImportResult:
    """Read every export of ``paths`` into the canonical tables.

    Args:
        paths: files or folders.
        tz: the client's time zone, for timestamps written without one.
        formats: the formats to recognise (default: all of :data:`FORMATS`).

    Returns:
        The tables (only those some file fed), one report line per sheet read or skipped,
        the flagged values, and how many repeated rows each table lost.

    Raises:
        ExportError: a file of a known format cannot be read; nothing is returned.
    """
    formats = list(formats or FORMATS)
    ctx = Context(tz=tz)
    parts: dict[str, list[pd.DataFrame]] = {}
    reports: list[FileReport] = []
    for path in expand(paths):
        ctx.exported = pd.Timestamp(path.stat().st_mtime, unit="s").date()
        ctx.container = str(path if path.suffix.lower() == ".zip" else path.parent)
        try:
            sheets = read_sheets(path)
        except ExportError as exc:
            reports.append(FileReport(path.name, "", "", 0, f"skipped: {exc}"))
            continue
        known = False
        for sheet in sheets:
            result = _import_sheet(sheet, formats, ctx)
            if result is None:
                continue
            known = True
            fmt, frame, rows = result
            if frame is None:
                note = f"recognised, not used: {fmt.unused}"
                reports.append(FileReport(sheet.source, fmt.label, "", rows, note))
                continue
            frame = conform(fmt.table, frame)
            frame.attrs["mtime"] = path.stat().st_mtime
            parts.setdefault(fmt.table, []).append(frame)
            reports.append(FileReport(sheet.source, fmt.label, fmt.table, len(frame)))
        if not known:
            reports.append(FileReport(path.name, "", "", 0, "skipped: no known export format"))
    ctx.check_totals()
    tables, duplicates = {}, {}
    for name, frames in parts.items():
        tables[name], duplicates[name] = _dedupe(name, frames)
        tables[name] = conform(name, tables[name])
    flags = pd.DataFrame(ctx.flags, columns=["file", "row", "column", "table", "value", "issue"])
    return ImportResult(tables, reports, flags, duplicates)
