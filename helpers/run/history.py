"""A client's history over runs: ``reports/<client>/history.csv``, one set of rows per successful run.

Each successful run adds, in long format (one figure a row, so a new KPI or a new goal never
changes the columns):

* one ``run`` row: the run's id, when it finished, its period and its language;
* ``kpi`` rows: the headline KPIs of ``kpis.csv`` (:data:`HEADLINE_KPIS`), per network, plus a
  ``total`` over the networks for the additive ones (:data:`ADDITIVE_KPIS`, only when every
  network's figure is known: unknown is never 0); the market KPIs (share of voice, net sentiment)
  for the client's own brand only, under the scope :data:`BRAND_SCOPE`;
* ``goal`` rows: each goal's actual value, target, expected value on its trajectory, deadline and
  status from ``tracking.csv`` (07), or its baseline and target from ``goals.json`` (04) when
  tracking did not run (status empty: not tracked).

The ``variant`` column keeps the brief's convention of a KPI (``impressions/ratio_of_sums``), so a
figure is compared only with figures of the same convention (:func:`trend_over_runs`).

The file is rewritten whole, through a temporary file renamed into place, under a lock on the
client's reports folder, sorted by run; a run id already there is never added twice. A failed or
interrupted run adds nothing (:func:`record_runs` reads only runs whose ``run.json`` says
succeeded). An older file missing optional columns is upgraded on reading; a file that is not a
history (unreadable, or missing ``run_id``, ``kind`` or ``key``) raises :class:`HistoryError`
naming the file and what to do.

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from helpers.client import snapshot
from helpers.client.loading import read_csv, write_csv
from helpers.config import REPORTS_DIR, check_client_name
from helpers.run import state
from helpers.run.artefacts import file_of

#: The history's file, in the client's reports folder (next to the run folders, not in one).
HISTORY_FILE = "history.csv"
#: The columns of the history, in order. ``run_id``, ``kind`` and ``key`` are required; the others
#: are added empty to an older file that lacks them.
COLUMNS: tuple[str, ...] = (
    "run_id", "finished", "period_start", "period_end", "lang", "kind", "key", "kpi", "variant",
    "scope", "value", "unit", "target", "expected", "baseline", "deadline", "status",
)  # fmt: skip
REQUIRED: tuple[str, ...] = ("run_id", "kind", "key")
#: The kinds of row.
KINDS: tuple[str, ...] = ("run", "kpi", "goal")
#: The headline KPIs of ``kpis.csv`` a history keeps (the others stay in each run's folder).
HEADLINE_KPIS: tuple[str, ...] = (
    "followers", "engagement_rate", "posts_per_week", "share_of_voice", "net_sentiment", "response_rate",
)  # fmt: skip
#: The KPIs measured per brand in ``kpis.csv`` (its scope is a brand's name, not a network).
BRAND_KPIS: tuple[str, ...] = ("share_of_voice", "net_sentiment")
#: The KPIs whose networks add up to a total (a count, a pace); a rate does not.
ADDITIVE_KPIS: tuple[str, ...] = ("followers", "posts_per_week")
#: The scope of the client's own brand for :data:`BRAND_KPIS`, and of the sum over networks.
BRAND_SCOPE, TOTAL_SCOPE = "brand", "total"
#: The directions of :func:`trend_over_runs`.
DIRECTIONS: tuple[str, ...] = ("up", "down", "stable", "not_comparable", "unknown")
#: The relative change between two runs below which a figure is ``stable`` when no threshold is
#: given: the default of the brief's ``analysis.change_threshold``.
DEFAULT_CHANGE_THRESHOLD = 0.15

_NUMERIC = ("value", "target", "expected", "baseline")


class HistoryError(ValueError):
    """A history file cannot be read or upgraded; the message names the file and what to do."""


def history_path(client_reports: Path) -> Path:
    """The history file of a client's reports folder."""
    return Path(client_reports) / HISTORY_FILE


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in _NUMERIC else "object") for c in COLUMNS})


