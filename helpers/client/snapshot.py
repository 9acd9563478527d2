"""The client's data of one run, read once and kept in the run folder.

``workbook run`` validates and imports a client's folder once (:func:`helpers.client.loading.load_client`),
cuts the analysed period, and writes what it read into the run folder's ``tables/``:

* one Parquet file per canonical table (``posts.parquet``...), with the dtypes of
  :mod:`helpers.client.schemas` (nullable integers, UTC timestamps, strings), and the
  suspicious values the importers flagged (``flags.parquet``);
* ``snapshot.json``: the brief as validated, the period, the provenance of every input file
  (path, table, rows, bytes, SHA-256), what happened to each sheet of each export, the rows
  that overlapping exports repeated, and a cheap fingerprint of the client folder.

Every notebook then opens the run from these files, never from the raw exports, so the
exports are parsed and hashed once per run, and a run folder can be re-opened after the
client folder has moved on. A notebook opened by hand in JupyterLab (workspace mode) writes
the snapshot the first time and reuses it while the client folder's fingerprint (names, sizes
and modification times of ``brief.yaml``, ``exports/`` and ``tables/``) is unchanged.

The snapshot is written into a staging folder and renamed into place, so a failed write never
leaves half a snapshot behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.client.brief import Brief
from helpers.client.loading import FLAG_COLUMNS, ClientData, SourceFile, cut_period, load_client, write_json
from helpers.client.schemas import TABLES

#: Folder of the snapshot inside a run folder.
SNAPSHOT_DIR = "tables"
#: The snapshot's description file, inside :data:`SNAPSHOT_DIR`.
META_FILE = "snapshot.json"
#: Version of the snapshot layout; a snapshot of another version is read again from the client folder.
VERSION = 2

#: Which column of each table holds the time used to cut the analysed period (a campaign counts in
#: the period it was launched in).
PERIOD_COLUMNS = {
    "posts": "published_at",
    "mentions": "published_at",
    "care": "received_at",
    "leads": "date",
    "spend": "date",
    "competitors": "date",
    "followers": "date",
    "campaigns": "start",
}


class EmptyPeriodError(ValueError):
    """The analysed period holds no post: nothing to observe."""


class SnapshotError(ValueError):
    """A run folder's snapshot cannot be read; the message names the file and what is wrong."""


def fingerprint(folder: Path) -> list[list[Any]]:
    """Names, sizes and modification times of a client folder's inputs (cheap: nothing is read)."""
    paths = [folder / "brief.yaml"]
    for sub in ("exports", "tables"):
        if (folder / sub).is_dir():
            paths += sorted(p for p in (folder / sub).rglob("*") if p.is_file())
    out = []
    for path in paths:
        if path.is_file():
            stat = path.stat()
            out.append([path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns])
    return out


def cut(data: ClientData, start: dt.date, end: dt.date) -> ClientData:
    """The client's data restricted to ``start``..``end`` (both days included).

    Raises:
        EmptyPeriodError: no post falls in the period; the message gives the dates the posts cover.
    """
    posts = data.tables["posts"]
    tables = dict(data.tables)
    for name, column in PERIOD_COLUMNS.items():
        tables[name] = cut_period(tables[name], column, start, end)
    if tables["posts"].empty:
        covered = (
            f"the posts read cover {posts['published_at'].min():%Y-%m-%d} "
            f"to {posts['published_at'].max():%Y-%m-%d}"
            if not posts.empty
            else "no post was read at all"
        )
        raise EmptyPeriodError(
            f"{data.name}: no post between {start} and {end} ({covered}); check 'period' in brief.yaml "
            "or the notebook's period_start/period_end"
        )
    return replace(data, tables=tables)

def load_period(
    client: str,
    clients_dir: str | Path | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    **load: Any,
) -> tuple[ClientData, dt.date, dt.date]:
    """Read a client's folder (brief, exports, tables) and cut it to the period.

    The period defaults to the brief's; ``load`` goes to :func:`helpers.client.loading.load_client`
    (``inspected=`` when :func:`helpers.client.loading.inspect_client` read the folder already).
    Raises what ``load_client`` and :func:`cut` raise.
    """
    data = load_client(client, clients_dir, **load)
    start = start or data.brief.period.start
    end = end or data.brief.period.end
    return cut(data, start, end), start, end


