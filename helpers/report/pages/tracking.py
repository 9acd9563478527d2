"""Sections of ``07_tracking``: each goal's status, the ROI report, corrective actions."""

from __future__ import annotations

import pandas as pd

from helpers import kpis
from helpers.method import actions as act
from helpers.method import tracking as track
from helpers.report import charts
from helpers.report.display import Section, bullets, figure, heading, say, table
from helpers.report.i18n import fmt_list, fmt_money, fmt_number, fmt_percent, label, lower_first, upper_first
from helpers.report.pages.common import action_text, headers, kpi_value, lab, num, pct
from helpers.run.context import Run

STATUS_COLUMNS = [
    "id",
    "label",
    "kpi",
    "scope",
    "target",
    "baseline",
    "deadline",
    "actual",
    "expected",
    "forecast",
    "forecast_low",
    "forecast_high",
    "gap",
    "status",
]
#: The colour of each goal status (``templates/blocks.css``).
STATUS_CSS = {
    "on_track": "wb-ok",
    "achieved": "wb-ok",
    "reached": "wb-ok",
    "at_risk": "wb-warn",
    "missed": "wb-bad",
}


def statuses(run: Run) -> Section:
    """Where each goal of ``goals.json`` stands at the date of the latest data
    (:func:`helpers.method.tracking.goal_status`): its latest value, where the straight path from
    the baseline to the target expects it (for reference), the trend's forecast at the deadline
    with its prediction interval at the brief's ``analysis.confidence``, and its status (target
    reached, on track, at risk, achieved, missed, or unknown without data): the forecast decides.

    Returns:
        ``.table``: one row per goal (id, label, KPI, scope, target, baseline, deadline, actual,
        expected, forecast and its interval, gap to the target, status), which ``tracking.csv``
        holds.
    """
    goals = run.load("goals")
    status = pd.DataFrame(
        [track.goal_status(g, run.data.tables, run.brief, run.end) for g in goals], columns=STATUS_COLUMNS
    )
    if status.empty:
        return Section(heading(run.t("tracking.goals")) + say(run.t("goals.none")), status)
    shown = pd.DataFrame(
        {
            "goal": status["label"],
            "kpi": [run.kpi(k).name(run.lang) if k in kpis.KPIS else k for k in status["kpi"]],
            "scope": [label("channel", s, run.lang) for s in status["scope"]],
            "actual": [kpi_value(run, k, v) for k, v in zip(status["kpi"], status["actual"], strict=True)],
            "expected": [
                kpi_value(run, k, v) for k, v in zip(status["kpi"], status["expected"], strict=True)
            ],
            "target": [kpi_value(run, k, v) for k, v in zip(status["kpi"], status["target"], strict=True)],
            "forecast": [
                kpi_value(run, k, v) for k, v in zip(status["kpi"], status["forecast"], strict=True)
            ],
            "prediction_interval": [
                _range(run, r.kpi, r.forecast_low, r.forecast_high) for r in status.itertuples()
            ],
            "status": status["status"],
        }
    )
    counts = status["status"].value_counts()
    block = (
        heading(run.t("tracking.goals"))
        + table(
            shown,
            {"status": lab(run, "status")},
            headers(run, shown.columns),
            classes={"status": lambda v: STATUS_CSS.get(v, "")},
            note=run.t("tracking.status_note", level=fmt_percent(run.brief.analysis.confidence, run.lang, 0)),
            lang=run.lang,
        )
        + say(
            run.t(
                "tracking.say",
                n=len(status),
                reached=int(counts.get("reached", 0)),
                on_track=int(counts.get("on_track", 0)),
                at_risk=int(counts.get("at_risk", 0)),
                missed=int(counts.get("missed", 0)),
            )
        )
    )
    return Section(block, status)


