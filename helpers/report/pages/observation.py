"""Sections of ``01_observation``: the audit, the competitors, listening, audience, timing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from helpers import kpis
from helpers.method import competition, evidence, synthesis
from helpers.method import influencers as inf_
from helpers.method import observation as obs_
from helpers.report import charts, persona_words
from helpers.report.display import Block, Section, bullets, caption, card, escape, figure, heading, say, table
from helpers.report.i18n import (
    fmt_date,
    fmt_list,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_time,
    fmt_window,
    label,
    rounded_shares,
    unknown,
    weekday_names,
)
from helpers.report.pages.common import (
    date,
    finding,
    headers,
    kpi_fmt,
    kpi_note,
    kpi_value,
    lab,
    method_link,
    num,
    pct,
    rated_posts,
)
from helpers.run.context import Run
from helpers.run.settings import setting


def _audit(run: Run) -> pd.DataFrame:
    """The channel audit of the period, computed once per run (community, engagement, care)."""
    return run.cached(("audit",), lambda: obs_.channel_audit(run.start, run.end, run.data))


def _er(run: Run) -> kpis.KpiDef:
    return obs_.engagement_kpi(run.brief.kpi)


def _monthly(run: Run) -> pd.DataFrame:
    posts, followers = rated_posts(run), run.table("followers")
    return run.cached(("monthly",), lambda: obs_.monthly_engagement(posts, run.brief.kpi, run.tz, followers))


def data_quality(run: Run) -> Section:
    """What was read: per table, its files, first and last dates, rows in the files and in the
    period, repeated rows and suspicious values (kept, but flagged and listed).

    Returns:
        ``.table``: one row per table; ``.data["flags"]``: every flagged value.
    """
    quality = obs_.data_quality(run.data)
    flags = obs_.suspicious_values(run.data)
    skipped = [r for r in run.data.imports if not r.format]
    unused = [r for r in run.data.imports if r.format and not r.table]
    block = (
        heading(run.t("observation.quality"))
        + table(
            quality,
            {
                "first": date(run),
                "last": date(run),
                "rows_in_file": num(run),
                "rows_in_period": num(run),
                "table": lab(run, "table"),
                "files": num(run),
                "repeated": num(run),
                "suspicious": num(run),
            },
            headers(run, quality.columns),
            lang=run.lang,
        )
        + say(
            run.t(
                "observation.quality_say" if len(flags) else "observation.quality_say_clean",
                tables=len(quality),
                flagged=len(flags),
                repeated=int(quality["repeated"].sum()) if len(quality) else 0,
            )
        )
    )
    if len(flags):
        shown = flags.head(15)
        block += heading(run.t("observation.flags"), 3) + table(
            shown,
            {"table": lab(run, "table")},
            headers(run, shown.columns),
            run.t("observation.flags_note", shown=len(shown), total=len(flags)),
            lang=run.lang,
        )
    if skipped:
        block += say(run.t("observation.skipped", files=", ".join(r.source for r in skipped)))
    if unused:
        block += say(run.t("observation.unused", files=", ".join(r.source for r in unused)))
    return Section(block, quality, flags=flags)


def community(run: Run) -> Section:
    """Size and growth of each profile over the period, and how often the brand posts.

    Returns:
        ``.table``: per network, followers at the start and end, growth, posts and posts per week;
        ``.figure``: followers month by month; ``.data["audit"]``: the whole channel audit.
    """
    audit = _audit(run)
    cols = ["channel", "followers_start", "followers_end", "follower_growth", "posts", "posts_per_week"]
    best = audit.sort_values("follower_growth", ascending=False).iloc[0]
    followers = run.table("followers")
    series = (
        followers.assign(month=obs_.month_key(followers["date"]))
        .groupby(["month", "channel"])["followers"]
        .last()
        .unstack("channel")
    )
    fig = charts.lines(
        series,
        run.t("observation.community_chart", channel=label("channel", best["channel"], run.lang)),
        run.kpi("followers").name(run.lang),
        formatter=lambda v: fmt_number(v, run.lang),
        xlabels=[fmt_month(m, run.lang) for m in series.index],
        colours=charts.CHANNEL_COLOURS,
        legend={c: label("channel", c, run.lang) for c in series.columns},
    )
    block = (
        heading(run.t("observation.community"))
        + table(
            audit[cols],
            {
                "channel": lab(run, "channel"),
                "followers_start": kpi_fmt(run, "followers", 0),
                "followers_end": kpi_fmt(run, "followers", 0),
                "follower_growth": kpi_fmt(run, "follower_growth", 1, signed=True),
                "posts": num(run),
                "posts_per_week": kpi_fmt(run, "posts_per_week", 1),
            },
            headers(run, cols),
            kpi_note(run, "followers", "follower_growth", "posts_per_week"),
            lang=run.lang,
        )
        + figure(fig, run.t("observation.community_chart_alt"), kpi_note(run, "followers"))
        + say(
            run.t(
                "observation.community_say",
                channel=label("channel", best["channel"], run.lang),
                growth=fmt_percent(best["follower_growth"], run.lang, 1, signed=True),
                followers=fmt_number(best["followers_end"], run.lang),
            )
        )
    )
    return Section(block, audit[cols], fig, audit=audit)


def _trend_windows(row: Any, lang: str) -> dict[str, str]:
    """A trend row's two windows, written in ``lang`` (``Aug–Oct 2026``)."""
    return {
        "recent_window": fmt_window(row.recent_start, row.recent_end, lang),
        "before_window": fmt_window(row.before_start, row.before_end, lang),
    }


def _trend_sentence(run: Run, row: Any, threshold: float, min_posts: int) -> str:
    """What one network's trend says: a rise or a fall that counts as a finding, one too small
    to count, a change within the noise, or too few posts to tell."""
    values = {
        "channel": label("channel", row.channel, run.lang),
        "before": fmt_percent(row.before, run.lang, 2),
        "recent": fmt_percent(row.recent, run.lang, 2),
        "change": fmt_percent(row.change, run.lang, 0, signed=True),
        "low": fmt_percent(row.low, run.lang, 0, signed=True),
        "high": fmt_percent(row.high, run.lang, 0, signed=True),
        **_trend_windows(row, run.lang),
    }
    if row.direction == "too_few":
        key = "observation.trend_say_too_few"
        values.update(posts_recent=row.posts_recent, posts_before=row.posts_before, min=min_posts)
    elif row.direction == "not_distinguishable":
        key = "observation.trend_say_noise"
    elif abs(row.change) >= threshold:
        key = f"observation.trend_say_{row.direction}"
        values["change"] = fmt_percent(abs(row.change), run.lang, 0)  # the word says which way
    else:
        key = "observation.trend_say_small"
        values["threshold"] = fmt_percent(threshold, run.lang, 0)
    return run.t(key, **values)


def engagement(
    run: Run,
    change_threshold: float | None = None,
    min_posts: int | None = None,
    confidence: float | None = None,
) -> Section:
    """The brief's engagement rate per network over the period and month by month, and its trend:
    the last three full months against the three before, each window's rate computed on its
    posts with the brief's convention, with the change's interval
    (:func:`helpers.method.observation.trend_change`).

    Args:
        change_threshold: the relative change that counts as a fall or a rise when its interval
            also excludes 0 (:func:`helpers.method.observation.notable_trends`); the largest such
            trend titles the chart (default: the brief's ``analysis.change_threshold``, 0.15).
        min_posts: posts each window needs before a trend is called (default: the brief's
            ``analysis.min_posts``, 5).
        confidence: level of the change's interval (default: ``analysis.confidence``, 0.95).

    Returns:
        ``.table``: per network, the engagement rate over the period and interactions per 1,000
        followers; ``.figure``: the monthly rates; ``.data["monthly"]``, ``.data["trend"]``
        (``engagement_trend.csv``: both windows, both rates, the change, its interval and
        direction).
    """
    analysis = run.brief.analysis
    change_threshold = setting(analysis, "change_threshold", change_threshold)
    rule = evidence.Rule.of(analysis, min_posts=min_posts, confidence=confidence)
    audit, er, monthly = _audit(run), _er(run), _monthly(run)
    posts, followers = rated_posts(run), run.table("followers")
    trend = run.cached(
        ("trend", rule),
        lambda: obs_.trend_change(posts, run.brief.kpi, run.tz, run.start, run.end, followers, rule),
    )
    cols = ["channel", "engagement_rate", "interactions_per_1000"]
    title = run.t("observation.engagement_chart")
    notable = obs_.notable_trends(trend, change_threshold)
    if len(notable):
        top = notable.iloc[0]
        title = run.t(
            f"observation.engagement_chart_{top['direction']}",
            channel=label("channel", top["channel"], run.lang),
            change=fmt_percent(abs(top["change"]), run.lang, 0),
            **_trend_windows(top, run.lang),
        )
    fig = charts.lines(
        monthly,
        title,
        er.name(run.lang),
        formatter=lambda v: fmt_percent(v, run.lang, 1),
        xlabels=[fmt_month(m, run.lang) for m in monthly.index],
        colours=charts.CHANNEL_COLOURS,
        legend={c: label("channel", c, run.lang) for c in monthly.columns},
    )
    sentences = [_trend_sentence(run, r, change_threshold, rule.min_posts) for r in trend.itertuples()]
    if len(trend):
        sentences.append(
            run.t(
                "observation.trend_rule",
                months=obs_.TREND_MONTHS,
                threshold=fmt_percent(change_threshold, run.lang, 0),
                level=fmt_percent(rule.confidence, run.lang, 0),
            )
            + " "
            + method_link(run, "trends")
        )
    period = fmt_window(run.start, run.end, run.lang)
    block = (
        heading(run.t("observation.engagement"))
        + table(
            audit[cols],
            {
                "channel": lab(run, "channel"),
                "engagement_rate": kpi_fmt(run, "engagement_rate", 2),
                "interactions_per_1000": kpi_fmt(run, "interactions_per_1000", 1),
            },
            {
                **headers(run, cols),
                "engagement_rate": run.t("observation.over_window", what=er.name(run.lang), window=period),
            },
            kpi_note(run, er, "interactions_per_1000"),
            lang=run.lang,
        )
        + figure(fig, title, kpi_note(run, er))
        + say(*sentences)
    )
    return Section(block, audit[cols], fig, monthly=monthly, trend=trend)


