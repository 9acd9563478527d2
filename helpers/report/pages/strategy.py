"""Sections of ``05_strategy``: targets, the network choice, timing, formats and messages."""

from __future__ import annotations

import pandas as pd

from helpers.method import observation as obs_
from helpers.method import strategy as strat
from helpers.method.moments import notable_dates
from helpers.method.planning import DEFAULT_SLOTS, public_holidays
from helpers.report import charts
from helpers.report.display import Block, Section, bullets, figure, heading, say, table
from helpers.report.i18n import (
    fmt_date,
    fmt_list,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_time,
    label,
    lower_first,
    unknown,
    weekday_names,
)
from helpers.report.pages.common import headers, lab, method_link, month, num, pct, rated_posts
from helpers.report.pages.observation import sample_rule, target_sketches, with_gap
from helpers.run.context import Run
from helpers.run.settings import setting


def _default_hours(run: Run) -> str:
    """The hours the calendar posts at without a ranked slot (``12 h et 18 h``, ``12:00 PM and 6:00 PM``)."""
    return fmt_list([fmt_time(h, run.lang) for h in sorted({h for _, h in DEFAULT_SLOTS})], run.lang)

def targets(run: Run) -> Section:
    """Who to speak to: the brief's target personas sketched, how many customer records ``01``
    found matching each, and the brand's values and promises (its positioning).

    Returns:
        ``.table``: the personas ``01`` drew from the customer records that match a target of
        the brief (persona, size, share, brief persona); empty when none does.
    """
    block = heading(run.t("strategy.targets")) + target_sketches(run)
    found = run.load("personas")
    matched = (
        found.dropna(subset=["brief_persona"]).reset_index(drop=True)
        if "brief_persona" in found.columns
        else pd.DataFrame()
    )
    if len(matched):
        for row in matched.itertuples():
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
    return Section(block, matched)


#: Ambassadors 05 names in its recommendation (those with most mentions of the brand).
AMBASSADORS_NAMED = 5


def influencers(run: Run) -> Section:
    """Who to work with: per persona, the best-scored candidate of 01's shortlist
    (``influencers.csv``, :mod:`helpers.method.influencers`) and what they already write about,
    then the ambassadors to nurture.

    Returns:
        ``.table``: the recommended candidate per persona (a row of ``influencers.csv``).
    """
    scored = run.load("influencers")
    block = heading(run.t("influencers.recommend"))
    if scored.empty:
        return Section(block + say(run.t("observation.no_data")))
    scored = scored.assign(persona=scored["persona"].fillna("").astype(str))
    short = scored[scored["shortlisted"].astype(bool)].sort_values("score", ascending=False)
    lines, picks = [], []
    for persona in [p.name for p in run.brief.targets] or [""]:
        best = short[short["persona"] == persona].head(1)
        if best.empty:
            lines.append(run.t("influencers.recommend_none", persona=persona))
            continue
        row = best.iloc[0]
        picks.append(best)
        terms = row["fit_terms"] if isinstance(row["fit_terms"], str) and row["fit_terms"] else ""
        lines.append(
            run.t(
                "influencers.recommend_line" if terms else "influencers.recommend_line_bare",
                persona=persona or run.brief.client.name,
                author=row["author"],
                tier=label("tier", row["tier"], run.lang),
                network=label("channel", row["network"], run.lang),
                followers=fmt_number(row["followers"], run.lang),
                terms=fmt_list(terms.split("; "), run.lang) if terms else "",
                score=fmt_number(row["score"], run.lang, 2),
            )
        )
    fans = scored[scored["ambassador"].astype(bool)].drop_duplicates("author")
    fans = fans.sort_values(["brand_mentions", "author"], ascending=[False, True]).head(AMBASSADORS_NAMED)
    if len(fans):
        lines.append(
            run.t("influencers.recommend_ambassadors", names=fmt_list(list(fans["author"]), run.lang))
        )
    block += bullets(lines) + say(run.t("influencers.recommend_note"))
    table_ = pd.concat(picks, ignore_index=True) if picks else pd.DataFrame(columns=scored.columns)
    return Section(block, table_)


def observed_rates(run: Run, min_posts: int | None = None) -> pd.Series:
    """Each network's engagement rate in the audit, for the networks with at least ``min_posts``
    posts in the period (default: the brief's ``analysis.min_posts``): a rate on fewer posts does
    not rank a network."""
    min_posts = setting(run.brief.analysis, "min_posts", min_posts)
    audit = run.load("audit")
    kept = audit[audit["posts"] >= min_posts]
    return kept.set_index("channel")["engagement_rate"]


