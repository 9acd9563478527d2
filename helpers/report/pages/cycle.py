"""Since the last report: the findings' status in ``02_synthesis``, and the section of ``07_tracking``
that compares this run with the previous one (headline KPIs, goals, the last runs).

With no previous run (a client's first run, ``--since none``) every function here shows nothing at
all: no heading, no empty table, no summary line.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pandas as pd

from helpers import kpis
from helpers.method import cycle
from helpers.report import charts
from helpers.report.display import Block, Section, bullets, figure, heading, say, table
from helpers.report.i18n import fmt_date, fmt_list, fmt_number, fmt_percent, label, unknown, upper_first
from helpers.report.pages import tracking as tracking_page
from helpers.report.pages.common import finding, kpi_value
from helpers.run import history
from helpers.run.context import Run

#: The most runs the chart of the last runs shows (this one included).
MAX_RUNS = 12
#: The colour of each verdict on a KPI and of each finding's status (``templates/blocks.css``).
VERDICT_CSS = {"better": "wb-ok", "worse": "wb-bad", "resolved": "wb-ok", "lost": "wb-bad"}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def report_date(run: Run) -> str:
    """The date of the previous report (the day its run finished; its period's end when not recorded)."""
    previous = run.previous
    try:
        day = dt.datetime.fromisoformat(previous.finished).date()
    except (TypeError, ValueError):
        day = previous.end
    return fmt_date(day, run.lang)


# --------------------------------------------------------------------------- 02: findings
def finding_statuses(run: Run, ranked: list) -> pd.DataFrame | None:
    """Each finding's status since the last report (:func:`helpers.method.cycle.finding_status`),
    or None when there is no previous run or it saved no findings."""
    previous = run.previous_load("findings")
    if previous is None:
        return None
    return cycle.finding_status(previous, ranked)


def status_fmt(run: Run) -> Callable[[object], str]:
    """A column formatter for a finding's status since the last report."""
    return lambda v: run.t(f"cycle.status.{v}") if v in cycle.FINDING_STATUSES else ""


def findings_left(run: Run, findings: Section) -> Section:
    """The findings of the last report no longer found: each resolved one (a weakness or a threat)
    and each lost one (a strength or an opportunity), in the words of the last report.

    Args:
        findings: :func:`helpers.report.pages.synthesis.key_findings` (its ``data["since"]``).

    Returns:
        ``.table``: the gone findings' rows of the status table; nothing shown without a previous run.
    """
    status = findings.data.get("since")
    if status is None:
        return Section(Block(""), pd.DataFrame(columns=cycle.FINDING_COLUMNS))
    gone = status[status["status"].isin(["resolved", "lost"])]
    date = report_date(run)
    block = heading(run.t("cycle.left_title"), 3)
    if gone.empty:
        return Section(block + say(run.t("cycle.left_none", date=date)), gone)
    records = {str(f.get("id")): f for f in run.previous_load("findings") or []}
    items = [
        run.t(f"cycle.left_{r.status}", finding=finding(run, records[r.id]))
        for r in gone.itertuples()
        if r.id in records
    ]
    counts = gone["status"].value_counts()
    sentence = run.t(
        "cycle.left_say",
        resolved=int(counts.get("resolved", 0)),
        lost=int(counts.get("lost", 0)),
        date=date,
    )
    return Section(block + say(sentence) + bullets(items), gone)


def findings_summary(run: Run, status: pd.DataFrame | None) -> list[str]:
    """The executive summary's line on the findings since the last report ("3 new findings, 5 still
    open, 2 resolved and 0 lost since the report of ..."); none without a previous run."""
    if status is None:
        return []
    counts = status["status"].value_counts()
    values = {s: int(counts.get(s, 0)) for s in cycle.FINDING_STATUSES}
    return [run.t("cycle.summary", date=report_date(run), **values)]


# --------------------------------------------------------------------------- 07: the section
def _scope(run: Run, scope: str) -> str:
    if scope == history.BRAND_SCOPE:
        return run.brief.client.name
    if scope == history.TOTAL_SCOPE:
        return run.t("col.total")
    return label("channel", scope, run.lang)


def _kpi_name(run: Run, kpi: str) -> str:
    return run.kpi(kpi).name(run.lang) if kpi in kpis.KPIS else kpi


def _headline(run: Run, frame: pd.DataFrame | None) -> pd.DataFrame:
    """A run's ``kpis.csv`` as the history keeps it: headline KPIs per network, totals, the brand's."""
    rows = history.kpi_rows(frame, run.brief.client.name) if frame is not None else []
    return pd.DataFrame(rows, columns=["kpi", "variant", "scope", "value", "unit"])


def _change(run: Run, kpi: str, unit: str, value: float) -> str:
    """A change in the KPI's unit, signed; a rate's change in points."""
    if _missing(value):
        return unknown(run.lang)
    sign = "+" if value > 0 else ""
    if unit == "percent":
        return run.t("cycle.points", value=sign + fmt_number(value * 100, run.lang, 1))
    return sign + kpi_value(run, kpi, value)


def _windows(run: Run, comparison: dict) -> str:
    day = lambda iso: fmt_date(dt.date.fromisoformat(iso), run.lang)  # noqa: E731
    return run.t(
        f"cycle.windows_{comparison['relation']}",
        date=report_date(run),
        start=day(comparison["start"]),
        end=day(comparison["end"]),
        previous_start=day(comparison["previous_start"]),
        previous_end=day(comparison["previous_end"]),
        days=int(comparison["overlap_days"]),
    )


def _left_out(run: Run, changes: pd.DataFrame, comparison: dict) -> list[str]:
    """One sentence per reason some figures are not compared (the earlier window is the windows'
    own sentence)."""
    sentences = []
    conventions = fmt_list(
        [run.t(f"cycle.convention.{c['key']}") for c in comparison.get("changed_conventions") or []], run.lang
    )
    for reason in ("convention_changed", "variant_changed", "unit_changed"):
        rows = changes[changes["reason"] == reason]
        if rows.empty:
            continue
        names = upper_first(fmt_list([_kpi_name(run, k) for k in dict.fromkeys(rows["kpi"])], run.lang))
        sentences.append(run.t(f"cycle.reason.{reason}", kpis=names, conventions=conventions))
    return sentences


def _kpi_table(run: Run, changes: pd.DataFrame, threshold: float) -> Block:
    shown = changes[changes["comparable"]]
    if shown.empty:
        return Block("")
    rows = pd.DataFrame(
        {
            "kpi": [_kpi_name(run, k) for k in shown["kpi"]],
            "scope": [_scope(run, s) for s in shown["scope"]],
            "before": [kpi_value(run, r.kpi, r.before) for r in shown.itertuples()],
            "now": [kpi_value(run, r.kpi, r.now) for r in shown.itertuples()],
            "change": [_change(run, r.kpi, r.unit, r.change) for r in shown.itertuples()],
            "relative": [fmt_percent(v, run.lang, 1, True) for v in shown["relative"]],
            "verdict": list(shown["verdict"]),
        }
    )
    counts = shown["verdict"].value_counts()
    return (
        heading(run.t("cycle.kpis_title"), 3)
        + table(
            rows,
            {"verdict": lambda v: unknown(run.lang) if v == "unknown" else run.t(f"cycle.verdict.{v}")},
            {c: run.t(f"cycle.col.{c}") for c in rows.columns},
            note=run.t("cycle.kpis_note", threshold=fmt_percent(threshold, run.lang, 0)),
            classes={"verdict": lambda v: VERDICT_CSS.get(v, "")},
            lang=run.lang,
        )
        + say(
            run.t(
                "cycle.kpis_say",
                better=int(counts.get("better", 0)),
                worse=int(counts.get("worse", 0)),
                stable=int(counts.get("stable", 0)),
            )
        )
    )


def _goal_status(run: Run, before: str, now: str, presence: str) -> str:
    if presence == "new":
        return run.t("cycle.goal_new", status=label("status", now, run.lang))
    if presence == "dropped":
        return run.t("cycle.goal_dropped", status=label("status", before, run.lang))
    return f"{label('status', before, run.lang)} → {label('status', now, run.lang)}"


def _goal_table(run: Run, goals: pd.DataFrame) -> Block:
    if goals.empty:
        return Block("")
    value = lambda k, v: kpi_value(run, k, v) if k in kpis.KPIS else fmt_number(v, run.lang, 1)  # noqa: E731
    rows = pd.DataFrame(
        {
            "goal": list(goals["label"]),
            "kpi": [_kpi_name(run, k) for k in goals["kpi"]],
            "before": [value(r.kpi, r.before) for r in goals.itertuples()],
            "now": [value(r.kpi, r.now) for r in goals.itertuples()],
            "change": [
                _change(run, r.kpi, run.kpi(r.kpi).unit if r.kpi in kpis.KPIS else "", r.change)
                for r in goals.itertuples()
            ],
            "target": [value(r.kpi, r.target) for r in goals.itertuples()],
            "status": [
                _goal_status(run, r.status_before, r.status_now, r.presence) for r in goals.itertuples()
            ],
        }
    )
    counts = goals["presence"].value_counts()
    return (
        heading(run.t("cycle.goals_title"), 3)
        + table(rows, headers={c: run.t(f"cycle.col.{c}") for c in rows.columns}, lang=run.lang)
        + say(
            run.t(
                "cycle.goals_say",
                kept=int(counts.get("kept", 0)),
                new=int(counts.get("new", 0)),
                dropped=int(counts.get("dropped", 0)),
            )
        )
    )


def runs_over_time(run: Run, current: pd.DataFrame) -> pd.DataFrame:
    """The headline KPIs of the last :data:`MAX_RUNS` runs, this one last: the client's history
    (:func:`helpers.run.history.trend_over_runs`) and this run's own figures (``current``, as
    :func:`helpers.run.history.kpi_rows` gives them), per network (totals left out), only the
    figures computed as this run computes them (same variant).

    Returns:
        Columns ``run_id``, ``period_end``, ``kpi``, ``scope``, ``value``, oldest run first.
    """
    past = run.history()
    me = run.run_dir.name
    parts = []
    for key in history.HEADLINE_KPIS:
        trend = history.trend_over_runs(past, key, last=MAX_RUNS)
        trend = trend[trend["run_id"] != me].assign(kpi=key)
        parts.append(trend[["run_id", "period_end", "kpi", "scope", "variant", "value"]])
    mine = current.assign(run_id=me, period_end=run.end.isoformat())
    parts.append(mine[["run_id", "period_end", "kpi", "scope", "variant", "value"]])
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
    frame = frame[frame["scope"] != history.TOTAL_SCOPE]
    variant = dict(zip(mine["kpi"], mine["variant"].fillna(""), strict=False))
    frame = frame[frame["variant"].fillna("") == frame["kpi"].map(variant)]
    order = list(dict.fromkeys([r for r in frame["run_id"] if r != me] + [me]))[-MAX_RUNS:]
    frame = frame[frame["run_id"].isin(order)]
    rank = {r: i for i, r in enumerate(order)}
    frame = frame.assign(_rank=frame["run_id"].map(rank)).sort_values("_rank", kind="stable")
    return frame.drop(columns=["_rank", "variant"]).reset_index(drop=True)


def _runs_chart(run: Run, over: pd.DataFrame):
    """Small multiples: one panel per headline KPI, one line per network; None under 2 runs."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    runs = list(dict.fromkeys(over["run_id"]))
    if len(runs) < 2:
        return None
    names = [k for k in history.HEADLINE_KPIS if over.loc[over["kpi"] == k, "value"].notna().any()]
    if not names:
        return None
    ends = dict(zip(over["run_id"], over["period_end"], strict=False))
    ticks = [fmt_date(dt.date.fromisoformat(str(ends[r])), run.lang) if ends.get(r) else r for r in runs]
    cols = min(3, len(names))
    rows_ = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(rows_, cols, figsize=(3.6 * cols, 2.8 * rows_), squeeze=False)
    palette = charts.brand_palette(8)
    for ax, key in zip(axes.flat, names, strict=False):
        part = over[over["kpi"] == key].pivot_table(
            index="run_id", columns="scope", values="value", dropna=False
        )
        part = part.reindex(runs)
        for i, scope in enumerate(part.columns):
            ax.plot(range(len(runs)), part[scope].to_numpy(dtype=float), marker="o", ms=3, lw=2,
                    color=charts.CHANNEL_COLOURS.get(scope, palette[i % len(palette)]),
                    label=_scope(run, scope))  # fmt: skip
        ax.set_title(_kpi_name(run, key), fontsize=10)
        step = max(1, math.ceil(len(runs) / 4))
        ax.set_xticks(range(0, len(runs), step), [ticks[i] for i in range(0, len(runs), step)], fontsize=8)
        formatter = lambda v, _=None, k=key: kpi_value(run, k, v)  # noqa: E731
        ax.yaxis.set_major_formatter(FuncFormatter(formatter))
        ax.tick_params(axis="y", labelsize=8)
        if len(part.columns) > 1:
            ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    fig.suptitle(run.t("cycle.chart_title", n=len(runs)), x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.tight_layout()
    return fig


def since_last_report(run: Run) -> Section:
    """What changed since the last report: the two windows compared, each headline KPI
    (:func:`helpers.method.cycle.kpi_changes`, figures whose convention changed left out and named),
    each goal (:func:`helpers.method.cycle.goal_progress`) and the last runs' headline KPIs.

    Returns:
        ``.table``: the KPI changes (``since.csv``), empty without a previous run;
        ``.data["goals"]``: the goals' progress; ``.figure``: the last runs (None under two runs).
        Without a previous run nothing is shown at all.
    """
    comparison = run.comparison()
    if comparison is None:
        empty = pd.DataFrame(columns=cycle.KPI_COLUMNS)
        return Section(Block(""), empty, goals=pd.DataFrame(columns=cycle.GOAL_COLUMNS))
    threshold = run.settings().change_threshold
    current = _headline(run, run.load("kpis"))
    changes = cycle.kpi_changes(
        _headline(run, run.previous_load("kpis")),
        current,
        comparison,
        change_threshold=threshold,
        kpis=history.HEADLINE_KPIS,
    )
    goals = cycle.goal_progress(run.previous_load("tracking"), tracking_page.status_table(run))
    block = heading(run.t("cycle.title")) + say(
        _windows(run, comparison), *_left_out(run, changes, comparison)
    )
    block += _kpi_table(run, changes, threshold) + _goal_table(run, goals)
    fig = _runs_chart(run, runs_over_time(run, current))
    if fig is not None:
        block += figure(fig, run.t("cycle.chart_alt"), run.t("cycle.chart_note"))
    return Section(block, changes, fig, goals=goals)


def save(run: Run, since: Section) -> None:
    """``since.csv``: the KPI changes of :func:`since_last_report` (the header alone without a
    previous run)."""
    run.save("since", since.table)