def _upgrade(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``frame`` with every column of :data:`COLUMNS` (missing ones empty), extra columns kept after."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise HistoryError(
            f"{path}: not a run history (no column {', '.join(missing)}); move it aside and the next "
            "run rebuilds it from the run folders"
        )
    frame = frame.copy()
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = math.nan if column in _NUMERIC else None
    for column in _NUMERIC:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in ("run_id", "kind", "key"):
        frame[column] = frame[column].astype(str)
    unknown = sorted(set(frame["kind"]) - set(KINDS))
    if unknown:
        raise HistoryError(
            f"{path}: unknown kind {', '.join(map(repr, unknown))} (expected {', '.join(KINDS)}); "
            "move it aside and the next run rebuilds it from the run folders"
        )
    extra = [c for c in frame.columns if c not in COLUMNS]
    return frame[list(COLUMNS) + extra]


def read_history_file(path: str | Path) -> pd.DataFrame:
    """The history in ``path`` (an empty one when the file is not there), upgraded to :data:`COLUMNS`.

    Raises:
        HistoryError: the file is unreadable or is not a history.
    """
    path = Path(path)
    if not path.is_file():
        return _empty()
    try:
        frame = read_csv(path, dtype={"run_id": str, "key": str, "scope": str, "variant": str})
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise HistoryError(
            f"{path}: cannot be read as a CSV ({exc}); move it aside and the next run rebuilds it "
            "from the run folders"
        ) from None
    return _upgrade(frame, path)


def read_history(client: str, reports_dir: str | Path | None = None) -> pd.DataFrame:
    """A client's history over runs (one row per figure per run, oldest run first).

    Args:
        client: the client folder's name.
        reports_dir: the folder of run folders (default ``reports``).

    Raises:
        ClientNameError: ``client`` is not a folder name.
        HistoryError: the file is unreadable or is not a history.
    """
    client = check_client_name(client)
    reports = Path(reports_dir) if reports_dir is not None else REPORTS_DIR
    return read_history_file(history_path(reports / client))


