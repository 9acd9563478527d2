"""Sections of ``06_planning``: the content calendar, its month views, workload and budget."""

from __future__ import annotations

import pandas as pd

from helpers.method import actions as act
from helpers.method import planning as plan
from helpers.method.moments import notable_dates
from helpers.report import calendar_chart, schedulers
from helpers.report.display import Block, Section, bullets, figure, heading, say, table
from helpers.report.i18n import (
    LANGS,
    fmt_date,
    fmt_hours,
    fmt_list,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_time,
    label,
    t,
    upper_first,
    weekday_names,
)
from helpers.report.pages import replanning as replan_page
from helpers.report.pages.common import action_text, headers, hours, lab, num, pct
from helpers.run.context import Run


def _month_names(lang: str) -> tuple[str, ...]:
    return tuple(t("planning.months", lang).split(","))


def publishing_days(run: Run, posts: pd.DataFrame) -> Section:
    """The weekdays each network posts on in the plan: the brief's ``planning.days`` where given,
    else the weekdays holding at least ``USED_DAY_SHARE`` (5 %) of the network's past posts
    (:func:`helpers.method.planning.publishing_days`): the calendar never places a network's post
    on a day the brand does not use it.

    Args:
        posts: the posts table of the period (``run.table("posts")``).

    Returns:
        ``.table``: one row per network (network, weekdays 0 = Monday as text, source: ``brief``,
        ``posts`` or ``default``); ``.data["days"]``: the weekdays per network, for :func:`calendar`.
    """
    days = plan.publishing_days(run.brief, posts)
    names = weekday_names(run.lang, False)
    rows, shown = [], []
    for ch in run.brief.channels:
        source = "brief" if ch in run.brief.planning.days else ("posts" if ch in days else "default")
        wanted = sorted(days.get(ch, {d for d, _ in plan.DEFAULT_SLOTS}))
        rows.append({"channel": ch, "weekdays": " ".join(map(str, wanted)), "source": source})
        shown.append(
            {
                "channel": label("channel", ch, run.lang),
                "weekdays": fmt_list([names[d] for d in wanted], run.lang),
                "source": run.t(
                    f"planning.days_{source}", share=fmt_percent(plan.USED_DAY_SHARE, run.lang, 0)
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=["channel", "weekdays", "source"])
    block = heading(run.t("planning.days_title")) + table(
        pd.DataFrame(shown),
        None,
        {
            "channel": run.t("col.channel"),
            "weekdays": run.t("planning.days_col"),
            "source": run.t("planning.days_source"),
        },
        run.t("planning.days_note", share=fmt_percent(plan.USED_DAY_SHARE, run.lang, 0)),
        lang=run.lang,
    )
    return Section(block, frame, days=days)


def priority(run: Run) -> list[str]:
    """The brand's networks from the first to keep to the first to cut when the plan exceeds the
    team's capacity: the order of ``05``'s network matrix (:func:`helpers.method.strategy.network_matrix`,
    the same scores), a network without a score last, ties in the brief's order."""
    from helpers.method import strategy as strat
    from helpers.report.pages.strategy import observed_rates

    matrix = strat.network_matrix(run.brief, run.table("audience"), observed_rates(run))
    score = matrix["score"]
    order = {c: i for i, c in enumerate(run.brief.channels)}
    ranked = sorted(
        run.brief.channels,
        key=lambda c: (pd.isna(score.get(c)), -(score.get(c) if pd.notna(score.get(c)) else 0), order[c]),
    )
    return ranked


def calendar(run: Run, days: Section) -> Section:
    """The content calendar over the plan's horizon (:func:`helpers.method.planning.fit_to_capacity`),
    the brief's or, in the monthly cycle, the one following the previous run's calendar
    (:func:`helpers.report.pages.replanning.planning_horizon`, whose reason the first sentence gives):
    each network's posts per week (the brief's ``planning.frequency``, else the method's, lowered
    on the lowest-priority network of :func:`priority` when the team's hours do not cover it),
    placed on the best slots that ``05`` kept and on the weekdays of :func:`publishing_days`
    only, in the format mix that ``05`` chose, off the public holidays when the brief says so;
    each of the brief's own dates gets a post on each main network; each post is tied to a goal
    its network and format can move (``GOAL_FIT``), or to none.

    Returns:
        ``.table``: the calendar, one row per post (number, date, start and end in the client's
        time zone, network, public holiday, brand date, the date it moved from, format, pillar,
        goal, objective, effort hours), which ``calendar.csv`` and ``calendar.ics`` hold;
        ``.data["frequency"]``: per network, posts per week asked and planned, their source and
        posts planned; ``.data["plan"]``: the :class:`helpers.method.planning.Plan`;
        ``.data["goals"]``: posts per network and goal; ``.data["brief"]``: the brief with the
        horizon planned (:func:`helpers.report.pages.replanning.planning_brief`).
    """
    brief = replan_page.planning_brief(run)
    fitted = plan.fit_to_capacity(
        brief,
        run.load("slots"),
        run.load("format_mix"),
        priority=priority(run),
        days=days.data["days"],
        lang=run.lang,
    )
    cal = fitted.calendar
    freq = plan.frequency_table(brief)
    planned = cal.groupby("channel").size()
    freq = freq.assign(
        posts_per_week_planned=freq["channel"].map(fitted.frequency).astype(float),
        posts_planned=freq["channel"].map(planned).fillna(0).astype(int),
    )
    shown = freq.assign(
        source=[run.t(f"planning.source_{'brief' if s == 'brief' else 'method'}") for s in freq["source"]],
    ).rename(columns={"posts_per_week": "posts_per_week_asked"})
    start, end = brief.horizon.start, brief.horizon.end
    moved = int(cal["moved_from"].notna().sum())
    upcoming = cal.head(8).assign(start=[fmt_time(s, run.lang) for s in cal.head(8)["start"]])
    cols = ["date", "start", "channel", "format", "pillar", "goal_id"]
    goals = _goals_tied(run, cal)
    labels = {g.id: g.label or g.id for g in run.brief.goals}  # the client reads labels, never ids
    block = (
        heading(run.t("planning.calendar"))
        + replan_page.horizon_say(run)
        + table(
            shown[["channel", "posts_per_week_asked", "posts_per_week_planned", "source", "posts_planned"]],
            {
                "channel": lab(run, "channel"),
                "posts_per_week_asked": num(run, 1),
                "posts_per_week_planned": num(run, 1),
                "posts_planned": num(run),
            },
            {
                **headers(run, ["channel", "source", "posts_planned"]),
                "posts_per_week_asked": run.t("planning.per_week_asked"),
                "posts_per_week_planned": run.t("col.posts_per_week_planned"),
            },
            run.t("planning.frequency_note"),
            lang=run.lang,
        )
        + say(
            run.t(
                "planning.calendar_say",
                posts=len(cal),
                start=fmt_date(start, run.lang),
                end=fmt_date(end, run.lang),
                moved=moved,
                rule=run.t(f"strategy.rule_{run.brief.planning.holidays}"),
            )
        )
        + _moments_say(run, cal)
        + heading(run.t("planning.goals_title"), 3)
        + table(
            goals.assign(goal=[g or run.t("planning.no_goal") for g in goals["goal"]]),
            {"channel": lab(run, "channel"), "posts": num(run)},
            {
                "channel": run.t("col.channel"),
                "goal": run.t("planning.goal_col"),
                "posts": run.t("col.posts"),
            },
            run.t("planning.goals_note"),
            lang=run.lang,
        )
        + heading(run.t("planning.first_posts"), 3)
        + table(
            upcoming[cols].assign(
                goal_id=[(labels.get(g, g) if g else run.t("planning.no_goal")) for g in upcoming["goal_id"]]
            ),
            {
                "date": lambda d: fmt_date(d, run.lang),
                "channel": lab(run, "channel"),
                "format": lab(run, "format"),
            },
            headers(run, cols),
            run.t("schedule.files_note", tz=run.tz),
            lang=run.lang,
        )
    )
    return Section(block, cal, frequency=freq, plan=fitted, goals=goals, brief=brief)


def _goals_tied(run: Run, cal: pd.DataFrame) -> pd.DataFrame:
    """Posts per network and goal (the goal's label; "" for posts tied to none)."""
    labels = {g.id: g.label or g.id for g in run.brief.goals}
    order = {c: i for i, c in enumerate(run.brief.channels)}
    counts = cal.groupby(["channel", "goal_id"]).size().rename("posts").reset_index()
    counts = counts.assign(_o=counts["channel"].map(order), _n=counts["goal_id"].eq(""))
    counts = counts.sort_values(["_o", "_n", "goal_id"])
    return pd.DataFrame(
        {
            "channel": counts["channel"],
            "goal": [labels.get(g, g) for g in counts["goal_id"]],
            "posts": counts["posts"].astype(int),
        }
    ).reset_index(drop=True)


def _moments_say(run: Run, cal: pd.DataFrame) -> Block:
    """Which main networks each of the brand's dates is published on, and the networks skipped
    because they do not post on that weekday."""
    pinned = cal[cal["moment"] != ""]
    if pinned.empty:
        return Block("")
    lines = []
    for (day, name), part in pinned.groupby(["date", "moment"], sort=True):
        skipped = [c for d, c in cal.attrs.get("moments_skipped", []) if d == day]
        text = run.t(
            "planning.moment_line",
            moment=name,
            date=fmt_date(day, run.lang),
            networks=fmt_list(
                [label("channel", c, run.lang) for c in dict.fromkeys(part["channel"])], run.lang
            ),
        )
        if skipped:
            text += " " + run.t(
                "planning.moment_skipped",
                networks=fmt_list([label("channel", c, run.lang) for c in skipped], run.lang),
            )
        lines.append(text)
    mains = fmt_list([label("channel", c, run.lang) for c in cal.attrs.get("main_networks", [])], run.lang)
    return say(
        run.t("planning.moments_say", networks=mains, share=fmt_percent(plan.MAIN_NETWORK_SHARE, run.lang, 0))
    ) + bullets(lines)


def month_views(run: Run, calendar: Section) -> Section:
    """The calendar of :func:`calendar` month by month, each post labelled with its network, time
    and format, public holidays shaded red and notable dates blue.

    Returns:
        ``.table``: one row per month (month, posts planned, posts moved off a holiday);
        ``.figure``: the first month; ``.data["figures"]``: each month's chart, by month
        (``YYYY-MM``).
    """
    cal = calendar.table
    labels = {
        "weekdays": tuple(weekday_names(run.lang)),
        "months": _month_names(run.lang),
        "title": "{month} {year}",
        "more": "+{n}",
        "time": lambda start: fmt_time(start, run.lang),
        "formats": {f: label("format", f, run.lang) for f in cal["format"].dropna().unique()},
    }
    brief = calendar.data["brief"]
    holidays = plan.public_holidays(brief, run.lang)
    moments = {m.date: m.name for m in notable_dates(brief, lang=run.lang)}
    block = heading(run.t("planning.months_title"))
    figures, rows = {}, []
    months = pd.to_datetime(cal["date"]).dt.to_period("M")
    for month in pd.period_range(brief.horizon.start, brief.horizon.end, freq="M"):
        drawn = {"holidays": holidays, "moments": moments, "labels": labels}
        fig = calendar_chart.month_view(cal, month, **drawn)
        phone = calendar_chart.month_agenda(cal, month, **drawn)
        name = f"{_month_names(run.lang)[month.month - 1]} {month.year}"
        block += figure(fig, run.t("planning.month_alt", month=name), run.t("planning.legend"), phone=phone)
        figures[str(month)] = fig
        part = cal[months == month]
        rows.append({"month": str(month), "posts": len(part), "moved": int(part["moved_from"].notna().sum())})
    frame = pd.DataFrame(rows, columns=["month", "posts", "moved"])
    return Section(block, frame, next(iter(figures.values()), None), figures=figures)


def workload(run: Run, calendar: Section) -> Section:
    """The hours the calendar of :func:`calendar` asks of each role (the brief's ``effort_hours``
    per format, else the method's, split between content lead, creator and editor), against the
    team's capacity (:func:`helpers.method.planning.workload`); and, when the frequencies asked
    exceeded it, what the plan cut to fit (network, posts per week and posts before and after,
    hours saved) or, when the brief keeps the frequencies (``planning.keep_frequency``) or every
    network is at its floor, the hours to find.

    Returns:
        ``.table``: one row per role (role id, hours, hours per week, capacity, utilisation),
        which ``workload.csv`` holds; ``.data["cuts"]``: the cuts (empty when none);
        ``.data["hours_to_find"]``: hours per role beyond capacity.
    """
    fitted = calendar.data["plan"]
    raw = fitted.workload
    load = raw.assign(role=[run.t(f"planning.role_{r}") for r in raw["role"]])
    cols = [c for c in ("role", "hours", "hours_per_week", "capacity", "utilisation") if c in load.columns]
    block = heading(run.t("planning.workload")) + table(
        load[cols],
        {
            "hours": hours(run),
            "hours_per_week": hours(run),
            "capacity": hours(run),
            "utilisation": pct(run, 0),
        },
        {**headers(run, cols), "hours_per_week": run.t("planning.hours_per_week")},
        run.t("planning.workload_note"),
        lang=run.lang,
    )
    cuts = fitted.cuts
    if len(cuts):
        shown = cuts.assign(channel=[label("channel", c, run.lang) for c in cuts["channel"]])
        block += say(
            run.t(
                "planning.cut_say",
                networks=fmt_list(list(shown["channel"]), run.lang),
                saved=fmt_hours(float(cuts["hours_saved"].sum()), run.lang),
                posts=int((cuts["posts_before"] - cuts["posts_after"]).sum()),
            )
        ) + table(
            shown,
            {
                "per_week_before": num(run, 1),
                "per_week_after": num(run, 1),
                "posts_before": num(run),
                "posts_after": num(run),
                "hours_saved": hours(run),
            },
            {c: run.t(f"planning.cut_{c}") for c in shown.columns},
            run.t(
                "planning.cut_note",
                order=fmt_list([label("channel", c, run.lang) for c in fitted.priority], run.lang),
                floor=fmt_number(plan.MIN_FREQUENCY, run.lang),
                step=fmt_number(plan.FREQUENCY_STEP, run.lang, 1),
            ),
            lang=run.lang,
        )
    if fitted.hours_to_find:
        why = "planning.keep_frequency_say" if fitted.kept else "planning.floor_say"
        block += say(
            run.t(why),
            run.t(
                "planning.hours_to_find",
                hours=fmt_list(
                    [
                        f"{fmt_hours(h, run.lang)} ({run.t(f'planning.role_{r}')})"
                        for r, h in fitted.hours_to_find.items()
                    ],
                    run.lang,
                ),
            ),
        )
    elif run.brief.team:
        block += say(run.t("planning.capacity_ok"))
    else:
        block += say(run.t("planning.no_team"))
    return Section(block, raw, cuts=cuts, hours_to_find=dict(fitted.hours_to_find))


def budget(run: Run, calendar: Section) -> Section:
    """What the calendar of :func:`calendar` costs per network: production hours × the brief's
    ``budget.hourly_cost``, plus its monthly advertising budget pro rata over the plan
    (:func:`helpers.method.planning.budget`).

    Returns:
        ``.table``: one row per network and a ``total`` row (posts, hours, production cost, ads,
        total), which ``budget.csv`` holds.
    """
    table_ = plan.budget(calendar.table, calendar.data["brief"])
    money = lambda v: fmt_money(v, run.lang, run.brief.client.currency)  # noqa: E731
    shown = table_.assign(
        channel=[
            label("channel", c, run.lang) if c != "total" else run.t("col.total") for c in table_["channel"]
        ]
    )
    total = table_.iloc[-1]
    block = (
        heading(run.t("planning.budget"))
        + table(
            shown,
            {"posts": num(run), "hours": hours(run), "production_cost": money, "ads": money, "total": money},
            {**headers(run, shown.columns), "hours": run.t("col.production_hours")},
            run.t("planning.budget_note", hourly=money(run.brief.budget.hourly_cost)),
            lang=run.lang,
        )
        + say(
            run.t(
                "planning.budget_say",
                total=money(total["total"]),
                ads=money(total["ads"]),
                production=money(total["production_cost"]),
                posts=fmt_number(total["posts"], run.lang),
            )
        )
    )
    return Section(block, table_)


def ics_labels(lang: str) -> dict[str, str]:
    assert lang in LANGS
    words = {k: t(f"planning.ics_{k}", lang) for k in plan.ICS_LABELS if k != "no_goal"}
    return {**words, "no_goal": t("planning.no_goal", lang)}


def ics_values(lang: str) -> dict[str, dict[str, str]]:
    """The words of the ids an ``.ics`` event names (networks, formats, objectives) in ``lang``."""
    return {
        kind: {v: label(kind, v, lang) for v in values}
        for kind, values in (
            ("channel", plan.CHANNEL_LABELS),
            ("format", plan.DEFAULT_EFFORT_HOURS),
            ("objective", plan.GOAL_FIT),
        )
    }


def caption_brief(run: Run, post: dict, goals: dict[str, str]) -> str:
    """The message a scheduler imports for a post, in the report's language: its number, format,
    pillar and goal, and that its caption is still to write (never empty, unique per post)."""
    goal = goals.get(post["goal_id"]) or post["goal_id"]
    key = "schedule.caption" + ("" if post["pillar"] else "_no_pillar") + ("_goal" if goal else "")
    fmt = upper_first(label("format", post["format"], run.lang))
    return run.t(key, no=post["post_no"], format=fmt, pillar=post["pillar"], goal=goal)


def calendar_words(run: Run, cal: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``calendar.csv`` a person reads, in the report's language, one row per post:
    network, format, pillar, goal (its label), caption brief (:func:`caption_brief`) and owner
    (the role that does the post, :func:`helpers.method.planning.post_owner`)."""
    goals = {g.id: g.label or g.id for g in run.brief.goals}  # the client reads labels, never ids
    owner = run.t(f"planning.role_{plan.post_owner(run.brief.team)}")
    posts = cal.to_dict("records")
    return pd.DataFrame(
        {
            run.t("schedule.col_network"): [label("channel", p["channel"], run.lang) for p in posts],
            run.t("schedule.col_format"): [label("format", p["format"], run.lang) for p in posts],
            run.t("schedule.col_pillar"): [p["pillar"] for p in posts],
            run.t("schedule.col_goal"): [goals.get(p["goal_id"]) or run.t("planning.no_goal") for p in posts],
            run.t("schedule.col_caption"): [caption_brief(run, p, goals) for p in posts],
            run.t("schedule.col_owner"): [owner] * len(posts),
        },
        index=cal.index,
        dtype=str,
    )


def save(run: Run, calendar: Section, workload: Section, budget: Section) -> None:
    """``calendar.csv`` (with the columns a person reads, :func:`calendar_words`), ``calendar.ics``,
    the schedulers' import files (:mod:`helpers.report.schedulers`) from :func:`calendar`,
    ``workload.csv`` and ``budget.csv`` from :func:`workload` and :func:`budget`, and the summary's
    next steps as actions (:func:`helpers.method.actions.plan_actions`): publish the calendar as
    planned (the posts it had before a capacity cut named), and find the hours a role still lacks."""
    cal = calendar.table
    words = calendar_words(run, cal)
    plan.calendar_to_csv(cal, run.path("calendar"), words)
    plan.calendar_to_ics(
        cal, run.path("calendar_ics"), run.brief, labels=ics_labels(run.lang), values=ics_values(run.lang)
    )
    captions = words[run.t("schedule.col_caption")]
    schedulers.write_hootsuite(cal, captions, run.path("calendar_hootsuite"), run.tz)
    schedulers.write_metricool(cal, captions, run.path("calendar_metricool"), run.tz)
    run.save("workload", workload.table)
    run.save("budget", budget.table)
    cuts = workload.data["cuts"]
    before = len(cal) + int((cuts["posts_before"] - cuts["posts_after"]).sum()) if len(cuts) else len(cal)
    steps = act.plan_actions(calendar.data["brief"], len(cal), before, workload.data["hours_to_find"])
    run.add_summary("next_steps", [action_text(run, a) for a in steps])
    run.save_notes()
