"""Sections of ``05_strategy``: targets, the network choice, timing, formats and messages."""

from __future__ import annotations

import pandas as pd

from helpers import charts
from helpers import strategy as strat
from helpers.context import Run
from helpers.display import Block, bullets, figure, heading, say, table
from helpers.i18n import fmt_date, fmt_percent, label, weekday_names
from helpers.pages.common import headers, lab, num, pct
from helpers.pages.observation import personas
from helpers.planning import public_holidays


def targets(run: Run) -> Block:
    block = heading(run.t("strategy.targets")) + personas(run)
    if run.brief.client.values:
        block += heading(run.t("strategy.positioning"), 3) + bullets(
            list(run.brief.client.values) + list(run.brief.client.promises)
        )
    return block


def observed_rates(run: Run) -> pd.Series:
    audit = run.load_table("audit.csv", "01_observation")
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
        lambda v: "–" if pd.isna(v) else f"{v:.2f}".replace(".", "," if run.lang == "fr" else "."),
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
    holidays = public_holidays(run.brief)
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


def formats(run: Run) -> tuple[pd.DataFrame, Block]:
    measured = run.load_table("formats.csv", "01_observation")
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


def save(run: Run, matrix: pd.DataFrame, slots: pd.DataFrame, mix: pd.DataFrame) -> None:
    run.save_table("network_matrix.csv", matrix.reset_index())
    run.save_table("slots.csv", slots)
    run.save_table("format_mix.csv", mix)