# --------------------------------------------------------------------------- rows of one run
def _read_table(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    try:
        return read_csv(path, dtype={"scope": str, "variant": str, "id": str})
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def _brand_and_period(run_dir: Path) -> tuple[str | None, str, str]:
    try:
        meta = snapshot.read_meta(run_dir) or {}
    except snapshot.SnapshotError:
        meta = {}
    brand = ((meta.get("brief") or {}).get("client") or {}).get("name")
    period = meta.get("period") or {}
    return brand, str(period.get("start") or ""), str(period.get("end") or "")


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def kpi_rows(kpis: pd.DataFrame, brand: str | None) -> list[dict]:
    """The history rows of a run's ``kpis.csv`` (columns ``kpi``, ``variant``, ``scope``, ``value``,
    ``unit``): the headline KPIs per network, their totals, the own brand's market KPIs.

    Raises:
        HistoryError: a column is missing.
    """
    missing = [c for c in ("kpi", "scope", "value") if c not in kpis.columns]
    if missing:
        raise HistoryError(f"kpis table without column {', '.join(missing)}")
    kpis = kpis.assign(
        variant=kpis.get("variant", pd.Series("", index=kpis.index)).map(_text),
        unit=kpis.get("unit", pd.Series("", index=kpis.index)).map(_text),
        value=pd.to_numeric(kpis["value"], errors="coerce"),
        scope=kpis["scope"].map(_text),
    )
    rows = []
    for name in HEADLINE_KPIS:
        table = kpis[kpis["kpi"] == name]
        if name in BRAND_KPIS:
            table = table[table["scope"] == brand] if brand else table.iloc[0:0]
            table = table.assign(scope=BRAND_SCOPE)
        for item in table.itertuples(index=False):
            rows.append(dict(kind="kpi", key=name, kpi=name, variant=item.variant, scope=item.scope,
                             value=item.value, unit=item.unit))  # fmt: skip
        if name in ADDITIVE_KPIS and len(table) > 1:
            total = table["value"].sum() if table["value"].notna().all() else math.nan
            rows.append(dict(kind="kpi", key=name, kpi=name, variant=table["variant"].iloc[0],
                             scope=TOTAL_SCOPE, value=total, unit=table["unit"].iloc[0]))  # fmt: skip
    return rows


def goal_rows(tracking: pd.DataFrame | None, goals: list | None) -> list[dict]:
    """The history rows of a run's goals: ``tracking.csv`` (07) when it ran, else ``goals.json`` (04)."""
    rows = []
    if tracking is not None and "id" in tracking.columns:
        for record in tracking.to_dict("records"):
            rows.append(dict(
                kind="goal", key=_text(record.get("id")), kpi=_text(record.get("kpi")),
                scope=_text(record.get("scope")), value=record.get("actual"), target=record.get("target"),
                expected=record.get("expected"), baseline=record.get("baseline"),
                deadline=_text(record.get("deadline")), status=_text(record.get("status")) or "unknown",
            ))  # fmt: skip
        return rows
    for goal in goals or []:
        if isinstance(goal, dict) and goal.get("id"):
            rows.append(dict(
                kind="goal", key=str(goal["id"]), kpi=_text(goal.get("kpi")), scope=_text(goal.get("scope")),
                value=math.nan, target=goal.get("target"), baseline=goal.get("baseline"),
                deadline=_text(goal.get("deadline")), status="",
            ))  # fmt: skip
    return rows


def run_rows(run_dir: Path) -> pd.DataFrame:
    """The history rows of one run folder (a ``run`` row, then its KPIs and goals).

    Raises:
        HistoryError: the folder has no readable ``run.json``.
    """
    import json

    run_dir = Path(run_dir)
    record = state.read_status(run_dir)
    if record is None:
        raise HistoryError(f"{run_dir}: no readable {file_of('status')}; it is not a run folder")
    brand, start, end = _brand_and_period(run_dir)
    try:
        inputs = json.loads((run_dir / file_of("inputs")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        inputs = {}
    lang = str(((inputs.get("parameters") or {}) if isinstance(inputs, dict) else {}).get("lang") or "")
    try:
        goals = json.loads((run_dir / file_of("goals")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        goals = None
    rows = [dict(kind="run", key="run", status=str(record.get("status") or ""))]
    kpis = _read_table(run_dir / file_of("kpis"))
    if kpis is not None:
        rows += kpi_rows(kpis, brand)
    rows += goal_rows(_read_table(run_dir / file_of("tracking")), goals if isinstance(goals, list) else None)
    frame = pd.DataFrame(rows)
    frame = frame.assign(
        run_id=run_dir.name, finished=str(record.get("finished") or ""), period_start=start,
        period_end=end, lang=lang,
    )  # fmt: skip
    return _upgrade(frame, run_dir)


# --------------------------------------------------------------------------- writing
def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame["run_id"].map(lambda r: (*state.run_key(r), r))
    kind = frame["kind"].map({k: i for i, k in enumerate(KINDS)})
    return (
        frame.assign(_order=order, _kind=kind)
        .sort_values(["_order", "_kind"], kind="stable")
        .drop(columns=["_order", "_kind"])
        .reset_index(drop=True)
    )


def record_runs(client_reports: str | Path, run_ids: list[str] | None = None) -> list[str]:
    """Add to the client's history every successful run not in it yet; returns the run ids added.

    Args:
        client_reports: the client's reports folder (``reports/<client>``).
        run_ids: only these runs (default: every run folder of the client, so a run whose history
            could not be written, or runs older than the history, are added by the next one).

    Only runs whose ``run.json`` says ``succeeded`` are added (a failed, interrupted or running one
    adds nothing); a run id already in the file is skipped, so recording twice changes nothing.

    Raises:
        HistoryError: the existing file is unreadable or is not a history (it is left as it is).
        OSError: the file cannot be written (nothing is left half written).
    """
    client_reports = Path(client_reports)
    path = history_path(client_reports)
    with state._locked(client_reports):
        history = read_history_file(path)
        known = set(history["run_id"])
        if run_ids is None:
            candidates = [p for p, record in state.client_runs(client_reports)
                          if record.get("status") == state.SUCCEEDED]  # fmt: skip
        else:
            candidates = [client_reports / r for r in run_ids]
        added = []
        frames = [history] if len(history) else []
        for run_dir in candidates:
            if run_dir.name in known:
                continue
            record = state.read_status(run_dir)
            if not record or record.get("status") != state.SUCCEEDED:
                continue
            frames.append(run_rows(run_dir))
            added.append(run_dir.name)
        if added:
            write_csv(_sorted(pd.concat(frames, ignore_index=True)), path)
    return added


# --------------------------------------------------------------------------- reading trends
def trend_over_runs(
    history: pd.DataFrame,
    key: str,
    *,
    scope: str | None = None,
    kind: str = "kpi",
    change_threshold: float = DEFAULT_CHANGE_THRESHOLD,
    last: int | None = None,
) -> pd.DataFrame:
    """One figure (a KPI or a goal) run by run, with its change since the run before.

    Args:
        history: a history (:func:`read_history`).
        key: the KPI's name (``kind="kpi"``) or the goal's id (``kind="goal"``).
        scope: the network, :data:`TOTAL_SCOPE` or :data:`BRAND_SCOPE` (a KPI is kept per scope;
            None: every scope).
        kind: ``kpi`` or ``goal``.
        change_threshold: the relative change (0.15 = 15 %) from which a figure is ``up`` or
            ``down`` rather than ``stable`` (the brief's ``analysis.change_threshold``). The history
            holds each run's figure, not its posts: this is the change of the reported figure, not an
            interval verdict (:mod:`helpers.method.evidence` needs the posts of both windows).
        last: keep the last ``last`` runs per scope.

    Returns:
        Columns ``run_id``, ``finished``, ``period_start``, ``period_end``, ``scope``, ``variant``,
        ``value``, ``target``, ``status``, ``previous``, ``change`` (relative, NaN when unknown or not
        comparable), ``direction`` (:data:`DIRECTIONS`; ``not_comparable`` when the convention
        (``variant``) or the unit changed; ``unknown`` when either figure is unknown) and
        ``status_before`` (goals: the previous run's status), oldest run first per scope.

    Raises:
        ValueError: an unknown kind or a threshold that is not positive.
    """
    if kind not in ("kpi", "goal"):
        raise ValueError(f"kind must be 'kpi' or 'goal', got {kind!r}")
    if not change_threshold > 0:
        raise ValueError(f"change_threshold must be positive, got {change_threshold}")
    columns = ["run_id", "finished", "period_start", "period_end", "scope", "variant", "unit", "value",
               "target", "status"]  # fmt: skip
    out_columns = columns + ["previous", "change", "direction", "status_before"]
    table = history[(history["kind"] == kind) & (history["key"] == key)]
    if scope is not None:
        table = table[table["scope"].map(_text) == scope]
    if table.empty:
        return pd.DataFrame(columns=out_columns)
    table = _sorted(table)[columns].copy()
    for column in ("scope", "variant", "unit", "status"):
        table[column] = table[column].map(_text)
    parts = []
    for _, group in table.groupby("scope", sort=False):
        group = group.drop_duplicates("run_id", keep="last")
        if last is not None:
            group = group.tail(last)
        before = group.shift(1)
        group = group.assign(previous=before["value"], status_before=before["status"].fillna(""))
        comparable = (before["variant"] == group["variant"]) & (before["unit"] == group["unit"])
        group["change"] = [
            _relative(p, v) if ok else math.nan
            for p, v, ok in zip(group["previous"], group["value"], comparable, strict=True)
        ]
        pairs = zip(group["previous"], group["value"], group["change"], comparable, strict=True)
        group["direction"] = [_direction(p, v, c, ok, change_threshold) for p, v, c, ok in pairs]
        group.loc[group.index[0], "direction"] = "unknown"  # the first run has nothing before it
        parts.append(group)
    return pd.concat(parts, ignore_index=True)[out_columns]


def _relative(before: float, after: float) -> float:
    if pd.isna(before) or pd.isna(after) or before == 0:
        return math.nan
    return (after - before) / abs(before)


def _direction(before: float, after: float, change: float, comparable: bool, threshold: float) -> str:
    if pd.isna(before) or pd.isna(after):
        return "unknown"
    if not comparable:
        return "not_comparable"
    if pd.isna(change):  # from 0: any move counts
        return "stable" if after == before else ("up" if after > before else "down")
    if abs(change) < threshold:
        return "stable"
    return "up" if change > 0 else "down"
