"""Sections of ``07_tracking``: each goal's status, the ROI report, corrective actions."""

from __future__ import annotations

import pandas as pd

from helpers import kpis
from helpers.method import tracking as track
from helpers.report import charts
from helpers.report.display import Block, bullets, figure, heading, say, table
from helpers.report.i18n import fmt_money, fmt_percent, label
from helpers.report.pages.common import finding, headers, kpi_value, lab, num, pct
from helpers.run.context import Run


def statuses(run: Run) -> pd.DataFrame:
    goals = run.load("goals")
    return pd.DataFrame([track.goal_status(g, run.data.tables, run.brief, run.end) for g in goals])


def goals_table(run: Run, status: pd.DataFrame) -> Block:
    if status.empty:
        return heading(run.t("tracking.goals")) + say(run.t("goals.none"))
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
            "status": status["status"],
        }
    )
    css = {"on_track": "wb-ok", "achieved": "wb-ok", "at_risk": "wb-warn", "missed": "wb-bad"}
    counts = status["status"].value_counts()
    return (
        heading(run.t("tracking.goals"))
        + table(
            shown,
            {"status": lab(run, "status")},
            headers(run, shown.columns),
            classes={"status": lambda v: css.get(v, "")},
            note=run.t("tracking.status_note"),
        )
        + say(
            run.t(
                "tracking.say",
                n=len(status),
                on_track=int(counts.get("on_track", 0)),
                at_risk=int(counts.get("at_risk", 0)),
                missed=int(counts.get("missed", 0)),
            )
        )
    )


def roi(run: Run) -> tuple[pd.DataFrame, Block]:
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
    shown = table_.assign(channel=[label("channel", c, run.lang) for c in table_["channel"]])
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
    per_network = table_[table_["channel"] != "total"].set_index("channel")["roi"]
    best = per_network.idxmax()
    fig = charts.bars(
        per_network.sort_values(ascending=False),
        run.t(
            "tracking.roi_chart",
            network=label("channel", best, run.lang),
            roi=fmt_percent(per_network[best], run.lang, 0, True),
        ),
        run.kpi("roi").name(run.lang),
        lambda v: fmt_percent(v, run.lang, 0),
        highlight=best,
        labels=[label("channel", c, run.lang) for c in per_network.sort_values(ascending=False).index],
    )
    total = table_.iloc[-1]
    block = (
        heading(run.t("tracking.roi"))
        + table(
            shown,
            fmts,
            headers(run, shown.columns),
            note=run.t("tracking.roi_note", hourly=money(run.brief.budget.hourly_cost)),
        )
        + figure(
            fig,
            run.t("tracking.roi_alt"),
            run.t("tracking.roi_note", hourly=money(run.brief.budget.hourly_cost)),
        )
        + say(
            run.t(
                "tracking.roi_say",
                cost=money(total["cost"]),
                revenue=money(total["revenue"]),
                roi=fmt_percent(total["roi"], run.lang, 0, True),
                sqls=int(total["sqls"]),
            )
        )
    )
    return table_, block


def corrective_actions(run: Run, status: pd.DataFrame) -> tuple[list[str], Block]:
    """For each goal at risk or missed, the audit's opportunity that bears on it."""
    findings = run.load("findings")
    goals = {g["id"]: g for g in run.load("goals")}
    actions = []
    for row in status[status["status"].isin(["at_risk", "missed"])].itertuples():
        lever = track.lever_for(goals[row.id], findings, run.brief.channels)
        actions.append(
            run.t(
                "tracking.action",
                goal=row.label,
                forecast=kpi_value(run, row.kpi, row.forecast),
                target=kpi_value(run, row.kpi, row.target),
                lever=finding(run, lever) if lever else run.t("tracking.no_lever"),
            )
        )
    block = heading(run.t("tracking.actions")) + (
        bullets(actions) if actions else say(run.t("tracking.no_action"))
    )
    return actions, block


def save(run: Run, status: pd.DataFrame, roi_table: pd.DataFrame, actions: list[str]) -> None:
    run.save("tracking", status)
    run.save("roi", roi_table)
    lines = [
        run.t("tracking.summary_line", goal=r.label, status=label("status", r.status, run.lang))
        for r in status.itertuples()
    ]
    run.add_summary("goals", lines)
    run.add_summary("next_steps", actions or [run.t("tracking.no_action")])
    run.save_notes()
