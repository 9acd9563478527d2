"""The agency's portfolio page: ``reports/index.html``, one row per client of the reports folder.

For every client folder under the reports folder it shows the date of the latest successful
run, a link to that run's ``index.html`` (through ``latest``), the status of its goals as
``07_tracking`` left them in ``tracking.csv`` (on track, at risk, missed, achieved), or the
number of goals ``04_smart_goals`` set in ``goals.json`` when tracking did not run, and a note
when a newer attempt failed or was interrupted. From the client's ``history.csv``
(:mod:`helpers.run.history`) it draws the headline KPIs over the last runs (:data:`TRENDS`, an
inline SVG sparkline of at most :data:`SPARK_RUNS` runs, with the change since the last run,
``up``/``down`` beyond the brief's ``analysis.change_threshold``) and the goals whose status
changed since the last run. A client without history, or with an unreadable one, shows no trend.
The page is self-contained (inline CSS, no script), every value is escaped, and it is replaced
atomically, so a reader never sees half a page. It is written after each ``workbook run`` and
each ``workbook batch``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

from helpers.client.loading import unguard_cell
from helpers.config import REPORTS_DIR, TEMPLATES_DIR
from helpers.report.i18n import LANGS, catalogue, fmt_date, fmt_percent, t
from helpers.run.artefacts import file_of
from helpers.run.history import BRAND_SCOPE, TOTAL_SCOPE

STATUSES: tuple[str, ...] = ("ahead", "on_track", "behind", "at_risk", "missed", "achieved", "unknown")
#: The KPIs the page draws over runs, as (KPI, scope) of the history: the whole community and the
#: brand's share of voice.
TRENDS: tuple[tuple[str, str], ...] = (("followers", TOTAL_SCOPE), ("share_of_voice", BRAND_SCOPE))
#: The runs a sparkline shows, at most.
SPARK_RUNS = 8
#: The sparkline's size in pixels (width, height).
SPARK_SIZE = (80, 20)


@dataclass
class Trend:
    """One KPI of a client over its last runs (numbers and codes; words at display time)."""

    kpi: str
    scope: str
    values: list[float]
    points: str
    last: float
    change: float
    direction: str


@dataclass
class ClientRow:
    """What the portfolio shows of one client."""

    folder: str
    name: str
    lang: str = ""
    latest_run: str = ""
    latest_date: dt.datetime | None = None
    href: str = ""
    goals: dict[str, int] = field(default_factory=dict)
    goal_count: int = 0
    attempt_status: str = ""
    attempt_date: dt.datetime | None = None
    trends: list[Trend] = field(default_factory=list)
    goal_changes: list[tuple[str, str, int]] = field(default_factory=list)


def _read_json(path: Path) -> dict | list | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _when(record: dict) -> dt.datetime | None:
    for key in ("finished", "started", "created"):
        value = record.get(key)
        if value:
            try:
                return dt.datetime.fromisoformat(str(value))
            except ValueError:
                continue
    return None


def _brief_of(run_dir: Path, folder: str) -> tuple[str, str]:
    """The client's display name and language, from the brief the run read (if still there)."""
    inputs = _read_json(run_dir / file_of("inputs")) or {}
    clients_dir = (inputs.get("parameters") or {}).get("clients_dir") if isinstance(inputs, dict) else None
    if clients_dir:
        try:
            raw = yaml.safe_load((Path(clients_dir) / folder / "brief.yaml").read_text(encoding="utf-8"))
            client = raw.get("client", {}) if isinstance(raw, dict) else {}
            return str(client.get("name") or folder), str(client.get("lang") or "")
        except (OSError, yaml.YAMLError, AttributeError):
            pass
    return folder, ""


def goal_statuses(run_dir: Path) -> tuple[dict[str, int], int]:
    """Goals per status from ``tracking.csv`` (07), and the number of goals (``goals.json``, 04)."""
    counts: dict[str, int] = {}
    tracking = run_dir / file_of("tracking")
    if tracking.is_file():
        with tracking.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                status = str(unguard_cell(row.get("status") or "unknown")).strip() or "unknown"
                counts[status] = counts.get(status, 0) + 1
    goals = _read_json(run_dir / file_of("goals"))
    total = len(goals) if isinstance(goals, list) else sum(counts.values())
    return counts, total


def _runs(client_dir: Path) -> list[tuple[Path, dict]]:
    """The client's runs, oldest first; one killed without recording its end shows (and is recorded)
    as interrupted (:func:`helpers.run.state.client_runs`)."""
    from helpers.run.state import client_runs

    return client_runs(client_dir)


