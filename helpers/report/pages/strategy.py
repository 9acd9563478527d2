"""Sections of ``05_strategy``: targets, the network choice, timing, formats and messages."""

from __future__ import annotations

import pandas as pd

from helpers.method import observation as obs_
from helpers.method import strategy as strat
from helpers.method.moments import notable_dates
from helpers.method.planning import public_holidays
from helpers.report import charts
from helpers.report.display import Block, bullets, figure, heading, say, table
from helpers.report.i18n import (
    fmt_date,
    fmt_month,
    fmt_number,
    fmt_percent,
    label,
    lower_first,
    unknown,
    weekday_names,
)
from helpers.report.pages.common import headers, lab, month, num, pct
from helpers.report.pages.observation import target_sketches
from helpers.run.context import Run


def targets(run: Run) -> Block:
    """The brief's target personas (with what observation found of them) and the positioning."""
    block = heading(run.t("strategy.targets")) + target_sketches(run)
    found = run.load("personas")
    if "brief_persona" in found.columns:
        for row in found.dropna(subset=["brief_persona"]).itertuples():
            block += say(
                run.t(
                    "strategy.target_found",
                    target=row.brief_persona,
                    size=fmt_number(row.size, run.lang),
                    share=fmt_percent(row.share, run.lang, 0),
                )
            )
    if run.brief.client.values:
        block += heading(run.t("strategy.positioning"), 3) + bullets(
            list(run.brief.client.values) + list(run.brief.client.promises)
        )
    return block


def observed_rates(run: Run) -> pd.Series:
    audit = run.load("audit")
    return audit.set_index("channel")["engagement_rate"]


def networks(run: Run) -> tuple[pd.DataFrame, Block]:
    matrix = strat.network_matrix(run.brief, run.table("audience"), observed_rates(run))
    shown = matrix.rename(
        index=lambda n: label("channel", n, run.lang), columns=lambda c: run.t(f"strategy.criterion_{c}")
    )
    best = matrix.index[0]
    title = run.t("strategy.matrix_title", network=label("channel", best, run.lang))
    fig = charts.matrix(
        shown,
        title,
        lambda v: (
            unknown(run.lang) if pd.isna(v) else f"{v:.2f}".replace(".", "," if run.lang == "fr" else ".")
        ),
        run.t("strategy.score"),
    )
    reasons = [reason(run, net, row) for net, row in matrix.iterrows()]
    block = (
        heading(run.t("strategy.networks"))
        + figure(fig, title, run.t("strategy.matrix_note"))
        + bullets(reasons)
    )
    return matrix, block


def reason(run: Run, network: str, row: pd.Series) -> str:
    """Why a network scores what it scores, criterion by criterion."""
    strongest = row.drop("score").dropna().sort_values(ascending=False)
    missing = row.drop("score").index[row.drop("score").isna()].tolist()
    text = run.t(
        "strategy.reason",
        network=label("channel", network, run.lang),
        score=f"{row['score']:.2f}".replace(".", "," if run.lang == "fr" else "."),
        best=run.t(f"strategy.criterion_{strongest.index[0]}"),
        worst=run.t(f"strategy.criterion_{strongest.index[-1]}"),
    )
    if missing:
        text += " " + run.t(
            "strategy.reason_missing", criteria=", ".join(run.t(f"strategy.criterion_{m}") for m in missing)
        )
    return text


def timing(run: Run) -> tuple[pd.DataFrame, Block]:
    slots = strat.best_slots_per_network(run.table("posts"), run.tz, run.brief.kpi, run.table("followers"))
    shown = slots.assign(weekday=[weekday_names(run.lang, False)[d] for d in slots["weekday"]])
    cols = ["channel", "rank", "weekday", "hour", "posts", "score"]
    holidays = public_holidays(run.brief, run.lang)
    hol_lines = [f"{fmt_date(d, run.lang)} · {name}" for d, name in sorted(holidays.items())]
    block = (
        heading(run.t("strategy.timing"))
        + table(
            shown[cols],
            {"channel": lab(run, "channel"), "posts": num(run), "score": pct(run, 2)},
            {**headers(run, cols), "score": run.t("strategy.slot_score")},
            run.t("strategy.timing_note", tz=run.tz),
        )
        + heading(run.t("strategy.holidays", country=run.brief.client.country), 3)
        + bullets(hol_lines or [run.t("strategy.no_holidays")])
        + say(
            run.t(
                "strategy.holidays_say",
                n=len(holidays),
                rule=run.t(f"strategy.rule_{run.brief.planning.holidays}"),
            )
        )
    )
    return slots, block


