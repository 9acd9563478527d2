"""Sections of ``07_tracking``: each goal's status, the ROI report, corrective actions."""

from __future__ import annotations

import pandas as pd

from helpers import kpis
from helpers.method import actions as act
from helpers.method import campaigns as camp
from helpers.method import tracking as track
from helpers.method.trajectory import STATUSES
from helpers.report import charts
from helpers.report.display import Block, Section, bullets, figure, heading, say, table
from helpers.report.i18n import (
    fmt_date,
    fmt_list,
    fmt_money,
    fmt_number,
    fmt_percent,
    label,
    lower_first,
    upper_first,
)
from helpers.report.pages.common import action_text, headers, kpi_note, kpi_value, lab, method_link, num, pct
from helpers.report.pages.replanning import planning_brief
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
    "trajectory_expected",
    "trajectory_gap",
    "trajectory_noise",
    "months_tracked",
    "status",
]
#: The colour of each goal status (``templates/blocks.css``).
STATUS_CSS = {
    "on_track": "wb-ok",
    "ahead": "wb-ok",
    "behind": "wb-warn",
    "achieved": "wb-ok",
    "reached": "wb-ok",
    "at_risk": "wb-warn",
    "missed": "wb-bad",
}


def status_table(run: Run) -> pd.DataFrame:
    """One row per goal of ``goals.json`` with its status (:func:`helpers.method.tracking.goal_status`),
    computed once per run: the section "since the last report" and :func:`statuses` both read it."""

    def compute() -> pd.DataFrame:
        goals = run.load("goals")
        rows = [track.goal_status(g, run.data.tables, run.brief, run.end) for g in goals]
        return pd.DataFrame(rows, columns=STATUS_COLUMNS)

    return run.cached(("goal_statuses",), compute)


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
    status = status_table(run)
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
                # the trajectory's statuses (ahead, behind) counted too once a goal has them
                "trajectory.statuses_say" if counts.get("ahead") or counts.get("behind") else "tracking.say",
                n=len(status),
                **{s: int(counts.get(s, 0)) for s in ("reached", "on_track", "at_risk", "missed", *STATUSES)},
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
            kpi_note(run, "roi"),
            method_link(run, "roi"),
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
        block += figure(fig, run.t("tracking.roi_alt"), kpi_note(run, "roi"))
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


def campaigns(run: Run, roi: Section) -> Section:
    """Influencer campaigns (the optional ``campaigns`` table), beside the networks' own ROI.

    Per campaign, influencer and network (:func:`helpers.method.campaigns.campaign_table`): cost,
    reach, interactions, clicks, leads, revenue, cost per engagement, per click and per lead, and
    ROI = (revenue − cost) / cost; a subtotal for a campaign run with several influencers and a
    total over every campaign, each total's note naming the campaigns it leaves out (a figure
    their tracking did not give). Below, the campaigns' total beside each network's own ROI and
    cost per lead from :func:`roi` (team hours and money spent against the revenue the CRM
    attributes: paid and organic work), so the strategist sees whether influence pays better.

    Args:
        roi: the section :func:`roi` computed (its table is reused, not computed again).

    Returns:
        ``.table``: the campaign rows, subtotals and total (``campaigns.csv``), empty when the
        client has no campaign in the period, and then no heading either (a client without
        the table gets no empty section); ``.data["beside"]``: the comparison with the
        networks; ``.figure``: each campaign's and each network's ROI (``None`` when none is known).
    """
    table_ = camp.campaign_table(run.table("campaigns"))
    if table_.empty:
        return Section(Block(""), table_, beside=pd.DataFrame(columns=camp.BESIDE_COLUMNS))
    beside = camp.beside_networks(table_, roi.table)
    money = lambda v: fmt_money(v, run.lang, run.brief.client.currency)  # noqa: E731
    block = heading(run.t("tracking.campaigns.title")) + table(
        _campaign_rows(run, table_),
        headers={c: run.t(f"tracking.campaigns.col_{c}") for c in _CAMPAIGN_SHOWN},
        note=" ".join(
            [run.t("tracking.campaigns.note"), *_campaign_coverage(run, table_), kpi_note(run, "roi")]
        ),
        lang=run.lang,
    )
    shown = beside.assign(
        source=[_beside_name(run, r.kind, r.source) for r in beside.itertuples()],
        cost=beside["cost"].map(money),
        leads=beside["leads"].map(num(run)),
        revenue=beside["revenue"].map(money),
        cost_per_lead=[
            run.t("tracking.campaigns.none") if leads == 0 else money(v)
            for v, leads in zip(beside["cost_per_lead"], beside["leads"], strict=True)
        ],
        roi=beside["roi"].map(pct(run, 0, True)),
    ).drop(columns="kind")
    block += heading(run.t("tracking.campaigns.beside"), 3) + table(
        shown,
        headers={c: run.t(f"tracking.campaigns.col_{c}") for c in shown.columns},
        note=run.t("tracking.campaigns.beside_note") + " " + method_link(run, "roi"),
        lang=run.lang,
    )
    fig = _campaign_chart(run, table_, roi.table)
    if fig is not None:
        block += figure(fig, run.t("tracking.campaigns.alt"), kpi_note(run, "roi"))
    return Section(block + say(_campaign_sentence(run, beside, money)), table_, fig, beside=beside)