def sparkline(values: list[float], size: tuple[int, int] = SPARK_SIZE) -> str:
    """The points of an SVG polyline drawing ``values`` (unknown ones skipped) in ``size``, scaled
    between their minimum and maximum (a flat line when they are equal); empty under two known."""
    width, height = size
    known = [(i, v) for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    if len(known) < 2:
        return ""
    low, high = min(v for _, v in known), max(v for _, v in known)
    step = (width - 2) / max(len(values) - 1, 1)
    spread = high - low
    return " ".join(
        f"{1 + i * step:.1f},{(height / 2 if spread == 0 else 1 + (height - 2) * (high - v) / spread):.1f}"
        for i, v in known
    )


def _change_threshold(run_dir: Path) -> float:
    """The brief's ``analysis.change_threshold`` the run read (its default when unknown)."""
    from helpers.client import snapshot
    from helpers.run.history import DEFAULT_CHANGE_THRESHOLD

    try:
        meta = snapshot.read_meta(run_dir) or {}
    except snapshot.SnapshotError:
        meta = {}
    value = ((meta.get("brief") or {}).get("analysis") or {}).get("change_threshold")
    return float(value) if isinstance(value, int | float) and value > 0 else DEFAULT_CHANGE_THRESHOLD


def history_trends(client_dir: Path, threshold: float) -> tuple[list[Trend], list[tuple[str, str, int]]]:
    """The client's :data:`TRENDS` over its last runs, and its goals' status changes since the last
    run (``(before, now, goals)``), from ``history.csv``; nothing when it is missing or unreadable."""
    from collections import Counter

    from helpers.run.history import HistoryError, history_path, read_history_file, trend_over_runs

    try:
        history = read_history_file(history_path(client_dir))
    except HistoryError:
        return [], []
    trends = []
    for kpi, scope in TRENDS:
        table = trend_over_runs(history, kpi, scope=scope, change_threshold=threshold, last=SPARK_RUNS)
        if len(table) < 2:
            continue
        values = [float(v) for v in table["value"]]
        last = table.iloc[-1]
        trends.append(Trend(kpi, scope, values, sparkline(values), float(last["value"]),
                            float(last["change"]), str(last["direction"])))  # fmt: skip
    runs = list(dict.fromkeys(history.loc[history["kind"] == "run", "run_id"]))
    changes: Counter = Counter()
    if len(runs) >= 2:
        goals = history[history["kind"] == "goal"]
        before = goals[goals["run_id"] == runs[-2]].set_index("key")["status"].dropna()
        now = goals[goals["run_id"] == runs[-1]].set_index("key")["status"].dropna()
        for key in before.index.intersection(now.index):
            if before[key] and now[key] and before[key] != now[key]:
                changes[(str(before[key]), str(now[key]))] += 1
    return trends, [(b, n, count) for (b, n), count in sorted(changes.items())]


def client_row(client_dir: Path) -> ClientRow | None:
    """The portfolio row of one client's reports folder, or None when it holds no run."""
    runs = _runs(client_dir)
    latest = client_dir / "latest"
    if not runs and not latest.is_dir():
        return None
    row = ClientRow(client_dir.name, client_dir.name)
    if latest.is_dir():
        target = latest.resolve()
        record = _read_json(target / file_of("status")) or {}
        row.latest_run, row.latest_date = target.name, _when(record)
        row.href = f"{client_dir.name}/latest/index.html"
        row.goals, row.goal_count = goal_statuses(target)
        row.name, row.lang = _brief_of(target, client_dir.name)
        row.trends, row.goal_changes = history_trends(client_dir, _change_threshold(target))
    elif runs:
        row.name, row.lang = _brief_of(runs[-1][0], client_dir.name)
    if runs and runs[-1][0].name != row.latest_run and runs[-1][1].get("status") != "succeeded":
        row.attempt_status = str(runs[-1][1].get("status") or "failed")
        row.attempt_date = _when(runs[-1][1])
    return row


def collect(reports_dir: Path) -> list[ClientRow]:
    """One row per client folder of the reports folder that holds at least one run."""
    if not reports_dir.is_dir():
        return []
    rows = []
    for path in sorted(reports_dir.iterdir(), key=lambda p: p.name.lower()):
        if path.is_dir() and not path.name.startswith((".", "_")):
            row = client_row(path)
            if row is not None:
                rows.append(row)
    return rows


def page_language(rows: list[ClientRow], lang: str | None = None) -> str:
    """``lang`` when given; else the briefs' language when they all share one; else English."""
    if lang in LANGS:
        return lang
    langs = {r.lang for r in rows if r.lang in LANGS}
    return langs.pop() if len(langs) == 1 else "en"


def render(rows: list[ClientRow], lang: str, now: dt.datetime | None = None) -> str:
    """The portfolio page's HTML."""
    now = now or dt.datetime.now(dt.UTC)
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR / "portfolio")),
        autoescape=select_autoescape(["html", "j2"], default=True),
    )
    css = (TEMPLATES_DIR / "client.css").read_text(encoding="utf-8")
    from helpers.kpis import KPIS
    from helpers.report.i18n import format_value

    return env.get_template("index.html.j2").render(
        lang=lang,
        kpi_name=lambda kpi: KPIS[kpi].name(lang),
        value=lambda kpi, v: format_value(kpi, v, lang),
        change=lambda v: fmt_percent(v, lang, 1, signed=True),
        spark_size=SPARK_SIZE,
        known=catalogue(lang),
        t=lambda key, **kw: t(key, lang, **kw),
        date=lambda value: fmt_date(value, lang) if value else "–",
        rows=rows,
        statuses=STATUSES,
        css=css,
        written=fmt_date(now, lang),
    )


def write_portfolio(reports_dir: str | Path | None = None, lang: str | None = None) -> Path:
    """Write (or refresh) ``<reports_dir>/index.html``; returns its path.

    Args:
        reports_dir: the folder of run folders (default ``reports``).
        lang: ``fr`` or ``en``; default: the briefs' common language, else English.
    """
    from helpers.run.state import clean_dead_temporary

    reports = Path(reports_dir) if reports_dir else REPORTS_DIR
    reports.mkdir(parents=True, exist_ok=True)
    clean_dead_temporary(reports)  # a page left half written by a process that was killed
    rows = collect(reports)
    page = render(rows, page_language(rows, lang))
    out = reports / "index.html"
    tmp = reports / f".index.html.{os.getpid()}.tmp"
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(out)
    finally:  # a failure (a full disk) leaves no temporary file
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return out
