"""The run a run compares with: the client's previous successful run, or the one it names.

Agencies run a client's report every month. Each run compares with an earlier one (the *previous
run*): by default the newest run of the same client that succeeded before it, or the run named by
``workbook run CLIENT --since RUN-ID``; ``--since none`` compares with nothing. Notebooks read the
previous run's files through :meth:`helpers.run.context.Run.previous_load`, which the manifest
(:mod:`helpers.run.artefacts`, ``since_readers``) allows artefact by artefact, and never write there.

:func:`comparability` says what the two runs can be compared on: the windows of data each one
analysed (the same, overlapping, following or earlier), and the brief's KPI conventions that
changed between them (a rate computed another way is not compared).

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.client import snapshot
from helpers.run import state
from helpers.run.artefacts import file_of

#: The value of ``--since`` (and of the notebooks' ``since_dir``) that compares with no run.
NONE = "none"
#: The brief's KPI conventions (its ``kpi:`` section) that change what a figure means: a figure is
#: compared with the previous run's only when none of them changed.
CONVENTIONS: tuple[str, ...] = ("engagement_rate", "aggregation", "net_sentiment_neutral")
#: How the current window stands to the previous one.
RELATIONS: tuple[str, ...] = ("same", "overlapping", "following", "earlier")


class SinceError(ValueError):
    """The run to compare with cannot be used; the message names it and the runs that can."""


@dataclass(frozen=True)
class PreviousRun:
    """An earlier successful run of the same client, read only.

    Attributes:
        run_dir: its folder.
        run_id: its id (the folder's name).
        start, end: the period of data it analysed.
        conventions: its brief's KPI conventions (:data:`CONVENTIONS`).
        finished: when it finished (ISO 8601), as its ``run.json`` says.
    """

    run_dir: Path
    run_id: str
    start: dt.date
    end: dt.date
    conventions: dict[str, Any] = field(default_factory=dict)
    finished: str = ""


def _succeeded(run_dir: Path, client: str) -> dict | None:
    record = state.read_status(run_dir)
    if not record or record.get("status") != state.SUCCEEDED:
        return None
    if record.get("client") not in (None, client):
        return None
    return record


def candidates(client_reports: Path, client: str, before: str | None = None) -> list[Path]:
    """The client's successful run folders, oldest first, all made before the run ``before``
    (every one when None)."""
    runs = []
    for path, record in state.client_runs(Path(client_reports)):
        if record.get("status") != state.SUCCEEDED or record.get("client") not in (None, client):
            continue
        if before is not None and (state.run_key(path.name), path.name) >= (state.run_key(before), before):
            continue
        runs.append(path)
    return runs


def resolve(
    client_reports: Path, client: str, since: str | None = None, current: str | None = None
) -> Path | None:
    """The folder of the run to compare with, or None.

    Args:
        client_reports: the client's reports folder (``reports/<client>``).
        client: the client's name (a run of another client is never taken).
        since: ``None`` or ``""``: the newest successful run before ``current``; :data:`NONE`: no run;
            a run id (a folder of ``client_reports``) or the path of a run folder: that run.
        current: the id of the run comparing (runs made after it are not taken by default).

    Raises:
        SinceError: the named run does not exist, did not succeed, or belongs to another client; the
            message lists the runs that can be used.
    """
    if since is not None and str(since).strip().lower() == NONE:
        return None
    if not since:
        runs = candidates(client_reports, client, current)
        return runs[-1] if runs else None
    path = Path(since)
    if not path.is_absolute() and len(path.parts) == 1:
        path = Path(client_reports) / since
    if current is not None and path.name == current:
        raise SinceError(f"--since {since}: a run cannot compare with itself")
    if _succeeded(path, client) is None:
        usable = [p.name for p in candidates(client_reports, client, current)]
        why = "is not a run folder" if state.read_status(path) is None else "did not succeed"
        record = state.read_status(path) or {}
        if record.get("client") not in (None, client):
            why = f"is a run of another client ({record.get('client')})"
        listed = ", ".join(usable) if usable else "none yet"
        raise SinceError(
            f"--since {since}: {path} {why}; runs of {client} that can be compared with: {listed} "
            f"(or '--since {NONE}' to compare with nothing)"
        )
    return path


def previous_run(run_dir: str | Path) -> PreviousRun:
    """The earlier run in ``run_dir``, with its period and KPI conventions (from its snapshot).

    Raises:
        SinceError: the folder is not a successful run or its snapshot cannot be read.
    """
    run_dir = Path(run_dir)
    record = state.read_status(run_dir)
    if not record or record.get("status") != state.SUCCEEDED:
        raise SinceError(f"{run_dir}: not a successful run folder (its {file_of('status')} says otherwise)")
    try:
        meta = snapshot.read_meta(run_dir) or {}
    except snapshot.SnapshotError as exc:
        raise SinceError(f"{run_dir}: its snapshot cannot be read ({exc})") from None
    period = meta.get("period") or {}
    try:
        start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
    except (KeyError, TypeError, ValueError):
        raise SinceError(f"{run_dir}: its snapshot names no period; it cannot be compared with") from None
    kpi = ((meta.get("brief") or {}).get("kpi")) or {}
    conventions = {key: kpi.get(key) for key in CONVENTIONS}
    return PreviousRun(run_dir, run_dir.name, start, end, conventions, str(record.get("finished") or ""))


def comparability(previous: PreviousRun, start: dt.date, end: dt.date, conventions: dict[str, Any]) -> dict:
    """What the current run (``start``..``end``, its brief's ``conventions``) can compare with
    ``previous`` on.

    Returns:
        ``previous_run``, ``previous_start``, ``previous_end``, ``start``, ``end`` (ISO dates),
        ``relation`` (:data:`RELATIONS`), ``overlap_days`` (days both windows hold),
        ``changed_conventions`` (the :data:`CONVENTIONS` that differ, each ``{key, before, after}``)
        and ``comparable`` (no convention changed and the current window does not end before the
        previous one).
    """
    overlap = (min(end, previous.end) - max(start, previous.start)).days + 1
    if (start, end) == (previous.start, previous.end):
        relation = "same"
    elif end < previous.end:
        relation = "earlier"
    elif overlap > 0:
        relation = "overlapping"
    else:
        relation = "following"
    changed = [
        {"key": key, "before": previous.conventions.get(key), "after": conventions.get(key)}
        for key in CONVENTIONS
        if previous.conventions.get(key) != conventions.get(key)
    ]
    return {
        "previous_run": previous.run_id,
        "previous_start": previous.start.isoformat(),
        "previous_end": previous.end.isoformat(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "relation": relation,
        "overlap_days": max(overlap, 0),
        "changed_conventions": changed,
        "comparable": not changed and relation != "earlier",
    }


def describe(run_dir: Path | None) -> dict | None:
    """What ``inputs.json`` records of the run compared with: its id and folder."""
    if run_dir is None:
        return None
    return {"run_id": Path(run_dir).name, "path": str(Path(run_dir).resolve())}


def read_inputs_since(run_dir: Path) -> dict | None:
    """The run compared with, as a run's ``inputs.json`` records it (None: none or not recorded)."""
    try:
        inputs = json.loads((Path(run_dir) / file_of("inputs")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return inputs.get("since") if isinstance(inputs, dict) else None