#: The columns of the campaigns' table as 07 shows it.
_CAMPAIGN_SHOWN = [
    "campaign",
    "influencer",
    "network",
    "dates",
    "cost",
    "reach",
    "interactions",
    "clicks",
    "leads",
    "revenue",
    "cost_per_engagement",
    "cost_per_click",
    "cost_per_lead",
    "roi",
]


def _campaign_rows(run: Run, table_: pd.DataFrame) -> pd.DataFrame:
    """The campaigns' table in words: dates, money, counts, and "none" for a cost per X whose X
    is 0 (the campaign brought none) where an unknown X reads n/a."""
    money = lambda v, d=0: fmt_money(v, run.lang, run.brief.client.currency, d)  # noqa: E731
    rows = []
    for r in table_.itertuples(index=False):
        name = {
            "row": r.campaign,
            "campaign": run.t("tracking.campaigns.subtotal", campaign=r.campaign),
            "total": run.t("col.total"),
        }[r.level]
        row = {
            "campaign": name,
            "influencer": r.influencer if r.level == "row" else "",
            "network": label("channel", r.network, run.lang) if r.level == "row" else "",
            "dates": f"{fmt_date(r.start, run.lang)} – {fmt_date(r.end, run.lang)}",
            "cost": money(r.cost),
            **{c: fmt_number(getattr(r, c), run.lang) for c in ("reach", "interactions", "clicks", "leads")},
            "revenue": money(r.revenue),
            "roi": fmt_percent(r.roi, run.lang, 0, True),
        }
        for ratio, count in camp.COSTS_PER.items():
            none = getattr(r, count) == 0
            row[ratio] = run.t("tracking.campaigns.none") if none else money(getattr(r, ratio), 2)
        rows.append(row)
    return pd.DataFrame(rows, columns=_CAMPAIGN_SHOWN)


def _campaign_coverage(run: Run, table_: pd.DataFrame) -> list[str]:
    """One sentence per group of total ratios that leave campaigns out (their figure unknown)."""
    groups: dict[tuple[int, ...], list[str]] = {}
    for ratio, missing in camp.total_coverage(table_).items():
        groups.setdefault(tuple(missing), []).append(ratio)
    notes = []
    for missing, ratios in groups.items():
        names = [f"{table_.loc[i, 'campaign']} ({table_.loc[i, 'influencer']})" for i in missing]
        what = upper_first(
            fmt_list([lower_first(run.t(f"tracking.campaigns.col_{c}")) for c in ratios], run.lang)
        )
        notes.append(run.t("tracking.campaigns.covers", columns=what, left=fmt_list(names, run.lang)))
    return notes


def _beside_name(run: Run, kind: str, source: str) -> str:
    if kind == "network":
        return label("channel", source, run.lang)
    return run.t(f"tracking.campaigns.{kind}")