def moments(run: Run) -> Block:
    """The country's commercial and cultural moments and the brand's own dates over the plan."""
    found = notable_dates(run.brief, lang=run.lang)
    lines = [f"{fmt_date(m.date, run.lang)} · {m.name} ({label('moment', m.kind, run.lang)})" for m in found]
    return heading(run.t("strategy.moments"), 3) + bullets(lines or [run.t("strategy.no_moments")])


def seasons(run: Run) -> Block:
    """How the plan's months fared a year earlier: brand mentions and engagement against the average."""
    mentions = run.table("mentions")
    own = mentions[mentions["brand"] == run.brief.client.name]
    mentions_monthly = (
        obs_.listening_monthly(own, run.tz).sum(axis=1) if not own.empty else pd.Series(dtype=float)
    )
    by_channel = run.load("monthly_engagement")  # as 01 measured it
    er_monthly = by_channel.set_index(pd.to_datetime(by_channel["month"])).drop(columns="month").mean(axis=1)
    h = run.brief.horizon
    table_ = strat.seasonality(mentions_monthly, h.start, h.end)[["month", "reference", "index"]]
    table_ = table_.assign(mentions_vs_average=table_["index"] - 1).drop(columns="index")
    er_index = strat.seasonality(er_monthly, h.start, h.end)["index"]
    table_["engagement_vs_average"] = er_index - 1
    peak = table_.dropna(subset=["mentions_vs_average"])
    block = heading(run.t("strategy.seasons"), 3) + table(
        table_,
        {
            "month": month(run),
            "reference": month(run),
            "mentions_vs_average": pct(run, 0, True),
            "engagement_vs_average": pct(run, 0, True),
        },
        headers(run, table_.columns),
        run.t("strategy.seasons_note", er=lower_first(run.kpi("engagement_rate").name(run.lang))),
    )
    if not peak.empty:
        top = peak.loc[peak["mentions_vs_average"].idxmax()]
        block += say(
            run.t(
                "strategy.seasons_say",
                month=fmt_month(top["reference"], run.lang),
                change=fmt_percent(top["mentions_vs_average"], run.lang, 0, signed=True),
            )
        )
    return block


def formats(run: Run) -> tuple[pd.DataFrame, Block]:
    measured = run.load("formats")
    mix = strat.format_mix(measured, run.brief.channels)
    lines = []
    for channel, part in mix.groupby("channel", sort=False):
        lead = part.iloc[0]
        lines.append(
            run.t(
                "strategy.format_line",
                channel=label("channel", channel, run.lang),
                format=label("format", lead["format"], run.lang),
                share=fmt_percent(lead["share"], run.lang, 0),
            )
        )
    block = (
        heading(run.t("strategy.formats"))
        + table(
            mix,
            {"channel": lab(run, "channel"), "format": lab(run, "format"), "share": pct(run, 0)},
            headers(run, mix.columns),
            run.t("strategy.mix_note"),
        )
        + bullets(lines)
    )
    if run.brief.planning.pillars:
        block += heading(run.t("strategy.messages"), 3) + bullets(run.brief.planning.pillars)
    return mix, block


def save(run: Run, slots: pd.DataFrame, mix: pd.DataFrame) -> None:
    """The slots and the format mix per network, for ``06``'s calendar."""
    run.save("slots", slots)
    run.save("format_mix", mix)
    run.save_notes()