def _range(run: Run, kpi: str, low: float, high: float) -> str:
    """A prediction interval as ``low – high`` in the KPI's unit; unknown when a bound is."""
    if pd.isna(low) or pd.isna(high):
        return kpi_value(run, kpi, float("nan"))  # the unknown mark
    return f"{kpi_value(run, kpi, low)} – {kpi_value(run, kpi, high)}"


def roi(run: Run) -> Section:
    """What the work brought per network and in total over the period
    (:func:`helpers.method.tracking.roi_table`): cost = team hours × the brief's
    ``budget.hourly_cost`` + money spent; return = revenue the CRM attributes to the network;
    ROI = (return − cost) / cost; with reach, followers gained, leads and SQLs.

    A figure a network does not give (reach on LinkedIn or X, hours nobody logged) reads ``n/a``,
    never 0, and the table's note says what each total covers ("reach: total over Facebook and
    Instagram; unknown for LinkedIn and X").

    Returns:
        ``.table``: one row per network and a ``total`` row, which ``roi.csv`` holds;
        ``.figure``: the ROI per network (``None`` when no network's ROI is known).
    """
    table_ = track.roi_table(
        run.table("spend"),
        run.table("leads"),
        run.table("posts"),
        run.table("followers"),
        run.brief.budget.hourly_cost,
        run.brief.channels,
        run.start,
        run.end,
    )
    money = lambda v: fmt_money(v, run.lang, run.brief.client.currency)  # noqa: E731
    shown = table_.assign(
        channel=[
            run.t("col.total") if c == "total" else label("channel", c, run.lang) for c in table_["channel"]
        ]
    )
    fmts = {
        "hours": num(run),
        "time_cost": money,
        "money": money,
        "cost": money,
        "reach": num(run),
        "followers_gained": num(run),
        "follower_growth": pct(run, 1, True),
        "leads": num(run),
        "sqls": num(run),
        "revenue": money,
        "roi": pct(run, 0, True),
    }
    partial = [
        run.t(
            "tracking.reach_partial",
            network=label("channel", channel, run.lang),
            known=fmt_number(known, run.lang),
            posts=fmt_number(posts, run.lang),
        )
        for channel, (known, posts) in track.partial_reach(run.table("posts"), run.brief.channels).items()
    ]
    note = " ".join(
        [
            run.t("tracking.roi_note", hourly=money(run.brief.budget.hourly_cost)),
            *coverage_notes(run, table_),
            *partial,
        ]
    )
    per_network = table_[table_["channel"] != "total"].set_index("channel")["roi"].dropna()
    block = heading(run.t("tracking.roi")) + table(
        shown, fmts, headers(run, shown.columns), note=note, lang=run.lang
    )
    fig = None
    if len(per_network):
        best = per_network.idxmax()
        ranked = per_network.sort_values(ascending=False)
        fig = charts.bars(
            ranked,
            run.t(
                "tracking.roi_chart",
                network=label("channel", best, run.lang),
                roi=fmt_percent(per_network[best], run.lang, 0, True),
            ),
            run.kpi("roi").name(run.lang),
            lambda v: fmt_percent(v, run.lang, 0),
            highlight=best,
            labels=[label("channel", c, run.lang) for c in ranked.index],
        )
        block += figure(
            fig,
            run.t("tracking.roi_alt"),
            run.t("tracking.roi_note", hourly=money(run.brief.budget.hourly_cost)),
        )
    return Section(block + say(_roi_sentence(run, table_, money)), table_, fig)


def coverage_notes(run: Run, table_: pd.DataFrame) -> list[str]:
    """One sentence per group of totals that leave networks out: ``Reach: total over Facebook and
    Instagram; unknown for LinkedIn and X.`` (:func:`helpers.method.tracking.total_coverage`)."""
    networks = [c for c in table_["channel"] if c != "total"]
    groups: dict[tuple[str, ...], list[str]] = {}
    for column, missing in track.total_coverage(table_).items():
        groups.setdefault(tuple(missing), []).append(column)
    notes = []
    for missing, columns in groups.items():
        known = [label("channel", c, run.lang) for c in networks if c not in missing]
        names = upper_first(fmt_list([lower_first(run.t(f"col.{c}")) for c in columns], run.lang))
        unknown_ = fmt_list([label("channel", c, run.lang) for c in missing], run.lang)
        if known:
            notes.append(
                run.t(
                    "tracking.total_covers", columns=names, known=fmt_list(known, run.lang), unknown=unknown_
                )
            )
        else:
            notes.append(run.t("tracking.total_unknown", columns=names))
    return notes