def _campaign_chart(run: Run, table_: pd.DataFrame, roi_table: pd.DataFrame):
    """Bars: each campaign row's ROI and each network's own, the campaigns highlighted."""
    rows = table_[(table_["level"] == "row") & table_["roi"].notna()]
    networks = roi_table[(roi_table["channel"] != "total") & roi_table["roi"].notna()]
    if rows.empty:
        return None
    names = [f"{r.campaign} · {r.influencer}" for r in rows.itertuples()]
    values = pd.Series(
        [*rows["roi"].astype(float), *networks["roi"].astype(float)],
        index=[*names, *(f"network:{c}" for c in networks["channel"])],
    ).sort_values(ascending=False)
    labels = [
        label("channel", k.removeprefix("network:"), run.lang) if k.startswith("network:") else k
        for k in values.index
    ]
    best = values.index[0]
    fig = charts.bars(
        values,
        run.t("tracking.campaigns.chart", best=labels[0], roi=fmt_percent(values[best], run.lang, 0, True)),
        run.kpi("roi").name(run.lang),
        lambda v: fmt_percent(v, run.lang, 0),
        labels=labels,
    )
    colour = charts.brand_colour()
    for patch, key in zip(fig.axes[0].patches, values.index[::-1], strict=True):
        patch.set_color("#b8c0c8" if key.startswith("network:") else colour)
    return fig


def _campaign_sentence(run: Run, beside: pd.DataFrame, money) -> str:
    """Whether influence pays better than the networks' own work, with both ROIs and what each
    covers; or what is missing to say it."""
    influence, networks, verdict = camp.influence_pays(beside)
    total = beside[beside["kind"] == "influence"].iloc[0]
    if pd.isna(influence):
        return run.t("tracking.campaigns.say_unknown", cost=money(total["cost"]))
    if verdict == "unknown":
        roi = fmt_percent(influence, run.lang, 0, True)
        return run.t("tracking.campaigns.say_alone", cost=money(total["cost"]), roi=roi)
    covered = beside[beside["kind"] == "network"]
    covered = covered[covered["roi"].notna()]
    return run.t(
        f"tracking.campaigns.say_{verdict}",
        cost=money(total["cost"]),
        roi=fmt_percent(influence, run.lang, 0, True),
        networks_roi=fmt_percent(networks, run.lang, 0, True),
        networks=fmt_list([label("channel", c, run.lang) for c in covered["source"]], run.lang),
    )


def corrective_actions(run: Run, status: Section) -> Section:
    """For each goal of :func:`statuses` that needs one (at risk, behind, missed or uncertain), an
    action (:func:`helpers.method.actions.corrective_action`): a verb, the network, a date inside
    the plan (the horizon 06 planned, :func:`helpers.report.pages.replanning.planning_brief`), the
    goal it serves and the figure behind it, that network's own (its best slot of ``slots.csv``,
    its format the plan grows in ``format_mix.csv``, or the goal's own figures for care and
    leads); a goal no rule fits gets no action, never "review with the team".

    Returns:
        ``.table``: one row per action (goal, status, verb, what, network, by, source, and the
        figure's numbers), which ``actions.json`` holds as records; ``.data["actions"]``: the
        actions as sentences, for the summary; ``.data["records"]``: the actions as data.
    """
    findings = run.load("findings")
    goals = {g["id"]: g for g in run.load("goals")}
    slots, mix = run.load("slots"), run.load("format_mix")
    brief = planning_brief(run)  # the plan's horizon (06's): never days the data already cover
    records, lines, rows = [], [], []
    table_ = status.table
    for row in table_[table_["status"].isin(act.NEEDS_ACTION)].to_dict("records"):
        action = act.corrective_action(row, goals[row["id"]], findings, brief, slots, mix)
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


def save(run: Run, status: Section, roi: Section, actions: Section, campaigns: Section | None = None) -> None:
    """``tracking.csv`` from :func:`statuses`, ``roi.csv`` from :func:`roi`, ``actions.json`` from
    :func:`corrective_actions`, ``campaigns.csv`` from :func:`campaigns` (the header alone for a
    client without campaigns), and the summary's lines: each goal's status and the corrective
    actions."""
    run.save("tracking", status.table)
    run.save("roi", roi.table)
    run.save("campaigns", campaigns.table if campaigns is not None else pd.DataFrame(columns=camp.COLUMNS))
    run.save("actions", actions.data["records"])
    lines = [
        run.t("tracking.summary_line", goal=r.label, status=label("status", r.status, run.lang))
        for r in status.table.itertuples()
    ]
    run.add_summary("goals", lines)
    run.add_summary("next_steps", actions.data["actions"] or [run.t("tracking.no_action")])
    run.save_notes()