def networks(run: Run, min_posts: int | None = None) -> Section:
    """Where to be: each network of the brand and of the brief's candidates scored from 0 to 1 on
    audience fit, objective fit, B2B/B2C fit, observed performance (its engagement rate in the
    audit over the best network's) and competitor presence; the score is their mean weighted by
    the brief's ``network_weights`` (:func:`helpers.method.strategy.network_matrix`), over the
    criteria that have data.

    Args:
        min_posts: posts a network needs in the period for its observed performance to count
            (default: the brief's ``analysis.min_posts``, 5); under it, that criterion is unknown.

    Returns:
        ``.table``: one row per network, best first (network, one column per criterion, score;
        NaN where a criterion has no data); ``.figure``: the matrix.
    """
    matrix = strat.network_matrix(run.brief, run.table("audience"), observed_rates(run, min_posts))
    shown = matrix.rename(
        index=lambda n: label("channel", n, run.lang), columns=lambda c: run.t(f"strategy.criterion_{c}")
    )
    best = matrix.index[0]
    title = run.t("strategy.matrix_title", network=label("channel", best, run.lang))
    fig = charts.matrix(
        shown,
        title,
        lambda v: _score(run, v),
        run.t("strategy.score"),
    )
    reasons = [reason(run, net, row) for net, row in matrix.iterrows()]
    block = (
        heading(run.t("strategy.networks"))
        + figure(fig, title, run.t("strategy.matrix_note"))
        + bullets(reasons)
    )
    return Section(block, matrix.reset_index(), fig)


def reason(run: Run, network: str, row: pd.Series) -> str:
    """Why a network scores what it scores, criterion by criterion, and which criteria it was
    scored on when some have no data (``scored on 3 of 5 criteria; no data for audience fit``)."""
    criteria = row.drop("score")
    strongest = criteria.dropna().sort_values(ascending=False)
    missing = criteria.index[criteria.isna()].tolist()
    text = run.t(
        "strategy.reason",
        network=label("channel", network, run.lang),
        score=_score(run, row["score"]),
        best=run.t(f"strategy.criterion_{strongest.index[0]}"),
        worst=run.t(f"strategy.criterion_{strongest.index[-1]}"),
    )
    if missing:
        text += " " + run.t(
            "strategy.reason_missing",
            scored=len(strat.scored_on(row)),
            total=len(strat.CRITERIA),
            criteria=fmt_list([lower_first(run.t(f"strategy.criterion_{m}")) for m in missing], run.lang),
        )
    return text


def _score(run: Run, value: float) -> str:
    """A score of the matrix (0–1) with two decimals, ``n/a`` when unknown."""
    if pd.isna(value):
        return unknown(run.lang)
    return f"{value:.2f}".replace(".", "," if run.lang == "fr" else ".")


#: Slots per network the timing table lists (the calendar may use every slot that passes).
SLOTS_SHOWN = 3