def _roi_sentence(run: Run, table_: pd.DataFrame, money) -> str:
    """The period's cost, revenue, SQLs and ROI, over the networks whose cost and revenue are both
    known (named when that is not every network)."""
    networks = table_[table_["channel"] != "total"]
    both = networks[networks["cost"].notna() & networks["revenue"].notna()]
    if both.empty:
        return run.t("tracking.roi_say_unknown")
    sqls = both["sqls"].astype("float64").sum()
    values = {
        "cost": money(both["cost"].sum()),
        "revenue": money(both["revenue"].sum()),
        "roi": fmt_percent(kpis.roi(both["revenue"].sum(), both["cost"].sum()), run.lang, 0, True),
        "sqls": int(sqls),
    }
    if len(both) == len(networks):
        return run.t("tracking.roi_say", **values)
    names = fmt_list([label("channel", c, run.lang) for c in both["channel"]], run.lang)
    return run.t("tracking.roi_say_partial", networks=names, **values)


def corrective_actions(run: Run, status: Section) -> Section:
    """For each goal of :func:`statuses` that needs one (at risk, missed or uncertain), an action
    (:func:`helpers.method.actions.corrective_action`): a verb, the network, a date inside the
    plan, the goal it serves and the figure behind it, that network's own (its best slot of
    ``slots.csv``, its format the plan grows in ``format_mix.csv``, or the goal's own figures for
    care and leads); a goal no rule fits gets no action, never "review with the team".

    Returns:
        ``.table``: one row per action (goal, status, verb, what, network, by, source, and the
        figure's numbers), which ``actions.json`` holds as records; ``.data["actions"]``: the
        actions as sentences, for the summary; ``.data["records"]``: the actions as data.
    """
    findings = run.load("findings")
    goals = {g["id"]: g for g in run.load("goals")}
    slots, mix = run.load("slots"), run.load("format_mix")
    records, lines, rows = [], [], []
    table_ = status.table
    for row in table_[table_["status"].isin(act.NEEDS_ACTION)].to_dict("records"):
        action = act.corrective_action(row, goals[row["id"]], findings, run.brief, slots, mix)
        if action is None:
            continue
        record = action.record()
        records.append({"status": row["status"], **record})
        lines.append(action_text(run, action))
        rows.append(
            {
                "goal": action.goal,
                "status": row["status"],
                "verb": action.verb,
                "what": action.what,
                "network": action.network,
                "by": action.by,
                "source": action.source,
            }
        )
    block = heading(run.t("tracking.actions")) + (
        bullets(lines) if lines else say(run.t("tracking.no_action"))
    )
    frame = pd.DataFrame(rows, columns=["goal", "status", "verb", "what", "network", "by", "source"])
    return Section(block, frame, actions=lines, records=records)


def save(run: Run, status: Section, roi: Section, actions: Section) -> None:
    """``tracking.csv`` from :func:`statuses`, ``roi.csv`` from :func:`roi`, ``actions.json`` from
    :func:`corrective_actions`, and the summary's lines: each goal's status and the corrective
    actions."""
    run.save("tracking", status.table)
    run.save("roi", roi.table)
    run.save("actions", actions.data["records"])
    lines = [
        run.t("tracking.summary_line", goal=r.label, status=label("status", r.status, run.lang))
        for r in status.table.itertuples()
    ]
    run.add_summary("goals", lines)
    run.add_summary("next_steps", actions.data["actions"] or [run.t("tracking.no_action")])
    run.save_notes()