def _names(run: Run, channels) -> str:
    """Networks' names joined in the run's language (``Facebook, Instagram``)."""
    return ", ".join(label("channel", c, run.lang) for c in channels)


def rates(run: Run) -> Section:
    """What the engagement rate counts, network by network: the interactions each export reports,
    the posts analysed apart (stories, paid posts where the export flags them), the organic and
    paid rates, the stories' own figures, and the platforms' own rates beside the brief's
    convention, so a client can reconcile the report with the dashboards.

    Returns:
        ``.table``: per network, what the rate counts and the posts it leaves out;
        ``.data["paid"]`` the organic/paid split, ``.data["stories"]`` the stories' table,
        ``.data["native"]`` the brief's rate beside the platform's own.
    """
    posts, channels, er = run.table("posts"), list(run.brief.channels), _er(run)
    cover = kpis.paid_coverage(posts, channels)
    cover.insert(1, "counted", [", ".join(kpis.counted_interactions(posts, c, run.lang)) for c in channels])
    cols = ["channel", "counted", "posts", "stories", "paid", "unflagged"]
    text = lambda v: v or unknown(run.lang)  # noqa: E731
    block = heading(run.t("observation.rates")) + table(
        cover[cols],
        {"channel": lab(run, "channel"), "counted": text, **{c: num(run) for c in cols[2:]}},
        headers(run, cols),
        kpi_note(run, er),
        lang=run.lang,
    )
    sentences = []
    stories = cover[cover["stories"] > 0]
    if len(stories):
        sentences.append(run.t("observation.rates_stories", networks=_names(run, stories["channel"])))
    unflagged = cover[cover["unflagged"] > 0]
    if len(unflagged):
        sentences.append(run.t("observation.rates_unflagged", networks=_names(run, unflagged["channel"])))
    split = kpis.paid_split(posts, run.brief.kpi, run.table("followers"))
    for r in split.itertuples():
        sentences.append(
            run.t(
                "observation.rates_paid_say",
                channel=label("channel", r.channel, run.lang),
                organic=fmt_percent(r.organic_rate, run.lang, 2),
                n=r.organic_posts,
                paid=fmt_percent(r.paid_rate, run.lang, 2),
                paid_posts=r.paid_posts,
            )
        )
    block += say(*sentences)
    rate_fmt = kpi_fmt(run, "engagement_rate", 2)
    if len(split):
        scols = ["channel", "organic_posts", "organic_rate", "paid_posts", "paid_rate"]
        block += heading(run.t("observation.rates_paid"), 3) + table(
            split[scols],
            {"channel": lab(run, "channel"), "organic_posts": num(run), "paid_posts": num(run),
             "organic_rate": rate_fmt, "paid_rate": rate_fmt},
            headers(run, scols),
            run.t("observation.rates_paid_note"),
            lang=run.lang,
        )  # fmt: skip
    story = kpis.story_table(posts)
    if len(story):
        block += heading(run.t("observation.rates_story_table"), 3) + table(
            story,
            {"channel": lab(run, "channel"), **{c: num(run) for c in story.columns[1:]}},
            headers(run, story.columns),
            run.t("observation.rates_story_note"),
            lang=run.lang,
        )
    native = kpis.native_rates(posts, run.brief.kpi, channels, run.table("followers"))
    native["definition"] = [
        spec.definition(run.lang) if (spec := kpis.REGISTRY.native_rates.get(c)) else ""
        for c in native["channel"]
    ]
    ncols = ["channel", "posts", "engagement_rate", "native_rate", "definition"]
    block += heading(run.t("observation.rates_native"), 3) + table(
        native[ncols],
        {"channel": lab(run, "channel"), "posts": num(run), "engagement_rate": rate_fmt,
         "native_rate": rate_fmt, "definition": text},
        {**headers(run, ncols), "engagement_rate": er.name(run.lang)},
        run.t("observation.rates_native_note"),
        lang=run.lang,
    )  # fmt: skip
    return Section(block, cover[cols], paid=split, stories=story, native=native)


def sample_rule(run: Run, min_posts: int | None = None, confidence: float | None = None) -> evidence.Rule:
    """The sample rule of a section: the brief's ``analysis`` (``min_posts``, ``confidence``),
    overridden by the notebook's parameters (``None`` keeps the brief's)."""
    return evidence.Rule.of(run.brief.analysis, min_posts=min_posts, confidence=confidence)


def gap(run: Run, lift: Any, verdict: str) -> str:
    """A ranked option's gap with its reference, as a reader should take it: the signed lift when
    its interval excludes the reference (``above``/``below``), else its verdict in words (``not
    distinguishable``, ``too few posts``): never "+50 %" on noise."""
    if verdict in ("above", "below") and pd.notna(lift):
        return fmt_percent(lift, run.lang, 0, signed=True)
    return label("evidence_verdict", verdict, run.lang)