def timing(run: Run, min_posts: int | None = None, confidence: float | None = None) -> Section:
    """When to post: each network's best weekday × hour slots in the client's time zone, ranked
    as in the audit by the low bound of their bootstrap interval, each compared with the
    network's own rate (:func:`helpers.method.strategy.best_slots_per_network`): only slots with
    ``min_posts`` posts on the network whose interval does not put them below its rate are kept,
    and the public holidays over the plan with the brief's rule for them.

    Args:
        min_posts: posts a slot needs on a network to be ranked (default: the brief's
            ``analysis.min_posts``, 5); a network without such a slot gets none, and ``06``
            plans it on the method's default slots.
        confidence: level of the slots' bootstrap interval (default: ``analysis.confidence``, 0.95).

    Returns:
        ``.table``: every slot that passes (network, rank, weekday 0 = Monday, hour, posts,
        engagement rate, interval, lift over the network's rate, verdict), which ``slots.csv``
        holds for ``06`` (the table shown lists the first :data:`SLOTS_SHOWN` of each network);
        ``.data["holidays"]``: date and name of each public holiday over the plan.
    """
    rule_ = sample_rule(run, min_posts, confidence)
    posts, followers = rated_posts(run), run.table("followers")
    slots = strat.best_slots_per_network(posts, run.tz, run.brief.kpi, followers, rule_, top=None)
    listed = slots[slots["rank"] <= SLOTS_SHOWN]
    names = weekday_names(run.lang, False)
    shown = with_gap(run, listed).assign(weekday=[names[d] for d in listed["weekday"]])
    cols = [c for c in strat.SLOT_COLUMNS if c != "verdict"]  # the gap column says it
    holidays = public_holidays(run.brief, run.lang)
    hol_lines = [f"{fmt_date(d, run.lang)} · {name}" for d, name in sorted(holidays.items())]
    unranked = [c for c in run.brief.channels if c not in set(slots["channel"])]
    level = fmt_percent(rule_.confidence, run.lang, 0)
    block = (
        heading(run.t("strategy.timing"))
        + table(
            shown[cols],
            {
                "channel": lab(run, "channel"),
                "posts": num(run),
                "engagement_rate": pct(run, 2),
                "low": pct(run, 2),
                "high": pct(run, 2),
            },
            {
                **headers(run, cols),
                "engagement_rate": run.t("strategy.slot_score"),
                "lift": run.t("col.network_lift"),
            },
            run.t("strategy.timing_note", tz=run.tz, n=rule_.min_posts, level=level)
            + " "
            + method_link(run, "samples"),
            lang=run.lang,
        )
        + (
            say(
                run.t(
                    "strategy.timing_unranked",
                    networks=_networks(run, unranked),
                    n=rule_.min_posts,
                    hours=_default_hours(run),
                )
            )
            if unranked
            else Block("")
        )
        + (
            say(run.t("strategy.timing_more", n=len(slots) - len(listed), shown=SLOTS_SHOWN))
            if len(slots) > len(listed)
            else Block("")
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
    frame = pd.DataFrame(sorted(holidays.items()), columns=["date", "name"])
    return Section(block, slots, holidays=frame)


def _networks(run: Run, channels: list[str]) -> str:
    return ", ".join(label("channel", c, run.lang) for c in channels)


def moments(run: Run) -> Section:
    """The country's commercial and cultural moments and the brand's own dates over the plan
    (``data/calendar/notable_dates.csv`` and the brief's ``planning.notable_dates``).

    Returns:
        ``.table``: one row per date (date, name, kind).
    """
    found = notable_dates(run.brief, lang=run.lang)
    lines = [f"{fmt_date(m.date, run.lang)} · {m.name} ({label('moment', m.kind, run.lang)})" for m in found]
    block = heading(run.t("strategy.moments"), 3) + bullets(lines or [run.t("strategy.no_moments")])
    frame = pd.DataFrame([(m.date, m.name, m.kind) for m in found], columns=["date", "name", "kind"])
    return Section(block, frame)


def seasons(run: Run) -> Section:
    """How the plan's months fared a year earlier: the brand's mentions and the engagement rate
    of its posts (mean of the networks, as ``01`` measured it) against the period's monthly average.

    Returns:
        ``.table``: one row per month of the plan (month, the same month a year earlier, mentions
        and engagement against the average, NaN where the period does not cover it).
    """
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
        lang=run.lang,
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
    return Section(block, table_)


def formats(run: Run, min_posts: int | None = None) -> Section:
    """What to publish: per network, the share of each format to plan, grown only with evidence
    (:func:`helpers.method.strategy.format_mix`: the format whose interval in ``01`` lies above
    the network's other formats takes up to half; every other format keeps at most its past
    share; a network without a measured format takes the method's), and the brief's message lines.

    Args:
        min_posts: posts a format needs in the audit to lead or grow (default: the brief's
            ``analysis.min_posts``, 5).

    Returns:
        ``.table``: the mix (network, format, share, past share, verdict), which
        ``format_mix.csv`` holds for ``06``.
    """
    min_posts = setting(run.brief.analysis, "min_posts", min_posts)
    audit_formats = run.load("formats")
    mix = strat.format_mix(audit_formats, run.brief.channels, min_posts=min_posts)
    lifts = audit_formats.set_index(["channel", "format"])["lift"]
    lines = [_format_line(run, channel, part, lifts) for channel, part in mix.groupby("channel", sort=False)]
    note = run.t(
        "strategy.mix_note",
        n=min_posts,
        lead=fmt_percent(strat.LEAD_SHARE, run.lang, 0),
        factor=fmt_number(strat.LEAD_MAX_FACTOR, run.lang, 0),
        growth=fmt_percent(strat.MAX_GROWTH, run.lang, 0),
    )
    block = (
        heading(run.t("strategy.formats"))
        + table(
            mix,
            {
                "channel": lab(run, "channel"),
                "format": lab(run, "format"),
                "share": pct(run, 0),
                "past_share": pct(run, 0),
                "verdict": lab(run, "evidence_verdict"),
            },
            headers(run, mix.columns),
            note,
            lang=run.lang,
        )
        + bullets(lines)
    )
    if run.brief.planning.pillars:
        block += heading(run.t("strategy.messages"), 3) + bullets(run.brief.planning.pillars)
    return Section(block, mix)


def _format_line(run: Run, channel: str, part: pd.DataFrame, lifts: pd.Series) -> str:
    """What the mix does on one network: raise its evidenced format, keep the past mix, or take
    the method's format."""
    lead = part.iloc[0]
    words = {
        "channel": label("channel", channel, run.lang),
        "format": label("format", lead["format"], run.lang),
        "share": fmt_percent(lead["share"], run.lang, 0),
    }
    if pd.isna(lead["past_share"]):
        return run.t("strategy.format_line_method", **words)
    if lead["verdict"] != "above":
        top = part.sort_values("share", ascending=False).iloc[0]
        words.update(
            format=label("format", top["format"], run.lang), share=fmt_percent(top["share"], run.lang, 0)
        )
        return run.t("strategy.format_line_past", **words)
    lift = fmt_percent(lifts.get((channel, lead["format"]), float("nan")), run.lang, 0, signed=True)
    if lead["share"] <= lead["past_share"]:
        return run.t("strategy.format_line_keep", lift=lift, **words)
    return run.t(
        "strategy.format_line", past=fmt_percent(lead["past_share"], run.lang, 0), lift=lift, **words
    )


def save(run: Run, timing: Section, formats: Section) -> None:
    """The slots of :func:`timing` and the format mix of :func:`formats`, for ``06``'s calendar."""
    run.save("slots", timing.table)
    run.save("format_mix", formats.table)
    run.save_notes()


def pillars(run: Run, lift_threshold: float | None = None, min_posts: int | None = None) -> Section:
    """The brief's editorial pillars and the themes of ``01`` that engage: which pillar each
    engaging theme feeds, the pillars no engaging theme feeds, and the engaging themes that fit
    no pillar, suggested as new pillars (:func:`helpers.method.themes.pillar_themes`).

    Args:
        lift_threshold: lift over the network's other posts from which a theme whose interval
            is above them engages (default: the brief's ``analysis.lift_threshold``).
        min_posts: posts a theme needs (default: ``analysis.min_posts``).

    Returns:
        ``.table``: one row per pillar and theme that feeds it (pillar empty for a suggested
        new pillar).
    """
    from helpers.method import themes as themes_

    analysis = run.brief.analysis
    threshold = setting(analysis, "lift_threshold", lift_threshold)
    min_posts = setting(analysis, "min_posts", min_posts)
    found = themes_.pillar_themes(run.brief.planning.pillars, run.load("themes"), threshold, min_posts)
    block = heading(run.t("themes.pillars"), 3)
    if found["theme"].isna().all():
        return Section(block + say(run.t("themes.pillars_none")), found)
    shown = found.assign(
        pillar=found["pillar"].fillna(run.t("themes.pillar_new")),
        terms=found["terms"].fillna(run.t("themes.pillar_unfed")),
    )
    cols = ["pillar", "terms", "channel", "posts", "lift", "shared"]
    block += table(
        shown[cols],
        {
            "channel": lambda v: label("channel", v, run.lang) if isinstance(v, str) else "",
            "posts": lambda v: fmt_number(v, run.lang, 0) if pd.notna(v) else "",
            "lift": lambda v: fmt_percent(v, run.lang, 0, signed=True) if pd.notna(v) else "",
        },
        {c: run.t(f"themes.col.{c}") for c in cols},
        run.t("themes.pillars_note", stem=themes_.STEM_LENGTH),
        lang=run.lang,
    )
    fed = found.dropna(subset=["pillar", "theme"])["pillar"].nunique()
    new = int(found["pillar"].isna().sum())
    block += say(run.t("themes.pillars_say", fed=fed, total=len(run.brief.planning.pillars), new=new))
    return Section(block, found)