def write(data: ClientData, run_dir: Path, start: dt.date, end: dt.date, origin: str) -> Path:
    """Write the (already cut) client data into ``run_dir/tables``, replacing any earlier snapshot.

    Args:
        data: the client's data for the period (see :func:`cut`).
        run_dir: the run folder.
        start, end: the period the tables were cut to.
        origin: ``"run"`` (written by ``workbook run``: reused as it is) or ``"workspace"``
            (written by a notebook opened by hand: reused while the client folder is unchanged).

    Returns:
        The snapshot folder.
    """
    target = run_dir / SNAPSHOT_DIR
    staging = run_dir / f".{SNAPSHOT_DIR}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        for name, table in data.tables.items():
            table.to_parquet(staging / f"{name}.parquet", index=False)
        flags = (data.flags if len(data.flags) else pd.DataFrame(columns=FLAG_COLUMNS)).astype("string")
        flags["row"] = pd.to_numeric(flags["row"], errors="coerce").astype("Int64")
        flags.to_parquet(staging / "flags.parquet", index=False)
        meta = {
            "version": VERSION,
            "client": data.name,
            "folder": str(data.folder.resolve()),
            "origin": origin,
            "period": {"start": start.isoformat(), "end": end.isoformat()},
            "brief": data.brief.model_dump(mode="json"),
            "sources": [
                {"path": str(s.path), "table": s.table, "rows": s.rows, "bytes": s.size, "sha256": s.sha256}
                for s in data.sources
            ],
            "imports": [_report_dict(r) for r in data.imports],
            "duplicates": {k: int(v) for k, v in data.duplicates.items()},
            "fingerprint": fingerprint(data.folder),
        }
        write_json(staging / META_FILE, meta)
        if target.exists():
            shutil.rmtree(target)
        staging.replace(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def _report_dict(report: Any) -> dict:
    return {k: getattr(report, k) for k in ("source", "format", "table", "rows", "note")}


def read_meta(run_dir: Path) -> dict | None:
    """The snapshot's description, or None when the run folder has no (readable, current) snapshot."""
    path = run_dir / SNAPSHOT_DIR / META_FILE
    if not path.is_file():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SnapshotError(
            f"{path}: not valid JSON ({exc}); delete the folder to read the client again"
        ) from None
    return meta if meta.get("version") == VERSION else None


def is_current(meta: dict | None, client: str, folder: Path, start: dt.date, end: dt.date) -> bool:
    """Whether a snapshot can serve a notebook: same client and period, and (for a workspace
    snapshot) a client folder that has not changed since it was written."""
    if meta is None or meta.get("client") != client:
        return False
    if meta["period"] != {"start": start.isoformat(), "end": end.isoformat()}:
        return False
    if meta.get("origin") == "run":
        return True
    return folder.is_dir() and meta.get("fingerprint") == fingerprint(folder)


def read(run_dir: Path, meta: dict | None = None) -> ClientData:
    """The client's data as :func:`write` stored it in ``run_dir/tables``."""
    from helpers.client.imports import FileReport

    folder = run_dir / SNAPSHOT_DIR
    meta = meta or read_meta(run_dir)
    if meta is None:
        raise SnapshotError(f"{folder / META_FILE}: no snapshot of the client's data in this run folder")
    tables = {}
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            raise SnapshotError(f"{path}: missing from the run's snapshot; run the series again")
        tables[name] = pd.read_parquet(path)
    brief = Brief.model_validate(meta["brief"])
    sources = [
        SourceFile(Path(s["path"]), s["table"], s["rows"], s["bytes"], s["sha256"]) for s in meta["sources"]
    ]
    data = ClientData(meta["client"], Path(meta["folder"]), brief, tables, sources)
    flags = pd.read_parquet(folder / "flags.parquet")
    data.flags = flags if len(flags) else pd.DataFrame(columns=FLAG_COLUMNS)
    data.imports = [FileReport(**r) for r in meta["imports"]]
    data.duplicates = dict(meta["duplicates"])
    return data