def with_gap(run: Run, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``lift`` written by :func:`gap`: one column says both the gap and
    whether it counts (the verdict), so tables show it instead of the two."""
    return frame.assign(lift=[gap(run, v, d) for v, d in zip(frame["lift"], frame["verdict"], strict=True)])


def _formats(run: Run, rule_: evidence.Rule) -> pd.DataFrame:
    posts, followers = rated_posts(run), run.table("followers")
    return run.cached(
        ("formats", rule_.min_posts, rule_.confidence),
        lambda: obs_.format_performance(posts, run.brief.kpi, followers, rule_),
    )


def formats(run: Run, min_posts: int | None = None, confidence: float | None = None) -> Section:
    """Which formats work on which network: per network and format, posts, share of the network's
    posts, the brief's engagement rate with its interval, and how it compares with the network's
    other formats (:func:`helpers.method.observation.format_performance`): the gap is shown only
    when the interval excludes the other formats' rate, else the format is "not distinguishable".

    Args:
        min_posts: posts a format needs to get an interval and be ranked (default: the brief's
            ``analysis.min_posts``, 5); formats under it stay in the table, flagged.
        confidence: level of the intervals (default: the brief's ``analysis.confidence``, 0.95).

    Returns:
        ``.table``: every network × format (with ``low``, ``high``, ``reference``, ``lift`` and
        ``verdict``); ``.figure``: the formats of the network whose format above the others lifts
        engagement most, or ``None`` when no format is above its network's others.
    """
    rule_ = sample_rule(run, min_posts, confidence)
    er, perf = _er(run), _formats(run, rule_)
    cols = ["channel", "format", "posts", "share", "engagement_rate", "low", "high", "lift"]
    rate_fmt = kpi_fmt(run, "engagement_rate", 2)
    note = " ".join(
        [kpi_note(run, er), run.t("observation.formats_note", n=rule_.min_posts), method_link(run, "samples")]
    )
    table_block = table(
        with_gap(run, perf)[cols],
        {
            "channel": lab(run, "channel"),
            "format": lab(run, "format"),
            "posts": num(run),
            "share": pct(run, 0),
            "engagement_rate": rate_fmt,
            "low": rate_fmt,
            "high": rate_fmt,
        },
        {**headers(run, cols), "engagement_rate": er.name(run.lang)},
        note,
        lang=run.lang,
    )
    above = perf[(perf["verdict"] == "above") & perf["lift"].notna()]
    if above.empty:
        block = heading(run.t("observation.formats")) + table_block
        return Section(block + say(run.t("observation.formats_flat", n=rule_.min_posts)), perf)
    best = above.sort_values("lift", ascending=False).iloc[0]
    part = perf[perf["channel"] == best["channel"]].set_index("format")["engagement_rate"]
    fig = charts.bars(
        part,
        run.t(
            "observation.formats_chart",
            channel=label("channel", best["channel"], run.lang),
            format=label("format", best["format"], run.lang),
            lift=fmt_percent(best["lift"], run.lang, 0, signed=True),
        ),
        er.name(run.lang),
        lambda v: fmt_percent(v, run.lang, 1),
        highlight=best["format"],
        labels=[label("format", f, run.lang) for f in part.index],
    )
    block = (
        heading(run.t("observation.formats"))
        + table_block
        + figure(fig, run.t("observation.formats_alt"), kpi_note(run, er))
        + say(
            run.t(
                "observation.formats_say",
                channel=label("channel", best["channel"], run.lang),
                format=label("format", best["format"], run.lang),
                lift=fmt_percent(best["lift"], run.lang, 0),
                posts=int(best["posts"]),
            )
        )
    )
    return Section(block, perf, fig)


def top_posts(run: Run, n: int = 3, by: str = "engagement_rate") -> Section:
    """Per network, the ``n`` best and the ``n`` worst posts of the period by the brief's
    engagement rate (or ``by``, another figure of the post explorer), each with its link.

    Args:
        n: posts on each side, per network (default 3).
        by: the figure that ranks the posts (default ``engagement_rate``; ``interactions``,
            ``reach``, ``impressions`` also work). Posts whose figure is unknown are not ranked.

    Returns:
        ``.table``: the posts picked (group ``top``/``flop``, rank, then the columns of
        :func:`helpers.report.explorer.posts_frame`, permalink included).
    """
    from helpers.report import explorer

    er = _er(run)
    picked = explorer.top_flop(explorer.posts_frame(run), n=n, by=by)
    if picked.empty:
        block = heading(run.t("observation.top_posts")) + say(run.t("observation.no_data"))
        return Section(block, picked)
    block = (
        heading(run.t("observation.top_posts"))
        + explorer.top_flop_table(run, picked)
        + say(
            run.t(
                "observation.top_posts_note",
                n=n,
                kpi=er.name(run.lang) if by == "engagement_rate" else run.t(f"col.{by}"),
            )
        )
        + caption(kpi_note(run, "interactions", er))
    )
    return Section(block, picked)


def posts_above(
    run: Run, threshold: int | None = None, min_posts: int | None = None, confidence: float | None = None
) -> Section:
    """The method's indicator "posts generating more than N interactions": per network, the feed
    posts whose interactions exceed N, their count and share over the period with its interval,
    and month by month (:mod:`helpers.method.threshold_posts`).

    Args:
        threshold: N, the same on every network (default: the brief's
            ``analysis.interactions_threshold``); unset there too, each network's N is
            :data:`helpers.method.threshold_posts.RELATIVE_MULTIPLE` × its median interactions
            per post over the period.
        min_posts: posts a share needs to get an interval (default: the brief's
            ``analysis.min_posts``).
        confidence: level of the intervals (default: the brief's ``analysis.confidence``).

    Returns:
        ``.table``: one row per network (N, where it comes from, posts, posts above, share and
        interval); ``.data["monthly"]``: per network and month (``posts_above.csv``);
        ``.figure``: the share per month and network (``None`` without posts).
    """
    from helpers.method import threshold_posts as above_

    rule_ = sample_rule(run, min_posts, confidence)
    limit = setting(run.brief.analysis, "interactions_threshold", threshold)
    posts = rated_posts(run)
    networks = above_.by_network(posts, limit, rule_)
    monthly = above_.posts_above(posts, run.tz, limit, rule_)
    title = heading(run.t("observation.above.title"))
    if networks.empty or networks["posts"].sum() == 0:
        return Section(title + say(run.t("observation.no_data")), networks, monthly=monthly)
    share = pct(run, 0)
    shown = networks.assign(
        channel=[label("channel", c, run.lang) for c in networks["channel"]],
        threshold=[_above_limit(run, r.threshold, r.basis) for r in networks.itertuples()],
        interval=[
            run.t("observation.above.interval", low=share(r.low), high=share(r.high))
            if pd.notna(r.low)
            else label("evidence_verdict", "too_few", run.lang)
            for r in networks.itertuples()
        ],
    )
    cols = ["channel", "threshold", "posts", "above", "share", "interval"]
    level = fmt_percent(rule_.confidence, run.lang, 0)
    note = run.t(
        "observation.above.note",
        multiple=fmt_number(above_.RELATIVE_MULTIPLE, run.lang),
        level=level,
        n=rule_.min_posts,
    ) + " " + method_link(run, "samples")
    block = title + table(
        shown[cols],
        {"posts": num(run), "above": num(run), "share": share},
        {c: run.t(f"observation.above.col_{c}") for c in cols},
        note + " " + kpi_note(run, "posts_above_threshold", "interactions"),
        lang=run.lang,
    )
    fig = _above_chart(run, monthly)
    if fig is not None:
        block += figure(fig, run.t("observation.above.alt"), note)
    block += _above_months(run, monthly)
    best = networks.dropna(subset=["share"]).sort_values("share", ascending=False).iloc[0]
    sentence = run.t(
        "observation.above.say",
        channel=label("channel", best["channel"], run.lang),
        above=int(best["above"]),
        posts=int(best["posts"]),
        share=fmt_percent(best["share"], run.lang, 0),
        limit=_above_limit(run, best["threshold"], best["basis"]),
    )
    return Section(block + say(sentence), networks, fig, monthly=monthly)


def _above_limit(run: Run, value: float, basis: str) -> str:
    """N as a reader should take it: ``385 (twice the median)`` or ``200 (brief)``."""
    if pd.isna(value):
        return run.t("observation.above.no_limit")
    return run.t(f"observation.above.limit_{basis}", n=fmt_number(value, run.lang))


def _above_chart(run: Run, monthly: pd.DataFrame):
    """The share of posts above N per month, one line per network."""
    if monthly.empty:
        return None
    shares = monthly.pivot(index="month", columns="channel", values="share").sort_index()
    best = shares.mean().idxmax()
    return charts.lines(
        shares,
        run.t("observation.above.chart", channel=label("channel", best, run.lang)),
        run.t("observation.above.col_share"),
        lambda v: fmt_percent(v, run.lang, 0),
        xlabels=[fmt_month(m, run.lang) for m in shares.index],
        legend={c: label("channel", c, run.lang) for c in shares.columns},
    )


def _above_months(run: Run, monthly: pd.DataFrame) -> Block:
    """Month by month, per network: ``posts above / posts`` (``n/a`` without a post whose
    interactions are known, empty without a post)."""
    if monthly.empty:
        return Block("")
    cells = monthly.assign(
        text=[
            run.t("observation.above.count", above=int(r.above), posts=int(r.posts))
            if r.posts
            else unknown(run.lang)
            for r in monthly.itertuples()
        ]
    )
    grid = cells.pivot(index="month", columns="channel", values="text").sort_index().fillna("")
    grid.columns = [label("channel", c, run.lang) for c in grid.columns]
    grid = grid.reset_index()
    grid["month"] = [fmt_month(m, run.lang) for m in grid["month"]]
    return table(
        grid,
        headers={"month": run.t("col.month")},
        note=run.t("observation.above.months_note"),
        lang=run.lang,
    )


def care(run: Run) -> Section:
    """Customer care: per network, the share of messages answered and the median response time.

    Returns:
        ``.table``: per network, response rate and median response time (hours).
    """
    care_table = run.table("care")
    if care_table.empty:
        return Section(heading(run.t("observation.care")) + say(run.t("observation.no_data")))
    cols = ["channel", "response_rate", "response_time_median"]
    audit = _audit(run)
    rate = kpis.response_rate(care_table)
    delay = kpis.response_time_median(care_table)
    resolved = kpis.resolution_rate(care_table)
    block = (
        heading(run.t("observation.care"))
        + table(
            audit[cols],
            {
                "channel": lab(run, "channel"),
                "response_rate": kpi_fmt(run, "response_rate", 0),
                "response_time_median": kpi_fmt(run, "response_time_median"),
            },
            headers(run, cols),
            kpi_note(run, "response_rate", "response_time_median", "resolution_rate"),
            lang=run.lang,
        )
        + say(
            run.t(
                "observation.care_say",
                messages=fmt_number(len(care_table), run.lang),
                rate=fmt_percent(rate, run.lang, 0),
                delay=fmt_number(delay, run.lang, 1),
                resolved=fmt_percent(resolved, run.lang, 0),
            )
        )
    )
    return Section(block, audit[cols])


def _networks_benchmark(run: Run) -> pd.DataFrame:
    """The per-network benchmark of the period, computed once per run."""
    rule = evidence.Rule.of(run.brief.analysis)
    return run.cached(
        ("benchmark_networks",),
        lambda: obs_.network_benchmark(run.brief, run.data, run.start, run.end, rule),
    )


def _networks_block(run: Run, networks: pd.DataFrame) -> Block:
    """Per network, the brand and each competitor there (n/a where unknown), then the pooled
    interactions per post with the competitors weighted by the brand's network mix."""
    if networks.empty:
        return Block("")
    cols = ["channel", "brand", "followers", "posts_per_week", "interactions_per_post",
            "interactions_per_post_per_1000"]  # fmt: skip
    shown = networks[cols]
    block = heading(run.t("observation.benchmark_networks"), 3) + table(
        shown,
        {
            "channel": lab(run, "channel"),
            "followers": kpi_fmt(run, "followers", 0),
            "posts_per_week": kpi_fmt(run, "posts_per_week", 1),
            "interactions_per_post": kpi_fmt(run, "interactions_per_post", 1),
            "interactions_per_post_per_1000": kpi_fmt(run, "interactions_per_post_per_1000", 1),
        },
        headers(run, cols),
        run.t("observation.benchmark_networks_note")
        + " · "
        + kpi_note(run, "interactions_per_post", "interactions_per_post_per_1000"),
        classes={"brand": lambda v: "wb-ok" if v == run.brief.client.name else ""},
        lang=run.lang,
    )
    mix = obs_.brand_mix_reference(networks)
    if pd.isna(mix["gap"]):
        return block
    return block + say(
        run.t(
            "observation.benchmark_mix_say",
            brand=run.brief.client.name,
            own=kpi_value(run, "interactions_per_post", mix["brand"]),
            reference=kpi_value(run, "interactions_per_post", mix["reference"]),
            gap=fmt_percent(mix["gap"], run.lang, 0, True),
            coverage=fmt_percent(mix["coverage"], run.lang, 0),
        )
    )


def benchmark(run: Run) -> Section:
    """Every brand of the brief, like for like: per network first (community, posting pace,
    interactions per post and per post per 1,000 followers,
    :func:`helpers.method.observation.network_benchmark`), with the pooled interactions per post
    weighted by the brand's network mix; then the brands as wholes (community, its share,
    mentions, share of voice, net sentiment).

    Returns:
        ``.table``: one row per brand (the client first); ``.figure``: share of voice, or ``None``
        without listening data; ``.data["networks"]``: the per-network benchmark.
    """
    b = run.cached(("benchmark",), lambda: obs_.competitor_benchmark(run.brief, run.data, run.start, run.end))
    networks = _networks_benchmark(run)
    cols = [
        c
        for c in (
            "brand",
            "followers",
            "community_share_of_voice",
            "mentions",
            "share_of_voice",
            "net_sentiment",
        )
        if c in b.columns
    ]
    block = (
        heading(run.t("observation.benchmark"))
        + _networks_block(run, networks)
        + heading(run.t("observation.benchmark_brands"), 3)
        + table(
            b[cols],
            {
                "followers": kpi_fmt(run, "followers", 0),
                "community_share_of_voice": kpi_fmt(run, "community_share_of_voice", 0),
                "mentions": kpi_fmt(run, "mentions", 0),
                "share_of_voice": kpi_fmt(run, "share_of_voice", 0),
                "net_sentiment": kpi_fmt(run, "net_sentiment", 0, signed=True),
            },
            {**headers(run, cols), "followers": run.t("observation.followers_all")},
            kpi_note(
                run,
                "community_share_of_voice",
                "share_of_voice",
                run.kpi("net_sentiment"),
            ),
            lang=run.lang,
        )
    )
    if "share_of_voice" not in b.columns:
        return Section(block, b, networks=networks)
    sov = b.set_index("brand")["share_of_voice"].sort_values(ascending=False)
    leader = sov.index[0]
    fig = charts.bars(
        sov,
        run.t("observation.sov_chart", leader=leader, share=fmt_percent(sov.iloc[0], run.lang, 0)),
        run.kpi("share_of_voice").name(run.lang),
        lambda v: fmt_percent(v, run.lang, 0),
        highlight=run.brief.client.name,
    )
    own = sov.get(run.brief.client.name, 0.0)
    block = (
        block
        + figure(fig, run.t("observation.sov_alt"), kpi_note(run, "share_of_voice"))
        + say(
            run.t(
                "observation.sov_say_own" if leader == run.brief.client.name else "observation.sov_say",
                leader=leader,
                share=fmt_percent(sov.iloc[0], run.lang, 0),
                brand=run.brief.client.name,
                own=fmt_percent(own, run.lang, 0),
            )
        )
    )
    return Section(block, b, fig, networks=networks)


def listening(run: Run) -> Section:
    """What is said about the brands: monthly volume per brand, the brand's net sentiment month by
    month, its emotions, and who talks about it (authors tiered by the brief's
    ``influencer_tiers``).

    Returns:
        ``.table``: the authors; ``.figure``: the volume chart; ``.data``: ``volume``,
        ``sentiment`` (and its ``sentiment_figure``), ``emotions``, ``tiers``.
    """
    mentions = run.table("mentions")
    if mentions.empty:
        return Section(heading(run.t("observation.listening")) + say(run.t("observation.no_data")))
    brand = run.brief.client.name
    neutral = run.brief.kpi.net_sentiment_neutral
    volume = obs_.listening_monthly(mentions, run.tz)
    months = [fmt_month(m, run.lang) for m in volume.index]
    voice = kpis.share_of_voice(mentions).sort_values(ascending=False)
    vol_title = run.t(
        "observation.volume_title", leader=voice.index[0], share=fmt_percent(voice.iloc[0], run.lang, 0)
    )
    vol_fig = charts.lines(
        volume,
        vol_title,
        run.kpi("mentions").name(run.lang),
        lambda v: fmt_number(v, run.lang),
        months,
    )
    sentiment = obs_.sentiment_monthly(mentions, brand, run.tz, neutral)
    ns_def = run.kpi("net_sentiment")
    sent_fig = charts.lines(
        sentiment[["net_sentiment"]],
        run.t("observation.sentiment_chart", brand=brand),
        ns_def.name(run.lang),
        lambda v: fmt_percent(v, run.lang, 0),
        months,
        legend={"net_sentiment": ns_def.name(run.lang)},
    )
    emotions = obs_.emotions(mentions, brand)
    brands = obs_.brand_names(run.brief)
    tiered = obs_.top_authors(mentions, brand, run.brief.influencer_tiers, brands=brands)
    authors = tiered.drop(columns="kind")
    tiers = obs_.tier_counts(mentions, brand, run.brief.influencer_tiers, brands)
    overall = kpis.net_sentiment(mentions[mentions["brand"] == brand], include_neutral=neutral)
    block = (
        heading(run.t("observation.listening"))
        + figure(vol_fig, vol_title, kpi_note(run, "mentions", "share_of_voice"))
        + figure(sent_fig, run.t("observation.sentiment_chart", brand=brand), kpi_note(run, ns_def))
        + say(
            run.t(
                "observation.sentiment_say",
                brand=brand,
                net=fmt_percent(overall, run.lang, 0, True),
                reach=fmt_number(sentiment["reach"].sum(min_count=1), run.lang),
            )
        )
        + heading(run.t("observation.emotions"), 3)
        + bullets(
            f"{label('emotion', e, run.lang)} : {fmt_percent(s, run.lang, 0)}"
            if run.lang == "fr"
            else f"{label('emotion', e, run.lang)}: {fmt_percent(s, run.lang, 0)}"
            for e, s in zip(emotions.index, rounded_shares(list(emotions)), strict=True)
        )
        + heading(run.t("observation.authors"), 3)
        + table(
            authors,
            {
                "mentions": num(run),
                "author_followers": num(run),
                "reach": num(run),
                "positive": pct(run, 0),
                "tier": lab(run, "tier"),
            },
            headers(run, authors.columns),
            run.t(
                "observation.tiers_note",
                nano=fmt_number(run.brief.influencer_tiers.nano, run.lang),
                micro=fmt_number(run.brief.influencer_tiers.micro, run.lang),
                macro=fmt_number(run.brief.influencer_tiers.macro, run.lang),
            )
            + " "
            + run.t("observation.tiers_kinds_note"),
            lang=run.lang,
        )
        + say(
            run.t(
                "observation.tiers_say",
                macro=int(tiers.get("macro", 0)),
                micro=int(tiers.get("micro", 0)),
                nano=int(tiers.get("nano", 0)),
            ),
            run.t(
                "observation.tiers_apart_say",
                media=int(tiers.get("media", 0)),
                brands=int(tiers.get("brand", 0)),
                unknown=int(tiers.get("unknown", 0)),
            ),
        )
    )
    return Section(
        block,
        authors,
        vol_fig,
        volume=volume,
        sentiment=sentiment,
        sentiment_figure=sent_fig,
        emotions=emotions,
        tiers=tiers,
    )


#: Ambassadors 01's table shows (most mentions of the brand first; all in ``.data["ambassadors"]``).
AMBASSADORS_SHOWN = 10
#: Columns of 01's shortlist table, in order.
SHORTLIST_COLUMNS = ["author", "network", "tier", "followers", "brand_mentions", "score", *inf_.PARTS]


def _part_fmt(run: Run):
    return lambda v: fmt_number(v, run.lang, 2)


def influencer_reason(run: Run, row: Any) -> str:
    """One line on a scored candidate (a row of :func:`helpers.method.influencers.scores`): who they
    are, what they say about the brand, how they fit the persona, their strongest and weakest part."""
    lang = run.lang
    text = run.t(
        "influencers.reason" if row.brand_mentions > 0 else "influencers.reason_no_brand",
        author=row.author,
        tier=label("tier", row.tier, lang),
        network=label("channel", row.network, lang),
        mentions=int(row.brand_mentions),
        positive=fmt_percent(row.positive, lang, 0),
        score=fmt_number(row.score, lang, 2),
    )
    if isinstance(row.fit_terms, str) and row.fit_terms:
        text += " " + run.t("influencers.reason_fit", terms=fmt_list(row.fit_terms.split("; "), lang))
    if int(row.competitor_mentions) > 0:
        text += " " + run.t(
            "influencers.reason_rivals", n=int(row.competitor_mentions), competitors=row.competitors
        )
    if isinstance(row.strongest, str) and isinstance(row.weakest, str) and row.strongest != row.weakest:
        text += " " + run.t(
            "influencers.reason_parts",
            best=run.t(f"influencers.part_{row.strongest}"),
            worst=run.t(f"influencers.part_{row.weakest}"),
        )
    return text


def influencers(run: Run, min_posts: int | None = None, confidence: float | None = None) -> Section:
    """Who could speak for the brand (:mod:`helpers.method.influencers`): the authors of the brand's,
    its keywords' and its competitors' mentions, media and brands apart, scored per persona on the
    brief's ``influencers.weights``; the shortlist per persona and tier, the ambassadors, and the
    method's population KPIs.

    Args:
        min_posts: mentions an author's engagement needs to be compared (the sample rule; default
            the brief's ``analysis.min_posts``).
        confidence: level of the engagement intervals (default the brief's).

    Returns:
        ``.table``: the shortlist (every persona); ``.data``: ``scored`` (the ``influencers.csv``
        table), ``candidates``, ``ambassadors``, ``population``.
    """
    title = heading(run.t("influencers.title"))
    mentions = run.table("mentions")
    if mentions.empty:
        return Section(title + say(run.t("observation.no_data")))
    found = inf_.analyse(mentions, run.brief, sample_rule(run, min_posts, confidence), run.start, run.end)
    pop = found.population
    apart = found.candidates["kind"].value_counts()
    block = title + say(
        run.t(
            "influencers.population_say",
            population=pop["population"],
            influencers=pop["influencers"],
            influencer_share=fmt_percent(pop["influencer_share"], run.lang, 0),
            ambassadors=pop["ambassadors"],
            ambassador_share=fmt_percent(pop["ambassador_share"], run.lang, 0),
        ),
        run.t(
            "influencers.new_say",
            new_influencers=pop["new_influencers"],
            new_ambassadors=pop["new_ambassadors"],
            since=fmt_date(dt.date.fromisoformat(pop["midpoint"]), run.lang, long=True),
        ),
        run.t(
            "influencers.apart_say",
            candidates=int(apart.get("individual", 0)),
            media=int(apart.get("media", 0)),
            brands=int(apart.get("brand", 0)),
        ),
    )
    weights = run.brief.influencers.weights
    note = run.t(
        "influencers.score_note",
        weights=fmt_list(
            [
                f"{run.t(f'influencers.part_{p}')} {fmt_number(getattr(weights, p), run.lang, 1)}"
                for p in inf_.PARTS
            ],
            run.lang,
        ),
        fit=fmt_number(inf_.MIN_FIT, run.lang, 2),
        n=run.brief.influencers.shortlist,
    ) + " " + method_link(run, "influencers")
    heads = {
        c: run.t(f"influencers.col_{c}") for c in [*SHORTLIST_COLUMNS, "positive", "competitor_mentions"]
    }
    formats = {"network": lab(run, "channel"), "tier": lab(run, "tier"), "followers": num(run),
               "brand_mentions": num(run), "score": _part_fmt(run), "positive": pct(run, 0),
               "competitor_mentions": num(run)}  # fmt: skip
    formats |= {p: _part_fmt(run) for p in inf_.PARTS}
    short = found.shortlist
    for persona in [p.name for p in run.brief.targets] or [""]:
        rows = short[short["persona"] == persona] if len(short) else short
        block += heading(
            run.t("influencers.shortlist", persona=persona)
            if persona
            else run.t("influencers.shortlist_all"),
            3,
        )
        if rows.empty:
            block += say(run.t("influencers.none", fit=fmt_number(inf_.MIN_FIT, run.lang, 2)))
            continue
        block += table(rows[SHORTLIST_COLUMNS], formats, heads, note, lang=run.lang)
        block += bullets(influencer_reason(run, r) for r in rows.itertuples())
    amb = found.ambassadors
    block += heading(run.t("influencers.ambassadors"), 3)
    rule = run.brief.influencers
    amb_note = run.t(
        "influencers.ambassadors_note",
        n=rule.ambassador_mentions,
        share=fmt_percent(rule.ambassador_positive, run.lang, 0),
    )
    if amb.empty:
        block += say(amb_note)
    else:
        cols = ["author", "network", "tier", "followers", "brand_mentions", "positive", "competitor_mentions"]
        if len(amb) > AMBASSADORS_SHOWN:
            amb_note += " " + run.t("influencers.ambassadors_more", shown=AMBASSADORS_SHOWN, total=len(amb))
        block += table(amb[cols].head(AMBASSADORS_SHOWN), formats, heads, amb_note, lang=run.lang)
    return Section(
        block,
        short,
        scored=found.scored,
        candidates=found.candidates,
        ambassadors=amb,
        population=pop,
    )


def save_influencers(run: Run, section: Section) -> None:
    """Write ``influencers.csv``: every individual candidate per persona, with its parts, score,
    rank and whether it is shortlisted (:func:`influencers`)."""
    run.save("influencers", section.data.get("scored", pd.DataFrame()))


def audience(run: Run) -> Section:
    """Who follows the brand: each network's audience by age, gender and city, then the personas
    (:func:`find_personas`: clustered from customer records when there are enough, else the
    brief's targets sketched).

    Returns:
        ``.table``: the audience shares (dimension, value, one column per network);
        ``.data["personas"]``: the :class:`Personas` that ``05`` reads.
    """
    found = find_personas(run)
    aud = run.table("audience")
    if aud.empty:
        block = heading(run.t("observation.audience")) + say(run.t("observation.no_data"))
        return Section(block, personas=found)
    block = heading(run.t("observation.audience"))
    parts = []
    for dimension in ("age", "gender", "city"):
        shares = obs_.audience_shares(aud, dimension).reset_index()
        parts.append(shares.assign(dimension=dimension))
        fmts = {c: pct(run, 0) for c in shares.columns if c != "value"}
        # a gender in the report's words; "other" (the cities and ages not listed) likewise
        fmts["value"] = lab(run, "gender" if dimension == "gender" else "audience")
        block += heading(run.t(f"observation.audience_{dimension}"), 3) + table(
            shares,
            fmts,
            {
                "value": run.t(f"observation.audience_{dimension}"),
                **{c: label("channel", c, run.lang) for c in shares.columns if c != "value"},
            },
            lang=run.lang,
        )
    block += heading(run.t("observation.personas"), 3) + personas(run, found)
    shares = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(shares):
        shares = shares[["dimension", *[c for c in shares.columns if c != "dimension"]]]
    return Section(block, shares, personas=found)


@dataclass
class Personas:
    """The personas of the audit: the table 05 reads, and how they were found.

    ``segmentation`` holds the clusters when the customer records were clustered; otherwise
    the table sketches the brief's targets and ``note``/``reason`` say why.
    """

    table: pd.DataFrame
    segmentation: Any = None
    note: str = ""  # catalogue key of the reason for sketches ("" when clustered or no records)
    reason: str = ""


def find_personas(run: Run) -> Personas:
    """Personas: clustered from the customer records when there are enough, else the brief's.

    With a ``customers`` table (CRM extract or survey) of at least
    ``helpers.method.personas.MIN_RECORDS`` records, the records are clustered
    (:func:`helpers.method.personas.segment`); otherwise the brief's targets are sketched.
    """
    from helpers.method import personas as personas_

    customers = run.data.tables.get("customers")
    if customers is None or customers.empty:
        return Personas(_sketch_table(run))
    try:
        segmentation = personas_.segment(customers, run.brief.targets, run.end)
    except personas_.TooFewRecordsError:
        return Personas(_sketch_table(run), note="personas.too_few")
    except personas_.ClusteringError as exc:
        return Personas(_sketch_table(run), note="personas.cannot", reason=str(exc))
    return Personas(segmentation.table().assign(source="customers"), segmentation)


def personas(run: Run, found: Personas | None = None) -> Block:
    """The personas of :func:`find_personas` as cards, then in a short table (or the sketches)."""
    from helpers.method import personas as personas_

    found = found or find_personas(run)
    if found.segmentation is not None:
        return _clustered_personas(run, found.segmentation)
    if found.note == "personas.too_few":
        customers = run.data.tables["customers"]
        note = run.t(found.note, n=fmt_number(len(customers), run.lang), min=personas_.MIN_RECORDS)
        return say(note) + target_sketches(run)
    if found.note:
        return say(run.t(found.note, reason=found.reason)) + target_sketches(run)
    return target_sketches(run)


def target_sketches(run: Run) -> Block:
    """The brief's target personas, each with its share of every network's audience in its age
    bands (:func:`helpers.method.observation.audience_share`); a network that gives no age data
    says so ("LinkedIn: no age data"), never 0 %."""
    aud = run.table("audience")
    block = Block("")
    for persona in run.brief.targets:
        lines = [persona.description] if persona.description else []
        for channel in run.brief.channels if persona.ages else ():
            share = obs_.audience_share(aud, channel, "age", persona.ages)
            name = label("channel", channel, run.lang)
            lines.append(
                run.t("observation.persona_no_ages", channel=name)
                if pd.isna(share)
                else run.t(
                    "observation.persona_reach",
                    channel=name,
                    share=fmt_percent(share, run.lang, 0),
                    ages=", ".join(persona.ages),
                )
            )
        if persona.interests:
            lines.append(
                run.t(
                    "observation.persona_interests",
                    interests=", ".join(label("interest", i, run.lang) for i in persona.interests),
                )
            )
        block += card(persona.name, lines)
    if not run.brief.targets:
        block += say(run.t("observation.no_personas"))
    return block


def _sketch_table(run: Run) -> pd.DataFrame:
    """The brief's personas as a table (``personas.csv`` when no records were clustered)."""
    rows = [
        {
            "persona": number,
            "name": target.name,
            "age_band": ",".join(target.ages),
            "gender": ",".join(target.genders),
            "interests": ";".join(target.interests),
            "source": "brief",
        }
        for number, target in enumerate(run.brief.targets, start=1)
    ]
    return pd.DataFrame(rows, columns=["persona", "name", "age_band", "gender", "interests", "source"])


def _shares_text(run: Run, pairs, naming) -> str:
    """``Instagram 78 %, TikTok 8 %``: names and shares, in the run's language."""
    return ", ".join(f"{naming(name, run.lang)} {fmt_percent(share, run.lang, 0)}" for name, share in pairs)


def _gender_text(run: Run, persona) -> str:
    if persona.gender is None:
        return ""
    return run.t(f"personas.share_{persona.gender}", share=fmt_percent(persona.gender_share, run.lang, 0))


def _persona_profile(run: Run, persona) -> list[str]:
    """Who the persona is: size, age, gender, region."""

    lang = run.lang
    size, share = fmt_number(persona.size, lang), fmt_percent(persona.share, lang, 0)
    lines = [run.t("personas.size", size=size, share=share)]
    if persona.median_age is None:
        lines.append(run.t("personas.age_unknown"))
    else:
        band = persona_words.ages_text(persona, lang)
        lines.append(run.t("personas.age", band=band, age=fmt_number(persona.median_age, lang)))
    if persona.gender is not None:
        lines.append(run.t("personas.gender", text=_gender_text(run, persona)))
    if persona.region is not None:
        share = fmt_percent(persona.region_share, lang, 0)
        lines.append(run.t("personas.region", region=persona.region, share=share))
    return lines


def _persona_habits(run: Run, persona) -> list[str]:
    """What the persona does: networks, interests, purchases, tenure."""
    from helpers.report.i18n import fmt_money

    lang, lines = run.lang, []
    if persona.channels:
        items = _shares_text(run, persona.channels, persona_words.channel_label)
        lines.append(run.t("personas.channels", items=items))
    if persona.interests:
        items = _shares_text(run, persona.interests, persona_words.interest_label)
        lines.append(run.t("personas.interests", items=items))
    if persona.orders is not None and persona.basket is not None:
        basket = fmt_money(persona.basket, lang, run.brief.client.currency)
        lines.append(run.t("personas.orders", orders=fmt_number(persona.orders, lang, 1), basket=basket))
    if persona.tenure is not None:
        key = "personas.tenure" if round(persona.tenure, 1) >= 2 else "personas.tenure_short"  # 1,5 an
        lines.append(run.t(key, years=fmt_number(persona.tenure, lang, 1)))
    return lines


def _persona_lines(run: Run, persona) -> list[str]:
    """The lines of one persona's card, ending with the brief persona it matches."""
    lines = _persona_profile(run, persona) + _persona_habits(run, persona)
    if persona.match:
        score = fmt_percent(persona.match_score, run.lang, 0)
        lines.append(run.t("personas.match", name=persona.match, score=score))
    elif run.brief.targets:
        lines.append(run.t("personas.no_match"))
    return lines


def _clustered_personas(run: Run, segmentation) -> Block:
    """Cards, a short table and the sentence that says how the personas were found."""
    from helpers.report.i18n import fmt_money

    lang = run.lang
    names = persona_words.persona_names(segmentation.personas, lang)
    sentence = run.t(
        "personas.say",
        n=len(segmentation.personas),
        records=fmt_number(segmentation.records, lang),
        k=segmentation.k,
        silhouette=fmt_number(segmentation.silhouette, lang, 3),
    )
    block = heading(run.t("personas.known"), 4) + say(sentence, run.t("personas.funnel"))
    for name, persona in zip(names, segmentation.personas, strict=True):
        block += card(name, _persona_lines(run, persona))
    first = {
        "top_gender": lambda p: _gender_text(run, p),
        "top_channel": lambda p: _shares_text(run, p.channels[:1], persona_words.channel_label),
        "top_interest": lambda p: _shares_text(run, p.interests[:1], persona_words.interest_label),
    }
    rows = pd.DataFrame(
        {
            "persona": names,
            "records": [p.size for p in segmentation.personas],
            "share": [p.share for p in segmentation.personas],
            "median_age": [p.median_age for p in segmentation.personas],
            **{column: [text(p) for p in segmentation.personas] for column, text in first.items()},
            "basket": [p.basket for p in segmentation.personas],
            "brief_persona": [p.match or "" for p in segmentation.personas],
        }
    )
    money = lambda v: fmt_money(v, lang, run.brief.client.currency)  # noqa: E731
    return block + table(
        rows,
        {"records": num(run), "share": pct(run, 0), "median_age": num(run), "basket": money},
        headers(run, rows.columns),
        note=run.t("personas.method") + " " + method_link(run, "personas"),
        lang=run.lang,
    )


def best_time(run: Run, min_posts: int | None = None, confidence: float | None = None) -> Section:
    """When to post: the brief's engagement rate per weekday × hour in the client's time zone,
    and the best slots (:func:`helpers.method.observation.best_times`), ranked by the low bound of
    their interval so that a slot shining on a handful of posts does not beat one that is
    consistently good. A slot's gap with the average of all posts is shown only when its
    interval excludes that average; the heatmap's title names a best slot only then.

    Args:
        min_posts: posts a slot needs to be ranked; cells under it are greyed in the heatmap
            and never ranked (default: the brief's ``analysis.min_posts``, 5).
        confidence: level of each slot's bootstrap interval (default: the brief's
            ``analysis.confidence``, 0.95).

    Returns:
        ``.table``: the best slots (weekday 0 = Monday, hour, posts, rate, interval, reference,
        lift over all posts, verdict); ``.figure``: the heatmap; ``.data``: ``rates`` and
        ``counts`` (weekday × hour).
    """
    rule_ = sample_rule(run, min_posts, confidence)
    er = _er(run)
    rates, counts, slots = run.cached(
        ("best_times", rule_.min_posts, rule_.confidence),
        lambda: obs_.best_times(rated_posts(run), run.tz, run.brief.kpi, run.table("followers"), rule_),
    )
    if slots.empty:
        block = heading(run.t("observation.best_time")) + say(run.t("observation.no_data"))
        return Section(block, slots, rates=rates, counts=counts)
    days = weekday_names(run.lang)
    top = slots.iloc[0]
    day = weekday_names(run.lang, short=False)[int(top["weekday"])]
    stands_out = top["verdict"] == "above"
    title = run.t(
        "observation.heatmap_title" if stands_out else "observation.heatmap_title_flat",
        day=day,
        hour=int(top["hour"]),
        lift=fmt_percent(top["lift"], run.lang, 0, signed=True),
    )
    drawn = (
        rates.set_axis(days, axis=0),
        counts.set_axis(days, axis=0),
        title,
        run.t("observation.hour", tz=run.tz),
        "",
        rule_.min_posts,
        lambda v: fmt_percent(v, run.lang, 1),
        er.name(run.lang),
    )
    fig, phone = charts.heatmap(*drawn), charts.heatmap(*drawn, portrait=True)
    names = weekday_names(run.lang, False)
    shown = with_gap(run, slots).assign(weekday=[names[d] for d in slots["weekday"]])
    cols = ["weekday", "hour", "posts", "engagement_rate", "low", "high", "lift"]
    level = fmt_percent(rule_.confidence, run.lang, 0)
    figures = {
        "level": level,
        "day": day,
        "hour": int(top["hour"]),
        "rate": fmt_percent(top["engagement_rate"], run.lang, 2),
        "low": fmt_percent(top["low"], run.lang, 2),
        "high": fmt_percent(top["high"], run.lang, 2),
        "posts": int(top["posts"]),
    }
    if stands_out:
        sentence = run.t("observation.best_time_say", lift=fmt_percent(top["lift"], run.lang, 0), **figures)
    else:
        reference = fmt_percent(top["reference"], run.lang, 2)
        sentence = run.t("observation.best_time_flat_say", reference=reference, **figures)
    block = (
        heading(run.t("observation.best_time"))
        + figure(
            fig,
            title,
            run.t("observation.heatmap_note", n=rule_.min_posts, tz=run.tz) + " " + kpi_note(run, er),
            phone=phone,
        )
        + table(
            shown[cols],
            {
                "posts": num(run),
                "engagement_rate": kpi_fmt(run, "engagement_rate", 2),
                "low": pct(run, 2),
                "high": pct(run, 2),
            },
            {**headers(run, cols), "engagement_rate": er.name(run.lang), "lift": run.t("col.slot_lift")},
            run.t("observation.slots_note", n=rule_.min_posts) + " " + method_link(run, "samples"),
            lang=run.lang,
        )
        + say(sentence)
        + online(run, slots)
    )
    return Section(block, slots, fig, rates=rates, counts=counts)


def online(run: Run, slots: pd.DataFrame, top: int = 5) -> Block:
    """When followers are online (where a network counts it): the peak hours per network, and
    whether the best engagement slot (first row of ``slots``, when its verdict is ``above`` the
    average) is among its ``top`` busiest hours."""
    active = obs_.follower_activity(run.table("activity"), run.brief.channels)
    if active.empty:
        return Block("")
    days = weekday_names(run.lang, short=False)
    block = heading(run.t("observation.activity"), 3)
    for channel, part in active.groupby("channel", sort=False):
        peak = part.iloc[0]
        shown = part.head(top).assign(weekday=[days[d] for d in part.head(top)["weekday"]])
        cols = ["weekday", "hour", "active_followers", "days"]
        block += table(
            shown[cols],
            {"active_followers": num(run, 1), "days": num(run)},
            headers(run, cols),
            run.t("observation.activity_note", tz=run.tz),
            lang=run.lang,
        ) + say(
            run.t(
                "observation.activity_say",
                channel=label("channel", channel, run.lang),
                day=days[int(peak["weekday"])],
                hour=int(peak["hour"]),
                active=fmt_number(peak["active_followers"], run.lang, 1),
                days=int(part["days"].max()),
            )
        )
        if not slots.empty and slots.iloc[0]["verdict"] == "above":  # a slot that stands out
            best = slots.iloc[0]
            slot = f"{days[int(best['weekday'])]} {fmt_time(int(best['hour']), run.lang)}"
            busiest = set(zip(part.head(top)["weekday"], part.head(top)["hour"], strict=True))
            agree = (int(best["weekday"]), int(best["hour"])) in busiest
            key = "activity_match" if agree else "activity_apart"
            block += say(run.t(f"observation.{key}", slot=slot))
    return block


def save(
    run: Run,
    community: Section,
    engagement: Section,
    formats: Section,
    slots: Section,
    benchmark: Section,
    audience: Section,
    above: Section | None = None,
) -> None:
    """Write the audit's tables to the run folder for the next steps, as the cells computed them
    (with the settings the notebook chose): the audit, the monthly engagement and its trend, the
    formats, the best slots, the benchmark, the personas, every KPI figure and the posts above N
    interactions per network and month (:func:`posts_above`; computed here when not passed)."""
    run.save("audit", community.data["audit"])
    run.save("monthly_engagement", engagement.data["monthly"].reset_index())
    run.save("engagement_trend", engagement.data["trend"])
    run.save("formats", formats.table)
    run.save("best_slots", slots.table)
    run.save("benchmark", benchmark.table)
    run.save("benchmark_networks", benchmark.data["networks"])
    run.save("personas", audience.data["personas"].table)
    run.save("kpis", kpi_table(run, community.data["audit"], benchmark.table))
    run.save("posts_above", (above if above is not None else posts_above(run)).data["monthly"])
    run.save_notes()


def kpi_variant(run: Run, kpi_id: str) -> str:
    """The brief's variant of a KPI, as ids: ``impressions/ratio_of_sums`` for the engagement rate,
    ``with_neutral`` or ``without_neutral`` for net sentiment, ``""`` for the others."""
    conv = run.brief.kpi
    if kpi_id == "engagement_rate":
        return f"{conv.engagement_rate}/{conv.aggregation}"
    if kpi_id == "net_sentiment":
        return "with_neutral" if conv.net_sentiment_neutral else "without_neutral"
    return ""


def kpi_table(run: Run, audit: pd.DataFrame, bench: pd.DataFrame) -> pd.DataFrame:
    """Every KPI figure of the audit, long format: KPI id, the brief's variant, scope, value, unit.

    No words: names and definitions are in ``docs/kpis.md`` and the deliverables' glossary.
    """
    rows = []
    columns = (
        "followers_end", "follower_growth", "posts_per_week", "engagement_rate", "interactions_per_1000",
        "response_rate", "response_time_median",
    )  # fmt: skip
    er = _er(run)
    for record in audit.to_dict("records"):
        for column in columns:
            kpi_id = {"followers_end": "followers"}.get(column, column)
            d = er if kpi_id == "engagement_rate" else run.kpi(kpi_id)
            rows.append(_kpi_row(run, kpi_id, record["channel"], record[column], d.unit))
    for record in bench.to_dict("records"):
        for kpi_id in ("share_of_voice", "community_share_of_voice", "net_sentiment"):
            if kpi_id in record:
                rows.append(_kpi_row(run, kpi_id, record["brand"], record[kpi_id], run.kpi(kpi_id).unit))
    return pd.DataFrame(rows, columns=["kpi", "variant", "scope", "value", "unit"])


def _kpi_row(run: Run, kpi_id: str, scope: str, value: float, unit: str) -> dict:
    return {"kpi": kpi_id, "variant": kpi_variant(run, kpi_id), "scope": scope, "value": value, "unit": unit}


# --- content themes ---------------------------------------------------------------------------

#: Characters of an example text shown in a table (cut with ``…``).
EXAMPLE_CHARS = 80
#: Themes of the mentions shown per network, most frequent first.
MENTION_THEMES_SHOWN = 3


def _theme_table(run: Run, rule_: evidence.Rule) -> pd.DataFrame:
    from helpers.method import themes as themes_

    names = [run.brief.client.name, *run.brief.competitor_names]
    return run.cached(
        ("themes", rule_.min_posts, rule_.confidence),
        lambda: themes_.theme_table(
            rated_posts(run),
            run.brief.kpi,
            run.table("followers"),
            rule_,
            run.table("mentions"),
            run.brief.client.name,
            exclude=names,
        ),
    )


def _cut(text: Any) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1].rstrip() + "…"


def themes(
    run: Run,
    min_posts: int | None = None,
    confidence: float | None = None,
    lift_threshold: float | None = None,
) -> Section:
    """What the brand's posts and the mentions of the brand talk about, and which themes engage
    (:func:`helpers.method.themes.theme_table`): per network, hashtags and term themes (TF-IDF
    and NMF, French and English stop words), each named by its top terms and an example, with
    its volume, the brief's engagement rate, its interval and its gap with the network's other
    posts, shown only when the interval excludes their rate.

    Args:
        min_posts: posts a theme needs to get an interval and be ranked (default: the brief's
            ``analysis.min_posts``).
        confidence: level of the intervals (default: ``analysis.confidence``).
        lift_threshold: lift over the network's other posts from which a theme whose interval
            is above them engages (default: ``analysis.lift_threshold``).

    Returns:
        ``.table``: every theme (``themes.csv``); ``.data["engaging"]``: the themes that engage.
    """
    from helpers.method import themes as themes_
    from helpers.report.explorer import safe_link

    rule_ = sample_rule(run, min_posts, confidence)
    threshold = setting(run.brief.analysis, "lift_threshold", lift_threshold)
    found = _theme_table(run, rule_)
    engaging = themes_.engaging_themes(found, threshold, rule_.min_posts)
    block = heading(run.t("themes.title"))
    if found.empty:
        return Section(block + say(run.t("themes.none")), found, engaging=engaging)
    er, rate_fmt = _er(run), kpi_fmt(run, "engagement_rate", 2)
    cols = ["channel", "terms", "kind", "posts", "share", "rate", "low", "high", "lift", "example_text"]
    heads = {c: run.t(f"themes.col.{c}") for c in cols} | {"rate": er.name(run.lang)}
    formats = {
        "channel": lab(run, "channel"),
        "kind": lambda v: run.t(f"themes.kind.{v}"),
        "posts": num(run),
        "share": pct(run, 0),
        "rate": rate_fmt,
        "low": rate_fmt,
        "high": rate_fmt,
        "example_text": _cut,
    }
    own = with_gap(run, found[found["source"] == "posts"])
    if not own.empty:
        words = [kpi_note(run, er), run.t("themes.note", n=rule_.min_posts), method_link(run, "themes")]
        note = " ".join(words)
        block += heading(run.t("themes.posts"), 3) + table(own[cols], formats, heads, note, lang=run.lang)
    heard = found[found["source"] == "mentions"]
    if not heard.empty:
        heard = heard.sort_values(["channel", "posts"], ascending=[True, False])
        heard = heard.groupby("channel").head(MENTION_THEMES_SHOWN)
        mcols = ["channel", "terms", "kind", "posts", "share", "example_text"]
        mheads = heads | {"posts": run.t("themes.col.mentions"), "share": run.t("themes.col.mention_share")}
        block += heading(run.t("themes.mentions"), 3) + table(
            heard[mcols],
            formats,
            mheads,
            run.t("themes.mentions_note", n=MENTION_THEMES_SHOWN),
            lang=run.lang,
        )
    if engaging.empty:
        block += say(run.t("themes.flat", lift=fmt_percent(threshold, run.lang, 0)))
        return Section(block, found, engaging=engaging)
    items = [
        run.t(
            "themes.engaging_item",
            channel=label("channel", row["channel"], run.lang),
            terms=row["terms"],
            lift=fmt_percent(row["lift"], run.lang, 0, signed=True),
            posts=int(row["posts"]),
        )
        for _, row in engaging.iterrows()
    ]
    links = "".join(
        f"<li>{escape(item)} {safe_link(row['example_url'], _cut(row['example_text']))}</li>"
        for item, (_, row) in zip(items, engaging.iterrows(), strict=True)
    )
    block += say(run.t("themes.engaging", n=len(engaging))) + Block(f"<ul>{links}</ul>")
    return Section(block, found, engaging=engaging)


# competitors over time (helpers/method/competition.py)


def _rivals_lines(run: Run, frame: pd.DataFrame, title: str, ylabel: str, formatter) -> Any:
    """One line per brand (columns), months as x, the client in its colour."""
    return charts.lines(
        frame,
        title,
        ylabel,
        formatter,
        [fmt_month(m, run.lang) for m in frame.index],
        colours={run.brief.client.name: charts.brand_colour()},
    )


def _rivals_growth_index(monthly: pd.DataFrame, brands: list[str]) -> pd.DataFrame:
    """Each brand's community (all networks) against its first month: followers / followers of the
    period's first month − 1, month by month (NaN where either is unknown)."""
    total = monthly[monthly["channel"] == competition.ALL].pivot_table(
        index="month", columns="brand", values="followers", aggfunc="sum", dropna=False
    )
    total = total.reindex(columns=[b for b in brands if b in total.columns])
    return total / total.iloc[0] - 1 if len(total) else total


def rivals(
    run: Run,
    change_threshold: float | None = None,
    min_posts: int | None = None,
    confidence: float | None = None,
) -> Section:
    """The competitors over time (:mod:`helpers.method.competition`): every brand's share of voice,
    net sentiment and community month by month, each brand's shifts (the last three full months
    against the three before: share of voice on its mentions, monthly growth on its months), the
    competitors' shifts that make findings, and each competitor's leading themes in its mentions.

    Args:
        change_threshold: the relative change that makes a shift a finding when its interval also
            excludes 0 (default: the brief's ``analysis.change_threshold``).
        min_posts: mentions each window needs before a share of voice's shift is called (default:
            ``analysis.min_posts``); growth needs every month of both windows known.
        confidence: level of the shifts' intervals (default: ``analysis.confidence``).

    Returns:
        ``.table``: ``competitor_shifts.csv``; ``.figure``: share of voice month by month;
        ``.data``: ``monthly`` (``competitors_monthly.csv``), ``notable`` (the shifts that make
        findings), ``themes`` (the competitors' leading terms), ``growth_figure``,
        ``sentiment_figure``.
    """
    analysis = run.brief.analysis
    threshold = setting(analysis, "change_threshold", change_threshold)
    rule = evidence.Rule.of(analysis, min_posts=min_posts, confidence=confidence)
    monthly = run.cached(
        ("rivals_monthly",), lambda: competition.monthly(run.brief, run.data, run.start, run.end, run.tz)
    )
    mentions = run.table("mentions")
    shifts = run.cached(
        ("rivals_shifts", rule),
        lambda: competition.shifts(run.brief, mentions, monthly, run.tz, run.start, run.end, rule),
    )
    themes = run.cached(("rivals_themes",), lambda: competition.leading_themes(mentions, run.brief))
    notable = competition.notable_shifts(shifts, threshold)
    brands = [run.brief.client.name, *run.brief.competitor_names]
    block = heading(run.t("observation.rivals"))
    voice = monthly[monthly["channel"] == competition.ALL].pivot_table(
        index="month", columns="brand", values=["share_of_voice", "net_sentiment"], dropna=False
    )
    sov_fig = sent_fig = growth_fig = None
    if len(mentions) and len(voice):
        sov = voice["share_of_voice"].reindex(columns=brands)
        voiced = notable[notable["metric"] == "share_of_voice"]
        sov_title = (
            run.t(
                f"observation.rivals_sov_chart_{voiced.iloc[0]['direction']}",
                brand=voiced.iloc[0]["brand"],
                before=fmt_percent(voiced.iloc[0]["before"], run.lang, 0),
                recent=fmt_percent(voiced.iloc[0]["recent"], run.lang, 0),
            )
            if len(voiced)
            else run.t("observation.rivals_sov_chart")
        )
        sov_fig = _rivals_lines(run, sov, sov_title, run.kpi("share_of_voice").name(run.lang), pct(run, 0))
        ns_def = run.kpi("net_sentiment")
        sent = voice["net_sentiment"].reindex(columns=brands)
        sent_title = run.t("observation.rivals_sentiment_chart")
        sent_fig = _rivals_lines(run, sent, sent_title, ns_def.name(run.lang), pct(run, 0))
        block += figure(sov_fig, sov_title, kpi_note(run, "share_of_voice")) + figure(
            sent_fig, sent_title, kpi_note(run, ns_def)
        )
    growth = _rivals_growth_index(monthly, brands)
    if len(growth) and growth.notna().any().any():
        first = fmt_month(growth.index[0], run.lang)
        growth_title = run.t("observation.rivals_growth_chart", month=first)
        growth_fig = _rivals_lines(
            run, growth, growth_title, run.t("observation.rivals_growth_axis", month=first), pct(run, 0)
        )
        block += figure(growth_fig, growth_title, run.t("observation.rivals_growth_note", month=first))
    block += _rivals_shifts_block(run, shifts, notable, threshold, rule) + _rivals_themes_block(run, themes)
    return Section(
        block, shifts, sov_fig, monthly=monthly, notable=notable, themes=themes,
        growth_figure=growth_fig, sentiment_figure=sent_fig,
    )  # fmt: skip


def _rivals_shifts_block(
    run: Run, shifts: pd.DataFrame, notable: pd.DataFrame, threshold: float, rule_: evidence.Rule
) -> Block:
    """Every brand's shifts as a table, then what the competitors' notable shifts say (the
    findings' own sentences), or that none moved beyond the threshold."""
    if shifts.empty:
        return say(run.t("observation.rivals_too_short", months=obs_.TREND_MONTHS))
    first = shifts.iloc[0]
    shown = shifts.assign(
        interval=[
            run.t("observation.rivals_interval_value", low=pct(run, 0, True)(lo), high=pct(run, 0, True)(hi))
            if pd.notna(lo) and pd.notna(hi)
            else unknown(run.lang)
            for lo, hi in zip(shifts["low"], shifts["high"], strict=True)
        ]
    )[["brand", "metric", "channel", "before", "recent", "change", "interval", "direction"]]
    found = competition.shift_findings(shifts, synthesis.objective_weights(run.brief), threshold)
    block = heading(run.t("observation.rivals_shifts"), 3) + table(
        shown,
        {
            "metric": lambda v: run.t(f"rival_metric.{v}"),
            "channel": lab(run, "channel"),
            "before": pct(run, 1),
            "recent": pct(run, 1),
            "change": pct(run, 0, signed=True),
            "direction": lambda v: run.t(f"rival_direction.{v}"),
        },
        {
            **headers(run, ["brand", "channel"]),
            "metric": run.t("observation.rivals_metric"),
            "before": fmt_window(first["before_start"], first["before_end"], run.lang),
            "recent": fmt_window(first["recent_start"], first["recent_end"], run.lang),
            "change": run.t("observation.rivals_change"),
            "interval": run.t("observation.rivals_interval", level=pct(run, 0)(rule_.confidence)),
            "direction": run.t("observation.rivals_direction"),
        },
        run.t(
            "observation.rivals_rule",
            months=obs_.TREND_MONTHS,
            threshold=fmt_percent(threshold, run.lang, 0),
            level=fmt_percent(rule_.confidence, run.lang, 0),
            n=rule_.min_posts,
        )
        + " "
        + method_link(run, "trends"),
        classes={"direction": lambda v: "wb-ok" if v in ("rise", "fall") else ""},
        lang=run.lang,
    )
    if found:  # most severe first, as 02 ranks them
        weight = run.brief.synthesis.strength_weight
        found = sorted(found, key=lambda f: -synthesis.severity(synthesis.Finding(**f), weight))
        return block + say(*[finding(run, f) for f in found])
    return block + say(run.t("observation.rivals_no_shift", threshold=fmt_percent(threshold, run.lang, 0)))


def _rivals_themes_block(run: Run, themes: pd.DataFrame) -> Block:
    """Each competitor's leading terms in its mentions, with the share of its mentions that carry
    each."""
    if themes.empty:
        return Block("")
    rows = pd.DataFrame(
        [
            {
                "brand": brand,
                "mentions": int(part["mentions"].iloc[0]),
                "terms": ", ".join(
                    f"{term} ({pct(run, 0)(share)})"
                    for term, share in zip(part["term"], part["share"], strict=True)
                ),
            }
            for brand, part in themes.groupby("brand", sort=False)
        ]
    )
    return heading(run.t("observation.rivals_themes"), 3) + table(
        rows,
        {"mentions": num(run)},
        {**headers(run, ["brand", "mentions"]), "terms": run.t("observation.rivals_terms")},
        run.t("observation.rivals_themes_note", n=competition.MIN_THEME_MENTIONS),
        lang=run.lang,
    )


def save_rivals(run: Run, rivals: Section) -> None:
    """Write the competitors over time to the run folder: ``competitors_monthly.csv`` and
    ``competitor_shifts.csv`` (which ``02`` turns into findings)."""
    run.save("competitors_monthly", rivals.data["monthly"])
    run.save("competitor_shifts", rivals.table)
